# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Google Workspace users through the Admin SDK Directory API.

A service account with domain-wide delegation: a JWT (RS256, signed here with ``cryptography``)
naming the service account (``iss``), the admin it acts for (``sub``), the directory user and org
unit scopes, exchanged at the token endpoint for an access token (the ``jwt-bearer`` grant). One
read is ``users.list`` with ``projection=full``, following ``nextPageToken``; org units come from
``orgunits.list``. Writes are ``users.insert|update|delete`` and ``users.aliases.insert|delete``,
a few in flight at once (``max_in_flight``); 403 ``rateLimitExceeded``/``userRateLimitExceeded``,
429 and 503 are retried with exponential backoff, as the vendor asks.

A user is ``primaryEmail`` = email, ``name.givenName``/``familyName`` (from the name),
``organizations[]`` (the primary one) ``department``/``title``, ``orgUnitPath`` = the department's
org unit (``/`` without one), ``externalIds`` (type ``organization``) = employee id, ``phones``
(type ``mobile``), aliases, ``suspended`` for disabled. A new user gets
``changePasswordAtNextLogin`` and its password as a SHA-512-crypt hash (``hashFunction: crypt``),
so no clear password leaves the controller. Entries of other types in ``organizations``,
``externalIds`` and ``phones`` are kept as they are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import Department
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser, Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import is_chinese_name, split_name
from ansible_collections.mailops.mailbox.plugins.module_utils._providers._http import (
    ERROR, OK, RETRY, TOKEN, Refused, RestClient, check_http_options, in_flight, json_body, retry_after,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.hosted import HostedProvider
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.passwords import PasswordHasher

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
except ImportError:
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token'
JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
# The least the backend needs: users and org units, nothing else of the directory.
SCOPES = ('https://www.googleapis.com/auth/admin.directory.user',
          'https://www.googleapis.com/auth/admin.directory.orgunit')
PAGE_SIZE = 500  # users.list's maximum maxResults
THROTTLED_REASONS = ('rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded')
MAX_ALIASES = 30
ROOT = '/'


def make_provider(params):
    options = dict(params)
    options['service_account'] = load_service_account(options.get('service_account_file'))
    options['token_url'] = options.get('token_url') or options['service_account'].get('token_uri') or DEFAULT_TOKEN_URL
    options['api_url'] = options['api_url'].rstrip('/')
    check_http_options('google', options, 'api_url', 'token_url')
    if not 1 <= options['max_in_flight'] <= 20:
        raise ValueError('google.max_in_flight must be between 1 and 20')
    return GoogleProvider(options)


def load_service_account(value):
    """The service account key (a dict) from a key file path, or from the key's JSON itself; the
    messages never show the key."""
    if not value:
        raise ValueError('google.service_account_file is required (or the environment variable '
                         'MAILBOX_GOOGLE_SERVICE_ACCOUNT: the key file path or its JSON)')
    text = value
    if not value.lstrip().startswith('{'):
        try:
            with open(os.path.expanduser(value), 'r') as handle:
                text = handle.read()
        except (IOError, OSError) as exc:
            raise ValueError('google.service_account_file %s cannot be read: %s' % (value, exc.strerror or exc))
    try:
        key = json.loads(text)
    except ValueError:
        raise ValueError('google.service_account_file is not a service account key file (not JSON)')
    missing = [k for k in ('client_email', 'private_key') if not isinstance(key, dict) or not key.get(k)]
    if missing:
        raise ValueError('google.service_account_file is not a service account key file (no %s)' % ', '.join(missing))
    return key


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def signed_jwt(key, subject, audience, now=None, lifetime=3600):
    """The service account's assertion for domain-wide delegation (RS256)."""
    now = int(now if now is not None else time.time())
    header = dict(alg='RS256', typ='JWT')
    if key.get('private_key_id'):
        header['kid'] = key['private_key_id']
    claims = dict(iss=key['client_email'], sub=subject, scope=' '.join(SCOPES), aud=audience, iat=now,
                  exp=now + lifetime)
    signing_input = ('%s.%s' % (_b64(json.dumps(header, separators=(',', ':')).encode('utf-8')),
                                _b64(json.dumps(claims, separators=(',', ':')).encode('utf-8')))).encode('ascii')
    try:
        private_key = serialization.load_pem_private_key(key['private_key'].encode('utf-8'), password=None)
        signature = private_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, TypeError):
        raise ProviderError('the private key of service account %s cannot be used (not an RSA key in PEM)'
                            % key['client_email'])
    return '%s.%s' % (signing_input.decode('ascii'), _b64(signature))


class GoogleClient(RestClient):
    service = 'Google Directory API'

    def __init__(self, options):
        super(GoogleClient, self).__init__(options, pool_size=options['max_in_flight'])
        self.token_url = options['token_url']
        self.key = options['service_account']
        self.subject = options['admin_subject']

    def fetch_token(self):
        # A new assertion for each attempt: it carries its issue time.
        return self.oauth_token(
            lambda: dict(grant_type=JWT_BEARER, assertion=signed_jwt(self.key, self.subject, self.token_url)),
            (429, 500, 503), lambda status, error: (
                'Google refused a token to service account %s acting for %s (HTTP %d, %s); check the key, its '
                'domain-wide delegation of the directory user and org unit scopes, and google.admin_subject'
                % (self.key['client_email'], self.subject, status, error)))

    def judge(self, response):
        status = response.status_code
        if 200 <= status < 300:
            return OK, json_body(response) if response.content else {}
        body = json_body(response)
        if status == 401:
            return TOKEN, google_error(status, body)
        if status in (429, 503) or (status == 403 and _reason(body) in THROTTLED_REASONS):
            # Google asks for exponential backoff; a Retry-After, when sent, is honoured.
            return RETRY, retry_after(response)
        return ERROR, google_error(status, body)


def _reason(body):
    error = body.get('error') if isinstance(body, dict) else None
    errors = error.get('errors') if isinstance(error, dict) else None
    return errors[0].get('reason') if errors and isinstance(errors[0], dict) else None


def google_error(status, body):
    error = body.get('error') if isinstance(body, dict) else None
    if isinstance(error, dict):
        return 'HTTP %s %s: %s' % (status, _reason(body) or error.get('status'), error.get('message'))
    return 'HTTP %s' % status


def join_name(family, given):
    """The roster name back from Google's two parts, as ``split_name`` cut it."""
    family, given = family or '', given or ''
    if not given or given == family:
        return family or None
    if is_chinese_name(family + given):
        # A Chinese surname has one or two characters; a longer "family" is the last part of a
        # transliterated name, written after the given parts and a middle dot.
        return family + given if len(family) <= 2 else given + u'\u00b7' + family
    return given + ' ' + family


def _typed(items, kind):
    return next((i for i in items or [] if isinstance(i, dict) and i.get('type') == kind), None)


def _primary_organization(items):
    items = [i for i in items or [] if isinstance(i, dict)]
    return next((i for i in items if i.get('primary')), items[0] if items else None)


def _replace_typed(items, kind, value):
    """``items`` with the entry of type ``kind`` set to ``value`` (removed for None), others kept."""
    kept = [i for i in items or [] if not (isinstance(i, dict) and i.get('type') == kind)]
    return kept + ([dict(type=kind, value=value)] if value else [])


class GoogleProvider(HostedProvider):
    name = 'google'
    capabilities = Capabilities(verify_passwords=False, departments=True, snapshot_format='json',
                                max_aliases=MAX_ALIASES, password_on_create=True)
    client_class = GoogleClient
    scope_option = 'customer'
    email_field = 'primaryEmail'

    def __init__(self, options):
        super(GoogleProvider, self).__init__(options)
        self.customer = options['customer']
        self.hasher = PasswordHasher('sha512_crypt')
        self._units = None

    def _url(self, path, **query):
        url = self.api_url + path
        if query:
            url += '?' + '&'.join('%s=%s' % (k, quote(str(v), safe='')) for k, v in sorted(query.items()))
        return url

    # Reading -------------------------------------------------------------------------------

    def list_users(self):
        users, page = [], None
        while True:
            query = dict(customer=self.customer, projection='full', maxResults=PAGE_SIZE)
            if page:
                query['pageToken'] = page
            body = self.client.call('GET', self._url('/users', **query), 'users.list')
            users.extend(body.get('users') or [])
            page = body.get('nextPageToken')
            if not page:
                return users

    def _org_units(self):
        """``{orgUnitPath: unit}`` of every org unit below the root."""
        if self._units is None:
            body = self.client.call('GET', self._url('/customer/%s/orgunits' % quote(self.customer, safe=''),
                                                     type='all'), 'orgunits.list')
            self._units = dict((u['orgUnitPath'], u) for u in body.get('organizationUnits') or []
                               if u.get('orgUnitPath'))
        return self._units

    def _unit_path(self, name):
        """The org unit path of the department called ``name`` (ROOT for none, None if missing)."""
        if not name:
            return ROOT
        paths = [p for p, u in self._org_units().items() if u.get('name') == name]
        return paths[0] if len(paths) == 1 else None

    def to_user(self, email, item):
        name = item.get('name') or {}
        organization = _primary_organization(item.get('organizations')) or {}
        external = _typed(item.get('externalIds'), 'organization') or {}
        phone = _typed(item.get('phones'), 'mobile') or {}
        fields = dict(
            name=join_name(name.get('familyName'), name.get('givenName')),
            department=organization.get('department') or None,
            title=organization.get('title') or None,
            employee_id=external.get('value') or None,
            mobile=phone.get('value') or None,
            aliases=sorted(set(str(a).lower() for a in item.get('aliases') or [])),
            state='disabled' if item.get('suspended') else 'present',
        )
        ref = dict(id=item.get('id'), unit=item.get('orgUnitPath') or ROOT,
                   organizations=item.get('organizations') or [], externalIds=item.get('externalIds') or [],
                   phones=item.get('phones') or [])
        return CurrentUser(email, fields, ref=ref)

    def read_departments(self):
        units = self._org_units()
        departments = []
        for path, unit in units.items():
            parent = units.get(unit.get('parentOrgUnitPath'))
            departments.append(Department(unit.get('name'), parent=parent.get('name') if parent else None,
                                          description=unit.get('description') or None, ref=path))
        return sorted(departments, key=lambda d: (d.ref.count('/'), d.ref))

    def department_users(self, name):
        path = self._unit_path(name)
        return sum(1 for item in self._user_list() if path is not None and item.get('orgUnitPath') == path)

    def check(self, desired, current):
        problems = []  # addresses held by other users are the runner's question (read_address_owners)
        for user in desired:
            department = user.fields.get('department')
            if user.state != 'absent' and department and self._unit_path(department) is None:
                count = sum(1 for u in self._org_units().values() if u.get('name') == department)
                problems.append(Problem(user.index, 'department', 'department "%s" %s in Google Workspace: %s' % (
                    department, 'is ambiguous (%d org units have that name)' % count if count else
                    'has no org unit', 'rename one of them' if count else 'create it with the department module first'),
                    value=department, email=user.email))
        return problems

    # Writing -------------------------------------------------------------------------------

    def write_users(self, changes, stop_on_error):
        return in_flight(changes, self._apply_user, self.options['max_in_flight'], stop_on_error)

    def _apply_user(self, change):
        """The calls that carry out ``change``; returns the API's refusal as a message, None when
        done. Safe to repeat: a create that finds the user updates it, a delete that finds none is done."""
        try:
            if change.action == 'delete':
                return self._delete(change.current.ref['id'] or change.email)
            if change.action == 'create':
                body = self._body(change.after, change.after.keys(), {}, create=True)
                if change.password is not None:
                    body.update(password=self.hasher.hash(change.password)[len('{CRYPT}'):], hashFunction='crypt',
                                changePasswordAtNextLogin=True)
                try:
                    self.client.call('POST', self._url('/users'), 'users.insert %s' % change.email, json=body)
                except Refused as exc:
                    if not str(exc.detail).startswith('HTTP 409'):
                        raise
                    for key in ('password', 'hashFunction', 'changePasswordAtNextLogin'):
                        body.pop(key, None)
                    self._update(change.email, body)
                self._set_aliases(change.email, [], change.after.get('aliases') or [])
                return None
            body = self._body(change.after, change.changed_keys, change.current.ref)
            if change.password is not None:
                body.update(password=self.hasher.hash(change.password)[len('{CRYPT}'):], hashFunction='crypt',
                            changePasswordAtNextLogin=True)
            if body:
                self._update(change.current.ref['id'] or change.email, body)
            if 'aliases' in change.changed_keys:
                self._set_aliases(change.email, change.current.fields.get('aliases') or [],
                                  change.after.get('aliases') or [])
            return None
        except Refused as exc:
            return str(exc)

    def _update(self, key, body):
        self.client.call('PUT', self._url('/users/%s' % quote(key, safe='@')), 'users.update %s' % key, json=body)

    def _delete(self, key):
        try:
            self.client.call('DELETE', self._url('/users/%s' % quote(key, safe='@')), 'users.delete %s' % key)
        except Refused as exc:
            if not str(exc.detail).startswith('HTTP 404'):
                raise
        return None

    def _set_aliases(self, email, before, after):
        user = quote(email, safe='@')
        for alias in sorted(set(after) - set(before)):
            try:
                self.client.call('POST', self._url('/users/%s/aliases' % user), 'users.aliases.insert %s' % alias,
                                 json=dict(alias=alias))
            except Refused as exc:
                if not str(exc.detail).startswith('HTTP 409'):  # already this user's alias: done
                    raise
        for alias in sorted(set(before) - set(after)):
            self.client.call('DELETE', self._url('/users/%s/aliases/%s' % (user, quote(alias, safe='@'))),
                             'users.aliases.delete %s' % alias)

    def _body(self, entry, keys, ref, create=False):
        body = {}
        if create:
            body['primaryEmail'] = entry['email']
        if 'name' in keys:
            family, given = split_name(entry['name'])
            # Both parts are required; a one-word name is both (join_name reads it back as one).
            body['name'] = dict(familyName=family or entry['name'], givenName=given or family or entry['name'])
        if 'department' in keys or 'title' in keys:
            organizations = [dict(o) for o in ref.get('organizations') or [] if isinstance(o, dict)]
            primary = _primary_organization(organizations)
            if primary is None:
                primary = dict(primary=True, type='work')
                organizations.append(primary)
            for key, field in (('department', 'department'), ('title', 'title')):
                if entry.get(key):
                    primary[field] = entry[key]
                else:
                    primary.pop(field, None)
            body['organizations'] = organizations
        if 'department' in keys or create:
            path = self._unit_path(entry.get('department'))
            if path is None:
                raise Refused('%s' % entry['email'], 'department "%s" has no org unit' % entry.get('department'))
            if create or path != ref.get('unit'):
                body['orgUnitPath'] = path
        if 'employee_id' in keys:
            body['externalIds'] = _replace_typed(ref.get('externalIds'), 'organization', entry.get('employee_id'))
        if 'mobile' in keys:
            body['phones'] = _replace_typed(ref.get('phones'), 'mobile', entry.get('mobile'))
        if 'state' in keys:
            body['suspended'] = entry.get('state') == 'disabled'
        if create:
            for key in ('organizations', 'externalIds', 'phones'):
                if not body.get(key):
                    body.pop(key, None)
        return body

    def apply_department(self, change, path):
        """Org units, parents first (the runner orders them); ``path`` names them from the top."""
        what = 'org unit %s "%s"' % (change.action, change.name)
        units = self._org_units()
        unit_path = ROOT + '/'.join(path)
        customer = quote(self.customer, safe='')
        if change.action == 'create':
            parent = ROOT + '/'.join(path[:-1])
            body = dict(name=change.name, parentOrgUnitPath=parent)
            if change.department.description:
                body['description'] = change.department.description
            try:
                created = self.client.call('POST', self._url('/customer/%s/orgunits' % customer), what, json=body)
            except Refused as exc:
                if not str(exc.detail).startswith('HTTP 409'):
                    raise ProviderError(str(exc))
                created = dict(body, orgUnitPath=unit_path)
            units[created.get('orgUnitPath') or unit_path] = dict(created, parentOrgUnitPath=parent)
            return
        target = self._url('/customer/%s/orgunits/%s' % (customer, quote(change.current.ref.lstrip('/'), safe='/')))
        try:
            if change.action == 'update':
                self.client.call('PUT', target, what, json=dict(description=change.department.description or ''))
                units[change.current.ref]['description'] = change.department.description
            else:
                self.client.call('DELETE', target, what)
                units.pop(change.current.ref, None)
        except Refused as exc:
            raise ProviderError(str(exc))
