# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
attributes:
  action_group:
    description: Use C(group/mailops.mailbox.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - mailops.mailbox.all
'''

    ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    description: This action does not modify state.
    support: full
  diff_mode:
    description: This action does not modify state.
    support: N/A
'''
