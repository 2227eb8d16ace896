# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import address_problems
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser, DesiredUser


def current(email, aliases=()):
    return CurrentUser(email, dict(aliases=list(aliases)))


def test_alias_held_by_another_user_is_a_problem():
    problems = address_problems([DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=0)],
                                [current('a@x.org', ['s@x.org']), current('b@x.org')])
    assert [(p.row, p.column, p.value) for p in problems] == [(0, 'aliases', 's@x.org')]
    assert 'already belongs to a@x.org' in problems[0].message


def test_email_that_is_an_alias_of_another_user_is_a_problem():
    problems = address_problems([DesiredUser('s@x.org', dict(name='S'), index=3)], [current('a@x.org', ['s@x.org'])])
    assert [(p.row, p.column) for p in problems] == [(3, 'email')]


def test_alias_moved_in_the_same_run_is_free():
    desired = [DesiredUser('a@x.org', dict(aliases=[]), index=0), DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=1)]
    assert address_problems(desired, [current('a@x.org', ['s@x.org']), current('b@x.org')]) == []


def test_alias_of_a_deleted_user_is_free():
    desired = [DesiredUser('a@x.org', dict(state='absent'), index=0), DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=1)]
    assert address_problems(desired, [current('a@x.org', ['s@x.org']), current('b@x.org')]) == []
