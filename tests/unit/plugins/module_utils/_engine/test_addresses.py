# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import (
    directory_clashes, owners_by_address, roster_addresses,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser, DesiredUser
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users


def entry_of(email, current):
    return current.ref if current is not None else 'uid=%s' % email.split('@')[0]


def current_user(email, aliases=(), ref=None):
    return CurrentUser(email, dict(name='X', aliases=list(aliases), state='present'), ref=ref or 'uid=' + email.split('@')[0])


def clashes(items, current, held_by):
    desired, problems = validate_users(items)
    assert problems == []
    return [(p.row, p.column, p.email, p.message) for p in directory_clashes(desired, current, held_by, entry_of)]


CEO = current_user('ceo@example.org', ['postmaster@example.org'])
HELD = {'ceo@example.org': ['uid=ceo'], 'postmaster@example.org': ['uid=ceo'],
        'sales@example.org': ['cn=sales,ou=groups']}


def test_an_address_another_entry_holds_is_a_problem_naming_both_entries():
    found = clashes([{'email': 'postmaster@example.org', 'name': 'P'},
                     {'email': 'li@example.org', 'name': 'Li', 'aliases': ['ceo@example.org', 'sales@example.org']}],
                    [CEO], HELD)
    assert found == [
        (0, 'email', 'postmaster@example.org',
         'email "postmaster@example.org" already belongs to uid=ceo: an address belongs to one entry'),
        (1, 'aliases', 'li@example.org',
         'alias "ceo@example.org" already belongs to uid=ceo: an address belongs to one entry'),
        (1, 'aliases', 'li@example.org',
         'alias "sales@example.org" already belongs to cn=sales,ou=groups: an address belongs to one entry')]


def test_an_entry_keeps_its_own_addresses_and_unmanaged_aliases():
    assert clashes([{'email': 'ceo@example.org', 'name': 'C'}], [CEO], HELD) == []
    assert clashes([{'email': 'ceo@example.org', 'name': 'C', 'aliases': ['postmaster@example.org']}], [CEO], HELD) == []


def test_an_address_moves_between_roster_users_but_not_away_from_a_kept_one():
    moved = [{'email': 'ceo@example.org', 'name': 'C', 'aliases': []},
             {'email': 'li@example.org', 'name': 'Li', 'aliases': ['postmaster@example.org']}]
    assert clashes(moved, [CEO], HELD) == []
    deleted = [{'email': 'ceo@example.org', 'state': 'absent'}, {'email': 'postmaster@example.org', 'name': 'P'}]
    assert clashes(deleted, [CEO], HELD) == []
    kept = [{'email': 'ceo@example.org', 'name': 'C'}, {'email': 'li@example.org', 'name': 'Li',
                                                        'aliases': ['postmaster@example.org']}]
    assert [c[:2] for c in clashes(kept, [CEO], HELD)] == [(1, 'aliases')]


def test_two_entries_holding_the_users_own_address_are_a_problem():
    held = {'ceo@example.org': ['uid=ceo', 'uid=ceo2,ou=nested']}
    assert [c[3] for c in clashes([{'email': 'ceo@example.org', 'name': 'C'}], [CEO], held)] == [
        'email "ceo@example.org" already belongs to uid=ceo2,ou=nested: an address belongs to one entry']


def test_roster_addresses():
    desired, _problems = validate_users([{'email': 'a@example.org', 'name': 'A', 'aliases': ['b@example.org']},
                                         {'email': 'c@example.org', 'name': 'C'}])
    assert roster_addresses(desired) == {'a@example.org', 'b@example.org', 'c@example.org'}


# Backends whose entry key is the email (hosted mail): the owners are every user's addresses.

def hosted_clashes(desired, users):
    return directory_clashes(desired, users, owners_by_address(users), lambda email, current: email)


def hosted(email, aliases=()):
    return CurrentUser(email, dict(aliases=list(aliases)))


def test_hosted_alias_held_by_another_user_is_a_problem():
    problems = hosted_clashes([DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=0)],
                              [hosted('a@x.org', ['s@x.org']), hosted('b@x.org')])
    assert [(p.row, p.column, p.value) for p in problems] == [(0, 'aliases', 's@x.org')]
    assert 'already belongs to a@x.org' in problems[0].message


def test_hosted_email_that_is_an_alias_of_another_user_is_a_problem():
    problems = hosted_clashes([DesiredUser('s@x.org', dict(name='S'), index=3)], [hosted('a@x.org', ['s@x.org'])])
    assert [(p.row, p.column) for p in problems] == [(3, 'email')]


def test_hosted_alias_moved_in_the_same_run_or_of_a_deleted_user_is_free():
    moved = [DesiredUser('a@x.org', dict(aliases=[]), index=0), DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=1)]
    assert hosted_clashes(moved, [hosted('a@x.org', ['s@x.org']), hosted('b@x.org')]) == []
    deleted = [DesiredUser('a@x.org', dict(state='absent'), index=0),
               DesiredUser('b@x.org', dict(aliases=['s@x.org']), index=1)]
    assert hosted_clashes(deleted, [hosted('a@x.org', ['s@x.org']), hosted('b@x.org')]) == []
