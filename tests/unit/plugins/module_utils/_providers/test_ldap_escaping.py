# -*- coding: utf-8 -*-
"""Property tests (hypothesis): a DN built from any value names exactly that value, directly below
its parent; a filter built from any values matches exactly those values, never a pattern."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re

import ldap.dn
import ldap.filter
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import LdapProvider
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import (
    child_dn, equality_filter, is_below, parent_dn, rdn_value, same_dn,
)

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", 300))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None)
USERS_DN = 'ou=people,dc=example,dc=org'
# Any Unicode, with the characters that mean something in a DN or a filter drawn often.
SPECIALS = u',+"\\<>;=#*()\x00 \u00e9\u5f20'
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=('Cs',)))  # no lone surrogates: not UTF-8
VALUE = st.one_of(ANY_TEXT.filter(bool),
                  st.builds(u'{0}{1}{2}'.format, ANY_TEXT, st.text(alphabet=SPECIALS, min_size=1), ANY_TEXT))


def counted(test):
    seen = collections.Counter()
    test(seen)
    return seen


def provider():
    return LdapProvider(dict(users_dn=USERS_DN, departments_dn='ou=departments,dc=example,dc=org',
                             password_scheme='sha512_crypt', password_rounds=5000, server_uri='ldap://127.0.0.1',
                             timeout=5))


def test_a_dn_built_from_any_value_parses_back_to_that_value_below_users_dn(record_property):
    @SETTINGS
    @given(value=VALUE)
    @example(value=u'\n#')  # written bare by libldap, and then no DN it can read (found by hypothesis)
    def check(seen, value):
        dn = child_dn('uid', value, USERS_DN)
        parsed = [[(attr, val) for attr, val, _flags in rdn] for rdn in ldap.dn.str2dn(dn)]
        assert parsed == [[('uid', value)], [('ou', 'people')], [('dc', 'example')], [('dc', 'org')]]
        assert rdn_value(dn) == value and same_dn(parent_dn(dn), USERS_DN)
        assert is_below(dn, USERS_DN) and not is_below(USERS_DN, dn)
        seen['examples'] += 1
        seen['with a DN special'] += any(c in value for c in u',+"\\<>;=#')

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('DN escaping: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['with a DN special'] >= 60


def test_the_dn_of_any_valid_address_is_a_child_of_users_dn(record_property):
    local = st.from_regex(r"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")

    @SETTINGS
    @given(local=local)
    def check(seen, local):
        dn = provider().user_dn(local + '@example.org')
        assert ldap.dn.str2dn(dn)[1:] == ldap.dn.str2dn(USERS_DN) and rdn_value(dn) == local
        seen['examples'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('user_dn of valid addresses: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES


def unescape_filter_value(escaped):
    """The value an LDAP server reads from an assertion value (RFC 4515): \\XX is one byte."""
    assert not re.search(r'[*()\x00]', escaped), escaped
    assert not re.search(r'\\(?![0-9a-fA-F]{2})', escaped), escaped  # every backslash starts an escape
    raw = bytearray()
    index = 0
    while index < len(escaped):
        if escaped[index] == '\\':
            raw.append(int(escaped[index + 1:index + 3], 16))
            index += 3
        else:
            raw.extend(escaped[index].encode('utf-8'))
            index += 1
    return raw.decode('utf-8')


def test_a_filter_built_from_any_values_asserts_exactly_those_values(record_property):
    @SETTINGS
    @given(values=st.lists(VALUE, min_size=1, max_size=4))
    def check(seen, values):
        built = equality_filter('mail', values)
        if len(values) == 1:
            assert built.startswith('(mail=') and built.endswith(')')
            parts = [built[1:-1]]
        else:
            assert built.startswith('(|(') and built.endswith('))')
            parts = built[3:-2].split(')(')  # safe: no value leaves a bare parenthesis behind
        assert len(parts) == len(values)
        for part, value in zip(parts, values):
            attribute, escaped = part.split('=', 1)
            assert attribute == 'mail' and unescape_filter_value(escaped) == value
        seen['examples'] += 1
        seen['with a filter special'] += any(c in ''.join(values) for c in u'*()\\\x00')

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('filter escaping: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['with a filter special'] >= 60
