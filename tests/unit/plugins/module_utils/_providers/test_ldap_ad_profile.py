# -*- coding: utf-8 -*-
"""The ``ad`` profile's pure mapping: sAMAccountName allocation, userAccountControl, unicodePwd."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_ad_profile as profile


def test_sam_names_fit_20_characters_and_collisions_get_the_next_number():
    taken = set(['administrator'])
    assert profile.allocate_sam('administrator', taken) == 'administrator2'
    first = profile.allocate_sam('alexandra.konstantinopoulou', taken)
    second = profile.allocate_sam('alexandra.konstantinopoulos', taken)
    third = profile.allocate_sam('alexandra.konstantinXYZ', taken)
    assert (first, second, third) == ('alexandra.konstantin', 'alexandra.konstanti2', 'alexandra.konstanti3')
    assert all(len(n) <= profile.SAM_MAX for n in (first, second, third))


def test_sam_names_drop_what_ad_refuses():
    assert profile.sam_base('a+b=c@d') == 'a_b_c_d'
    assert profile.sam_base('abcdefghijklmnopqrs.tuv') == 'abcdefghijklmnopqrs'  # no trailing dot
    assert profile.allocate_sam('x' * 19 + '.', set()) == 'x' * 19


def test_account_control_keeps_other_bits():
    assert profile.account_control(None, False) == 512 and profile.account_control(None, True) == 514
    dont_expire = 0x10000
    assert profile.account_control(512 | dont_expire, True) == 514 | dont_expire
    assert profile.account_control(514 | dont_expire, False) == 512 | dont_expire


def test_unicode_pwd_is_the_quoted_password_in_utf16le():
    assert profile.encode_password(u'Pässw0rd') == u'"Pässw0rd"'.encode('utf-16-le')


def test_entry_reads_primary_aliases_and_state():
    user = profile.entry_to_user('CN=zs,OU=people,DC=x', {
        'mail': ['Zhang.San@Example.org'], 'displayName': [u'张三'], 'userAccountControl': ['514'],
        'proxyAddresses': ['SMTP:zhang.san@example.org', 'smtp:Sales@example.org', 'X400:c=cn;'],
        'department': ['Finance'], 'sAMAccountName': ['zs']})
    assert user.email == 'zhang.san@example.org' and user.fields['aliases'] == ['sales@example.org']
    assert user.fields['state'] == 'disabled' and user.fields['department'] == 'Finance'
    assert user.ref == dict(dn='CN=zs,OU=people,DC=x', sam='zs', control=514)
    assert profile.entry_to_user('CN=x', {'sAMAccountName': ['x']}) is None
