# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The users and user modules: options -> provider -> validate -> plan -> apply -> result/diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

try:
    import resource
except ImportError:  # not on every platform; the figure is informative only
    resource = None

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import make_provider
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.apply import ON_ERROR, apply_changes
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import USER_KEYS, ProblemsFound
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import (
    ACTION_KEYS, UPDATE_PASSWORD, PlanOptions, PlanRefused, count_by_department, plan,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import fail_problems
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError

COMMON_USER_OPTIONS = dict(
    domain=dict(type='str'),
    passwords=dict(type='dict', no_log=True),
    update_password=dict(type='str', default='on_create', choices=list(UPDATE_PASSWORD), no_log=False),
    on_error=dict(type='str', default='stop', choices=list(ON_ERROR)),
)


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
        fail_problems(module, ProblemsFound(problems, what='users list'), changed=False)
    options = PlanOptions(update_password=params['update_password'], purge=params.get('purge', False),
                          purge_action=params.get('purge_action', 'disable'),
                          max_removals=params.get('max_removals', 10), protected=params.get('protected') or ())
    provider = make_provider(module)
    timings = _Timings()
    try:
        with provider:
            current = provider.read_users(emails=set(u.email for u in desired) if single else None)
            timings.lap('read')
            problems = provider.check(desired, current)
            if problems:
                raise ProblemsFound(problems, what='users list')
            the_plan = plan(desired, current, options, password_matches=provider.password_matches)
            timings.lap('plan')
            result = _plan_result(module, the_plan)
            if module.check_mode or not the_plan.changed:
                module.exit_json(timings=timings.seconds, peak_rss_mb=peak_rss_mb(), **result)
            changes = [c for c in the_plan.changes if c.is_change]
            outcome = apply_changes(changes, provider.apply_users, on_error=params['on_error'])
            timings.lap('apply')
    except ProblemsFound as exc:
        fail_problems(module, exc, changed=False)
    except (PlanRefused, ProviderError) as exc:
        module.fail_json(msg=str(exc), changed=False)
    result.update(outcome.emails())
    result.update(changed=bool(outcome.done), summary=_summary(outcome.done, the_plan),
                  by_department=count_by_department(outcome.done), timings=timings.seconds,
                  peak_rss_mb=peak_rss_mb())
    if outcome.failures or outcome.aborted:
        result['failures'] = outcome.failures
        if outcome.aborted or params['on_error'] == 'stop':
            module.fail_json(msg=outcome.message(len(changes)), **result)
        module.warn(outcome.message(len(changes)))
    module.exit_json(**result)


def peak_rss_mb():
    """The largest resident size of this process or of its hashing workers, in MiB (Linux units)."""
    if resource is None:
        return None
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return round(peak / 1024.0, 1)


class _Timings:
    """Seconds spent per phase, for the run report."""

    def __init__(self):
        self.seconds = {}
        self._last = time.monotonic()

    def lap(self, phase):
        now = time.monotonic()
        self.seconds[phase] = round(now - self._last, 3)
        self._last = now


def _summary(done, the_plan):
    summary = dict((key, 0) for key in the_plan.summary())
    for change in done:
        summary[ACTION_KEYS[change.action]] += 1
    summary['unchanged'] = the_plan.summary()['unchanged']
    return summary


def _plan_result(module, the_plan):
    result = dict(changed=the_plan.changed, summary=the_plan.summary(),
                  by_department=count_by_department(the_plan.changes))
    result.update(the_plan.emails())
    if module._diff:
        result['diff'] = [change.diff() for change in the_plan.changes if change.is_change]
    return result


def user_item(params):
    """One user dict from the ``user`` module's options; options left out are not managed."""
    return dict((key, params[key]) for key in USER_KEYS if params.get(key) is not None)
