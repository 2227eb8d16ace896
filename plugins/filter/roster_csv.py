# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: roster_csv
short_description: Turn roster users into CSV text that a spreadsheet cannot run
version_added: 0.1.0
author:
  - mailops.mailbox contributors (@mailops)
description:
  - Turns a list of users in roster format (the C(users) of M(mailops.mailbox.directory_info), or
    C(mailbox_roster.users) of a roster vars file) into CSV text with the roster's columns, in the roster's
    order - C(email), C(name), C(department), C(title), C(employee_id), C(mobile), C(aliases), C(state) -
    under a header row that M(mailops.mailbox.roster) reads back.
  - Aliases are joined with a comma in one cell. A missing or null value is an empty cell.
  - Against CSV injection (formula injection), every cell that starts with V(=), V(+), V(-), V(@), a tab or a
    carriage return gets a leading single quote, as the OWASP guidance advises, so that Excel, LibreOffice or
    Google Sheets shows the text instead of running it as a formula. A mobile number such as V(+8613800000000)
    is therefore written as V('+8613800000000).
  - Password hashes are never part of roster format, so they cannot reach the CSV.
options:
  _input:
    description: The users, each a dictionary with roster keys (other keys are ignored).
    type: list
    elements: dict
    required: true
  header:
    description: Start with a header row of the column names.
    type: bool
    default: true
  bom:
    description:
      - Start the text with a byte order mark, so that Excel opens a UTF-8 file with Chinese names correctly.
    type: bool
    default: false
seealso:
  - module: mailops.mailbox.directory_info
  - module: mailops.mailbox.roster
'''

EXAMPLES = r'''
- name: Read the directory
  mailops.mailbox.directory_info:
  register: directory

- name: Export it for HR as a CSV file that is safe to open in a spreadsheet
  ansible.builtin.copy:
    content: "{{ directory.users | mailops.mailbox.roster_csv(bom=true) }}"
    dest: /srv/exports/mailboxes.csv
    mode: "0640"

# A user whose title is "=HYPERLINK(...)" is written as "'=HYPERLINK(...)": shown as text, never run.
'''

RETURN = r'''
_value:
  description:
    - The CSV text (RFC 4180), one line per user after the header, each ended with CR LF; cells are quoted where
      CSV needs it (a comma, a quote, a carriage return or a line feed inside).
  type: string
'''

import csv
import io

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.mailops.mailbox.plugins.module_utils._template.export import neutralise

COLUMNS = ('email', 'name', 'department', 'title', 'employee_id', 'mobile', 'aliases', 'state')
BOM = u'\ufeff'


def _cell(value):
    if value is None:
        return ''
    if isinstance(value, (list, tuple)):
        return ','.join(to_text(v) for v in value if v is not None)
    return to_text(value)


def roster_csv(users, header=True, bom=False):
    if not isinstance(users, (list, tuple)):
        raise AnsibleFilterError('roster_csv: expects a list of users, got %s' % type(users).__name__)
    out = io.StringIO()
    # CR LF, as RFC 4180 has it: with a bare LF terminator the csv module would leave a CR inside a cell
    # unquoted, and a spreadsheet would start a new row there.
    writer = csv.writer(out, lineterminator='\r\n')
    if header:
        writer.writerow(COLUMNS)
    for index, user in enumerate(users):
        if not isinstance(user, dict):
            raise AnsibleFilterError('roster_csv: users[%d] is a %s, not a dictionary' % (index, type(user).__name__))
        writer.writerow([neutralise(_cell(user.get(column))) for column in COLUMNS])
    return (BOM if bom else u'') + out.getvalue()


class FilterModule(object):
    def filters(self):
        return {'roster_csv': roster_csv}
