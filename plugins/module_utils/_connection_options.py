# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backend selection and connection options, shared by every module: a registry with one entry per
backend (its options dict, secret environment variables, requirements, provider), documented by
the doc fragments ``mailops.mailbox.connection`` (the ``backend`` option) and one per backend.

Every backend's options are declared here, but a backend's provider (and the libraries it needs:
requests, cryptography) is imported only when a task asks for that backend: a module run pays
for its own backend alone. Ansible still ships every provider in the module's package, since it
finds the imports inside the functions too."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_connection
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import passwords
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import LdapProvider

LDAP_OPTIONS = dict(
    server_uri=dict(type='str', required=True),
    bind_dn=dict(type='str'),
    bind_pw=dict(type='str', no_log=True, fallback=(env_fallback, ['MAILBOX_LDAP_BIND_PW'])),
    base_dn=dict(type='str', required=True),
    users_dn=dict(type='str'),
    departments_dn=dict(type='str'),
    create_containers=dict(type='bool', default=False),
    start_tls=dict(type='bool', default=False),
    validate_certs=dict(type='bool', default=True),
    allow_plaintext=dict(type='bool', default=False),
    ca_path=dict(type='path'),
    timeout=dict(type='int', default=30),
    profile=dict(type='str', default='inetorgperson', choices=['inetorgperson', 'ad']),
    ou_per_department=dict(type='bool', default=False),
    # How passwords are hashed, not secrets: no_log=False says so to Ansible's name-based guess.
    password_scheme=dict(type='str', default='sha512_crypt', choices=list(passwords.SCHEMES), no_log=False),
    password_rounds=dict(type='int', default=passwords.DEFAULT_ROUNDS, no_log=False),
)


def http_options(timeout=30):
    """The options every REST backend's dict takes besides its own (documented once, in the
    ``http_connection`` doc fragment)."""
    return dict(
        timeout=dict(type='int', default=timeout),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        allow_plaintext=dict(type='bool', default=False),
    )


EXMAIL_OPTIONS = dict(
    corp_id=dict(type='str', required=True),
    corp_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['MAILBOX_EXMAIL_SECRET'])),
    api_url=dict(type='str', default='https://api.exmail.qq.com/cgi-bin'),
    max_in_flight=dict(type='int', default=4),
    **http_options()
)

GRAPH_OPTIONS = dict(
    tenant_id=dict(type='str', required=True),
    client_id=dict(type='str', required=True),
    client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['MAILBOX_GRAPH_CLIENT_SECRET'])),
    api_url=dict(type='str', default='https://graph.microsoft.com/v1.0'),
    token_url=dict(type='str', no_log=False),
    usage_location=dict(type='str'),
    license_sku=dict(type='str'),
    **http_options()
)

GOOGLE_OPTIONS = dict(
    customer=dict(type='str', default='my_customer'),
    admin_subject=dict(type='str', required=True),
    # A path, or (from the environment variable) the key file's JSON itself: no_log either way.
    service_account_file=dict(type='str', no_log=True, fallback=(env_fallback, ['MAILBOX_GOOGLE_SERVICE_ACCOUNT'])),
    api_url=dict(type='str', default='https://admin.googleapis.com/admin/directory/v1'),
    token_url=dict(type='str', no_log=False),
    max_in_flight=dict(type='int', default=4),
    **http_options()
)


def ldap_options(params):
    """The ``ldap`` dict with defaults derived from ``base_dn`` and the password as a Secret."""
    options = dict(params)
    options['bind_pw'] = Secret(options['bind_pw']) if options.get('bind_pw') else None
    options['users_dn'] = options.get('users_dn') or 'ou=people,' + options['base_dn']
    options['departments_dn'] = options.get('departments_dn') or 'ou=departments,' + options['base_dn']
    if options['timeout'] <= 0:
        raise ValueError('ldap.timeout must be a positive number of seconds')
    if options['password_rounds'] < 1000:
        raise ValueError('ldap.password_rounds must be at least 1000')
    if not options['allow_plaintext']:
        for uri in server_uris(options['server_uri']):
            if plaintext_to_network(uri, options['start_tls']):
                raise ValueError('ldap.server_uri %s would send the bind password and every user password in clear over '
                                 'the network: use ldaps://, or start_tls: true, or set allow_plaintext: true if the '
                                 'network is trusted' % (uri if uri == options['server_uri'].strip()
                                                         else '"%s" (in %s)' % (uri, options['server_uri'])))
    return options


def server_uris(server_uri):
    """Every URI of ``server_uri``: libldap takes a list separated by spaces or commas and tries each
    in turn, so the bind password may go to any of them."""
    return [uri for uri in re.split(r'[\s,]+', server_uri) if uri]


def plaintext_to_network(uri, start_tls):
    """Whether one ``uri`` is plain ``ldap://`` without StartTLS to a host that is not this machine."""
    parsed = urlparse(uri)
    if parsed.scheme.lower() != 'ldap' or start_tls:
        return False
    host = (parsed.hostname or 'localhost').lower()
    if host == 'localhost':
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _ldap_provider(params):
    options = ldap_options(params)
    if options['profile'] == 'ad':
        # Imported here: a run with the inetorgperson profile does not load the AD provider and its JSON snapshots.
        from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_ad import AdProvider
        return AdProvider(options)
    if options['ou_per_department']:
        raise ValueError('ldap.ou_per_department needs profile: ad (the inetorgperson profile keeps users flat '
                         'below users_dn, so that their DN stays stable)')
    return LdapProvider(options)


def _ldap_missing():
    if ldap_connection.LDAP_IMPORT_ERROR:
        return 'python-ldap', ldap_connection.LDAP_IMPORT_ERROR
    if passwords.PASSLIB_IMPORT_ERROR:
        return 'libpass (or passlib)', passwords.PASSLIB_IMPORT_ERROR
    return None


def _requests_missing():
    from ansible_collections.mailops.mailbox.plugins.module_utils._providers._http import REQUESTS_IMPORT_ERROR
    return ('requests', REQUESTS_IMPORT_ERROR) if REQUESTS_IMPORT_ERROR else None


def _google_missing():
    from ansible_collections.mailops.mailbox.plugins.module_utils._providers.google import CRYPTOGRAPHY_IMPORT_ERROR
    if CRYPTOGRAPHY_IMPORT_ERROR:
        return 'cryptography', CRYPTOGRAPHY_IMPORT_ERROR
    return _requests_missing()


def _exmail_provider(params):
    from ansible_collections.mailops.mailbox.plugins.module_utils._providers import exmail
    return exmail.make_provider(params)


def _graph_provider(params):
    from ansible_collections.mailops.mailbox.plugins.module_utils._providers import graph
    return graph.make_provider(params)


def _google_provider(params):
    from ansible_collections.mailops.mailbox.plugins.module_utils._providers import google
    return google.make_provider(params)


class Backend:
    """One entry of the registry: how a backend's options dict is declared (``options``, documented
    in the doc fragment ``mailops.mailbox.<name>``), which environment variables hold its secrets,
    what it needs installed (``missing()``: ``(library, traceback)`` or None) and how its provider
    is made from the dict (``provider(params)``; ValueError for a bad option)."""

    def __init__(self, name, options, provider, missing, secret_env):
        self.name = name
        self.options = options
        self.provider = provider
        self.missing = missing
        self.secret_env = secret_env


REGISTRY = dict((backend.name, backend) for backend in (
    Backend('ldap', LDAP_OPTIONS, _ldap_provider, _ldap_missing, ('MAILBOX_LDAP_BIND_PW',)),
    Backend('exmail', EXMAIL_OPTIONS, _exmail_provider, _requests_missing, ('MAILBOX_EXMAIL_SECRET',)),
    Backend('graph', GRAPH_OPTIONS, _graph_provider, _requests_missing, ('MAILBOX_GRAPH_CLIENT_SECRET',)),
    Backend('google', GOOGLE_OPTIONS, _google_provider, _google_missing, ('MAILBOX_GOOGLE_SERVICE_ACCOUNT',)),
))
BACKENDS = tuple(REGISTRY)
DOC_FRAGMENTS = tuple('mailops.mailbox.%s' % name for name in BACKENDS)


def backend_argument_spec():
    spec = dict(backend=dict(type='str', default='ldap', choices=list(BACKENDS)))
    for backend in REGISTRY.values():
        spec[backend.name] = dict(type='dict', options=backend.options)
    return spec


BACKEND_REQUIRED_IF = [('backend', name, [name]) for name in BACKENDS]


def connection_secrets(params):
    """Every value given to a ``no_log`` option of a backend's connection dict (bind_pw, client
    secrets): what must stay masked in every output, whatever else is unmasked."""
    found = set()
    for name, spec in backend_argument_spec().items():
        given = params.get(name) or {}
        for key, option in (spec.get('options') or {}).items():
            if option.get('no_log') and given.get(key):
                found.add(str(given[key]))
    return found


def make_provider(module):
    """The provider the module's options ask for; fails the module when its library is missing
    or an option is wrong."""
    backend = REGISTRY[module.params['backend']]
    missing = backend.missing()
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
    try:
        return backend.provider(module.params[backend.name])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
