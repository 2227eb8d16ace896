#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: restore
short_description: Put the directory's users and departments back exactly as a snapshot was
version_added: 0.1.0
description:
  - Compares the entries below O(ldap.users_dn) and O(ldap.departments_dn) with a snapshot written by
    M(mailops.mailbox.snapshot) and makes them equal, attribute by attribute, in a safe order. Entries added since
    are removed (children first), changed ones are reverted, removed ones are re-created (parents first) with their
    old password hashes, so old passwords log in again.
  - Operational attributes the server maintains (timestamps, C(entryUUID), C(entryCSN)) are not compared or
    written.
  - Refuses a snapshot taken of other subtrees. After applying, it plans again and fails unless nothing is left.
  - Take a snapshot of the current state first, as the C(mailops.mailbox.restore) role does, so a restore can itself be
    undone.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.google
  - mailops.mailbox.action_group
  - mailops.mailbox.action_group.ATTRIBUTES
options:
  src:
    description:
      - The snapshot file.
    type: path
    required: true
seealso:
  - module: mailops.mailbox.snapshot
'''

EXAMPLES = r'''
- name: Show what a restore would change
  mailops.mailbox.restore:
    src: /var/backups/mailbox/20261125T101500Z.ldif
  check_mode: true
  diff: true

- name: Restore
  mailops.mailbox.restore:
    src: /var/backups/mailbox/20261125T101500Z.ldif
'''

RETURN = r'''
summary:
  description: Operations by kind of entry and action, for example C(user_add) or C(department_delete).
  returned: success
  type: dict
  sample: {user_add: 2, user_modify: 1, user_delete: 3}
operations:
  description: How many operations the restore needs (planned in check mode).
  returned: success
  type: int
applied:
  description: How many operations were applied.
  returned: when something was restored
  type: int
diff:
  description: Before/after attributes per entry, with password hashes shown as C(********).
  returned: when diff mode is on
  type: list
  elements: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import run_restore


def main():
    module = new_module(dict(src=dict(type='path', required=True)))
    run_restore(module)


if __name__ == '__main__':
    main()
