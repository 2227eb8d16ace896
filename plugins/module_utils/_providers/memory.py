# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A provider that keeps users and departments in memory: the smallest complete implementation
of the interface, used by the unit tests of the runners (no server) and not offered as a backend.

Its capabilities are a constructor argument, so a test can give it those of a hosted backend
(no password checks, read-only aliases, at most five aliases) and see the runners honour them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import Department
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import CurrentUser, MANAGED_KEYS, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, Provider, ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.json_snapshot import JsonSnapshots

MEMORY_CAPABILITIES = Capabilities(verify_passwords=True, departments=True, snapshot_format='json')


class MemoryProvider(JsonSnapshots, Provider):
    name = 'memory'

    def __init__(self, users=(), departments=(), capabilities=MEMORY_CAPABILITIES, refuse=()):
        """``users``: roster dicts (a ``password`` key is kept as the stored credential);
        ``departments``: ``{name, parent, description}`` dicts; ``refuse``: emails whose writes fail."""
        self.capabilities = capabilities
        self.users = {}
        self.passwords = {}
        for item in users:
            item = dict(item)
            password = item.pop('password', None)
            self.users[item['email']] = dict((k, item.get(k)) for k in MANAGED_KEYS)
            self.users[item['email']]['state'] = item.get('state') or 'present'
            if password is not None:
                self.passwords[item['email']] = password
        self.departments = dict((d['name'], dict(parent=d.get('parent'), description=d.get('description')))
                                for d in departments)
        self.refuse = frozenset(refuse)
        self.writes = []
        self.opened = False

    def connect(self):
        self.opened = True

    def close(self):
        self.opened = False

    def read_users(self, emails=None):
        return [CurrentUser(email, dict(fields), ref=email, credential=Secret(self.passwords.get(email)))
                for email, fields in sorted(self.users.items()) if emails is None or email in emails]

    def read_departments(self):
        nodes = [Department(name, d['parent'], d['description'], ref=name) for name, d in self.departments.items()]
        depth = dict((d.name, self._depth(d.name)) for d in nodes)
        return sorted(nodes, key=lambda d: (depth[d.name], d.name))

    def _depth(self, name):
        depth = 0
        while self.departments.get(name, {}).get('parent') is not None and depth <= len(self.departments):
            name = self.departments[name]['parent']
            depth += 1
        return depth

    def department_users(self, name):
        return sum(1 for fields in self.users.values() if fields.get('department') == name)

    def password_matches(self, password, user):
        return user.credential.reveal() == password.reveal()

    def apply_users(self, changes, stop_on_error=False):
        for change in changes:
            if change.email in self.refuse:
                yield change, 'refused by the test'
                if stop_on_error:
                    return
                continue
            self.writes.append((change.action, change.email))
            if change.action == 'delete':
                self.users.pop(change.email, None)
                self.passwords.pop(change.email, None)
            else:
                self.users[change.email] = dict((k, change.after.get(k)) for k in MANAGED_KEYS)
                if change.password is not None:
                    self.passwords[change.email] = change.password.reveal()
            yield change, None

    def apply_department(self, change, path):
        self.writes.append(('department_' + change.action, '/'.join(path)))
        if change.action == 'delete':
            if self.department_users(change.name):
                raise ProviderError('department "%s" still has users' % change.name)
            del self.departments[change.name]
        else:
            self.departments[change.name] = dict(parent=path[-2] if len(path) > 1 else None,
                                                 description=change.department.description)

    def snapshot_scope(self):
        return 'memory'
