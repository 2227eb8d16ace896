# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import header_key, map_headers


@pytest.mark.parametrize('header, key', [
    (u'邮箱', 'email'), (u'邮箱地址', 'email'), (u'账号', 'email'), ('E-Mail', 'email'), (u'ＥＭＡＩＬ', 'email'),
    (u'姓名', 'name'), (' Name ', 'name'), (u'姓 名', 'name'), (u'姓名*', 'name'), (u'姓名（必填）', 'name'),
    (u'部门', 'department'), (u'职务', 'title'), (u'职位', 'title'), ('Title', 'title'),
    (u'初始密码', 'initial_password'), (u'密码', 'initial_password'), ('Initial Password', 'initial_password'),
    (u'工号', 'employee_id'), ('Employee ID', 'employee_id'), ('employee_id', 'employee_id'),
    (u'手机', 'mobile'), (u'手机号', 'mobile'), ('MOBILE', 'mobile'),
    (u'别名', 'aliases'), ('Aliases', 'aliases'), (u'状态', 'state'), ('State', 'state'),
])
def test_header_aliases(header, key):
    columns, problems = map_headers(('x', header), 1, extra_columns='ignore')
    assert columns.index.get(key) == 1 and columns.label[key] == header.strip()


def test_header_key_ignores_width_case_and_spacing():
    assert header_key(u'Ｅｍｐｌｏｙｅｅ　ＩＤ') == header_key('employee_id') == 'employeeid'


def test_unknown_column_is_an_error_unless_ignored():
    header = (u'姓名', u'部门', u'备注', 'Nickname')
    columns, problems = map_headers(header, 1)
    assert [(p.row, p.column, p.value) for p in problems] == [(1, u'备注', u'备注'), (1, 'Nickname', 'Nickname')]
    assert 'extra_columns: ignore' in problems[0].message
    columns, problems = map_headers(header, 1, extra_columns='ignore')
    assert problems == [] and sorted(columns.index) == ['department', 'name']


def test_missing_required_columns():
    columns, problems = map_headers((u'邮箱', u'职务'), 3)
    assert [(p.row, p.column) for p in problems] == [(3, 'name'), (3, 'department')]
    assert problems[0].message == u'required column is missing: add a column headed name / full name / 姓名 / 名字'


def test_two_columns_for_one_key():
    columns, problems = map_headers((u'姓名', u'部门', 'Email', u'邮箱'), 1)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, u'邮箱', u'column "邮箱" means the same as column "Email" (email): keep one')]
    assert columns.index['email'] == 2


def test_unreadable_header_cells_are_skipped():
    columns, problems = map_headers((u'姓名', u'\udcff', u'部门'), 1, skip=(1,))
    assert problems == [] and columns.index == {'name': 0, 'department': 2}
