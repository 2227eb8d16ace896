# -*- coding: utf-8 -*-
"""The LDAP provider's own check of a users list against the directory (no server needed)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import tracemalloc

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import LdapProvider

USERS_DN = 'ou=people,dc=example,dc=org'


def provider():
    return LdapProvider(dict(users_dn=USERS_DN, departments_dn='ou=departments,dc=example,dc=org',
                             password_scheme='sha512_crypt', password_rounds=5000, server_uri='ldap://127.0.0.1',
                             timeout=5))


def desired(*emails):
    users, problems = validate_users([dict(email=email, name='N') for email in emails])
    assert problems == []
    return users


def current(email, uid):
    return CurrentUser(email, dict(name='N'), ref=dict(dn='uid=%s,%s' % (uid, USERS_DN)))


def test_one_entry_per_local_part_and_an_entry_keeps_its_owner():
    problems = provider().check(desired('a.b@example.org', 'A.B@other.example', 'c@example.org', 'd@example.org'),
                                [current('c@example.org', 'c'), current('someone@example.org', 'd')])
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, 'email', 'maps to the same directory entry (uid=a.b) as users[0]'),
        (3, 'email', 'the directory entry uid=d already belongs to someone@example.org')]


def test_the_check_keeps_nothing_per_user():
    # The DN of every user was kept for the rest of the run: 20 MB at 100,000 users.
    ldap_provider = provider()
    users = desired(*['user%05d@example.org' % n for n in range(5000)])
    tracemalloc.start()
    try:
        problems = ldap_provider.check(users, [])
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert problems == []
    assert held < 20000  # the DNs of these 5,000 are about 600 KB
