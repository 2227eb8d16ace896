# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roster's data model, shared by every module and provider (pure, no I/O)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# Keys of one user in the roster vars file, in the order they are written.
ROSTER_KEYS = ('email', 'name', 'department', 'title', 'employee_id', 'mobile', 'aliases', 'state')
# Keys a planner compares between the roster and the directory.
MANAGED_KEYS = ROSTER_KEYS[1:]
STATES = ('present', 'disabled', 'absent')
REDACTED = '********'


class Secret:
    """A password or hash: it never shows itself in repr, str, logs or exceptions."""

    __slots__ = ('_value',)

    def __init__(self, value):
        self._value = value

    def reveal(self):
        return self._value

    def __repr__(self):
        return 'Secret(%s)' % REDACTED

    __str__ = __repr__

    def __bool__(self):
        return bool(self._value)


class Problem:
    """One thing wrong with the input, found before anything is written.

    ``row`` is where it is: an item index for module input, a spreadsheet row for a template.
    """

    __slots__ = ('row', 'column', 'message', 'value', 'email')

    def __init__(self, row, column, message, value=None, email=None):
        self.row = row
        self.column = column
        self.message = message
        self.value = value
        self.email = email

    def as_dict(self):
        return dict(row=self.row, column=self.column, value=self.value, message=self.message, email=self.email)

    def describe(self, where='users[{row}]'):
        place = where.format(row=self.row) if self.row is not None else ''
        if self.email:
            place += ' (%s)' % self.email
        if self.column:
            place += '%s%s' % (', column ' if where.startswith('row') else ': ', self.column)
        return '%s: %s' % (place, self.message) if place else self.message

    def __repr__(self):
        return 'Problem(%s)' % self.describe()


class ProblemsFound(Exception):
    """Raised once with every problem, so the user fixes the input in one pass."""

    def __init__(self, problems, where='users[{row}]', what='input'):
        self.problems = list(problems)
        self.where = where
        lines = [p.describe(where) for p in self.problems]
        super(ProblemsFound, self).__init__(
            '%d problem%s in the %s, nothing was changed:\n- %s'
            % (len(lines), '' if len(lines) == 1 else 's', what, '\n- '.join(lines)))


class DesiredUser:
    """A user as the roster wants it.

    ``fields`` holds only the keys the caller gave (a key left out is not managed; ``None``
    clears it), normalised; ``email`` is lower-case; ``password`` is a Secret or None.
    """

    __slots__ = ('index', 'email', 'fields', 'password')

    def __init__(self, email, fields, password=None, index=None):
        self.index = index
        self.email = email
        self.fields = fields
        self.password = password

    @property
    def state(self):
        return self.fields.get('state', 'present')

    def __repr__(self):
        return 'DesiredUser(%s, %r)' % (self.email, self.fields)


class CurrentUser:
    """A user as the directory has it: every roster key, plus the provider's own reference
    (an LDAP DN, an API id) and its stored credential (a Secret, for password checks).

    ``in_users_container`` is False for an entry that lies elsewhere than where the backend puts
    the users it creates (an LDAP entry in an OU nested below users_dn): no roster could own it,
    so purge leaves it alone. ``foreign_lock`` is True when the entry is locked by something
    other than this collection (a password policy's lockout, an administrator)."""

    __slots__ = ('email', 'fields', 'ref', 'credential', 'in_users_container', 'foreign_lock')

    def __init__(self, email, fields, ref=None, credential=None, in_users_container=True, foreign_lock=False):
        self.email = email
        self.fields = fields
        self.ref = ref
        self.credential = credential
        self.in_users_container = in_users_container
        self.foreign_lock = foreign_lock

    @property
    def state(self):
        return self.fields.get('state', 'present')

    def roster_entry(self):
        return roster_entry(dict(self.fields, email=self.email))

    def __repr__(self):
        return 'CurrentUser(%s, %r)' % (self.email, self.fields)


# Keys whose values a directory repeats across thousands of its users.
REPEATING_KEYS = ('department', 'title')


class SharedText(dict):
    """``shared(text)``: one string object for each text read again and again (a department, a
    title), up to a bound: a directory of 100,000 users in ten departments does not hold 100,000
    copies of their names (16 MB with their titles). A text seen once costs only the lookup."""

    bound = 10000

    def __call__(self, text):
        known = self.get(text)
        if known is None:
            if text is not None and len(self) < self.bound:
                self[text] = text
            return text
        return known


def roster_entry(fields):
    """One user in roster format: every roster key in the documented order, nothing secret."""
    entry = {}
    for key in ROSTER_KEYS:
        value = fields.get(key)
        if key == 'aliases':
            value = sorted(value or [])
        elif key == 'state':
            value = value or 'present'
        entry[key] = value
    return entry


def draining(items):
    """The items of a list in order, each removed from it once taken: what is built from them need
    not live beside all of the raw dicts (tens of MB at 100,000 users). The list ends empty."""
    items.reverse()
    while items:
        yield items.pop()


def diff_text(mapping):
    """A mapping as ``key: value`` lines (valid YAML, keys in their order, any script as itself),
    for Ansible's --diff: it shows text line by line, where a dict would be JSON with 张三 as
    \\u5f20\\u4e09."""
    if not mapping:
        return ''
    return ''.join('%s: %s\n' % (key, json.dumps(value, ensure_ascii=False, sort_keys=True))
                   for key, value in mapping.items())
