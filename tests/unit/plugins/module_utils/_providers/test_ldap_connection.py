# -*- coding: utf-8 -*-
"""LdapConnection's pipeline and deadline against a fake libldap connection (no server), and its DN reading."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import ldap
import ldap.dn
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_connection
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import (
    WINDOW, LdapConnection,
)

URI = 'ldap://127.0.0.1:1389'


class FakeConn:
    """Answers writes in order; ``refuse`` maps a DN to the exception its write gets; the connection
    is lost when the result of write number ``lose_at`` is awaited."""

    def __init__(self, refuse=None, lose_at=None):
        self.refuse = refuse or {}
        self.lose_at = lose_at
        self.sent = []

    def add_ext(self, dn, attrs):
        self.sent.append(dn)
        return len(self.sent)

    def result3(self, msgid, all=1, timeout=None):
        if self.lose_at is not None and msgid >= self.lose_at:
            raise ldap.SERVER_DOWN({'desc': "Can't contact LDAP server"})
        dn = self.sent[msgid - 1]
        if dn in self.refuse:
            raise self.refuse[dn]
        return 105, [], msgid, []


def connection(fake, timeout=5):
    conn = LdapConnection(dict(server_uri=URI, timeout=timeout))
    conn.conn = fake
    return conn


def requests(count):
    return [('t%d' % i, 'add', 'uid=u%d' % i, {'uid': ['u%d' % i]}) for i in range(count)]


def test_a_settled_refusal_does_not_stop_the_run():
    exists = ldap.ALREADY_EXISTS({'desc': 'Already exists'})
    fake = FakeConn(refuse={'uid=u3': exists})
    settled = []

    def settle(token, exc):
        settled.append((token, exc))
        return None  # e.g. the add found its entry and a modify made it right

    results = list(connection(fake).pipeline(requests(200), stop_on_error=True, settle=settle))
    assert results == [('t%d' % i, None) for i in range(200)] and settled == [('t3', exists)]
    assert len(fake.sent) == 200


def test_a_refusal_that_remains_stops_sending_and_in_flight_writes_are_still_reported():
    fake = FakeConn(refuse={'uid=u3': ldap.OBJECT_CLASS_VIOLATION({'desc': 'Object class violation'})})
    results = list(connection(fake).pipeline(requests(500), stop_on_error=True,
                                             settle=lambda token, exc: exc.args[0]['desc']))
    # Sent: the first window, plus one more for each answer read before the refusal's (t0..t2).
    assert len(fake.sent) == WINDOW + 3 and len(results) == WINDOW + 3
    assert results[3] == ('t3', 'Object class violation')
    assert all(error is None for token, error in results if token != 't3')


def test_without_stop_every_write_is_sent():
    fake = FakeConn(refuse={'uid=u3': ldap.OBJECT_CLASS_VIOLATION({'desc': 'Object class violation'})})
    results = list(connection(fake).pipeline(requests(500), stop_on_error=False))
    assert len(fake.sent) == 500 and [t for t, e in results if e is not None] == ['t3']


def test_a_lost_connection_says_how_many_writes_were_not_confirmed():
    fake = FakeConn(lose_at=101)
    pipeline = connection(fake).pipeline(requests(500))
    done = []
    with pytest.raises(ProviderError) as info:
        for token, error in pipeline:
            done.append(token)
    assert len(done) == 100
    assert str(info.value) == ("lost the connection to %s: Can't contact LDAP server (%d writes sent before that were "
                               "not confirmed: each was applied in full or not at all)" % (URI, WINDOW))


def test_opening_ends_at_the_timeout_even_when_libldap_does_not(monkeypatch):
    release = threading.Event()

    def stuck(self):  # as libldap (GnuTLS) spins in the TLS handshake with a peer that never answers
        release.wait(30)

    monkeypatch.setattr(LdapConnection, '_open', stuck)
    started = time.monotonic()
    with pytest.raises(ProviderError) as info:
        LdapConnection(dict(server_uri='ldaps://127.0.0.1:1636', timeout=1)).open()
    release.set()
    assert time.monotonic() - started < 2
    assert str(info.value) == ('ldaps://127.0.0.1:1636 did not complete the connection (TCP, TLS handshake and bind) '
                               'within timeout=1s')


def test_opening_passes_on_the_error_and_the_connection_of_the_worker(monkeypatch):
    monkeypatch.setattr(LdapConnection, '_open', lambda self: 'bound')
    assert LdapConnection(dict(server_uri=URI, timeout=1)).open().conn == 'bound'

    def refused(self):
        raise ProviderError('cannot bind')

    monkeypatch.setattr(LdapConnection, '_open', refused)
    with pytest.raises(ProviderError, match='cannot bind'):
        LdapConnection(dict(server_uri=URI, timeout=1)).open()


# DN text of the kinds a directory returns: plain ones, and ones with escapes, spaces, multi-valued RDNs.
DN_PARTS = st.lists(st.tuples(st.sampled_from(['uid', 'cn', 'OU', 'dc', 'mail', '2.5.4.3']),
                              st.text(alphabet='aZ09._@-=,+\\ #;"', min_size=1, max_size=6)), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(DN_PARTS, st.booleans())
def test_a_dn_read_without_libldap_gives_what_libldap_gives(parts, escaped):
    """dn_key and the subtree tests read plain DNs without str2dn: the same keys and RDNs either way."""
    if escaped:
        dn = ldap.dn.dn2str([[(attribute, value, ldap.AVA_STRING)] for attribute, value in parts])
    else:
        dn = ','.join('%s=%s' % part for part in parts)
    try:
        rdns = ldap.dn.str2dn(dn)
    except (ldap.DECODING_ERROR, UnicodeDecodeError):  # not a DN libldap reads: nothing to compare
        return
    ldap_connection._DN_KEYS.clear()
    assert ldap_connection.dn_key(dn) == ldap.dn.dn2str([[(a.lower(), v.lower(), t) for a, v, t in rdn] for rdn in rdns])
    assert ldap_connection._canonical(dn) == [ldap_connection._canonical_rdn(rdn) for rdn in rdns]


def _parsed_below(dn, ancestor_dn):
    """The subtree test through libldap's parser alone: the reference for the plain-DN shortcut."""
    def canonical(text):
        return [tuple(sorted((a.lower(), v.lower()) for a, v, _t in rdn)) for rdn in ldap.dn.str2dn(text)]
    parts, ancestor = canonical(dn), canonical(ancestor_dn)
    return len(parts) > len(ancestor) and parts[len(parts) - len(ancestor):] == ancestor


@settings(max_examples=300, deadline=None)
@given(DN_PARTS, DN_PARTS, st.booleans(), st.booleans())
def test_the_subtree_test_of_plain_dns_gives_what_libldap_gives(child, ancestor, shared, upper):
    """``below`` compares plain DNs as text; hostile ones (escapes, spaces, +, #, OIDs) still parse."""
    ancestor_dn = ','.join('%s=%s' % part for part in ancestor)
    dn = ','.join('%s=%s' % part for part in child) + (',' + ancestor_dn if shared else '')
    dn = dn.upper() if upper else dn
    try:
        expected = _parsed_below(dn, ancestor_dn)
    except (ldap.DECODING_ERROR, UnicodeDecodeError):  # not DNs libldap reads: nothing to compare
        return
    assert ldap_connection.below(ancestor_dn)(dn) is expected
    assert ldap_connection.is_below(dn, ancestor_dn) is expected
