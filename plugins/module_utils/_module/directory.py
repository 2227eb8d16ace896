# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole-directory modules: directory_info (read as a roster), snapshot (full export), restore."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import (
    connection_secrets, make_provider,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import RestoreRefused, summarise
from ansible_collections.mailops.mailbox.plugins.module_utils._files import private_directory
from ansible_collections.mailops.mailbox.plugins.module_utils._module.backup_files import beyond_keep, write_roster_copy
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.json_snapshot import recreated_users


def read_roster(provider):
    """The directory as a roster: ``{domain, departments, users}`` (no secrets)."""
    return roster_of([u.roster_entry() for u in provider.read_users()], provider.read_departments())


def roster_of(users, departments):
    """``({domain, departments, users}, domains)`` of users in roster format and Departments (no secrets)."""
    users = sorted(users, key=lambda u: u['email'])
    departments = [d.as_dict() for d in departments]
    domains = sorted(set(u['email'].rsplit('@', 1)[1] for u in users))
    return dict(domain=domains[0] if len(domains) == 1 else None, departments=departments, users=users), domains


def run_directory_info(module, provider=None):
    provider = provider or make_provider(module)
    try:
        with provider:
            roster, domains = read_roster(provider)
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, users=roster['users'], departments=roster['departments'], domains=domains,
                     roster=roster)


def run_snapshot(module, provider=None):
    """Write a full-fidelity snapshot from one read of the directory, then prove it: read the file
    back from disk (the very bytes written, every entry read).

    With ``roster_path`` the directory is also written there as a roster file, from the same read
    and in the same run, so thousands of users never travel through Ansible as a result; with
    ``keep`` older snapshots in the same directory are removed once this one is verified."""
    params = module.params
    path = params['path']
    directory = os.path.dirname(os.path.abspath(path))
    keep, roster_path = params.get('keep'), params.get('roster_path')
    if keep is not None and keep < 1:
        module.fail_json(msg='keep must be 1 or more, not %d: the snapshot just taken is always kept' % keep)
    if not module.check_mode and params.get('create_dir'):
        try:
            private_directory(directory)
        except (IOError, OSError) as exc:
            module.fail_json(msg='create_dir: cannot make %s a directory only its owner can read: %s'
                             % (directory, exc.strerror or exc))
    elif not module.check_mode and not os.path.isdir(directory):
        module.fail_json(msg='path: the directory of %s does not exist (create_dir: true creates it)' % path)
    provider = provider or make_provider(module)
    try:
        with provider:
            if module.check_mode:
                # A fresh machine may not have the directory yet: check mode plans, it needs none.
                module.exit_json(changed=True, path=path, entries=provider.count_managed_entries())
            written = provider.write_snapshot(path)
            provider.verify_snapshot(written)
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    roster, _domains = roster_of(written.roster_users, written.departments)
    result = dict(changed=True, verified=True, departments=len(roster['departments']), **written.facts())
    if roster_path:
        write_roster_copy(roster_path, roster, os.path.basename(path))
        result['roster_path'] = roster_path
    else:
        result['roster'] = roster
    if keep is not None:
        result['removed'] = beyond_keep(directory, keep, path)
        for old in result['removed']:
            os.unlink(old)
    module.exit_json(**result)


def run_restore(module, provider=None):
    """Restore a snapshot. On a backend whose snapshots hold no passwords, users it re-creates get the
    initial passwords of the ``passwords`` option (which the action plugin generates and writes to
    ``passwords_dest``); ``recreated`` says who they are, also when the restore fails midway."""
    provider = provider or make_provider(module)
    passwords = module.params.get('passwords') or {}
    provider.restore_passwords = dict((str(k).lower(), v) for k, v in passwords.items())
    result = dict(changed=False)
    try:
        with provider:
            ops = provider.plan_restore(module.params['src'])
            result = dict(changed=bool(ops), summary=summarise(ops), operations=len(ops),
                          recreated=recreated_users(ops))
            if module._diff:
                result['diff'] = [op.diff() for op in ops]
            if not module.check_mode and ops:
                try:
                    done = provider.apply_restore(ops)
                finally:
                    result['recreated'] = list(provider.recreated)
                result['applied'] = done
                left = provider.plan_restore(module.params['src'])
                if left:
                    _fail(module, passwords, msg='restore did not converge: %d differences remain after applying %d '
                          'operations' % (len(left), done), **result)
    except RestoreRefused as exc:
        _fail(module, passwords, msg='refusing to restore %s: %s' % (module.params['src'], exc), changed=False)
    except ProviderError as exc:
        _fail(module, passwords, msg=str(exc), **result)
    _unmask(module, passwords)
    module.exit_json(**result)


def _unmask(module, passwords):
    """New initial passwords never reach a result by construction, and masking thousands of them is
    quadratic: they leave the mask set; connection secrets stay in it."""
    module.no_log_values.difference_update(set(str(p) for p in passwords.values()) - connection_secrets(module.params))


def _fail(module, passwords, **result):
    _unmask(module, passwords)
    module.fail_json(**result)
