# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan the changes that take the directory to the roster (pure: data in, data out)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import is_protected
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    MANAGED_KEYS, REDACTED, Problem, ProblemsFound, diff_text, roster_entry,
)

CREATE, UPDATE, DISABLE, DELETE, UNCHANGED = 'create', 'update', 'disable', 'delete', 'unchanged'
# Result list and summary key for each action.
ACTION_KEYS = {CREATE: 'created', UPDATE: 'updated', DISABLE: 'disabled', DELETE: 'deleted', UNCHANGED: 'unchanged'}
UPDATE_PASSWORD = ('on_create', 'always')
PURGE_ACTIONS = ('disable', 'delete')


class PlanOptions:
    __slots__ = ('update_password', 'purge', 'purge_action', 'max_removals', 'protected', 'domain')

    def __init__(self, update_password='on_create', purge=False, purge_action='disable', max_removals=10,
                 protected=(), domain=None):
        if update_password not in UPDATE_PASSWORD:
            raise ValueError('update_password must be one of %s' % ', '.join(UPDATE_PASSWORD))
        if purge_action not in PURGE_ACTIONS:
            raise ValueError('purge_action must be one of %s' % ', '.join(PURGE_ACTIONS))
        if max_removals < 0:
            raise ValueError('max_removals must be 0 or more (it is %d): the number of disables plus deletes a run may '
                             'plan before it is refused as a whole' % max_removals)
        self.update_password = update_password
        self.purge = purge
        self.purge_action = purge_action
        self.max_removals = max_removals
        self.protected = frozenset(e.lower() for e in protected)
        # The roster's domain: purge acts only on users of it.
        self.domain = domain.lower() if domain else None


class Change:
    """One step of a plan.

    ``before``/``after`` are full roster entries (None when the user does not exist on that
    side); ``changed_keys`` the managed keys that differ; ``password`` the Secret to write, or
    None to leave the stored password alone; ``current`` the directory's user (for its ref).

    ``entries``, instead of ``before`` and ``after``, is a function that gives them when either is
    first read: a user the plan leaves unchanged needs neither unless a diff or a test asks, and a
    re-run of 100,000 users then holds no 200,000 roster entries that nothing reads.
    """

    __slots__ = ('action', 'email', '_before', '_after', '_entries', 'changed_keys', 'password', 'current', 'reason')

    def __init__(self, action, email, before=None, after=None, changed_keys=(), password=None, current=None,
                 reason=None, entries=None):
        self.action = action
        self.email = email
        self._before = before
        self._after = after
        self._entries = entries
        self.changed_keys = tuple(changed_keys)
        self.password = password
        self.current = current
        self.reason = reason

    @property
    def before(self):
        if self._entries is not None:
            self._make_entries()
        return self._before

    @property
    def after(self):
        if self._entries is not None:
            self._make_entries()
        return self._after

    def _make_entries(self):
        self._before, self._after = self._entries()
        self._entries = None

    @property
    def is_change(self):
        return self.action != UNCHANGED

    def diff(self):
        """Ansible's diff for this step, with the password reduced to 'it changes'."""
        after = dict(self.after) if self.after is not None else {}
        before = dict(self.before) if self.before is not None else {}
        if self.password is not None:
            if self.before is not None:
                before['password'] = REDACTED
            after['password'] = REDACTED + ' (new)'
        return dict(before_header=self.email, after_header=self.email, before=diff_text(before), after=diff_text(after))

    def __repr__(self):
        return 'Change(%s %s %s)' % (self.action, self.email, ','.join(self.changed_keys))


class Plan:
    def __init__(self, changes):
        self.changes = changes

    def by_action(self, action):
        return [c for c in self.changes if c.action == action]

    @property
    def removals(self):
        return sum(1 for c in self.changes if c.action in (DISABLE, DELETE))

    @property
    def changed(self):
        return any(c.is_change for c in self.changes)

    def summary(self):
        counts = dict((key, 0) for key in ACTION_KEYS.values())
        for change in self.changes:
            counts[ACTION_KEYS[change.action]] += 1
        return counts

    def emails(self):
        """The email lists per action that the modules return."""
        lists = dict((key, []) for key in ACTION_KEYS.values() if key != 'unchanged')
        for change in self.changes:
            if change.is_change:
                lists[ACTION_KEYS[change.action]].append(change.email)
        return lists


def count_by_department(changes):
    """``{department: {created: n, updated: n, ...}}`` for the changes that change something."""
    counts = {}
    for change in changes:
        if not change.is_change:
            continue
        entry = change.after if change.after is not None else change.before
        department = (entry or {}).get('department') or '(none)'
        per = counts.setdefault(department, dict((key, 0) for key in ACTION_KEYS.values() if key != 'unchanged'))
        per[ACTION_KEYS[change.action]] += 1
    return counts


def _classify(before_state, after_state, changed_keys, password):
    if after_state == 'absent':
        return DELETE
    if after_state == 'disabled' and before_state != 'disabled':
        return DISABLE
    return UPDATE if changed_keys or password is not None else UNCHANGED


def _plan_existing(user, current, options, password_matches):
    if user.state == 'absent':
        return Change(DELETE, user.email, before=current.roster_entry(), current=current, reason='state: absent')
    fields = user.fields
    changed = [key for key in MANAGED_KEYS if key in fields and _differs(current.fields.get(key), fields[key])]
    password = None
    if user.password is not None and options.update_password == 'always':
        if not password_matches(user.password, current):
            password = user.password
    action = _classify(current.state, user.state, changed, password)
    if action == UNCHANGED:
        return Change(action, user.email, changed_keys=changed, current=current,
                      entries=lambda: (current.roster_entry(), _wanted_entry(user, current)))
    return Change(action, user.email, before=current.roster_entry(), after=_wanted_entry(user, current),
                  changed_keys=changed, password=password, current=current)


def _wanted_entry(user, current):
    """The roster entry of an existing user as the plan leaves it: the directory's values, the roster's over them."""
    wanted = dict(current.fields)
    wanted.update(user.fields)
    wanted['email'] = user.email
    return roster_entry(wanted)


def _differs(before, after):
    if isinstance(before, (list, tuple)) or isinstance(after, (list, tuple)):
        return sorted(before or []) != sorted(after or [])
    return (before or None) != (after or None)


def _plan_new(user):
    if user.state == 'absent':
        return Change(UNCHANGED, user.email, reason='absent and not in the directory')
    after = roster_entry(dict(user.fields, email=user.email))
    changed = [key for key in MANAGED_KEYS if after.get(key) not in (None, [], 'present')]
    return Change(CREATE, user.email, after=after, changed_keys=changed, password=user.password)


def purge_scope(desired, options):
    """Whether a directory user not in the roster is one the roster could own, and so one purge acts
    on: in the roster's domain (without a ``domain``, one of its users' domains; with neither, any)
    and where the backend puts the users it creates (not in a nested OU)."""
    domains = set([options.domain]) if options.domain else set(u.email.rsplit('@', 1)[1] for u in desired)

    def could_own(current):
        return current.in_users_container and (not domains or current.email.rsplit('@', 1)[1] in domains)
    return could_own


def _plan_leaver(current, options):
    if is_protected(current.email, current.fields.get('aliases'), options.protected):
        return Change(UNCHANGED, current.email, before=current.roster_entry(), current=current, reason='protected')
    if options.purge_action == 'delete':
        return Change(DELETE, current.email, before=current.roster_entry(), current=current, reason='purge')
    if current.state == 'disabled':
        return Change(UNCHANGED, current.email, before=current.roster_entry(), current=current, reason='purge')
    after = dict(current.roster_entry(), state='disabled')
    return Change(DISABLE, current.email, before=current.roster_entry(), after=after, changed_keys=('state',),
                  current=current, reason='purge')


def plan(desired, current, options, password_matches=None):
    """Return the Plan that makes ``current`` (CurrentUser list) match ``desired`` (DesiredUser list).

    ``password_matches(secret, current_user)`` says whether a stored credential already holds a
    password; it is only asked with ``update_password: always``. Raises ProblemsFound when the
    plan cannot be carried out (a user to create without a name) and PlanRefused when it
    removes more users than ``max_removals`` allows. Nothing is written by this function.
    """
    by_email = dict((user.email, user) for user in current)
    changes = []
    problems = []
    for user in desired:
        existing = by_email.get(user.email)
        if existing is not None:
            # The validator saw the roster's aliases; the directory's count as well.
            held = set([existing.email] + list(existing.fields.get('aliases') or []))
            if user.state != 'present' and is_protected(existing.email, held, options.protected):
                problems.append(Problem(user.index, 'state', 'is %s, but %s is protected'
                                        % (user.state, ', '.join(sorted(held & options.protected))), email=user.email))
            changes.append(_plan_existing(user, existing, options, password_matches or _never_matches))
            continue
        if user.state != 'absent' and user.fields.get('name') is None:
            problems.append(Problem(user.index, 'name', 'is required to create a user that does not exist yet',
                                    email=user.email))
        changes.append(_plan_new(user))
    if problems:
        raise ProblemsFound(problems)
    if options.purge:
        listed = set(user.email for user in desired)
        could_own = purge_scope(desired, options)
        changes.extend(_plan_leaver(user, options) for user in current if user.email not in listed and could_own(user))
    result = Plan(changes)
    check_removals(result, options.max_removals)
    return result


def _never_matches(secret, current):
    return False


class PlanRefused(Exception):
    """The plan is refused as a whole, before any write."""


def check_removals(result, max_removals):
    removals = result.removals
    if removals > max_removals:
        summary = result.summary()
        raise PlanRefused(
            'refusing to apply: the plan disables %d and deletes %d users (%d removals), more than max_removals=%d. '
            'Nothing was changed. A truncated roster or a wrong domain looks like this; if the removals are '
            'intended, raise max_removals for this run.'
            % (summary['disabled'], summary['deleted'], removals, max_removals))
