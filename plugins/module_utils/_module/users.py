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

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import connection_secrets, make_provider
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import (
    directory_clashes, roster_addresses,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.apply import ON_ERROR, apply_changes
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.capabilities import (
    option_problems, plan_problems, set_aside_read_only, user_problems,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ROSTER_KEYS, ProblemsFound, draining
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import (
    ACTION_KEYS, CREATE, DELETE, UPDATE_PASSWORD, PlanOptions, PlanRefused, count_by_department, plan,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import first_names, summarised_invocation
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    parse_passwords_text, read_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError

COMMON_USER_OPTIONS = dict(
    domain=dict(type='str'),
    update_password=dict(type='str', default='on_create', choices=list(UPDATE_PASSWORD), no_log=False),
    on_error=dict(type='str', default='stop', choices=list(ON_ERROR)),
)


def _finish(module, result, passwords, invocation, failed=False):
    """Exit the module with ``result``, built only from emails, counts and redacted diffs.

    Ansible masks every string of a result against every no_log value, which is quadratic: with
    10,000 passwords that alone takes minutes. The user passwords never reach a result by
    construction (tested), so they leave the mask set here; bind_pw and every other connection secret
    stay in it, even when a user's password is the same string."""
    module.no_log_values.difference_update(set(str(p) for p in passwords.values()) - connection_secrets(module.params))
    result['invocation'] = invocation
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)


def users_input(module):
    """``(items, passwords, domain)`` of the users module, from its options or their files."""
    params = module.params
    items, domain = params['users'], params['domain']
    try:
        if params['users_file']:
            roster = read_roster_file(params['users_file'])
            items, domain = roster.get('users') or [], domain or roster.get('domain')
        passwords = params['passwords'] or {}
        if params['passwords_text']:
            passwords = parse_passwords_text(params['passwords_text'])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    return items, passwords, domain


def run_users(module, items, passwords, single=False, domain=None, provider=None):
    """Ensure ``items`` (roster user dicts; ``passwords`` by email) and exit with the result.
    ``provider`` defaults to the one the module's backend options describe."""
    params = module.params
    passwords = passwords or {}
    invocation = summarised_invocation(module.params)
    try:
        options = PlanOptions(update_password=params['update_password'], purge=params.get('purge', False),
                              purge_action=params.get('purge_action', 'disable'),
                              max_removals=params.get('max_removals', 10), protected=params.get('protected') or (),
                              domain=domain or params['domain'])
    except ValueError as exc:
        _finish(module, dict(msg=str(exc), changed=False), passwords, invocation, failed=True)
    # The validated users hold all that is needed: the raw dicts go as they are taken (70 MB at 100k users).
    desired, problems = validate_users(draining(items) if isinstance(items, list) else items,
                                       domain=domain or params['domain'], protected=params.get('protected') or (),
                                       passwords=passwords)
    if problems:
        exc = ProblemsFound(problems, what='users list')
        _finish(module, dict(msg=str(exc), problems=[p.as_dict() for p in problems], changed=False), passwords,
                invocation, failed=True)
    provider = provider or make_provider(module)
    timings = _Timings()
    try:
        with provider:
            result = _plan_and_apply(module, provider, desired, options, single, timings)
    except ProblemsFound as exc:
        result = dict(msg=str(exc), problems=[p.as_dict() for p in exc.problems], changed=False, failed=True)
    except (PlanRefused, ProviderError) as exc:
        result = dict(msg=str(exc), changed=False, failed=True)
    result.update(timings=timings.seconds, peak_rss_mb=peak_rss_mb())
    _finish(module, result, passwords, invocation, failed=result.pop('failed', False))


def _plan_and_apply(module, provider, desired, options, single, timings):
    """The result of one run: the plan (check mode, or nothing to do) or what was applied."""
    backend, capabilities = provider.name, provider.capabilities
    problems = option_problems(backend, capabilities, options.update_password)
    problems += user_problems(backend, capabilities, desired)
    if problems:
        raise ProblemsFound(problems, what='users list')
    current = provider.read_users(emails=set(u.email for u in desired) if single else None)
    owners = provider.read_address_owners(roster_addresses(desired) if single else None)
    timings.lap('read')
    warning = set_aside_read_only(backend, capabilities, desired, current)
    if warning:
        module.warn(warning)
    problems = provider.check(desired, current) + directory_clashes(desired, current, owners, provider.entry_key)
    del owners
    if problems:
        raise ProblemsFound(problems, what='users list')
    the_plan = plan(desired, current, options, password_matches=provider.password_matches)
    problems = plan_problems(backend, capabilities, the_plan.changes)
    if problems:
        raise ProblemsFound(problems, what='users list')
    timings.lap('plan')
    refused = _unapproved_deletions(module.params.get('allowed_deletions'), the_plan)
    if refused:
        # Before any write, and without the diff: the caller archives these mailboxes and runs again.
        return dict(changed=False, failed=True, summary=the_plan.summary(), unapproved_deletions=refused,
                    msg='refusing to apply: the plan deletes %d users not in allowed_deletions (%s). Nothing was changed.'
                    % (len(refused), ', '.join(refused)))
    if the_plan.changed:
        provider.ensure_containers(users=bool(the_plan.by_action(CREATE)), check_only=module.check_mode)
    result = _plan_result(module, the_plan)
    result['foreign_locks'] = foreign_locks(desired, current)
    if result['foreign_locks']:
        module.warn('%d users of the list are locked by something other than this collection (a password policy '
                    'lockout after failed logins, or an administrator), and stay locked: %s'
                    % (len(result['foreign_locks']), first_names(result['foreign_locks'])))
    if module.check_mode or not the_plan.changed:
        return result
    changes = [c for c in the_plan.changes if c.is_change]
    on_error = module.params['on_error']
    outcome = apply_changes(changes, provider.apply_users, on_error=on_error)
    timings.lap('apply')
    result.update(outcome.emails())
    result.update(changed=bool(outcome.done), summary=_summary(outcome.done, the_plan),
                  by_department=count_by_department(outcome.done))
    if outcome.failures or outcome.aborted:
        result['failures'] = outcome.failures
        if outcome.aborted or on_error == 'stop':
            result.update(failed=True, msg=outcome.message(len(changes)))
        else:
            module.warn(outcome.message(len(changes)))
    return result


def foreign_locks(desired, current):
    """Emails of the listed users whose entry holds a lock this collection did not set."""
    listed = set(user.email for user in desired if user.state != 'absent')
    return sorted(user.email for user in current if user.foreign_lock and user.email in listed)


def _unapproved_deletions(allowed, the_plan):
    """Emails the plan deletes that ``allowed`` (None: any) does not list."""
    if allowed is None:
        return []
    allowed = set(email.lower() for email in allowed)
    return [change.email for change in the_plan.by_action(DELETE) if change.email not in allowed]


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
    return dict((key, params[key]) for key in ROSTER_KEYS if params.get(key) is not None)
