# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Options shared by the users and user modules.
    DOCUMENTATION = r'''
options:
  domain:
    description:
      - When set, every email and alias must be in this domain; an address outside it is an error for its
        item, found before anything is written. It catches a roster generated for the wrong domain.
    type: str
  update_password:
    description:
      - V(on_create) sets a password only when the user is created.
      - V(always) also sets it on existing users whose stored hash does not match it (checked with passlib,
        so an unchanged password is not a change and a re-run stays idempotent).
      - V(always) needs a backend that can check a stored password (O(backend=ldap)). Hosted backends
        (O(backend=exmail), O(backend=graph)) cannot read one back, so it would set every password on every run;
        the task fails before writing anything, naming the backend. Reset a hosted user's password in the
        vendor's console, or delete and re-create the user.
    type: str
    choices: [on_create, always]
    default: on_create
  on_error:
    description:
      - What to do when the server refuses one change (for example a schema violation).
      - V(stop) fails the task at the first refusal and reports what was applied.
      - V(continue) applies the rest, then reports each refusal by email with the server's message as a
        warning and in RV(failures).
      - A lost connection always stops the run. Re-running converges either way.
    type: str
    choices: [stop, continue]
    default: stop
'''
