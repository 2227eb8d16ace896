# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``ad`` profile: how a roster user maps to an Active Directory (or Samba AD) user object and
back (pure).

A user is ``CN=<sAMAccountName>,<container>`` of class ``user``: ``sAMAccountName`` (at most 20
characters, from the email's local part; a collision gets a number, and an account keeps the name
it was created with), ``userPrincipalName`` and ``mail`` (the email), ``proxyAddresses``
(``SMTP:`` the email, ``smtp:`` each alias), ``displayName`` (the name), ``givenName``/``sn``,
``department``, ``title``, ``employeeID``, ``mobile``. ``userAccountControl`` carries enabled
(512, NORMAL_ACCOUNT) or disabled (514, with ACCOUNTDISABLE); the other bits an administrator set
are kept. A password goes to ``unicodePwd`` (the quoted password in UTF-16-LE), which AD accepts
only over an encrypted connection and never returns, with ``pwdLastSet: 0`` so that the user must
change it at the first login.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REPEATING_KEYS, CurrentUser, SharedText
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_attributes import AttributeMap

OBJECT_CLASSES = ('top', 'person', 'organizationalPerson', 'user')
USER_FILTER = '(&(objectCategory=person)(objectClass=user))'
# Roster key -> the one attribute that holds it (name and aliases map to several, see below).
SIMPLE_ATTRIBUTES = (('title', 'title'), ('department', 'department'), ('employee_id', 'employeeID'),
                     ('mobile', 'mobile'))
READ_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'mail', 'displayName', 'cn', 'proxyAddresses',
                   'userAccountControl'] + [a for _k, a in SIMPLE_ATTRIBUTES]
NORMAL_ACCOUNT = 0x200
ACCOUNTDISABLE = 0x2
SAM_MAX = 20
# Characters AD refuses in sAMAccountName (and "@", which would read as a UPN).
_SAM_INVALID = re.compile(r'["/\\\[\]:;|=,+*?<>@\s]')


def encode_password(password):
    """A clear password as ``unicodePwd`` takes it: in double quotes, UTF-16-LE."""
    return ('"%s"' % password).encode('utf-16-le')


def account_control(current, disabled):
    """``userAccountControl`` with ACCOUNTDISABLE set or cleared, other bits as they were."""
    value = current if current is not None else NORMAL_ACCOUNT
    return (value | ACCOUNTDISABLE) if disabled else (value & ~ACCOUNTDISABLE)


def sam_base(local_part):
    """The sAMAccountName a local part asks for: AD's forbidden characters as "_", at most 20
    characters, no trailing dot (AD refuses one)."""
    name = _SAM_INVALID.sub('_', local_part)[:SAM_MAX].rstrip('.')
    return name or '_'


def allocate_sam(local_part, taken):
    """A free sAMAccountName for ``local_part`` given ``taken`` (lower-case names in the domain),
    which it extends. The same roster on the same directory always gets the same names: the base,
    else the base shortened to make room for 2, 3, ..."""
    base = sam_base(local_part)
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = str(number)
        candidate = base[:SAM_MAX - len(suffix)].rstrip('.') + suffix
    taken.add(candidate.lower())
    return candidate


def _attr(attrs, name):
    """Attribute lookup that ignores case, as LDAP does."""
    for key, values in attrs.items():
        if key.lower() == name.lower():
            return values
    return []


def _one(attrs, name):
    return (_attr(attrs, name) or [None])[0]


def proxy_addresses(email, aliases):
    return ['SMTP:' + email] + ['smtp:' + alias for alias in aliases]


_SHARED = SharedText()


def entry_to_user(dn, attrs):
    """A CurrentUser from a user object, or None for one without a mail address."""
    mail = _one(attrs, 'mail')
    if not mail:
        return None
    email = mail.lower()
    smtp = [p.split(':', 1)[1].lower() for p in _attr(attrs, 'proxyAddresses') if p.lower().startswith('smtp:')]
    control = _one(attrs, 'userAccountControl')
    control = int(control) if control is not None else None
    fields = dict(
        name=_one(attrs, 'displayName') or _one(attrs, 'cn'),
        aliases=sorted(set(a for a in smtp if a != email)),
        state='disabled' if control is not None and control & ACCOUNTDISABLE else 'present',
    )
    for key, attribute in SIMPLE_ATTRIBUTES:
        value = _one(attrs, attribute)
        fields[key] = _SHARED(value) if key in REPEATING_KEYS else value
    return CurrentUser(email, fields, ref=dict(dn=dn, sam=_one(attrs, 'sAMAccountName'), control=control))


def _state_attributes(change):
    """userAccountControl when the state changes its ACCOUNTDISABLE bit."""
    control = account_control(change.current.ref['control'], change.after['state'] == 'disabled')
    return dict(userAccountControl=[str(control)]) if control != change.current.ref['control'] else {}


# cn is the sAMAccountName (the object's name), so only displayName holds the whole name.
ATTRIBUTE_MAP = AttributeMap(SIMPLE_ATTRIBUTES, full_name=('displayName',),
                             addresses=lambda email, aliases: dict(proxyAddresses=proxy_addresses(email, aliases)),
                             state=_state_attributes)


def user_attributes(entry, sam):
    """Attributes of a new user object for a roster entry, password aside."""
    return ATTRIBUTE_MAP.new_entry(entry, dict(
        objectClass=list(OBJECT_CLASSES), cn=[sam], sAMAccountName=[sam], userPrincipalName=[entry['email']],
        mail=[entry['email']], proxyAddresses=proxy_addresses(entry['email'], entry['aliases']),
        userAccountControl=[str(account_control(None, entry['state'] == 'disabled'))]))


def attribute_changes(change):
    """``{attribute: [values] or []}`` for the roster keys a change touches ([] removes)."""
    return ATTRIBUTE_MAP.changes(change)
