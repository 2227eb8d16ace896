# -*- coding: utf-8 -*-
"""The vendors' staff lists (_template/sources.py): detection, vocabulary, and what each cell means."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._template import options
from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import (
    header_key, join_name, map_headers,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster
from ansible_collections.mailops.mailbox.plugins.module_utils._template.sources import SOURCES
from template_helpers import build, problems, users, where, write_csv

SOURCES_DIR = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'examples', 'sources')

# The six people of examples/sources, in the collection's own template (all that any source says).
GENERIC_HEADER = (u'邮箱', u'姓名', u'部门', u'职务', u'工号', u'手机', u'状态')
PEOPLE = (
    (u'zhang.san@example.org', u'张三', u'总部', u'总经理', u'E1001', u'13800138000', u''),
    (u'li.si@example.org', u'李四', u'总部/销售部', u'销售总监', u'E1002', u'13800138001', u''),
    (u'wang.fang@example.org', u'王芳', u'总部/销售部/华南销售', u'销售经理', u'E1003', u'13900139002', u''),
    (u'ouyang.nana@example.org', u'欧阳娜娜', u'总部/技术部', u'后端工程师', u'E1004', u'13700137003', u''),
    (u'john.smith@example.org', u'John Smith', u'总部/海外事业部', u'Sales Engineer', u'E1005', u'+1 415 555 0100',
     u''),
    (u'liu.yang@example.org', u'刘洋', u'总部/技术部', u'实习生', u'E1006', u'13600136005', u'停用'),
)
# What each source's format can say: Microsoft 365 has no tree and no employee id, WeCom's export
# no employee id; only Google has a status.
EXAMPLES = (
    ('m365-users.csv', 'm365', dict(flat=True, employee_id=False, state=False)),
    ('google-users.csv', 'google', dict(flat=False, employee_id=True, state=True)),
    ('exmail-users.xlsx', 'exmail', dict(flat=False, employee_id=True, state=False)),
    ('wecom-contacts.csv', 'wecom', dict(flat=False, employee_id=False, state=False)),
    ('dingtalk-contacts.csv', 'dingtalk', dict(flat=False, employee_id=True, state=False)),
    ('feishu-contacts.csv', 'feishu', dict(flat=False, employee_id=True, state=False)),
)


def equivalent_rows(flat, employee_id, state):
    """The people as the collection's own template, holding what a source's format can say."""
    rows = [GENERIC_HEADER]
    for email, name, path, title, eid, mobile, status in PEOPLE:
        rows.append((email, name, path.rsplit(u'/', 1)[-1] if flat else path, title, eid if employee_id else u'', mobile,
                     status if state else u''))
    return rows


@pytest.mark.parametrize('name, source, says', EXAMPLES)
def test_each_example_converts_with_no_option_like_our_own_template(tmp_path, name, source, says):
    result = build_roster(read_template(os.path.join(SOURCES_DIR, name)), Settings('example.org'))
    assert result.problems == [] and result.source == source
    equivalent = build(tmp_path, equivalent_rows(**says))
    assert equivalent.problems == [] and equivalent.source == 'generic' and equivalent.ignored_columns == []
    assert result.roster == equivalent.roster
    tree = dict((d['name'], d['parent']) for d in result.roster['departments'])
    assert tree[u'华南销售'] == (None if says['flat'] else u'销售部')
    assert users(result)[u'li.si@example.org']['name'] == u'李四'


@pytest.mark.parametrize('name, ignored', [
    ('m365-users.csv', ['Office Number', 'Office Phone', 'Fax', 'Alternate email address', 'Address', 'City',
                        'State or Province', 'ZIP or Postal Code', 'Country or Region']),
    ('exmail-users.xlsx', [u'性别', u'生日']),
    ('wecom-contacts.csv', [u'别名', u'性别', u'座机', u'个人邮箱', u'地址', u'激活状态']),
    ('dingtalk-contacts.csv', [u'性别', u'座机', u'分机号', u'办公地点', u'入职时间', u'备注']),
])
def test_known_unused_columns_are_listed_once_not_errors(name, ignored):
    result = build_roster(read_template(os.path.join(SOURCES_DIR, name)), Settings('example.org'))
    assert result.problems == [] and result.ignored_columns == ignored


def test_an_unknown_column_in_a_known_source_is_still_a_problem_of_row_1(tmp_path):
    header = ('User Name', 'Display Name', 'Department', 'Office Number', 'Badge Colour')
    result = build(tmp_path, [header, ('zhang.san@example.org', u'张三', u'总部', 'A-1', 'red')])
    assert where(result) == [(1, 'Badge Colour')] and result.roster is None
    assert 'Microsoft 365' in result.problems[0].message and 'extra_columns: ignore' in result.problems[0].message
    result = build(tmp_path, [header, ('zhang.san@example.org', u'张三', u'总部', 'A-1', 'red')],
                   extra_columns='ignore')
    assert result.problems == [] and result.ignored_columns == ['Office Number', 'Badge Colour']


def test_the_issue_s_files_convert_as_they_are(tmp_path):
    """Exmail's console spelling 帐号, and a DingTalk export with 入职时间, need no option."""
    result = build(tmp_path, [(u'姓名', u'帐号', u'部门', u'职位', u'手机', u'密码'),
                              (u'张三', u'zhang.san', u'总部', u'经理', u'13800138000', u'')])
    assert result.problems == [] and result.source == 'generic'
    assert list(users(result)) == ['zhang.san@example.org']
    result = build(tmp_path, [(u'姓名', u'工号', u'手机号', u'部门', u'职位', u'邮箱', u'入职时间'),
                              (u'张三', u'E1', u'13800138000', u'总部', u'经理', u'zhang.san@example.org', u'2020-01-01')])
    assert result.problems == [] and result.source == 'dingtalk' and result.ignored_columns == [u'入职时间']


def test_a_column_several_sources_know_does_not_make_a_source(tmp_path):
    """备注 is in DingTalk's export, but a template with a 备注 column is not a DingTalk export."""
    result = build(tmp_path, [(u'姓名', u'部门', u'备注'), (u'张三', u'总部', u'新人')])
    assert result.source == 'generic' and where(result) == [(1, u'备注')]


def test_the_source_option_forces_or_refuses_detection(tmp_path):
    rows = [(u'姓名', u'部门', u'性别'), (u'张三', u'总部', u'男')]
    assert where(build(tmp_path, rows)) == [(1, u'性别')]
    forced = build(tmp_path, rows, source='exmail')
    assert forced.problems == [] and forced.source == 'exmail' and forced.ignored_columns == [u'性别']
    m365 = [('User Name', 'Display Name', 'Department', 'Fax'), ('zhang.san@example.org', u'张三', u'总部', '')]
    refused = build(tmp_path, m365, source='generic')
    assert refused.source == 'generic'
    assert where(refused) == [(1, 'User Name'), (1, 'Display Name'), (1, 'Fax'), (1, 'name')]
    with pytest.raises(ValueError, match='source: must be one of auto, generic, m365'):
        Settings('example.org', source='outlook')


def test_source_choices_are_the_sources():
    assert options.SOURCES == ('auto', 'generic') + tuple(source.name for source in SOURCES)


@pytest.mark.parametrize('source', SOURCES, ids=lambda s: s.name)
def test_each_vendor_header_row_is_recognised_whole(source):
    columns, found = map_headers(source.template, 1)
    assert found == [] and columns.source_name == source.name


def test_header_notes_in_square_brackets_are_ignored():
    assert header_key('Email Address [Required]') == header_key('email address')
    assert header_key(u'邮箱【必填】') == u'邮箱'


@pytest.mark.parametrize('family, given, name', [
    (u'张', u'三', u'张三'), (u'欧阳', u'娜娜', u'欧阳娜娜'), ('Smith', 'John', 'John Smith'),
    (u'Müller', u'José', u'José Müller'), ('', 'Madonna', 'Madonna'), ('Cher', '', 'Cher'),
])
def test_a_name_in_two_columns_is_joined_as_its_script_writes_it(family, given, name):
    assert join_name(family, given) == name


def test_name_columns_fill_in_a_blank_display_name_and_problems_name_the_column_used(tmp_path):
    header = ('User Name', 'First Name', 'Last Name', 'Display Name', 'Department')
    result = build(tmp_path, [header, ('a@example.org', u'三', u'张', u'', u'总部'),
                              ('b@example.org', 'John', 'Smith', 'Johnny', u'总部'),
                              ('c@example.org', u'', u'', u'', u'总部'),
                              ('d@example.org', u'x\x07', u'', u'', u'总部')])
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (4, 'Display Name', 'is empty'), (5, 'First Name', 'contains a control character')]
    result = build(tmp_path, [header[:3] + header[4:], ('a@example.org', u'三\x07', u'张', u'总部')])
    assert [(p.row, p.column) for p in result.problems] == [(2, 'Last Name + First Name')]
    result = build(tmp_path, [header, ('a@example.org', u'三', u'张', u'', u'总部'),
                              ('b@example.org', 'John', 'Smith', 'Johnny', u'总部')])
    assert [users(result)[e]['name'] for e in ('a@example.org', 'b@example.org')] == [u'张三', 'Johnny']


def test_an_account_given_as_a_local_part_gets_the_domain(tmp_path):
    result = build(tmp_path, [(u'帐号', u'姓名', u'所属部门'), (u'zhang.san', u'张三', u'总部'),
                              (u'li si', u'李四', u'总部'), (u'wang@other.org', u'王芳', u'总部')])
    assert problems(result) == [
        (3, u'帐号', u'li si', u'"li si" is not an email address'),
        (4, u'帐号', u'wang@other.org', u'"wang@other.org" is not in the domain example.org')]
    result = build(tmp_path, [(u'帐号', u'姓名', u'所属部门'), (u'Zhang.San', u'张三', u'总部'),
                              (u'ｌｉ．ｓｉ\u200b ', u'李四', u'总部')])
    assert list(users(result)) == ['li.si@example.org', 'zhang.san@example.org']


def test_a_fallback_column_fills_in_blanks_and_problems_name_it(tmp_path):
    """企业邮箱 first, 帐号 where it is blank; 手机 first, 电话 where it is blank."""
    header = (u'姓名', u'部门', u'企业邮箱', u'帐号', u'手机', u'电话')
    result = build(tmp_path, [header, (u'张三', u'总部', u'zhang.san@example.org', u'zs', u'13800138000', u'010-1'),
                              (u'李四', u'总部', u'', u'li.si', u'', u'010-88880000'),
                              (u'王芳', u'总部', u'', u'wang.fang', u'', u'call me')])
    assert problems(result) == [(4, u'电话', u'call me', u'"call me" is not a phone number (digits, spaces, + ( ) . / -)')]
    result = build(tmp_path, [header, (u'张三', u'总部', u'zhang.san@example.org', u'zs', u'13800138000', u'010-1'),
                              (u'李四', u'总部', u'', u'li.si', u'', u'010-88880000')])
    assert [(u['email'], u['mobile']) for u in result.roster['users']] == [
        ('li.si@example.org', '010-88880000'), ('zhang.san@example.org', '13800138000')]


def test_two_columns_of_the_same_rank_are_still_a_problem(tmp_path):
    result = build(tmp_path, [(u'姓名', u'部门', u'邮箱', u'账号'), (u'张三', u'总部', u'', u'')])
    assert where(result) == [(1, u'账号')]


def test_several_departments_take_the_first_and_say_so(tmp_path):
    result = build(tmp_path, [(u'姓名', u'邮箱', u'部门'), (u'张三', u'a@example.org', u'总部/销售部;总部/市场部'),
                              (u'李四', u'b@example.org', u'总部/技术部；总部'), (u'王芳', u'c@example.org', u'总部')])
    assert result.problems == []
    assert [u['department'] for u in result.roster['users']] == [u'销售部', u'技术部', u'总部']
    assert u'市场部' not in [d['name'] for d in result.roster['departments']]
    assert result.warnings == ['2 rows list several departments (row 2, 3): each person is put in the first one']


def test_google_org_units_status_and_kept_passwords(tmp_path):
    header = ('First Name [Required]', 'Last Name [Required]', 'Email Address [Required]', 'Password [Required]',
              'Org Unit Path [Required]', 'Department', 'New Status [UPLOAD ONLY]')
    result = build(tmp_path, [header, (u'三', u'张', 'zhang.san@example.org', '****', '/', u'总部', 'Active'),
                              (u'四', u'李', 'li.si@example.org', 'Typed-Passw0rd', u'/总部/销售部/', '', 'Suspended'),
                              ('John', 'Smith', 'john.smith@example.org', '', u'/Sales/East', 'Sales', '')])
    assert result.problems == [] and result.source == 'google'
    assert [(u['name'], u['department'], u['state']) for u in result.roster['users']] == [
        ('John Smith', 'East', 'present'), (u'李四', u'销售部', 'disabled'), (u'张三', u'总部', 'present')]
    assert dict((d['name'], d['parent']) for d in result.roster['departments']) == {
        u'总部': None, u'销售部': u'总部', 'Sales': None, 'East': 'Sales'}
    assert result.passwords['li.si@example.org'].reveal() == 'Typed-Passw0rd'
    assert result.passwords['zhang.san@example.org'].reveal() != '****'  # generated: "****" keeps none


def test_google_top_unit_with_no_department_is_a_problem_of_its_cell(tmp_path):
    header = ('First Name', 'Last Name', 'Email Address', 'Org Unit Path')
    result = build(tmp_path, [header, (u'三', u'张', 'zhang.san@example.org', '/')])
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, 'Org Unit Path', '/')]
    assert 'top organisational unit' in result.problems[0].message


def test_a_hashed_google_password_is_a_problem_that_never_shows_it(tmp_path):
    header = ('First Name', 'Last Name', 'Email Address', 'Password', 'Password Hash Function', 'Org Unit Path')
    digest = '5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8'
    result = build(tmp_path, [header, (u'三', u'张', 'zhang.san@example.org', digest, 'SHA-1', u'/总部')])
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, 'Password', '********')]
    assert digest not in repr([p.as_dict() for p in result.problems])


def test_wecom_aliases_are_nicknames_and_its_states_are_read(tmp_path):
    header = (u'姓名', u'帐号', u'别名', u'部门', u'账号状态', u'个人邮箱')
    result = build(tmp_path, [header, (u'张三', u'zhang.san', u'Tom', u'总部', u'已禁用', u'x@qq.com')])
    assert result.problems == [] and result.source == 'wecom'
    assert [(u['aliases'], u['state']) for u in result.roster['users']] == [([], 'disabled')]


def test_a_source_file_keeps_its_rows_numbering_in_problems(tmp_path):
    """Blank rows and the header's row are counted as the spreadsheet counts them."""
    rows = [('User Name', 'Display Name', 'Department'), ('', '', ''), ('zhang@@example.org', u'张三', u'总部')]
    path = write_csv(tmp_path / 'm365.csv', rows)
    result = build_roster(read_template(str(path)), Settings('example.org'))
    assert where(result) == [(3, 'User Name')]


@pytest.mark.parametrize('header, key', [
    (u'帐号', 'email'), (u'账户', 'email'), (u'企业邮箱', 'email'), (u'邮箱账号', 'email'), (u'岗位', 'title'),
    (u'编号', 'employee_id'), (u'电话', 'mobile'), (u'手机号码', 'mobile'), ('Last Name', 'family_name'),
    (u'名', 'given_name'), ('Email Address [Required]', 'email'),
])
def test_the_issue_s_header_variants(header, key):
    columns, _problems = map_headers((u'姓名', header), 1, extra_columns='ignore')
    assert columns.index.get(key) == 1


# --- Any text in any vendor file's cell: a roster value that reads back, or a placed problem -------

VENDOR_ROWS = {
    'm365': (('User Name', 'First Name', 'Last Name', 'Display Name', 'Job Title', 'Department', 'Fax'),
             ('zhang.san@example.org', u'三', u'张', u'', u'经理', u'销售部', u'')),
    'google': (('First Name [Required]', 'Last Name [Required]', 'Email Address [Required]', 'Password [Required]',
                'Org Unit Path [Required]', 'Employee Title', 'Department', 'New Status [UPLOAD ONLY]'),
               (u'三', u'张', 'zhang.san@example.org', '****', u'/总部/销售部', u'经理', u'销售部', 'Active')),
    'exmail': ((u'帐号', u'密码', u'姓名', u'所属部门', u'职务', u'手机', u'电话', u'性别', u'生日'),
               (u'zhang.san', u'', u'张三', u'总部/销售部', u'经理', u'', u'010-1', u'男', u'1990-01-01')),
    'wecom': ((u'姓名', u'帐号', u'企业邮箱', u'部门', u'职务', u'别名', u'个人邮箱'),
              (u'张三', u'zhangsan', u'', u'总部/销售部;总部', u'经理', u'Tom', u'x@qq.com')),
}


@pytest.mark.parametrize('source', sorted(VENDOR_ROWS))
def test_any_cell_of_a_vendor_file_reads_back_or_is_a_placed_problem(tmp_path, source):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import parse_roster, render_roster

    header, good = VENDOR_ROWS[source]
    seen = dict(round_trips=0, problems=0)

    @settings(max_examples=int(os.environ.get('HYPOTHESIS_EXAMPLES', 150)), deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(column=st.integers(0, len(header) - 1), cell=st.text(alphabet=st.characters(exclude_categories=('Cs',))))
    def check(column, cell):
        row = list(good)
        row[column] = cell
        result = build(tmp_path, [header, row])
        if result.problems:
            seen['problems'] += 1
            for problem in result.problems:
                if problem.row is None:
                    assert u'\x00' in cell and 'binary' in problem.message, problem
                elif problem.row == 1:  # the CSV sniffer took a character of the cell for the delimiter
                    assert problem.column and 'column' in problem.message, problem
                else:
                    # a column's header, or the two a name was joined from (Last Name + First Name)
                    assert problem.row == 2 and set(problem.column.split(' + ')) <= set(header), problem
                    if header[column] in ('Password [Required]', u'密码'):
                        assert problem.value in (None, '********'), problem
            return
        assert result.source == source
        assert parse_roster(render_roster(result.roster, 'x.csv', 'sha', 1)) == result.roster
        seen['round_trips'] += 1

    check()
    assert seen['round_trips'] >= 20 and seen['problems'] >= 5, seen
