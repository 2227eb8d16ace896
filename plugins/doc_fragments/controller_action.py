# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # A module whose work is its action plugin on the controller (roster, roster_export): the
    # module file itself only fails when it is run without that plugin.
    DOCUMENTATION = r'''
attributes:
  action:
    description: Runs on the controller only, whatever the host of the task is.
    support: full
  async:
    description: Not supported.
    support: none
'''
