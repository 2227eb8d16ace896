# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots for backends whose passwords cannot be read back (hosted mail): users and departments
in roster format as JSON, restored through the same planner and writes as the users module.

A restore re-creates missing users with new initial passwords (``restore_passwords``, which the
restore action plugin generates and writes to an ansible-vault file before anything is applied):
the old passwords were never readable. ``recreated`` lists the users it re-created.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import (
    Department, DepartmentTree, plan_departments,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import DesiredUser, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import PlanOptions, plan
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import Entry, RestoreOp
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.snapshot_file import (
    WrittenSnapshot, read_back, write_private,
)

FORMAT = 'mailops.mailbox snapshot'
_USER_ACTIONS = {'create': 'add', 'update': 'modify', 'disable': 'modify', 'delete': 'delete'}
_DEPARTMENT_ACTIONS = {'create': 'add', 'update': 'modify', 'delete': 'delete'}


class RosterRestoreOp(RestoreOp):
    """A RestoreOp carried out as a user or department change of the ordinary planner."""

    __slots__ = ('change',)

    def __init__(self, action, entry, change, before=None, after=None):
        super(RosterRestoreOp, self).__init__(action, entry, attrs=after, before=before)
        self.change = change

    def _after(self):
        return self.attrs or {}


def _as_attrs(mapping):
    """A roster dict as the ``{key: [values]}`` a RestoreOp diff shows."""
    if not mapping:
        return {}
    return dict((k, list(v) if isinstance(v, list) else [v]) for k, v in mapping.items()
                if v not in (None, [], '') and k != 'password')


class JsonSnapshots:
    """Mixin of the snapshot methods of ``Provider`` for hosted backends. The provider supplies
    ``name``, ``read_users``, ``read_departments``, ``apply_users``, ``apply_department`` and
    ``snapshot_scope()`` (what the snapshot was taken of, such as the corp id or tenant)."""

    def snapshot_scope(self):
        return None

    def _roster(self):
        users = sorted(self.read_users(), key=lambda u: u.email)
        return self.read_departments(), users

    def count_managed_entries(self):
        departments, users = self._roster()
        return len(departments) + len(users)

    def write_snapshot(self, path):
        departments, users = self._roster()
        document = dict(format=FORMAT, version=1, backend=self.name, scope=self.snapshot_scope(),
                        created=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
                        passwords='not included: this backend cannot read them back',
                        entries=len(departments) + len(users), departments=[d.as_dict() for d in departments],
                        users=[u.roster_entry() for u in users])
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + '\n'
        sha256 = write_private(path, [text.encode('utf-8')])
        return WrittenSnapshot(path, document['entries'], len(users), sha256, document['users'], departments)

    def verify_snapshot(self, written):
        data = read_back(written.path, written.sha256)
        document = json.loads(data.decode('utf-8'))
        records = len(document.get('departments') or []) + len(document.get('users') or [])
        if records != written.entries or document.get('entries') != written.entries:
            raise ProviderError('snapshot %s did not verify: %d entries read from %s, %d in the file'
                                % (written.path, written.entries, self.name, records))
        return records

    def read_snapshot(self, path):
        try:
            with open(path, 'r') as handle:
                document = json.load(handle)
        except (IOError, OSError) as exc:
            raise ProviderError('cannot read snapshot %s: %s' % (path, exc.strerror or exc))
        except ValueError as exc:
            raise ProviderError('snapshot %s is not a JSON snapshot of a hosted backend (%s)' % (path, exc))
        if not isinstance(document, dict) or document.get('format') != FORMAT:
            raise ProviderError('%s is not a mailops.mailbox snapshot' % path)
        records = list(document.get('departments') or []) + list(document.get('users') or [])
        if document.get('entries') != len(records):
            raise ProviderError('snapshot %s is truncated: it says %s entries, it holds %d'
                                % (path, document.get('entries'), len(records)))
        header = dict((k, v) for k, v in document.items() if k not in ('departments', 'users'))
        return header, records

    def plan_restore(self, path):
        header, _records = self.read_snapshot(path)
        if header.get('backend') != self.name or header.get('scope') != self.snapshot_scope():
            raise ProviderError('snapshot %s was taken of backend %s (%s), not of this %s (%s); refusing to restore it '
                                'here' % (path, header.get('backend'), header.get('scope'), self.name,
                                          self.snapshot_scope()))
        with open(path, 'r') as handle:
            document = json.load(handle)
        return self._department_ops(document, create=True) + self._user_ops(document) + \
            self._department_ops(document, create=False)

    def _department_ops(self, document, create):
        """Creations and updates before the users (they may need them), removals after."""
        current = self.read_departments()
        if not self.capabilities.departments:
            return []
        wanted = [Department(d['name'], d.get('parent'), d.get('description'), index=i)
                  for i, d in enumerate(document.get('departments') or [])]
        names = set(d.name for d in wanted)
        if create:
            desired = wanted
        else:
            tree = DepartmentTree(current)
            desired = [Department(d.name, d.parent, d.description, state='absent', index=len(wanted) + i)
                       for i, d in enumerate(sorted(current, key=lambda d: -tree.depth(d.name)))
                       if d.name not in names]
            for dep in desired:  # the users that held them are gone by now
                dep.members = 0
        ops = []
        for change in plan_departments(desired, current):
            if (change.action == 'delete') == create:
                continue
            entry = Entry(change.name, len(change.path), '/'.join(change.path), {}, kind='department')
            ops.append(RosterRestoreOp(_DEPARTMENT_ACTIONS[change.action], entry, change,
                                       before=_as_attrs(change.before), after=_as_attrs(change.after)))
        return ops

    def _user_ops(self, document):
        desired = []
        for index, item in enumerate(document.get('users') or []):
            fields = dict((k, v) for k, v in item.items() if k != 'email' and k in self.capabilities.keys | set(['state']))
            fields = dict((k, v) for k, v in fields.items() if k not in self.capabilities.read_only_keys)
            desired.append(DesiredUser(item['email'], fields, index=index))
        current = self.read_users()
        the_plan = plan(desired, current, PlanOptions(purge=True, purge_action='delete', max_removals=len(current)))
        ops = []
        for change in the_plan.changes:
            if not change.is_change:
                continue
            entry = Entry(change.email, 1, change.email, {}, kind='user')
            ops.append(RosterRestoreOp(_USER_ACTIONS[change.action], entry, change,
                                       before=_as_attrs(change.before), after=_as_attrs(change.after)))
        return ops

    def apply_restore(self, ops):
        """Departments and users in the planned order; new passwords for re-created users (when the
        runner gave ``generate_password``; otherwise re-creating a user is refused before any write,
        as its old password cannot be restored)."""
        passwords = self.restore_passwords or {}
        missing = [email for email in recreated_users(ops) if not passwords.get(email)]
        if missing:
            raise ProviderError('restore on backend %s would re-create %d users (%s) whose passwords cannot be read '
                                'back; nothing was changed. Give passwords_dest (new initial passwords are written '
                                'there, ansible-vault encrypted) or their passwords in passwords.'
                                % (self.name, len(missing), ', '.join(missing[:10])))
        self.recreated = []
        done = 0
        for op in ops:
            if op.entry.kind == 'department':
                self.apply_department(op.change, op.change.path)
                done += 1
                continue
            change = op.change
            if change.action == 'create':
                change.password = Secret(passwords[change.email])
            for _change, error in self.apply_users([change], stop_on_error=True):
                if error is not None:
                    raise ProviderError('restore stopped at %s %s after %d of %d operations: %s. A re-run continues '
                                        'from there.' % (op.action, change.email, done, len(ops), error))
            if change.action == 'create':
                self.recreated.append(change.email)
            done += 1
        return done


def recreated_users(ops):
    """Emails of the users a restore plan re-creates (they need new initial passwords)."""
    return [op.change.email for op in ops
            if isinstance(op, RosterRestoreOp) and op.entry.kind == 'user' and op.change.action == 'create']
