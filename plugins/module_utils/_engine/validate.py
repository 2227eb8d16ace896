# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Normalise and validate desired users: every problem is collected, none is raised early."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import AddressBook, is_protected
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    DesiredUser, Problem, ROSTER_KEYS, Secret, STATES,
)

# A pragmatic RFC 5321 subset: dot-atom local part, LDH domain labels, a letter TLD.
_LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r'(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}'
EMAIL_RE = re.compile(r'^(%s)@(%s)\Z' % (_LOCAL_PART, _DOMAIN))
DOMAIN_RE = re.compile(r'^%s\Z' % _DOMAIN)
# LDAP's TelephoneNumber syntax is a PrintableString: keep mobile numbers to what it accepts.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]*\Z")
CONTROL_RE = re.compile(u'[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]')
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make text
# display in another order than it is stored, so a name or an address can pass for another one.
BIDI_RE = re.compile(u'[\u202a-\u202e\u2066-\u2069]')
TEXT_KEYS = ('name', 'department', 'title', 'employee_id', 'mobile')
MAX_TEXT = 256
# libxcrypt's crypt() takes at most 512 bytes (CRYPT_MAX_PASSPHRASE_SIZE), passlib 4096: a longer
# password would fail while it is hashed, after other users were written.
MAX_PASSWORD_BYTES = 512


def email_problem(value):
    """Why ``value`` is not a usable email address, or None when it is."""
    if not isinstance(value, str) or not value:
        return 'is empty' if value in (None, '') else 'must be a string'
    if len(value) > 254 or not EMAIL_RE.match(value):
        return '"%s" is not an email address' % value
    if len(value.split('@', 1)[0]) > 64:
        return '"%s" has a local part longer than 64 characters' % value
    return None


def character_problem(value):
    """Why the characters of ``value`` cannot be stored as text, or None: the one check every
    free-text value (module input, template cells, department names) goes through."""
    if CONTROL_RE.search(value):
        return 'contains a control character'
    bidi = BIDI_RE.search(value)
    if bidi:
        return 'contains the bidirectional control character U+%04X' % ord(bidi.group())
    return None


def password_problem(password):
    """Why ``password`` cannot be stored as a password hash, or None. The message never holds it."""
    if not isinstance(password, str) or password == '':
        return 'must be a non-empty string'
    if '\x00' in password:
        return 'contains a NUL character, which no password hash can hold'
    try:
        size = len(password.encode('utf-8'))
    except UnicodeEncodeError:
        return 'is not valid Unicode text (it holds a lone surrogate)'
    if size > MAX_PASSWORD_BYTES:
        return 'is longer than %d bytes' % MAX_PASSWORD_BYTES
    return None


def domain_of(email):
    return email.rsplit('@', 1)[1]


def normalise_domain(domain):
    """``domain`` option: lower-case, or a ValueError naming what is wrong."""
    if domain is None:
        return None
    value = domain.strip().lower()
    if not DOMAIN_RE.match(value):
        raise ValueError('domain: "%s" is not a domain name' % domain)
    return value


def free_text(value):
    """Return (normalised, problem) for a free-text field; numbers become their digits."""
    if value is None or value == '':
        return None, None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, 'must be text, not %s' % type(value).__name__
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    message = character_problem(value)
    if message:
        return None, message
    if len(value) > MAX_TEXT:
        return None, 'is longer than %d characters' % MAX_TEXT
    return value, None


class _Validator:
    def __init__(self, domain, protected, passwords):
        self.domain = domain
        self.protected = protected
        self.passwords = passwords
        self.problems = []
        self.addresses = AddressBook()  # address (email or alias) -> index of the user that holds it

    def problem(self, index, column, message, value=None, email=None):
        self.problems.append(Problem(index, column, message, value=value, email=email))

    def address(self, index, column, value, email):
        """Validate one email address or alias, return it lower-cased (or None)."""
        message = email_problem(value)
        if message:
            self.problem(index, column, message, value=value if isinstance(value, str) else None, email=email)
            return None
        value = value.lower()
        if self.domain and domain_of(value) != self.domain:
            self.problem(index, column, '"%s" is not in the domain %s' % (value, self.domain), value=value, email=email)
        return value

    def claim(self, index, column, address, email):
        """Each address may belong to one user only, as an email or as an alias."""
        first = self.addresses.claim(address, index)
        if first is not None:
            self.problem(index, column, 'duplicate %s "%s": already used by users[%d]'
                         % ('email' if column == 'email' else 'alias', address, first),
                         value=address, email=email)

    def user(self, index, item):
        if not isinstance(item, dict):
            self.problem(index, None, 'must be a dictionary, not %s' % type(item).__name__)
            return None
        raw_email = item.get('email')
        label = raw_email if isinstance(raw_email, str) else None
        for key in sorted(set(item) - set(ROSTER_KEYS), key=str):
            if key == 'password':
                # Ansible logs a module's options (but for the declared no_log ones) on the host it runs on.
                self.problem(index, 'password', 'passwords go in the no_log option "passwords" ({email: password}), '
                             'never in the users list, where Ansible would log them', email=label)
            else:
                self.problem(index, str(key), 'unknown key (expected one of %s)' % ', '.join(ROSTER_KEYS), email=label)
        email = self.address(index, 'email', raw_email, label)
        fields = {}
        state = item.get('state', 'present')
        if state not in STATES:
            self.problem(index, 'state', '"%s" is not one of %s' % (state, ', '.join(STATES)),
                         value=str(state), email=label)
        fields['state'] = state if state in STATES else 'present'
        for key in TEXT_KEYS:
            if key not in item:
                continue
            value, message = free_text(item[key])
            if message is None and key == 'mobile' and value and not PHONE_RE.match(value):
                message = '"%s" is not a phone number (digits, spaces, + ( ) . / -)' % value
            if message:
                self.problem(index, key, message, email=label)
            else:
                fields[key] = value
        if item.get('name') in (None, '') and state == 'present':
            self.problem(index, 'name', 'is required', email=label)
        if 'aliases' in item:
            fields['aliases'] = self.aliases(index, item['aliases'], email, label)
        password = self.passwords.get(email) if email else None
        message = password_problem(password) if password is not None else None
        if message:
            self.problem(index, 'passwords', 'the password of %s %s' % (email, message), email=label)
            password = None
        if email:
            self.claim(index, 'email', email, label)
            if state != 'present' and is_protected(email, fields.get('aliases'), self.protected):
                self.problem(index, 'state', 'is %s, but %s is protected' % (
                    state, ', '.join(sorted(self.protected & set([email] + list(fields.get('aliases') or []))))),
                    value=state, email=label)
        for alias in fields.get('aliases', ()):
            if alias == email:
                self.problem(index, 'aliases', 'alias "%s" is the user\'s own email' % alias, value=alias, email=label)
            else:
                self.claim(index, 'aliases', alias, label)
        if email is None:
            return None
        return DesiredUser(email, fields, Secret(password) if password else None, index=index)

    def aliases(self, index, value, email, label):
        if value is None:
            return []
        if isinstance(value, str):
            value = [part for part in re.split(u'[,、;\\s]+', value) if part]
        if not isinstance(value, list):
            self.problem(index, 'aliases', 'must be a list of email addresses', email=label)
            return []
        result = []
        for alias in value:
            alias = self.address(index, 'aliases', alias, label)
            if alias and alias not in result:
                result.append(alias)
        return sorted(result)


def validate_users(items, domain=None, protected=(), passwords=None):
    """Return ``(desired_users, problems)`` for a list (or any iterable) of user dicts; users with
    problems are left out of the first.

    ``passwords`` maps emails to initial passwords; they travel apart from ``items`` so that they
    can be a no_log option."""
    passwords = _by_lower_case_email(passwords or {})
    validator = _Validator(normalise_domain(domain), frozenset(e.lower() for e in protected), passwords)
    if isinstance(items, (dict, str)) or not hasattr(items, '__iter__'):
        return [], [Problem(None, 'users', 'must be a list of users')]
    users = []
    for index, item in enumerate(items):
        user = validator.user(index, item)
        if user is not None:
            users.append(user)
    return users, validator.problems


def _by_lower_case_email(passwords):
    """``passwords`` with its emails in lower case: the same dict when they already are, as in the
    files the roster task writes (a copy of 100,000 passwords takes 11 MB while the caller keeps
    the original)."""
    if all(email.__class__ is str and email == email.lower() for email in passwords):
        return passwords
    return dict((str(email).lower(), password) for email, password in passwords.items())
