# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ROSTER_KEYS, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import render_roster
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import (
    Settings, build_roster, department_list,
)
from template_helpers import HEADER, build, problems, users, where, write_csv

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'examples')
FULL_HEADER = (u'工号', u'姓名', u'邮箱', u'部门', u'职务', u'手机', u'别名', u'状态', u'初始密码')


def row(**cells):
    """A row of FULL_HEADER from keyword cells (English keys)."""
    keys = ('employee_id', 'name', 'email', 'department', 'title', 'mobile', 'aliases', 'state', 'password')
    return tuple(cells.get(key, u'') for key in keys)


# --- Every error class: its row, its column, its value ------------------------------------------

def test_missing_required_columns(tmp_path):
    result = build(tmp_path, [(u'邮箱', u'职务'), (u'a@example.org', u'x')])
    assert problems(result) == [
        (1, 'name', None, u'required column is missing: add a column headed name / full name / 姓名 / 名字'),
        (1, 'department', None, u'required column is missing: add a column headed department / dept / 部门 / 所属部门')]
    assert result.roster is None


def test_empty_required_cells(tmp_path):
    result = build(tmp_path, [HEADER, (u'', u'a@example.org', u'技术部'), (u'李四', u'b@example.org', u'\u3000')])
    assert problems(result) == [(2, u'姓名', u'', 'is empty'), (3, u'部门', u'', 'is empty')]


def test_malformed_email(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'zhang@@example.org', u'技术部')])
    assert problems(result) == [(2, u'邮箱', 'zhang@@example.org', '"zhang@@example.org" is not an email address')]
    assert result.generated_emails == {}  # a malformed email is not replaced by a generated one


def test_email_outside_the_domain(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'Zhang.San@Example.COM', u'技术部')])
    assert problems(result) == [
        (2, u'邮箱', 'zhang.san@example.com', '"zhang.san@example.com" is not in the domain example.org')]


def test_duplicate_email_names_both_rows(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'zs@example.org', u'技术部'), (u'李四', u'li@example.org', u'技术部'),
                              (u'张山', u'ZS@example.org', u'技术部')])
    assert problems(result) == [(4, u'邮箱', 'zs@example.org', 'duplicate email "zs@example.org": row 2 has it too')]


def test_duplicate_alias_and_alias_equal_to_an_email(tmp_path):
    rows = [FULL_HEADER,
            row(name=u'张三', email='zs@example.org', department=u'技术部', aliases='sales, zs'),
            row(name=u'李四', email='li@example.org', department=u'技术部', aliases='sales@example.org'),
            row(name=u'王五', email='ww@example.org', department=u'技术部', aliases=u'li、ww2')]
    result = build(tmp_path, rows)
    assert problems(result) == [
        (2, u'别名', 'zs@example.org', 'alias "zs@example.org" is this row\'s own email'),
        (3, u'别名', 'sales@example.org', 'duplicate alias "sales@example.org": row 2 has it too'),
        (4, u'别名', 'li@example.org', 'alias "li@example.org" is the email of row 3')]


def test_alias_outside_the_domain_or_malformed(tmp_path):
    rows = [FULL_HEADER, row(name=u'张三', email='zs@example.org', department=u'技术部', aliases='x@other.org a@@b.org')]
    assert problems(build(tmp_path, rows)) == [
        (2, u'别名', 'x@other.org a@@b.org', 'alias "a@@b.org" is not an email address'),
        (2, u'别名', 'x@other.org', 'alias "x@other.org" is not in the domain example.org')]


def test_unknown_department_when_a_list_is_given(tmp_path):
    rows = [HEADER, (u'张三', u'', u'总部/销售部'), (u'李四', u'', u'总部/市场部'), (u'王五', u'', u'销售部')]
    result = build(tmp_path, rows, departments=[u'总部/销售部', {'name': u'技术部', 'parent': u'总部'}])
    assert problems(result) == [(3, u'部门', u'总部/市场部', u'unknown department "市场部": it is not in the departments list')]
    result = build(tmp_path, rows[:2] + rows[3:], departments=[u'总部/销售部', {'name': u'技术部', 'parent': u'总部'}])
    assert result.roster['departments'] == [{'name': u'总部', 'parent': None}, {'name': u'技术部', 'parent': u'总部'},
                                            {'name': u'销售部', 'parent': u'总部'}]


def test_department_under_another_parent_than_the_list_says(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'', u'分公司/销售部')], departments=[u'总部/销售部', u'分公司'])
    assert problems(result) == [
        (2, u'部门', u'分公司/销售部', u'department "销售部" is under "总部" in the departments list, not under "分公司"')]


def test_unknown_state(tmp_path):
    rows = [FULL_HEADER, row(name=u'张三', department=u'技术部', state=u'休假')]
    [(row_number, column, value, message)] = problems(build(tmp_path, rows))
    assert (row_number, column, value) == (2, u'状态', u'休假')
    assert message.startswith(u'"休假" is not a state')


def test_password_below_policy_never_shows_the_password(tmp_path):
    rows = [FULL_HEADER, row(name=u'张三', department=u'技术部', password='weakpass'),
            row(name=u'李四', department=u'技术部', password='Strong-Enough-1')]
    result = build(tmp_path, rows)
    assert problems(result) == [
        (2, u'初始密码', '********', 'is below the password policy: shorter than 12 characters, no upper-case letter, '
                                 'no digit')]
    assert 'weakpass' not in repr(problems(result))


def test_stricter_policy(tmp_path):
    rows = [FULL_HEADER, row(name=u'李四', department=u'技术部', password='Strong-Enough-1')]
    result = build(tmp_path, rows, password_policy={'min_length': 16, 'generated_length': 20})
    assert where(result) == [(2, u'初始密码')]


@pytest.mark.parametrize('content, message', [
    (b'', 'the file is empty'),
    (b'\x00\x01\x02binary', 'the file is neither CSV nor XLSX (it has binary content)'),
])
def test_not_a_template(tmp_path, content, message):
    path = tmp_path / 'staff.csv'
    path.write_bytes(content)
    result = build_roster(read_template(str(path)), Settings('example.org'))
    assert problems(result) == [(None, None, None, message)] and result.roster is None


def test_undecodable_bytes_are_reported_once_with_their_row(tmp_path):
    path = write_csv(tmp_path / 'staff.csv', [HEADER, (u'张三', u'', u'技术部')])
    path.write_bytes(path.read_bytes() + u'李四,,'.encode('utf-8') + b'\xff\xfe\r\n')
    result = build_roster(read_template(str(path)), Settings('example.org'))
    # the department cell is reported as unreadable, not also as empty
    assert problems(result) == [
        (3, u'部门', '\\xff\\xfe', 'has bytes that are not valid UTF-8: save the file as CSV (UTF-8), or set encoding')]


def test_more_cells_than_headers(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'', u'技术部', u'', u'x')])
    assert where(result) == [(2, 'E')] and result.problems[0].value is None


def test_unknown_column(tmp_path):
    result = build(tmp_path, [HEADER + (u'备注',), (u'张三', u'', u'技术部', u'新人')])
    assert where(result) == [(1, u'备注')]
    assert build(tmp_path, [HEADER + (u'备注',), (u'张三', u'', u'技术部', u'新人')], extra_columns='ignore').problems == []


def test_duplicate_employee_id(tmp_path):
    rows = [FULL_HEADER, row(employee_id='E1', name=u'张三', department=u'技术部'),
            row(employee_id='E1', name=u'李四', department=u'技术部')]
    assert problems(build(tmp_path, rows)) == [(3, u'工号', 'E1', 'duplicate employee id "E1": row 2 has it too')]


def test_a_department_with_two_parents(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'', u'总部/销售部'), (u'李四', u'', u'分公司/销售部')])
    assert problems(result) == [
        (3, u'部门', u'分公司/销售部',
         u'department "销售部" is under "总部" in row 2, not under "分公司": a department has one parent')]


def test_a_department_cycle(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'', u'甲/乙'), (u'李四', u'', u'乙/甲')])
    assert where(result) == [(2, u'部门')]
    assert 'its own ancestor' in result.problems[0].message


def test_a_name_that_gives_no_address(tmp_path):
    rows = [HEADER, (u'Ольга Петрова', u'', u'技术部'), (u'Ольга Петрова', u'olga@example.org', u'技术部')]
    result = build(tmp_path, rows)
    assert problems(result) == [(2, u'姓名', u'Ольга Петрова', u'"Ольга Петрова" cannot be written in ASCII ("Ольга"): '
                                                             u'fill in the email')]


def test_control_characters_and_bad_mobiles(tmp_path):
    rows = [FULL_HEADER, row(name=u'张\x07三', department=u'技术部', mobile=u'138 转 8', title=u'x' * 300)]
    assert where(build(tmp_path, rows)) == [(2, u'姓名'), (2, u'职务'), (2, u'手机')]


def test_every_problem_is_reported_in_reading_order(tmp_path):
    rows = [FULL_HEADER + (u'备注',),
            row(name=u'张三', email='zs@@example.org', department=u'技术部', state=u'休假') + (u'',),
            row(name=u'', email='li@other.org', department=u'', password='short') + (u'',),
            row(name=u'王五', email='ww@example.org', department=u'技术部') + (u'', u'extra')]
    assert where(build(tmp_path, rows)) == [
        (1, u'备注'), (2, u'邮箱'), (2, u'状态'), (3, u'姓名'), (3, u'邮箱'), (3, u'部门'), (3, u'初始密码'), (4, 'K')]


def test_previous_roster_for_another_domain(tmp_path):
    previous = dict(domain='example.com', departments=[], users=[])
    assert problems(build(tmp_path, [HEADER, (u'张三', u'', u'技术部')], previous=previous)) == [
        (None, None, None, 'the previous roster is for the domain example.com, not example.org: give previous: '
                           'explicitly, or start a new roster file')]


@pytest.mark.parametrize('settings, message', [
    (dict(domain='not a domain'), 'domain: "not a domain" is not a domain name'),
    (dict(domain=''), 'domain: is required'),
    (dict(domain='example.org', email_format='{surname}'), 'email_format'),
    (dict(domain='example.org', leavers='forget'), 'leavers: must be one of disable, absent, keep'),
    (dict(domain='example.org', departments=[3]), 'departments: each item is a path'),
    (dict(domain='example.org', departments=[u'总部/销售部', u'分公司/销售部']), u'departments: "销售部" is under both'),
    (dict(domain='example.org', departments=[u'甲/乙', u'乙/甲']), u'would be its own ancestor'),
])
def test_bad_settings(settings, message):
    with pytest.raises(ValueError) as error:
        Settings(**settings)
    assert message in str(error.value)


# --- Generated addresses ----------------------------------------------------------------------

def test_generated_addresses_and_collisions(tmp_path):
    rows = [FULL_HEADER,
            row(name=u'张伟', department=u'技术部'),
            row(name=u'张伟', department=u'销售部'),
            row(name=u'张三', email='zhang.wei3@example.org', department=u'技术部'),
            row(name=u'张\u3000伟', department=u'技术部'),
            row(name=u'欧阳娜娜', department=u'市场部'),
            row(name=u'José Müller', department=u'市场部')]
    result = build(tmp_path, rows)
    assert result.problems == []
    assert result.generated_emails == {
        u'张伟 (row 2)': 'zhang.wei@example.org', u'张伟 (row 3)': 'zhang.wei2@example.org',
        u'张伟 (row 5)': 'zhang.wei4@example.org',  # zhang.wei3 is row 4's, given in the template
        u'欧阳娜娜': 'ouyang.nana@example.org', u'José Müller': 'jose.muller@example.org'}
    assert result.collisions == [
        dict(row=3, name=u'张伟', wanted='zhang.wei@example.org', email='zhang.wei2@example.org', taken_by='row 2'),
        dict(row=5, name=u'张伟', wanted='zhang.wei@example.org', email='zhang.wei4@example.org', taken_by='row 2')]


@pytest.mark.parametrize('limit', [0, 1, 2, 5])
def test_the_reported_lists_are_cut_to_the_limit_and_counted_in_full(tmp_path, limit):
    previous = dict(domain='example.org', departments=[], users=[
        dict(email='li.si@example.org', name=u'李四'), dict(email='wang.wu@example.org', name=u'王五')])
    rows = [FULL_HEADER, row(name=u'张伟', department=u'技术部'), row(name=u'张伟', department=u'销售部'),
            row(name=u'张伟', department=u'市场部'), row(name=u'欧阳娜娜', department=u'市场部')]
    result = build(tmp_path, rows, previous=previous)
    assert result.problems == []
    reported = result.reported(limit)
    assert reported['summary'] == dict(generated_emails=4, collisions=2, leavers=2, new_passwords=4)  # not the leavers'
    assert reported['truncated'] == sorted(name for name, count in reported['summary'].items() if count > limit)
    assert list(reported['generated_emails'].items()) == list(result.generated_emails.items())[:limit]
    assert reported['collisions'] == result.collisions[:limit]
    assert reported['leavers'] == ['li.si@example.org', 'wang.wu@example.org'][:limit]
    assert reported['new_passwords'] == result.new_passwords[:limit]


def test_generated_addresses_avoid_aliases_and_the_previous_roster(tmp_path):
    previous = dict(domain='example.org', departments=[], users=[
        dict(email='li.si@example.org', name=u'李四', employee_id='E9', state='absent')])
    rows = [FULL_HEADER, row(name=u'张三', email='boss@example.org', department=u'总部', aliases='zhang.san'),
            row(employee_id='E2', name=u'张三', department=u'总部'), row(employee_id='E3', name=u'李四', department=u'总部')]
    result = build(tmp_path, rows, previous=previous)
    assert result.problems == []
    assert result.generated_emails == {u'张三': 'zhang.san2@example.org', u'李四': 'li.si2@example.org'}
    assert [c['taken_by'] for c in result.collisions] == ['row 2', 'the previous roster']


def test_email_format_option(tmp_path):
    result = build(tmp_path, [HEADER, (u'张三', u'', u'技术部'), (u'John Smith', u'', u'技术部')],
                   email_format='{given_initial}{family}')
    assert sorted(users(result)) == ['jsmith@example.org', 'szhang@example.org']


def test_a_rerun_keeps_the_addresses_of_the_previous_roster(tmp_path):
    rows = [FULL_HEADER, row(name=u'张伟', department=u'技术部'), row(name=u'张伟', department=u'销售部')]
    first = build(tmp_path, rows)
    # The same people in another order: each keeps the address of the one in their department.
    second = build(tmp_path, [rows[0], rows[2], rows[1]], previous=first.roster)
    assert second.problems == [] and second.roster == first.roster
    assert second.generated_emails == {u'张伟 (row 2)': 'zhang.wei2@example.org',
                                       u'张伟 (row 3)': 'zhang.wei@example.org'}


def test_a_new_namesake_does_not_get_a_leavers_address(tmp_path):
    rows = [FULL_HEADER, row(employee_id='E1', name=u'张伟', department=u'技术部'),
            row(employee_id='E2', name=u'张伟', department=u'销售部')]
    first = build(tmp_path, rows)
    # Next month E1 has left and another 张伟 (E3) joins: E2 keeps zhang.wei2, E3 gets a new address.
    second = build(tmp_path, [rows[0], rows[2], row(employee_id='E3', name=u'张伟', department=u'技术部')],
                   previous=first.roster)
    assert second.problems == []
    assert second.generated_emails == {u'张伟 (row 2)': 'zhang.wei2@example.org',
                                       u'张伟 (row 3)': 'zhang.wei3@example.org'}
    assert users(second)['zhang.wei@example.org']['state'] == 'disabled'
    assert second.leavers == ['zhang.wei@example.org']


def test_the_employee_id_tells_people_with_one_name_apart(tmp_path):
    rows = [FULL_HEADER, row(employee_id='E1', name=u'张伟', department=u'技术部'),
            row(employee_id='E2', name=u'张伟', department=u'销售部')]
    first = build(tmp_path, rows)
    # The rows swap places, and E1 changes name: the addresses follow the employee ids.
    swapped = [rows[0], rows[2], row(employee_id='E1', name=u'张薇', department=u'技术部')]
    second = build(tmp_path, swapped, previous=first.roster)
    assert dict((u['employee_id'], u['email']) for u in first.roster['users']) == \
        dict((u['employee_id'], u['email']) for u in second.roster['users'])


# --- Leavers ----------------------------------------------------------------------------------

PREVIOUS = dict(domain='example.org', departments=[dict(name=u'总部', parent=None), dict(name=u'旧部门', parent=u'总部')],
                users=[dict(email='zhang.san@example.org', name=u'张三', department=u'总部', state='present'),
                       dict(email='li.si@example.org', name=u'李四', department=u'旧部门', aliases=['sales@example.org'],
                            state='present'),
                       dict(email='gone@example.org', name=u'Gone', department=u'总部', state='absent'),
                       dict(email='off@example.org', name=u'Off', department=u'总部', state='disabled')])
NOW = [FULL_HEADER, row(name=u'张三', email='zhang.san@example.org', department=u'总部')]


@pytest.mark.parametrize('leavers, states', [
    ('disable', {'li.si@example.org': 'disabled', 'gone@example.org': 'absent', 'off@example.org': 'disabled'}),
    ('absent', {'li.si@example.org': 'absent', 'gone@example.org': 'absent', 'off@example.org': 'absent'}),
    ('keep', {'li.si@example.org': 'present', 'gone@example.org': 'absent', 'off@example.org': 'disabled'}),
])
def test_leavers(tmp_path, leavers, states):
    result = build(tmp_path, NOW, previous=PREVIOUS, leavers=leavers)
    assert result.problems == []
    assert result.leavers == ['gone@example.org', 'li.si@example.org', 'off@example.org']
    assert dict((email, u['state']) for email, u in users(result).items() if email != 'zhang.san@example.org') == states
    # a leaver's department stays in the tree
    assert {'name': u'旧部门', 'parent': u'总部'} in result.roster['departments']


def test_an_alias_moves_from_a_leaver_to_a_successor(tmp_path):
    rows = NOW + [row(name=u'王五', email='wang.wu@example.org', department=u'总部', aliases='sales')]
    result = build(tmp_path, rows, previous=PREVIOUS)
    assert result.problems == []
    assert users(result)['li.si@example.org']['aliases'] == []
    assert users(result)['wang.wu@example.org']['aliases'] == ['sales@example.org']
    assert result.warnings == ['alias sales@example.org moved from li.si@example.org (not in this template) to row 3']


def test_a_leavers_email_cannot_be_an_alias(tmp_path):
    rows = NOW + [row(name=u'王五', email='wang.wu@example.org', department=u'总部', aliases='li.si')]
    assert problems(build(tmp_path, rows, previous=PREVIOUS)) == [
        (3, u'别名', 'li.si@example.org',
         'alias "li.si@example.org" is the email of a user of the previous roster who is not in this template '
         '(state: disabled)')]


# --- Passwords --------------------------------------------------------------------------------

def test_passwords_template_existing_or_new(tmp_path):
    rows = [FULL_HEADER, row(name=u'张三', email='a@example.org', department=u'总部', password='From-Template-1'),
            row(name=u'李四', email='b@example.org', department=u'总部'),
            row(name=u'王五', email='c@example.org', department=u'总部'),
            row(name=u'赵六', email='d@example.org', department=u'总部', state=u'离职')]
    existing = {'b@example.org': Secret('Kept-Password-2'), 'zz@example.org': Secret('Not-Here-Any-More-1')}
    result = build(tmp_path, rows, existing=existing)
    assert sorted(result.passwords) == ['a@example.org', 'b@example.org', 'c@example.org']  # not the absent one
    assert result.passwords['a@example.org'].reveal() == 'From-Template-1'
    assert result.passwords['b@example.org'].reveal() == 'Kept-Password-2'
    assert result.new_passwords == ['a@example.org', 'c@example.org']


def test_a_disabled_leaver_keeps_an_existing_password_but_gets_no_new_one(tmp_path):
    existing = {'li.si@example.org': Secret('Kept-Password-2')}
    result = build(tmp_path, NOW, previous=PREVIOUS, existing=existing)
    assert sorted(result.passwords) == ['li.si@example.org', 'zhang.san@example.org']


def test_existing_passwords_are_read_once_when_the_addresses_are_settled(tmp_path):
    """The roster action reads the vault file only then, when the previous roster has left memory."""
    calls = []

    def read_existing():
        calls.append(True)
        return {'li.si@example.org': Secret('Kept-Password-2')}

    result = build(tmp_path, NOW, previous=PREVIOUS, existing=read_existing)
    assert calls == [True] and result.passwords['li.si@example.org'].reveal() == 'Kept-Password-2'
    bad = [FULL_HEADER, row(name=u'张三', email='zhang.san@example.com', department=u'总部')]
    assert problems(build(tmp_path, bad, previous=PREVIOUS, existing=read_existing)) and calls == [True]


def test_a_previous_roster_edited_by_hand_is_read_as_strings_in_lower_case(tmp_path):
    previous = dict(domain='example.org', departments=[dict(name=u'总部', parent=None)],
                    users=[dict(email='Li.Si@Example.org ', name=u' 李四', department=u'总部', employee_id=1001,
                                aliases='Sales@example.org', mobile='', title=None)])
    result = build(tmp_path, NOW, previous=previous)
    assert users(result)['li.si@example.org'] == dict(
        email='li.si@example.org', name=u'李四', department=u'总部', title=None, employee_id='1001', mobile=None,
        aliases=['sales@example.org'], state='disabled')


# --- The roster -------------------------------------------------------------------------------

def test_departments_tree_from_paths(tmp_path):
    rows = [HEADER, (u'张三', u'', u'总部/销售部/华南'), (u'李四', u'', u'销售部'), (u'王五', u'', u'总部/技术部'),
            (u'赵六', u'', u'独立部门')]
    result = build(tmp_path, rows)
    assert result.roster['departments'] == [
        {'name': u'总部', 'parent': None}, {'name': u'技术部', 'parent': u'总部'}, {'name': u'销售部', 'parent': u'总部'},
        {'name': u'华南', 'parent': u'销售部'}, {'name': u'独立部门', 'parent': None}]
    assert users(result)['zhang.san@example.org']['department'] == u'华南'


def test_department_list_forms():
    assert department_list([u'总部/销售部', {'name': u'技术部', 'parent': u'总部'}, u'总部']) == {
        u'总部': None, u'销售部': u'总部', u'技术部': u'总部'}
    assert department_list([{'name': u'乙', 'parent': 7}]) == {u'7': None, u'乙': u'7'}  # a number is a name too


def test_every_user_has_every_key_in_order_and_is_sorted(tmp_path):
    rows = [FULL_HEADER, row(name=u'张伟', department=u'技术部'), row(name=u'张伟', department=u'技术部'),
            row(name=u'Anna Li', department=u'技术部', mobile='13800000000.0', employee_id='1.001E+03')]
    result = build(tmp_path, rows)
    assert [u['email'] for u in result.roster['users']] == ['anna.li@example.org', 'zhang.wei@example.org',
                                                            'zhang.wei2@example.org']
    assert all(list(u) == list(ROSTER_KEYS) for u in result.roster['users'])
    anna = users(result)['anna.li@example.org']
    assert (anna['mobile'], anna['employee_id'], anna['title'], anna['aliases']) == ('13800000000', '1001', None, [])


def test_the_roster_is_valid_input_for_the_users_module(tmp_path):
    table = read_template(os.path.join(EXAMPLES, 'staff.csv'))
    result = build_roster(table, Settings('example.org'))
    assert result.problems == []
    # as the users module gets them: users: "{{ mailbox_roster.users }}", passwords: "{{ mailbox_initial_passwords }}"
    passwords = dict((email, secret.reveal()) for email, secret in result.passwords.items())
    desired, problems_found = validate_users(result.roster['users'], domain=result.roster['domain'], passwords=passwords)
    assert problems_found == [] and len(desired) == len(result.roster['users']) == 34
    assert all(d.password for d in desired if d.state != 'absent')


def test_output_is_deterministic_and_independent_of_row_order(tmp_path):
    table = read_template(os.path.join(EXAMPLES, 'staff.csv'))
    texts = []
    for dummy in range(2):
        result = build_roster(table, Settings('example.org'))
        texts.append(render_roster(result.roster, 'staff.csv', table.sha256, result.row_count))
    assert texts[0] == texts[1]
    with open(os.path.join(EXAMPLES, 'roster.yml'), encoding='utf-8') as handle:
        assert handle.read() == texts[0]  # the committed example is what the code generates
    # Rows in another order (keeping the two 张伟 in theirs) give the same roster.
    shuffled = [table.rows[0]] + list(reversed(table.rows[1:]))
    first_zhang_wei = [i for i, (_n, cells) in enumerate(shuffled) if cells[1] == u'张伟']
    one, other = first_zhang_wei
    shuffled[one], shuffled[other] = shuffled[other], shuffled[one]
    table.rows = shuffled
    result = build_roster(table, Settings('example.org'))
    assert render_roster(result.roster, 'staff.csv', table.sha256, result.row_count) == texts[0]


def test_all_three_example_templates_give_the_same_roster(tmp_path):
    # staff.csv in GBK with CRLF line ends, as Excel saves it on a Chinese Windows (what
    # examples/make_examples.py --gbk writes; the collection's files are all UTF-8).
    with open(os.path.join(EXAMPLES, 'staff.csv'), encoding='utf-8') as handle:
        gbk = tmp_path / 'staff-gbk.csv'
        gbk.write_bytes(handle.read().replace('\n', '\r\n').encode('gbk'))
    rosters = []
    for path in (os.path.join(EXAMPLES, 'staff.csv'), str(gbk), os.path.join(EXAMPLES, 'staff.xlsx')):
        table = read_template(path)
        result = build_roster(table, Settings('example.org'))
        assert result.problems == [] and result.row_count == 34, path
        rosters.append(result.roster)
    assert rosters[0] == rosters[1] == rosters[2]
