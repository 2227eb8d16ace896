# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``inetorgperson`` profile: how a roster user maps to LDAP attributes and back (pure).

Disabling uses a lock marker in the password, the way ``/etc/shadow`` does: ``{CRYPT}!$6$...``.
Any bind with the old password then fails (so do Dovecot's ``auth_bind`` and Postfix SASL), on
a plain directory with only the core/cosine/inetorgperson schemas; removing the ``!`` brings the
old password back. Where the server has ppolicy, ``pwdAccountLockedTime`` is set as well, to
``000001010000Z`` (locked until unlocked).

The marker is how the collection knows its own disable: a ``pwdAccountLockedTime`` on an entry
without it (ppolicy's lockout after failed binds, or an administrator's lock), or with another
value, is not the collection's, so the user still reads as ``present`` and the lock is never
removed, only reported (``foreign_lock``). ppolicy itself deletes ``pwdAccountLockedTime`` when a
password is written, so the provider sets such a lock again after each password write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    REPEATING_KEYS, CurrentUser, Secret, SharedText,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_attributes import AttributeMap

OBJECT_CLASSES = ('top', 'person', 'organizationalPerson', 'inetOrgPerson')
PERSON_CLASS = 'inetOrgPerson'
USER_FILTER = '(objectClass=%s)' % PERSON_CLASS
# Roster key -> the one attribute that holds it (name also feeds cn/sn/givenName, see below).
SIMPLE_ATTRIBUTES = (('title', 'title'), ('department', 'ou'), ('employee_id', 'employeeNumber'), ('mobile', 'mobile'))
PPOLICY_LOCK = 'pwdAccountLockedTime'
# ppolicy's value for "locked until an administrator unlocks".
PPOLICY_LOCKED_FOREVER = '000001010000Z'
# The attributes that hold a user's addresses (the email, then the aliases): an address must be
# unique across all of them in the whole directory.
ADDRESS_ATTRIBUTES = ('mail',)
_FOLDED_SIMPLE_ATTRIBUTES = tuple((key, attribute.lower()) for key, attribute in SIMPLE_ATTRIBUTES)
READ_ATTRIBUTES = ['uid', 'mail', 'cn', 'displayName', 'userPassword', PPOLICY_LOCK] + [a for _k, a in SIMPLE_ATTRIBUTES]
LOCK_MARKER = '!'
_SCHEME = re.compile(r'^(\{[A-Za-z0-9.-]+\})(.*)$', re.S)


def lock_password(value):
    """The locked form of a stored userPassword (idempotent)."""
    if value is None:
        return '{CRYPT}' + LOCK_MARKER  # matches no password at all
    match = _SCHEME.match(value)
    if not match:
        return '{CRYPT}' + LOCK_MARKER  # a clear-text password cannot be kept locked
    scheme, rest = match.groups()
    return value if rest.startswith(LOCK_MARKER) else scheme + LOCK_MARKER + rest


def unlock_password(value):
    """The stored userPassword without the lock marker; None when nothing is left."""
    match = _SCHEME.match(value or '')
    if not match or not match.group(2).startswith(LOCK_MARKER):
        return value
    rest = match.group(2)[len(LOCK_MARKER):]
    return match.group(1) + rest if rest else None


def is_locked(value):
    match = _SCHEME.match(value or '')
    return bool(match and match.group(2).startswith(LOCK_MARKER))


def _attr(attrs, name):
    """Attribute lookup that ignores case, as LDAP does."""
    for key, values in attrs.items():
        if key.lower() == name.lower():
            return values
    return []


_SHARED = SharedText()


def entry_to_user(dn, attrs):
    """A CurrentUser from an entry, or None for a person without a mail address."""
    # Attribute names ignore case, as LDAP does: folded once here, not looked up one by one.
    folded = {k.lower(): v for k, v in attrs.items()}
    mails = [m.lower() for m in folded.get('mail', ())]
    if not mails:
        return None
    uid = (folded.get('uid') or [''])[0].lower()
    # The primary address is the one whose local part is the entry's uid; the rest are aliases.
    primary = next((m for m in mails if m.split('@', 1)[0] == uid), mails[0])
    passwords = folded.get('userpassword')
    password = passwords[0] if passwords else None
    disabled = is_locked(password)
    ppolicy_lock = folded.get(PPOLICY_LOCK.lower(), [])
    ours = disabled and ppolicy_lock == [PPOLICY_LOCKED_FOREVER]
    fields = dict(
        name=(folded.get('cn') or [None])[0],
        aliases=sorted(set(m for m in mails if m != primary)),
        state='disabled' if disabled else 'present',
    )
    for key, attribute in _FOLDED_SIMPLE_ATTRIBUTES:
        value = (folded.get(attribute) or [None])[0]
        fields[key] = _SHARED(value) if key in REPEATING_KEYS else value
    credential = Secret(unlock_password(password)) if password else None
    return CurrentUser(primary, fields, ref=dict(dn=dn, password=Secret(password) if password else None,
                                                 ppolicy_locked=bool(ppolicy_lock), ppolicy_ours=ours,
                                                 foreign_lock=ppolicy_lock[0] if ppolicy_lock and not ours else None),
                       credential=credential, foreign_lock=bool(ppolicy_lock) and not ours)


def _addresses(email, aliases):
    return dict(mail=[email] + list(aliases))


# The state is not an attribute here: it is the lock marker in userPassword (ldap.py writes it).
ATTRIBUTE_MAP = AttributeMap(SIMPLE_ATTRIBUTES, full_name=('cn', 'displayName'), addresses=_addresses)


def user_attributes(entry, uid):
    """Attributes (without password) of a new entry for a roster entry."""
    attrs = dict(objectClass=list(OBJECT_CLASSES), uid=[uid])
    attrs.update(_addresses(entry['email'], entry['aliases']))
    return ATTRIBUTE_MAP.new_entry(entry, attrs)


def attribute_changes(change):
    """``{attribute: [values] or []}`` for the roster keys a change touches ([] removes)."""
    return ATTRIBUTE_MAP.changes(change)
