# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole-directory modules: directory_info (read as a roster), snapshot (full export), restore."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import make_provider
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import RestoreRefused, summarise
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError


def read_roster(provider):
    """The directory as a roster: ``{domain, departments, users}`` (no secrets)."""
    users = sorted((u.roster_entry() for u in provider.read_users()), key=lambda u: u['email'])
    departments = [d.as_dict() for d in provider.read_departments()]
    domains = sorted(set(u['email'].rsplit('@', 1)[1] for u in users))
    return dict(domain=domains[0] if len(domains) == 1 else None, departments=departments, users=users), domains


def run_directory_info(module):
    provider = make_provider(module)
    try:
        with provider:
            roster, domains = read_roster(provider)
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=False, users=roster['users'], departments=roster['departments'], domains=domains,
                     roster=roster)


def run_snapshot(module):
    """Write a full-fidelity snapshot, then prove it: re-read the file and count against the directory."""
    path = module.params['path']
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        module.fail_json(msg='path: the directory of %s does not exist' % path)
    provider = make_provider(module)
    try:
        with provider:
            if module.check_mode:
                module.exit_json(changed=True, path=path, entries=provider.count_managed_entries())
            written = provider.write_snapshot(path)
            header, records = provider.read_snapshot(path)
            live = provider.count_managed_entries()
            roster, _domains = read_roster(provider)
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    if len(records) != written['entries'] or live != written['entries']:
        module.fail_json(msg='snapshot %s did not verify: %d entries written, %d read back, %d in the directory now'
                         % (path, written['entries'], len(records), live), **written)
    module.exit_json(changed=True, verified=True, roster=roster, departments=len(roster['departments']), **written)


def run_restore(module):
    provider = make_provider(module)
    try:
        with provider:
            ops = provider.plan_restore(module.params['src'])
            result = dict(changed=bool(ops), summary=summarise(ops), operations=len(ops))
            if module._diff:
                result['diff'] = [op.diff() for op in ops]
            if not module.check_mode and ops:
                done = provider.apply_restore(ops)
                result['applied'] = done
                left = provider.plan_restore(module.params['src'])
                if left:
                    module.fail_json(msg='restore did not converge: %d differences remain after applying %d operations'
                                     % (len(left), done), **result)
    except RestoreRefused as exc:
        module.fail_json(msg='refusing to restore %s: %s' % (module.params['src'], exc), changed=False)
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)
