# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

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


def test_registry_backend_has_its_doc_fragment_with_the_same_options():
    """One registry entry per backend, documented by the fragment of its name: option names, types, defaults."""
    import importlib

    import yaml

    from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import (
        BACKEND_REQUIRED_IF, REGISTRY, backend_argument_spec,
    )
    assert set(REGISTRY) >= set(['exmail', 'graph', 'ldap'])
    spec = backend_argument_spec()
    assert spec['backend']['choices'] == list(REGISTRY)
    assert sorted(b for _k, b, _r in BACKEND_REQUIRED_IF) == sorted(REGISTRY)
    for name, backend in REGISTRY.items():
        fragment = importlib.import_module('ansible_collections.mailops.mailbox.plugins.doc_fragments.' + name)
        documented = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)['options'][name]['suboptions']
        assert sorted(documented) == sorted(backend.options), name
        for key, option in backend.options.items():
            assert documented[key]['type'] == option['type'], (name, key)
            assert documented[key].get('default') == option.get('default'), (name, key)
        secrets = [key for key, option in backend.options.items() if option.get('no_log')]
        assert [env for key in secrets for env in backend.options[key]['fallback'][1]] == list(backend.secret_env)


@pytest.mark.parametrize('backend, params, message', [
    ('exmail', dict(corp_id='c', corp_secret=None), 'exmail.corp_secret is required'),
    ('exmail', dict(corp_id='c', corp_secret='s', api_url='http://api.example.org'), 'in clear'),
    ('exmail', dict(corp_id='c', corp_secret='s', timeout=0), 'exmail.timeout'),
    ('graph', dict(tenant_id='t', client_id='c', client_secret='s', token_url='http://login.example.org/t'), 'in clear'),
    ('graph', dict(tenant_id='t', client_id='c', client_secret='s', usage_location='China'), 'usage_location'),
])
def test_hosted_option_errors_name_the_option(backend, params, message):
    from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import REGISTRY
    options = dict((key, option.get('default')) for key, option in REGISTRY[backend].options.items())
    options.update(params)
    with pytest.raises(ValueError) as info:
        REGISTRY[backend].provider(options)
    assert message in str(info.value)


def test_graph_default_token_url_is_the_tenants():
    from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import REGISTRY
    options = dict((key, option.get('default')) for key, option in REGISTRY['graph'].options.items())
    options.update(tenant_id='contoso.onmicrosoft.com', client_id='c', client_secret='s')
    provider = REGISTRY['graph'].provider(options)
    assert provider.options['token_url'] == 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token'


# A fresh interpreter, as a module run is: in this one, other tests may have imported anything.
LEAN_LDAP_RUN = '''
import json, sys
from ansible_collections.mailops.mailbox.plugins.modules import department, directory_info, restore, snapshot, user, users
from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import REGISTRY
provider = REGISTRY['ldap'].provider(json.loads(sys.argv[1]))
print(type(provider).__name__)
for name in sorted(sys.modules):
    print(name)
'''


def modules_of_an_ldap_run(profile):
    """The provider class an LDAP backend of ``profile`` gets, and every module imported by then."""
    options = json.dumps(params(profile=profile, ou_per_department=False))
    done = subprocess.run([sys.executable, '-c', LEAN_LDAP_RUN, options], capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path)))
    assert done.returncode == 0, done.stderr
    provider, _sep, modules = done.stdout.partition('\n')
    return provider, set(modules.split())


def test_an_ldap_module_run_imports_neither_other_backends_nor_a_process_pool():
    provider, modules = modules_of_an_ldap_run('inetorgperson')
    assert provider == 'LdapProvider'
    other_backends = ('_providers.ldap_ad', '_providers.exmail', '_providers.graph', '_providers.google')
    assert not [name for name in modules if name.endswith(other_backends)]
    assert 'requests' not in modules and 'concurrent.futures.process' not in modules


def test_the_ad_profile_still_gets_its_provider():
    provider, modules = modules_of_an_ldap_run('ad')
    assert provider == 'AdProvider'
    assert 'ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_ad' in modules
