# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backend selection and connection options, shared by every module (documented once in
``doc_fragments/connection.py``)."""

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
    profile=dict(type='str', default='inetorgperson', choices=['inetorgperson']),
    # How passwords are hashed, not secrets: no_log=False says so to Ansible's name-based guess.
    password_scheme=dict(type='str', default='sha512_crypt', choices=list(passwords.SCHEMES), no_log=False),
    password_rounds=dict(type='int', default=passwords.DEFAULT_ROUNDS, no_log=False),
)

BACKENDS = ('ldap',)


def backend_argument_spec():
    return dict(
        backend=dict(type='str', default='ldap', choices=list(BACKENDS)),
        ldap=dict(type='dict', options=LDAP_OPTIONS),
    )


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


BACKEND_REQUIRED_IF = [('backend', 'ldap', ['ldap'])]


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


def make_provider(module):
    """The provider the module's options ask for; fails the module when its library is missing."""
    backend = module.params['backend']
    if backend == 'ldap':
        if ldap_connection.LDAP_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib('python-ldap'), exception=ldap_connection.LDAP_IMPORT_ERROR)
        if passwords.PASSLIB_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib('libpass (or passlib)'), exception=passwords.PASSLIB_IMPORT_ERROR)
        try:
            return LdapProvider(ldap_options(module.params['ldap']))
        except ValueError as exc:
            module.fail_json(msg=str(exc))
    module.fail_json(msg='backend %s is not supported' % backend)
