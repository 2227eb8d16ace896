# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a backend cannot honour, found before any write (pure).

The runners ask a provider's ``Capabilities`` here, never its name: an option or a roster key the
backend cannot carry out is a problem naming the backend and the option, and nothing is written;
a key the backend can read but not write (documented per backend) is left as the directory has it
and reported once, as one warning listing the users. Nothing is dropped silently, and nothing that
cannot be compared is reported as a change on every run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem

SHOWN_IN_WARNING = 20


def option_problems(backend, capabilities, update_password):
    """Problems with module options the backend cannot honour."""
    problems = []
    if update_password == 'always' and not capabilities.verify_passwords:
        problems.append(Problem(
            None, 'update_password',
            'backend %s cannot read back or verify a stored password, so update_password: always would set every '
            'password again on every run and never be idempotent; use update_password: on_create (passwords are '
            'set when a user is created)' % backend, value='always'))
    return problems


def user_problems(backend, capabilities, desired):
    """Problems with roster keys of ``desired`` users that the backend cannot store."""
    problems = []
    for user in desired:
        if user.state == 'absent':
            continue
        for key in sorted(set(user.fields) - capabilities.keys - set(('state',))):
            if user.fields[key] not in (None, '', []):
                problems.append(Problem(user.index, key, 'backend %s cannot store %s' % (backend, key),
                                        email=user.email))
        aliases = user.fields.get('aliases') or []
        if capabilities.max_aliases is not None and len(aliases) > capabilities.max_aliases:
            problems.append(Problem(user.index, 'aliases', 'backend %s allows at most %d aliases per user, not %d'
                                    % (backend, capabilities.max_aliases, len(aliases)), email=user.email))
    return problems


def set_aside_read_only(backend, capabilities, desired, current):
    """Drop read-only keys from ``desired`` (so the directory's values stay as they are and are
    never a change) and return one warning naming every user whose roster value differs, or None."""
    if not capabilities.read_only_keys:
        return None
    by_email = dict((user.email, user) for user in current)
    differing = {}
    for user in desired:
        for key in capabilities.read_only_keys:
            if key not in user.fields:
                continue
            wanted = user.fields.pop(key)
            existing = by_email.get(user.email)
            have = existing.fields.get(key) if existing is not None else None
            if user.state != 'absent' and _normalised(wanted) != _normalised(have):
                differing.setdefault(key, []).append(user.email)
    if not differing:
        return None
    parts = []
    for key, emails in sorted(differing.items()):
        shown = ', '.join(emails[:SHOWN_IN_WARNING]) + (', ...' if len(emails) > SHOWN_IN_WARNING else '')
        parts.append('%s of %d users left as the directory has them (%s)' % (key, len(emails), shown))
    return 'backend %s cannot write %s: %s' % (backend, ', '.join(sorted(differing)), '; '.join(parts))


def plan_problems(backend, capabilities, changes):
    """Problems of a plan the backend cannot carry out (a user it cannot create without a password)."""
    problems = []
    if capabilities.password_on_create:
        for change in changes:
            if change.action == 'create' and change.password is None:
                problems.append(Problem(None, 'passwords', 'backend %s cannot create a user without an initial '
                                        'password: give one in passwords' % backend, email=change.email))
    return problems


def _normalised(value):
    if isinstance(value, (list, tuple)):
        return sorted(value)
    return value or None


def department_problems(backend, capabilities, departments):
    """Problems with desired departments the backend cannot store."""
    problems = []
    if not capabilities.department_descriptions:
        for dep in departments:
            if dep.state == 'present' and dep.description:
                problems.append(Problem(dep.index, 'description', 'backend %s departments have no description'
                                        % backend, value=dep.description))
    return problems
