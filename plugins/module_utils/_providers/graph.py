# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Microsoft 365 users through Microsoft Graph.

An OAuth2 client-credentials token (scope ``https://graph.microsoft.com/.default``); one read is
``GET /users?$select=...`` following ``@odata.nextLink`` (the default property set lacks
department, accountEnabled, employeeId and usageLocation); writes go through ``POST /$batch``, 20
requests a batch, each answer judged on its own: a 429 inside a 200 batch is sent again after its
``Retry-After``, a refused user is reported and the rest go on as ``on_error`` says.

A user is ``userPrincipalName`` = email, ``mailNickname`` = local part, ``displayName``,
``givenName``/``surname`` (derived from the name), ``department`` (a text: Graph has no department
objects), ``jobTitle``, ``employeeId``, ``mobilePhone``, ``accountEnabled`` (disable),
``usageLocation``; a new user gets ``passwordProfile`` with ``forceChangePasswordNextSignIn``, and
the licence ``license_sku`` through ``assignLicense``. Aliases (``proxyAddresses``) are read-only
in Graph: read, compared, never written (one warning lists the users whose roster differs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import Department
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name
from ansible_collections.mailops.mailbox.plugins.module_utils._providers._http import (
    ERROR, OK, RETRY, TOKEN, RestClient, RetryWaits, check_http_options, json_body, origin,
    parse_retry_after, retry_after,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.hosted import HostedProvider

TOKEN_URL = 'https://login.microsoftonline.com/%s/oauth2/v2.0/token'
SCOPE = 'https://graph.microsoft.com/.default'
BATCH_SIZE = 20
PAGE_SIZE = 999
SELECT = ('id', 'userPrincipalName', 'displayName', 'department', 'jobTitle', 'employeeId', 'mobilePhone',
          'accountEnabled', 'usageLocation', 'proxyAddresses', 'assignedLicenses')
# Roster key -> Graph property, for the keys that map one to one.
PROPERTIES = (('name', 'displayName'), ('department', 'department'), ('title', 'jobTitle'),
              ('employee_id', 'employeeId'), ('mobile', 'mobilePhone'))


def make_provider(params):
    options = dict(params)
    if not options.get('client_secret'):
        raise ValueError('graph.client_secret is required (or the environment variable MAILBOX_GRAPH_CLIENT_SECRET)')
    options['token_url'] = options.get('token_url') or TOKEN_URL % quote(options['tenant_id'], safe='')
    options['api_url'] = options['api_url'].rstrip('/')
    check_http_options('graph', options, 'api_url', 'token_url')
    if options.get('usage_location') and len(options['usage_location']) != 2:
        raise ValueError('graph.usage_location must be a two-letter country code such as CN or US')
    return GraphProvider(options)


class GraphClient(RestClient):
    service = 'Microsoft Graph'

    def __init__(self, options):
        super(GraphClient, self).__init__(options)
        self.token_url = options['token_url']
        self.client_id = options['client_id']
        self.tenant_id = options['tenant_id']
        self._secret = options['client_secret']

    def fetch_token(self):
        return self.oauth_token(
            lambda: dict(grant_type='client_credentials', client_id=self.client_id, client_secret=self._secret,
                         scope=SCOPE),
            (429, 503), lambda status, error: (
                'Microsoft identity platform refused the credentials of client_id %s in tenant %s (HTTP %d, %s); '
                'check graph.tenant_id, graph.client_id and graph.client_secret'
                % (self.client_id, self.tenant_id, status, error)))

    def judge(self, response):
        status = response.status_code
        if 200 <= status < 300:
            return OK, json_body(response) if status != 204 else {}
        if status == 401:
            return TOKEN, graph_error(status, json_body(response))
        if status in (429, 503, 504):
            return RETRY, retry_after(response)
        return ERROR, graph_error(status, json_body(response))


def graph_error(status, body):
    """``HTTP 400 Request_BadRequest: message`` from a Graph error body."""
    error = body.get('error') if isinstance(body, dict) else None
    if isinstance(error, dict):
        return 'HTTP %s %s: %s' % (status, error.get('code'), error.get('message'))
    return 'HTTP %s' % status


class GraphProvider(HostedProvider):
    name = 'graph'
    capabilities = Capabilities(verify_passwords=False, departments=False, snapshot_format='json',
                                read_only_keys=('aliases',), password_on_create=True, department_descriptions=False)
    client_class = GraphClient
    scope_option = 'tenant_id'
    email_field = 'userPrincipalName'

    # Reading -------------------------------------------------------------------------------

    def list_users(self):
        users = []
        url = '%s/users?$select=%s&$top=%d' % (self.api_url, ','.join(SELECT), PAGE_SIZE)
        while url:
            body = self.client.call('GET', url, 'read users')
            users.extend(body.get('value') or [])
            url = body.get('@odata.nextLink')
            # The token goes only where the users came from: never follow a link elsewhere.
            if url and origin(url) != origin(self.api_url):
                raise ProviderError('Microsoft Graph sent a next page link to %s, not %s; refusing to follow it'
                                    % (origin(url), origin(self.api_url)))
        return users

    def to_user(self, email, item):
        fields = dict((key, item.get(prop) or None) for key, prop in PROPERTIES)
        fields['aliases'] = sorted(set(
            a[5:].lower() for a in item.get('proxyAddresses') or []
            if a[:5].lower() == 'smtp:' and a[5:].lower() != email))
        fields['state'] = 'present' if item.get('accountEnabled', True) else 'disabled'
        return CurrentUser(email, fields, ref=dict(id=item.get('id')))

    def read_departments(self):
        """Graph has no department objects: the departments are the texts users hold."""
        names = sorted(set(u.fields['department'] for u in self.read_users() if u.fields.get('department')))
        return [Department(name) for name in names]

    def department_users(self, name):
        return sum(1 for u in self.read_users() if u.fields.get('department') == name)

    # Writing -------------------------------------------------------------------------------

    def write_users(self, changes, stop_on_error):
        changes = list(changes)
        licensed = []
        for start in range(0, len(changes), BATCH_SIZE):
            chunk = changes[start:start + BATCH_SIZE]
            failed = False
            for change, error in self.batch([(change, self._request(change)) for change in chunk]):
                if error is None and change.action == 'create' and self.options.get('license_sku'):
                    licensed.append(change)
                    continue
                failed = failed or error is not None
                yield change, error
            if failed and stop_on_error:
                break
        # A licence is assigned once the user exists; its user is reported done only then.
        for start in range(0, len(licensed), BATCH_SIZE):
            chunk = licensed[start:start + BATCH_SIZE]
            for change, error in self.batch([(change, self._license_request(change)) for change in chunk]):
                yield change, error if error is None else 'created, but assigning the licence failed: %s' % error

    def batch(self, pairs):
        """Send ``(change, request)`` pairs in one ``$batch``; sub-requests answered 429/503 go again
        after the longest ``Retry-After`` among them. Yields ``(change, error_or_None)``."""
        waits = RetryWaits('$batch', self.client)
        pending = list(pairs)
        while pending:
            requests = []
            for number, (_change, request) in enumerate(pending):
                requests.append(dict(request, id=str(number + 1)))
            body = self.client.call('POST', self.api_url + '/$batch', '$batch', json=dict(requests=requests))
            answers = dict((str(a.get('id')), a) for a in body.get('responses') or [])
            again, delay = [], 0.0
            for number, pair in enumerate(pending):
                answer = answers.get(str(number + 1))
                status = int(answer.get('status', 0)) if answer else 0
                if status in (429, 503, 504):
                    again.append(pair)
                    headers = dict((k.lower(), v) for k, v in (answer.get('headers') or {}).items())
                    delay = max(delay, parse_retry_after(headers.get('retry-after')) or 0.0)
                elif 200 <= status < 300 or (status == 404 and pair[1]['method'] == 'DELETE'):
                    yield pair[0], None
                elif answer is None:
                    yield pair[0], 'no answer for this request in the $batch response'
                else:
                    yield pair[0], graph_error(status, answer.get('body') or {})
            if again:
                waits.wait(delay or None)
            pending = again

    def _request(self, change):
        if change.action == 'delete':
            return dict(method='DELETE', url='/users/%s' % change.current.ref['id'])
        if change.action == 'create':
            return dict(method='POST', url='/users', headers={'Content-Type': 'application/json'},
                        body=self._new_user(change))
        body = self._properties(change.after, change.changed_keys)
        if change.password is not None:
            body['passwordProfile'] = dict(password=change.password.reveal(), forceChangePasswordNextSignIn=True)
        return dict(method='PATCH', url='/users/%s' % change.current.ref['id'],
                    headers={'Content-Type': 'application/json'}, body=body)

    def _new_user(self, change):
        entry = change.after
        body = dict(userPrincipalName=entry['email'], mailNickname=entry['email'].rsplit('@', 1)[0],
                    accountEnabled=entry.get('state') != 'disabled')
        body.update((k, v) for k, v in self._properties(entry, entry.keys()).items() if v is not None)
        if change.password is not None:
            body['passwordProfile'] = dict(password=change.password.reveal(), forceChangePasswordNextSignIn=True)
        if self.options.get('usage_location'):
            body['usageLocation'] = self.options['usage_location'].upper()
        return body

    def _properties(self, entry, keys):
        body = {}
        for key, prop in PROPERTIES:
            if key in keys:
                body[prop] = entry.get(key) or None
        if 'name' in keys and entry.get('name'):
            family, given = split_name(entry['name'])
            body['surname'], body['givenName'] = family or None, given or None
        if 'state' in keys:
            body['accountEnabled'] = entry.get('state') != 'disabled'
        return body

    def _license_request(self, change):
        return dict(method='POST', url='/users/%s/assignLicense' % quote(change.after['email'], safe='@'),
                    headers={'Content-Type': 'application/json'},
                    body=dict(addLicenses=[dict(skuId=self.options['license_sku'], disabledPlans=[])], removeLicenses=[]))

    def apply_department(self, change, path):
        raise ProviderError('backend graph has no department objects (department "%s")' % change.name)
