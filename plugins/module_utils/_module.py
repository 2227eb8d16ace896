# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared module runner: options -> provider -> validate -> plan -> apply -> result/diff.

Module files only declare options and documentation and call one function here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import (
    BACKEND_REQUIRED_IF, backend_argument_spec, make_provider,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.apply import ON_ERROR, apply_changes
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import (
    department_path, plan_departments, validate_departments,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import USER_KEYS, ProblemsFound
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import (
    ACTION_KEYS, UPDATE_PASSWORD, PlanOptions, PlanRefused, plan,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError

COMMON_USER_OPTIONS = dict(
    domain=dict(type='str'),
    passwords=dict(type='dict', no_log=True),
    update_password=dict(type='str', default='on_create', choices=list(UPDATE_PASSWORD)),
    on_error=dict(type='str', default='stop', choices=list(ON_ERROR)),
)


def new_module(argument_spec, **kwargs):
    spec = backend_argument_spec()
    spec.update(argument_spec)
    required_if = BACKEND_REQUIRED_IF + kwargs.pop('required_if', [])
    return AnsibleModule(argument_spec=spec, supports_check_mode=True, required_if=required_if, **kwargs)


def _fail_problems(module, exc, **result):
    module.fail_json(msg=str(exc), problems=[p.as_dict() for p in exc.problems], **result)


def _with_passwords(module, items):
    """Merge ``passwords`` (by email) into the items, and register every password as a no_log
    value: ``password`` inside ``users`` is no option Ansible knows, so it would not mask it."""
    passwords = dict((str(k).lower(), v) for k, v in (module.params.get('passwords') or {}).items())
    if not isinstance(items, list):
        return items
    merged = []
    for item in items:
        if isinstance(item, dict):
            email = item.get('email')
            if 'password' not in item and isinstance(email, str) and email.lower() in passwords:
                item = dict(item, password=passwords[email.lower()])
            if isinstance(item.get('password'), str) and item['password']:
                module.no_log_values.add(item['password'])
        merged.append(item)
    return merged


def run_users(module, items, single=False):
    """Ensure ``items`` (user dicts) in the directory and exit the module with the result."""
    params = module.params
    items = _with_passwords(module, items)
    desired, problems = validate_users(items, domain=params['domain'], protected=params.get('protected') or ())
    if problems:
        _fail_problems(module, ProblemsFound(problems, what='users list'), changed=False)
    options = PlanOptions(update_password=params['update_password'], purge=params.get('purge', False),
                          purge_action=params.get('purge_action', 'disable'),
                          max_removals=params.get('max_removals', 10), protected=params.get('protected') or ())
    provider = make_provider(module)
    try:
        with provider:
            current = provider.read_users(emails=set(u.email for u in desired) if single else None)
            problems = provider.check(desired, current)
            if problems:
                raise ProblemsFound(problems, what='users list')
            the_plan = plan(desired, current, options, password_matches=provider.password_matches)
            result = _plan_result(module, the_plan)
            if module.check_mode or not the_plan.changed:
                module.exit_json(**result)
            changes = [c for c in the_plan.changes if c.is_change]
            outcome = apply_changes(changes, provider.apply_users, on_error=params['on_error'])
    except ProblemsFound as exc:
        _fail_problems(module, exc, changed=False)
    except (PlanRefused, ProviderError) as exc:
        module.fail_json(msg=str(exc), changed=False)
    result.update(outcome.emails())
    result['changed'] = bool(outcome.done)
    result['summary'] = _summary(outcome.done, the_plan)
    if outcome.failures or outcome.aborted:
        result['failures'] = outcome.failures
        if outcome.aborted or params['on_error'] == 'stop':
            module.fail_json(msg=outcome.message(len(changes)), **result)
        module.warn(outcome.message(len(changes)))
    module.exit_json(**result)


def _summary(done, the_plan):
    summary = dict((key, 0) for key in the_plan.summary())
    for change in done:
        summary[ACTION_KEYS[change.action]] += 1
    summary['unchanged'] = the_plan.summary()['unchanged']
    return summary


def _plan_result(module, the_plan):
    result = dict(changed=the_plan.changed, summary=the_plan.summary())
    result.update(the_plan.emails())
    if module._diff:
        result['diff'] = [change.diff() for change in the_plan.changes if change.is_change]
    return result


def user_item(params):
    """One user dict from the ``user`` module's options; options left out are not managed."""
    return dict((key, params[key]) for key in USER_KEYS if params.get(key) is not None)


def run_departments(module, items):
    departments, problems = validate_departments(items)
    if problems:
        _fail_problems(module, ProblemsFound(problems, where='departments[{row}]', what='departments list'),
                       changed=False)
    provider = make_provider(module)
    try:
        with provider:
            current = provider.read_departments()
            leaving = set(d.name for d in departments if d.state == 'absent')
            for dep in current:
                if dep.name in leaving:
                    dep.members += provider.department_users(dep.name)
            changes = plan_departments(departments, current)
            parents = dict((d.name, d.parent) for d in current)
            parents.update((d.name, d.parent) for d in departments if d.state == 'present')
            result = dict(changed=bool(changes),
                          created=[c.name for c in changes if c.action == 'create'],
                          updated=[c.name for c in changes if c.action == 'update'],
                          deleted=[c.name for c in changes if c.action == 'delete'])
            if module._diff:
                result['diff'] = [c.diff() for c in changes]
            if not module.check_mode:
                for change in changes:
                    provider.apply_department(change, department_path(change.name, parents))
    except ProblemsFound as exc:
        _fail_problems(module, exc, changed=False)
    except ProviderError as exc:
        module.fail_json(msg=str(exc), changed=False)
    module.exit_json(**result)


def department_items(params):
    if params.get('departments') is not None:
        return params['departments']
    item = dict((key, params[key]) for key in ('name', 'parent', 'description') if params.get(key) is not None)
    item['state'] = params['state']
    return [item]


def run_directory_info(module):
    provider = make_provider(module)
    try:
        with provider:
            users = sorted((u.roster_entry() for u in provider.read_users()), key=lambda u: u['email'])
            departments = [d.as_dict() for d in provider.read_departments()]
    except ProviderError as exc:
        module.fail_json(msg=str(exc))
    domains = sorted(set(u['email'].rsplit('@', 1)[1] for u in users))
    roster = dict(domain=domains[0] if len(domains) == 1 else None, departments=departments, users=users)
    module.exit_json(changed=False, users=users, departments=departments, domains=domains, roster=roster)
