# -*- coding: utf-8 -*-
"""A problem in a cell that may hold a password names the row and the column, never the value.

Every way a password can end up in a problem is tried: its own cell (bad bytes, a control
character, a line break, the policy, an XLSX formula), a row whose cells an unquoted comma
shifted right (the password lands in the next column, or its left part stays and the right part
moves on), and a quote left open that takes later rows (their passwords) into one cell.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import openpyxl
import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REDACTED
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster

SECRETS = (u'Sec', u'ret-Pass1x', u'Hidden-Word-9', u'Other-Pass-77')


def built(tmp_path, content, name='staff.csv', **options):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode('utf-8'))
    return build_roster(read_template(str(path), name, **options), Settings('example.org'))


def shown(result):
    """Everything a user sees of the problems (and warnings): values, messages, what the action prints."""
    return [u'%s %s %s' % (p.value, p.message, p.describe('row {row}')) for p in result.problems] + result.warnings


def assert_never_shown(result, *secrets):
    assert result.problems, 'expected a problem'
    assert result.roster is None
    for text in shown(result):
        for secret in secrets or SECRETS:
            assert secret not in text, text


def test_a_password_pushed_into_an_extra_column(tmp_path):
    result = built(tmp_path, u'姓名,邮箱,部门,初始密码\r\n张三,zs@example.org,技术部,Sec,ret-Pass1x\r\n')
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, 'E', None)]
    assert_never_shown(result)


def test_a_password_left_of_other_columns_shifts_them(tmp_path):
    # The right part of the password lands in the email column, the email in the department's.
    result = built(tmp_path, u'姓名,初始密码,邮箱,部门\r\n张三,Sec,ret-Pass1x,zs@example.org,技术部\r\n')
    assert [(p.row, p.column) for p in result.problems] == [(2, 'E')]
    assert_never_shown(result)


def test_a_shift_left_of_the_password_column(tmp_path):
    # An unquoted comma in the title moves the password into a column without a header.
    result = built(tmp_path, u'姓名,部门,职务,初始密码\r\n张三,技术部,Sales, North,Hidden-Word-9\r\n')
    assert [(p.row, p.column) for p in result.problems] == [(2, 'E')]
    assert_never_shown(result)


def test_bad_bytes_in_the_password_cell(tmp_path):
    content = u'姓名,部门,初始密码\r\n张三,技术部,'.encode('utf-8') + b'Hidden-Word-9\xff\xfe\r\n'
    result = built(tmp_path, content, encoding='utf-8')
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, u'初始密码', REDACTED)]
    assert 'not valid UTF-8' in result.problems[0].message
    assert_never_shown(result)


def test_bad_bytes_in_a_shifted_row_right_of_the_password_column(tmp_path):
    content = u'姓名,初始密码,部门\r\n张三,Hidden-'.encode('utf-8') + b'Word-9\xff,x,\xfe\r\n'
    result = built(tmp_path, content, encoding='utf-8')
    assert_never_shown(result, 'Hidden-', 'Word-9')
    assert all(p.value in (None, REDACTED) for p in result.problems if p.row == 2)


def test_bad_bytes_left_of_the_password_column_still_show(tmp_path):
    # A cell that cannot hold a password keeps showing its bytes: that is what helps find it.
    content = u'姓名,部门,初始密码\r\n'.encode('utf-8') + b'\xff\xfe,x,Hidden-Word-9\r\n'
    result = built(tmp_path, content, encoding='utf-8')
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, u'姓名', '\\xff\\xfe')]
    assert_never_shown(result)


@pytest.mark.parametrize('cell, message', [
    (u'Hidden\x07Word-9', 'contains a control character'),
    (u'hidden', 'is below the password policy'),
])
def test_a_bad_password_is_named_not_shown(tmp_path, cell, message):
    result = built(tmp_path, u'姓名,部门,初始密码\r\n张三,技术部,%s\r\n' % cell)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, u'初始密码', REDACTED)]
    assert message in result.problems[0].message
    assert_never_shown(result, cell)


def test_a_line_break_in_a_password_cell(tmp_path):
    result = built(tmp_path, u'姓名,部门,初始密码\r\n张三,技术部,"Hidden\nWord-9"\r\n')
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, u'初始密码', REDACTED)]
    assert 'line break' in result.problems[0].message
    assert_never_shown(result, 'Hidden', 'Word-9')


def test_a_quote_left_open_swallows_later_rows_and_shows_none_of_them(tmp_path):
    result = built(tmp_path, u'姓名,职务,部门,初始密码\r\n张三,"Sales,技术部,Hidden-Word-9\r\n'
                             u'李四,Boss,技术部,Other-Pass-77\r\n王五,"Dev",技术部,Third-Pass-55\r\n')
    assert (2, u'职务') in [(p.row, p.column) for p in result.problems]
    assert_never_shown(result, 'Hidden-Word-9', 'Other-Pass-77')


def test_a_formula_in_a_password_cell(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([u'姓名', u'部门', u'初始密码'])
    sheet.append([u'张三', u'技术部', u'="Hidden-"&"Word-9"'])
    path = tmp_path / 'staff.xlsx'
    workbook.save(str(path))
    result = build_roster(read_template(str(path)), Settings('example.org'))
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, u'初始密码', REDACTED)]
    assert 'is a formula' in result.problems[0].message
    assert_never_shown(result, 'Hidden', 'Word-9')
