#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: roster_export
short_description: Write a roster as a vendor's bulk-import template (Microsoft 365, Google Workspace, Tencent Exmail)
version_added: 0.2.0
description:
  - Writes the users of a roster vars file (as M(mailops.mailbox.roster) generates it) into the bulk-import file
    of a hosted mail service, for the times a roster has to go to a vendor's admin console by hand because an API
    is not available.
  - V(m365) is the Microsoft 365 admin center's "Add multiple users" CSV (its 16 columns; the department is the
    user's own department, as Microsoft 365 has no department tree; no employee id, no password column).
  - V(google) is the Google Workspace "Bulk update users" CSV (its 28 columns; the department path as the org unit,
    C(/总部/销售部); a disabled user as C(Suspended); the password C(****), which Google reads as "leave it", unless
    O(passwords_src) is given).
  - V(exmail) is the Tencent Exmail batch-import workbook (XLSX; the department as a path in C(所属部门); the password
    column blank unless O(passwords_src) is given).
  - Every file reads back with M(mailops.mailbox.roster) to the same users (with the tree where the format has one);
    names are split into first and last name the way the roster module joins them again (张三 as 张 + 三, John Smith
    as John + Smith).
  - Against CSV injection (formula injection) every cell that starts with V(=), V(+), V(-), V(@), a tab or a carriage
    return gets a leading single quote, so that a spreadsheet shows the text instead of running it; in the workbook
    every cell is a text cell. The roster module drops that quote again when it reads the file.
  - Passwords go only into O(dest), and only when O(passwords_src) is given for a format with a password column;
    O(dest) is then written with mode C(0600) (an existing file is narrowed to C(0600) before it is replaced), and
    the result and the diff never show a password.
  - Runs on the controller as an action plugin, so that it decrypts O(passwords_src) with the play's own vault
    secret. It is a module rather than a filter because a filter's text can end up in a task's content, its diff
    or a log, and a workbook is not text.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.controller_action
attributes:
  check_mode:
    description: Reports whether the file would change and writes nothing.
    support: full
  diff_mode:
    description: Shows the rows before and after as CSV text, passwords as C(********).
    support: full
options:
  src:
    description:
      - The roster vars file (YAML with C(mailbox_roster)). Relative paths are relative to the directory
        C(ansible-playbook) runs in, as for O(dest) and O(passwords_src).
    type: path
    required: true
  dest:
    description:
      - The file to write. Its directory must exist. A re-run that would write the same rows leaves it alone.
    type: path
    required: true
  format:
    description: The vendor template to write.
    type: str
    required: true
    choices: [m365, google, exmail]
  passwords_src:
    description:
      - The ansible-vault encrypted passwords file (C(mailbox_initial_passwords)) that M(mailops.mailbox.roster)
        wrote. Its passwords go into the password column of V(google) and V(exmail); a user without one gets
        C(****) (Google) or a blank cell (Exmail).
      - Not allowed with V(m365), whose template has no password column.
    type: path
  bom:
    description:
      - For a CSV, start with a byte order mark, so that Excel opens a UTF-8 file with Chinese names correctly.
    type: bool
    default: false
notes:
  - A user whose state the format cannot say is left out and listed in RV(left_out) - V(absent) users always,
    V(disabled) ones in V(m365) and V(exmail), which only create accounts.
  - Aliases are not part of any of these templates.
requirements:
  - openpyxl >= 3.1 (V(exmail))
seealso:
  - module: mailops.mailbox.roster
  - plugin: mailops.mailbox.roster_csv
    plugin_type: filter
'''

EXAMPLES = r'''
- name: The roster as a Microsoft 365 "Add multiple users" CSV
  mailops.mailbox.roster_export:
    src: group_vars/all/roster.yml
    dest: /srv/exports/m365-users.csv
    format: m365
    bom: true

- name: The roster and its initial passwords as a Tencent Exmail workbook (written 0600)
  mailops.mailbox.roster_export:
    src: group_vars/all/roster.yml
    passwords_src: group_vars/all/passwords.yml
    dest: /srv/exports/exmail-users.xlsx
    format: exmail
'''

RETURN = r'''
dest:
  description: The written file's absolute path.
  returned: success
  type: str
format:
  description: The format written.
  returned: success
  type: str
  sample: google
users:
  description: How many users the file lists.
  returned: success
  type: int
  sample: 34
left_out:
  description: Emails of the roster's users that the file does not list, because the format cannot say their state.
  returned: success
  type: list
  elements: str
  sample: [liu.yang@example.org]
with_passwords:
  description: Whether the file holds passwords (it is then mode C(0600)).
  returned: success
  type: bool
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.controller_only import fail_without_action_plugin
from ansible_collections.mailops.mailbox.plugins.module_utils._template.export_options import (
    ROSTER_EXPORT_ARGUMENT_SPEC,
)


def main():
    # The work is in plugins/action/roster_export.py (it needs the play's vault secret).
    fail_without_action_plugin('mailops.mailbox.roster_export', ROSTER_EXPORT_ARGUMENT_SPEC)


if __name__ == '__main__':
    main()
