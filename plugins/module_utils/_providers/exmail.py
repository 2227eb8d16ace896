# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Exmail (腾讯企业邮) through its contact-management API (通讯录管理).

One read of the organisation is ``gettoken`` (cached), ``department/list?id=1`` and
``user/list?department_id=1&fetch_child=1``. Every answer is HTTP 200 with ``errcode``/``errmsg``:
40014/42001 mean the token is invalid or expired (fetched again once), 45009 the frequency limit
(retried with backoff). Writes go out with at most ``max_in_flight`` at once.

A user is ``userid`` = email, ``name``, ``department`` (ids), ``position`` (title), ``mobile``,
``extid`` (employee id), ``slaves`` (aliases, at most 5), ``enable`` 1|0; a new user gets
``password`` with ``cpwd_login: 1`` (change at first login). Passwords cannot be read back.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import Department
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser, Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._providers._http import (
    ERROR, OK, RETRY, TOKEN, Refused, RestClient, RetryWaits, check_http_options, in_flight, retry_after,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.hosted import HostedProvider

ROOT_DEPARTMENT = 1
TOKEN_ERRORS = (40014, 42001)
THROTTLED = 45009
USER_EXISTS, USER_MISSING = 60102, 60111
MAX_SLAVES = 5


def make_provider(params):
    options = dict(params)
    if not options.get('corp_secret'):
        raise ValueError('exmail.corp_secret is required (or the environment variable MAILBOX_EXMAIL_SECRET)')
    check_http_options('exmail', options, 'api_url')
    if not 1 <= options['max_in_flight'] <= 20:
        raise ValueError('exmail.max_in_flight must be between 1 and 20')
    options['api_url'] = options['api_url'].rstrip('/')
    return ExmailProvider(options)


class ExmailClient(RestClient):
    service = 'Exmail'

    def __init__(self, options):
        super(ExmailClient, self).__init__(options, pool_size=options['max_in_flight'])
        self.api_url = options['api_url']
        self.corp_id = options['corp_id']
        self._secret = options['corp_secret']

    def fetch_token(self):
        waits = RetryWaits('gettoken', self)
        while True:
            credentials = dict(corpid=self.corp_id, corpsecret=self._secret)
            response = self.send('GET', self.api_url + '/gettoken', params=credentials)
            verdict, value = self.judge(response)
            if verdict == RETRY:
                waits.wait(value)
                continue
            if verdict != OK:
                raise ProviderError('Exmail refused the credentials of corp_id %s (gettoken: %s); check '
                                    'exmail.corp_id and exmail.corp_secret' % (self.corp_id, value))
            try:
                return value['access_token'], float(value.get('expires_in') or 7200)
            except (KeyError, TypeError, ValueError):
                raise ProviderError('Exmail gettoken answered without an access_token')

    def authorise(self, kwargs, token):
        kwargs['params'] = dict(kwargs.get('params') or {}, access_token=token)

    def judge(self, response):
        if response.status_code in (429, 503):
            return RETRY, retry_after(response)
        if response.status_code != 200:
            return ERROR, 'HTTP %d' % response.status_code
        try:
            body = response.json()
            code = int(body.get('errcode', 0))
        except (ValueError, TypeError, AttributeError):
            return ERROR, 'the answer is not the JSON the API documents'
        if code == 0:
            return OK, body
        if code in TOKEN_ERRORS:
            return TOKEN, 'errcode %d: %s' % (code, body.get('errmsg'))
        if code == THROTTLED:
            return RETRY, retry_after(response)
        return ERROR, ExmailError(code, body.get('errmsg'))

    def get(self, api, what, **params):
        return self.call('GET', '%s/%s' % (self.api_url, api), what, params=params)

    def post(self, api, what, body):
        return self.call('POST', '%s/%s' % (self.api_url, api), what, json=body)


class ExmailError(object):
    """A non-zero errcode, shown as ``errcode N: errmsg`` and comparable by code."""

    def __init__(self, code, message):
        self.code = code
        self.message = message

    def __str__(self):
        return 'errcode %d: %s' % (self.code, self.message)


class ExmailProvider(HostedProvider):
    name = 'exmail'
    capabilities = Capabilities(verify_passwords=False, departments=True, snapshot_format='json',
                                max_aliases=MAX_SLAVES, password_on_create=True, department_descriptions=False)
    client_class = ExmailClient
    scope_option = 'corp_id'
    email_field = 'userid'

    def __init__(self, options):
        super(ExmailProvider, self).__init__(options)
        self._departments = None  # id -> {id, name, parentid}

    # Reading -------------------------------------------------------------------------------

    def _department_nodes(self):
        if self._departments is None:
            body = self.client.get('department/list', 'department/list', id=ROOT_DEPARTMENT)
            self._departments = dict((int(d['id']), d) for d in body.get('department') or []
                                     if int(d['id']) != ROOT_DEPARTMENT)
        return self._departments

    def _name_of(self, department_id):
        node = self._department_nodes().get(int(department_id))
        return node['name'] if node else None

    def _id_of(self, name):
        """The id of the department called ``name`` (None for no department: the root)."""
        if name is None:
            return ROOT_DEPARTMENT
        ids = [i for i, d in self._department_nodes().items() if d['name'] == name]
        if len(ids) != 1:
            return None
        return ids[0]

    def list_users(self):
        body = self.client.get('user/list', 'user/list', department_id=ROOT_DEPARTMENT, fetch_child=1)
        return body.get('userlist') or []

    def to_user(self, email, item):
        ids = [int(i) for i in item.get('department') or [] if int(i) != ROOT_DEPARTMENT]
        fields = dict(
            name=item.get('name') or None,
            department=self._name_of(ids[0]) if ids else None,
            title=item.get('position') or None,
            employee_id=item.get('extid') or None,
            mobile=item.get('mobile') or None,
            aliases=sorted(str(a).lower() for a in item.get('slaves') or []),
            state='present' if str(item.get('enable', 1)) == '1' else 'disabled',
        )
        return CurrentUser(email, fields, ref=dict(userid=item.get('userid'), departments=ids))

    def read_departments(self):
        nodes = self._department_nodes()
        departments = [Department(d['name'], parent=self._name_of(d.get('parentid')), ref=i)
                       for i, d in nodes.items()]
        depth = dict((d.ref, self._depth(d.ref)) for d in departments)
        return sorted(departments, key=lambda d: (depth[d.ref], d.name))

    def _depth(self, department_id):
        depth, nodes = 0, self._department_nodes()
        while department_id in nodes and depth <= len(nodes):
            department_id = int(nodes[department_id].get('parentid') or ROOT_DEPARTMENT)
            depth += 1
        return depth

    def department_users(self, name):
        department_id = self._id_of(name)
        return sum(1 for item in self._user_list() if department_id in [int(i) for i in item.get('department') or []])

    def check(self, desired, current):
        # Addresses held by other users are the runner's question (read_address_owners).
        problems = []
        for user in desired:
            department = user.fields.get('department')
            if user.state != 'absent' and department and self._id_of(department) is None:
                count = sum(1 for d in self._department_nodes().values() if d['name'] == department)
                problems.append(Problem(user.index, 'department', 'department "%s" %s in Exmail: %s' % (
                    department, 'is ambiguous (%d departments have that name)' % count if count else 'does not exist',
                    'create it with the department module first' if not count else 'rename one of them'),
                    value=department, email=user.email))
        return problems

    # Writing -------------------------------------------------------------------------------

    def write_users(self, changes, stop_on_error):
        return in_flight(changes, self._apply_user, self.options['max_in_flight'], stop_on_error)

    def _apply_user(self, change):
        """The one call (two for a user created disabled) that carries out ``change``; returns the
        API's refusal as a message, None when done. Safe to repeat: a create that finds the user
        updates it, a delete that finds none is done."""
        if change.action == 'delete':
            error = self._call_user('get', 'user/delete', change, userid=change.current.ref['userid'])
            return None if _code(error) == USER_MISSING else _message(error)
        if change.action == 'create':
            body = self._body(change.after, change.after.keys(), create=True)
            if change.password is not None:
                body.update(password=change.password.reveal(), cpwd_login=1)
            error = self._call_user('post', 'user/create', change, body)
            if _code(error) == USER_EXISTS:
                body.pop('password', None)
                body.pop('cpwd_login', None)
                error = self._call_user('post', 'user/update', change, body)
            if error is None and change.after.get('state') == 'disabled':
                error = self._call_user('post', 'user/update', change, dict(userid=body['userid'], enable=0))
            return _message(error)
        body = self._body(change.after, change.changed_keys)
        body['userid'] = change.current.ref['userid']
        if change.password is not None:
            body.update(password=change.password.reveal(), cpwd_login=1)
        return _message(self._call_user('post', 'user/update', change, body))

    def _call_user(self, method, api, change, body=None, **params):
        """None when the API accepted, else the ExmailError (throttling and tokens are handled below)."""
        what = '%s %s' % (api, change.email)
        try:
            if method == 'get':
                self.client.get(api, what, **params)
            else:
                self.client.post(api, what, body)
        except Refused as exc:
            return exc.detail
        return None

    def _body(self, entry, keys, create=False):
        body = dict(userid=entry['email'])
        for key in keys:
            value = entry.get(key)
            if key == 'name':
                body['name'] = value
            elif key == 'department':
                body['department'] = [self._id_of(value)]
            elif key == 'title':
                body['position'] = value or ''
            elif key == 'employee_id':
                body['extid'] = value or ''
            elif key == 'mobile':
                body['mobile'] = value or ''
            elif key == 'aliases':
                body['slaves'] = list(value or [])
            elif key == 'state' and not create:
                body['enable'] = 0 if value == 'disabled' else 1
        if create:
            body.setdefault('department', [ROOT_DEPARTMENT])
            for key in ('position', 'extid', 'mobile'):
                if not body.get(key):
                    body.pop(key, None)
            if not body.get('slaves'):
                body.pop('slaves', None)
        return body

    def apply_department(self, change, path):
        what = 'department %s "%s"' % (change.action, change.name)
        nodes = self._department_nodes()
        if change.action == 'create':
            parent = self._id_of(path[-2]) if len(path) > 1 else ROOT_DEPARTMENT
            if parent is None:
                raise ProviderError('%s: its parent "%s" is not one department in Exmail' % (what, path[-2]))
            body = self.client.post('department/create', what, dict(name=change.name, parentid=parent))
            nodes[int(body['id'])] = dict(id=int(body['id']), name=change.name, parentid=parent)
        elif change.action == 'delete':
            department_id = self._id_of(change.name)
            self.client.get('department/delete', what, id=department_id)
            nodes.pop(department_id, None)
        # An update can only change the description, which Exmail departments do not have; the
        # runner refuses descriptions for this backend before anything is written.


def _code(error):
    return error.code if isinstance(error, ExmailError) else None


def _message(error):
    return None if error is None else str(error)
