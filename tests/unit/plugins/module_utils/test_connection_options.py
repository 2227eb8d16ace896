# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import (
    ldap_options, plaintext_to_network,
)


@pytest.mark.parametrize('uri, start_tls, expected', [
    ('ldap://ldap.example.org', False, True),
    ('ldap://10.0.0.5:389', False, True),
    ('ldap://ldap.example.org', True, False),
    ('ldaps://ldap.example.org', False, False),
    ('ldap://127.0.0.1:3389', False, False),
    ('ldap://127.8.9.1', False, False),
    ('ldap://[::1]:389', False, False),
    ('ldap://localhost', False, False),
    ('ldapi:///', False, False),
    ('LDAP://LDAP.EXAMPLE.ORG', False, True),
])
def test_plaintext_to_network(uri, start_tls, expected):
    assert plaintext_to_network(uri, start_tls) is expected


def params(**overrides):
    base = dict(server_uri='ldaps://ldap.example.org', bind_dn='cn=p,dc=x', bind_pw='pw', base_dn='dc=x', users_dn=None,
                departments_dn=None, start_tls=False, validate_certs=True, allow_plaintext=False, ca_path=None,
                timeout=30, profile='inetorgperson', password_scheme='sha512_crypt', password_rounds=5000)
    base.update(overrides)
    return base


def test_defaults_and_secret():
    options = ldap_options(params())
    assert options['users_dn'] == 'ou=people,dc=x' and options['departments_dn'] == 'ou=departments,dc=x'
    assert 'pw' not in repr(options['bind_pw']) and options['bind_pw'].reveal() == 'pw'


def test_plaintext_refused_unless_allowed():
    with pytest.raises(ValueError) as info:
        ldap_options(params(server_uri='ldap://ldap.example.org'))
    assert 'in clear' in str(info.value) and 'pw' not in str(info.value).replace('password', '')
    assert ldap_options(params(server_uri='ldap://ldap.example.org', allow_plaintext=True))


@pytest.mark.parametrize('uris', ['ldaps://127.0.0.1:1 ldap://192.0.2.2:389', 'ldap://127.0.0.1,ldap://192.0.2.2',
                                  'ldaps://a.example.org  ldap://127.0.0.1\tldap://192.0.2.2'])
def test_every_uri_of_a_list_is_checked(uris):
    with pytest.raises(ValueError) as info:
        ldap_options(params(server_uri=uris))
    assert str(info.value).startswith('ldap.server_uri "ldap://192.0.2.2') and 'in clear' in str(info.value)
    assert ldap_options(params(server_uri=uris, allow_plaintext=True))
    assert ldap_options(params(server_uri=uris, start_tls=True))


@pytest.mark.parametrize('bad', [dict(timeout=0), dict(password_rounds=10)])
def test_bad_values(bad):
    with pytest.raises(ValueError):
        ldap_options(params(**bad))


def test_connection_secrets_are_every_no_log_connection_value():
    from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import connection_secrets
    assert connection_secrets(dict(backend='ldap', ldap=params(bind_pw='Bind-Secret'))) == {'Bind-Secret'}
    assert connection_secrets(dict(backend='ldap', ldap=params(bind_pw=None))) == set()
    assert connection_secrets(dict(backend='ldap', ldap=None)) == set()
