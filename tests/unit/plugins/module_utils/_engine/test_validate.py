# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ProblemsFound, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import (
    email_problem, normalise_domain, validate_users,
)


def problems_of(items, **kwargs):
    _users, problems = validate_users(items, **kwargs)
    return [(p.row, p.column, p.email) for p in problems], problems


@pytest.mark.parametrize('value', ['a@example.org', 'o\'brien+x@example.org', 'first.last@sub.example.co.uk',
                                   'a=b#c@example.org'])
def test_good_emails(value):
    assert email_problem(value) is None


@pytest.mark.parametrize('value', ['', None, 'zhang@@example.org', 'plain', 'a@b', '.a@example.org',
                                   'a..b@example.org', 'a b@example.org', u'张三@example.org', 'a@-x.org', 5,
                                   # "$" would let a regular expression match before a last line break
                                   'a@example.org\n', 'a\n@example.org'])
def test_bad_emails(value):
    assert email_problem(value)


def test_a_last_line_break_is_refused_in_addresses_domains_and_mobiles():
    with pytest.raises(ValueError):
        normalise_domain('exa mple.org')
    assert normalise_domain(' Example.ORG\n') == 'example.org'  # the option is stripped, as before
    _users, problems = validate_users([{'email': 'a@example.org', 'name': 'A', 'mobile': '+86 138\n'}])
    assert [(p.column, p.message) for p in problems] == [('mobile', 'contains a control character')]
    users, problems = validate_users([{'email': 'b@example.org\n', 'name': 'B'}])
    assert [(p.column, p.message) for p in problems] == [('email', '"b@example.org\n" is not an email address')]


def test_normalises_and_keeps_only_given_keys():
    users, problems = validate_users([{'email': 'Zhang.San@Example.ORG', 'name': u' 张三 ', 'employee_id': 1001,
                                       'mobile': 13800000000.0, 'aliases': 'ZS@example.org, san@example.org'}])
    assert problems == []
    user = users[0]
    assert user.email == 'zhang.san@example.org'
    # names are kept exactly (leading and trailing spaces too); numbers become their digits
    assert user.fields == {'name': u' 张三 ', 'employee_id': '1001', 'mobile': '13800000000', 'state': 'present',
                           'aliases': ['san@example.org', 'zs@example.org']}
    assert user.password is None


def test_empty_values_clear_a_field():
    users, problems = validate_users([{'email': 'a@example.org', 'name': 'A', 'title': '', 'department': None,
                                       'aliases': []}])
    assert problems == []
    assert users[0].fields['title'] is None and users[0].fields['department'] is None
    assert users[0].fields['aliases'] == []


def test_password_becomes_a_secret_never_shown():
    users, dummy = validate_users([{'email': 'a@example.org', 'name': 'A'}], passwords={'A@example.org': 'S3cret!'})
    assert isinstance(users[0].password, Secret)
    assert 'S3cret' not in repr(users[0].password) and 'S3cret' not in str(users[0].password)
    assert users[0].password.reveal() == 'S3cret!'


def test_every_problem_is_reported_with_index_email_and_field():
    items = [
        {'email': 'ok@example.org', 'name': 'Ok', 'aliases': ['alias@example.org']},
        {'email': 'noname@example.org'},
        {'email': 'zhang@@example.org', 'name': 'Z'},
        {'email': 'x@other.org', 'name': 'X'},
        {'email': 'OK@example.org', 'name': 'Dup'},
        {'email': 'y@example.org', 'name': 'Y', 'aliases': ['alias@example.org']},
        {'email': 'z@example.org', 'name': 'Z', 'state': 'gone'},
        {'email': 'w@example.org', 'name': 'W', 'colour': 'blue'},
        {'email': 'v@example.org', 'name': 'V', 'aliases': ['ok@example.org']},
        {'email': 'u@example.org', 'name': 'U', 'mobile': u'一二三'},
        {'email': 't@example.org', 'name': 'T\x00'},
        'not a dict',
        {'email': 'me@example.org', 'name': 'Me', 'aliases': ['me@example.org']},
        {'email': 'p@example.org', 'name': 'P'},
        {'email': 'q@example.org', 'name': 'Q', 'password': 'never here'},
    ]
    found, problems = problems_of(items, domain='example.org', passwords={'p@example.org': ''})
    assert found == [
        (1, 'name', 'noname@example.org'),
        (2, 'email', 'zhang@@example.org'),
        (3, 'email', 'x@other.org'),
        (4, 'email', 'OK@example.org'),
        (5, 'aliases', 'y@example.org'),
        (6, 'state', 'z@example.org'),
        (7, 'colour', 'w@example.org'),
        (8, 'aliases', 'v@example.org'),
        (9, 'mobile', 'u@example.org'),
        (10, 'name', 't@example.org'),
        (11, None, None),
        (12, 'aliases', 'me@example.org'),
        (13, 'passwords', 'p@example.org'),
        (14, 'password', 'q@example.org'),
    ]
    message = str(ProblemsFound(problems))
    assert message.startswith('14 problems in the input, nothing was changed')
    assert 'never here' not in message and 'never in the users list, where Ansible would log them' in message
    assert 'users[2] (zhang@@example.org): email: "zhang@@example.org" is not an email address' in message
    assert 'users[4] (OK@example.org): email: duplicate email "ok@example.org": already used by users[0]' in message
    assert 'not in the domain example.org' in message


def test_protected_users_cannot_be_disabled_or_removed_by_their_state():
    found, dummy = problems_of([{'email': 'boss@example.org', 'name': 'B', 'state': 'disabled'},
                                {'email': 'root@example.org', 'state': 'absent'}],
                               protected=['Boss@example.org', 'root@example.org'])
    assert found == [(0, 'state', 'boss@example.org'), (1, 'state', 'root@example.org')]


def test_absent_users_need_no_name():
    users, problems = validate_users([{'email': 'gone@example.org', 'state': 'absent'}])
    assert problems == [] and users[0].state == 'absent'


def test_not_a_list():
    users, problems = validate_users({'email': 'a@example.org'})
    assert users == [] and problems[0].column == 'users'


def test_domain_option_is_checked():
    assert normalise_domain(' Example.ORG ') == 'example.org'
    with pytest.raises(ValueError):
        normalise_domain('not a domain')


def test_any_iterable_of_users_validates_like_a_list():
    items = [{'email': 'a@example.org', 'name': 'A'}, {'email': 'bad', 'name': 'B'}]
    from_list = validate_users(list(items))
    from_iterable = validate_users(iter(items))
    assert [u.email for u in from_iterable[0]] == [u.email for u in from_list[0]] == ['a@example.org']
    assert [p.describe() for p in from_iterable[1]] == [p.describe() for p in from_list[1]]


@pytest.mark.parametrize('char', [u'\u202a', u'\u202b', u'\u202c', u'\u202d', u'\u202e',
                                  u'\u2066', u'\u2067', u'\u2068', u'\u2069'])
def test_bidirectional_controls_are_refused_by_their_code_point(char):
    _users, problems = validate_users([{'email': 'a@example.org', 'name': u'Ann' + char + u'gpj.exe',
                                        'title': u'x' + char}])
    message = 'contains the bidirectional control character U+%04X' % ord(char)
    assert [(p.column, p.message) for p in problems] == [('name', message), ('title', message)]


def test_template_cells_go_through_the_same_character_check():
    from ansible_collections.mailops.mailbox.plugins.module_utils._template import normalise
    message = 'contains the bidirectional control character U+202E'
    assert normalise.text(u'Ann\u202egpj.exe') == (None, message)
    assert normalise.department_path(u'HQ/Sales\u202e') == (None, u'"Sales\u202e": ' + message)
    assert normalise.password(u'Pass\u202eword1') == (None, message)
    assert normalise.text(u'a\x9bb') == (None, 'contains a control character')


@pytest.mark.parametrize('password, message', [
    (u'a\x00b', 'contains a NUL character, which no password hash can hold'),
    (u'x' * 513, 'is longer than 512 bytes'),
    (u'\u5bc6' * 171, 'is longer than 512 bytes'),  # 513 bytes of UTF-8
    (u'a\ud800b', 'is not valid Unicode text (it holds a lone surrogate)'),
    (u'', 'must be a non-empty string'),
    (5, 'must be a non-empty string'),
])
def test_passwords_no_hash_can_hold_are_problems_that_never_show_them(password, message):
    _users, problems = validate_users([{'email': 'a@example.org', 'name': 'A'}], passwords={'a@example.org': password})
    assert [(p.column, p.message, p.value) for p in problems] == [
        ('passwords', 'the password of a@example.org ' + message, None)]
    users, problems = validate_users([{'email': 'a@example.org', 'name': 'A'}],
                                     passwords={'a@example.org': u'\u5bc6' * 170 + u'\t!'})
    assert problems == [] and users[0].password.reveal().endswith(u'\t!')


def test_passwords_keyed_in_lower_case_are_not_copied():
    # The users module keeps its passwords option while it validates: a copy of 100,000 of them
    # took 11 MB more while it lasted. Mixed-case keys are still found (the test above).
    import tracemalloc
    passwords = dict(('user%05d@example.org' % n, 'Pw-%05d-x' % n) for n in range(20000))
    tracemalloc.start()
    try:
        users, problems = validate_users([{'email': 'User00007@Example.org', 'name': 'U'}], passwords=passwords)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == [] and users[0].password.reveal() == 'Pw-00007-x'
    assert peak < 100000  # a copy of these 20,000 is about 2.3 MB
