# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The department module: validate the tree, plan it against the directory, apply it in order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import make_provider
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.capabilities import department_problems
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import (
    plan_departments, validate_departments,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ProblemsFound
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import fail_problems, first_names
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    read_roster_departments, read_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError


def run_departments(module, items, provider=None, before_changes=None):
    """Ensure the departments of ``items``; ``before_changes``, when given, is called once the plan
    has changes and before any of them is made (or shown in check mode), to refuse them."""
    departments, problems = validate_departments(items)
    if problems:
        fail_problems(module, ProblemsFound(problems, where='departments[{row}]', what='departments list'),
                      changed=False)
    provider = provider or make_provider(module)
    if not provider.capabilities.departments:
        _without_department_objects(module, provider, departments)
    problems = department_problems(provider.name, provider.capabilities, departments)
    if problems:
        fail_problems(module, ProblemsFound(problems, where='departments[{row}]', what='departments list'),
                      changed=False)
    try:
        with provider:
            current = provider.read_departments()
            leaving = set(d.name for d in departments if d.state == 'absent')
            for dep in current:
                if dep.name in leaving:
                    dep.members += provider.department_users(dep.name)
            changes = plan_departments(departments, current)
            result = dict(changed=bool(changes),
                          created=[c.name for c in changes if c.action == 'create'],
                          updated=[c.name for c in changes if c.action == 'update'],
                          deleted=[c.name for c in changes if c.action == 'delete'])
            if module._diff:
                result['diff'] = [c.diff() for c in changes]
            if changes and before_changes:
                before_changes()
            provider.ensure_containers(departments=any(c.action == 'create' for c in changes),
                                       check_only=module.check_mode)
            if not module.check_mode:
                for change in changes:
                    provider.apply_department(change, change.path)
    except ProblemsFound as exc:
        fail_problems(module, exc, changed=False)
    except ProviderError as exc:
        module.fail_json(msg=str(exc), changed=False)
    module.exit_json(**result)


def _without_department_objects(module, provider, departments):
    """A backend whose departments are only their users' ``department`` text has nothing to write
    here: say so once, as the backend's documentation does, and change nothing."""
    module.warn('backend %s has no department objects: a department exists as the department of its users, '
                'set by the users module; nothing was written for %d departments (%s)'
                % (provider.name, len(departments), first_names(d.name for d in departments)))
    module.exit_json(changed=False, created=[], updated=[], deleted=[])


def department_items(module):
    """``(department dicts, before_changes)``: the ``departments`` list, a roster file's, or the one
    named by ``name``; for a roster file, the check of its users that must pass before a change."""
    params = module.params
    path = params.get('departments_file')
    if path:
        try:
            items = read_roster_departments(path)
        except ValueError as exc:
            module.fail_json(msg=str(exc).replace('roster_file', 'departments_file'))
        return items, lambda: _check_roster_users(module, path, items)
    if params.get('departments') is not None:
        return params['departments'], None
    item = dict((key, params[key]) for key in ('name', 'parent', 'description') if params.get(key) is not None)
    item['state'] = params['state']
    return [item], None


def _check_roster_users(module, path, items):
    """The departments are applied before the users: a roster whose users are invalid must change
    nothing, so before a department change its users get the checks the users module starts with.
    With nothing to change the users are left to the users module (a re-run need not read them twice)."""
    try:
        roster = read_roster_file(path)
    except ValueError as exc:
        module.fail_json(msg=str(exc).replace('roster_file', 'departments_file'), changed=False)
    if (roster.get('departments') or []) != items:
        # The whole file says otherwise than its beginning: a second departments key, or a file rewritten meanwhile.
        module.fail_json(msg='departments_file %s: its departments read whole differ from those read first (a second '
                             'departments key, or the file changed while it was read); nothing was written' % path,
                         changed=False)
    _users, problems = validate_users(roster.get('users') or [], domain=roster.get('domain'))
    if problems:
        fail_problems(module, ProblemsFound(problems, what='users of departments_file %s' % path), changed=False)
