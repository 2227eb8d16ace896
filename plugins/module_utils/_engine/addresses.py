# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An address (an email or an alias) belongs to exactly one entry: the one place that decides it (pure).

Two entries answering for one address break both: Dovecot refuses a login when its lookup finds
several entries, and mail to the address has no single mailbox. The validator asks ``AddressBook``
within a roster; ``directory_clashes`` asks the same of the roster against every entry of the
directory that holds an address, as the provider read them (``Provider.read_address_owners``; the
runner asks, whatever the backend).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem


class AddressBook:
    """Who holds each address."""

    def __init__(self):
        self._holders = {}

    def claim(self, address, holder):
        """Record ``holder`` for ``address``; return the other holder that already has it, if any."""
        first = self._holders.setdefault(address, holder)
        return None if first == holder else first


def owners_by_address(users, addresses=None):
    """``{address: [email, ...]}`` of every email and alias of ``users`` (CurrentUser), or only
    these addresses: the owners for backends whose entry key is the user's email (hosted mail)."""
    owners = {}
    for user in users:
        for address in [user.email] + list(user.fields.get('aliases') or []):
            if addresses is None or address in addresses:
                owners.setdefault(address, []).append(user.email)
    return owners


def _wanted_addresses(user, existing):
    """``[(address, column)]`` the entry of ``user`` holds after the run (aliases left out of the
    roster item are not managed: the entry keeps its own)."""
    if 'aliases' in user.fields:
        aliases = user.fields['aliases'] or []
    else:
        aliases = (existing.fields.get('aliases') or []) if existing is not None else []
    return [(user.email, 'email')] + [(alias, 'aliases') for alias in aliases]


def is_protected(email, aliases, protected):
    """Whether any address of a user (its email or one of its aliases) is a protected one."""
    return email in protected or not protected.isdisjoint(aliases or ())


def roster_addresses(desired):
    """Every address the roster names, as an email or an alias."""
    found = set()
    for user in desired:
        found.add(user.email)
        found.update(user.fields.get('aliases') or ())
    return found


def directory_clashes(desired, current, held_by, entry_of):
    """Problems for every address that the roster gives a user while another entry holds it.

    ``held_by`` is ``{address: [entry, ...]}``: every entry of the whole directory that holds each
    address, as the provider read them, in the provider's canonical form. ``entry_of(email,
    current_user_or_None)`` is the entry a roster user is, or would be created as, in that form.
    An entry of the roster gives up the addresses the roster takes off it (so an alias can move
    from one roster user to another) and all of them when the roster deletes it."""
    by_email = dict((user.email, user) for user in current)
    released = set()  # (entry, address)
    wanted = []
    for user in desired:
        existing = by_email.get(user.email)
        entry = entry_of(user.email, existing)
        keeps = [] if user.state == 'absent' else _wanted_addresses(user, existing)
        if existing is not None:
            kept = set(address for address, _column in keeps)
            held = [existing.email] + list(existing.fields.get('aliases') or [])
            released.update((entry, address) for address in held if address not in kept)
        wanted.append((user, entry, keeps))
    problems = []
    for user, entry, keeps in wanted:
        for address, column in keeps:
            for holder in held_by.get(address, ()):
                if holder != entry and (holder, address) not in released:
                    problems.append(Problem(
                        user.index, column, '%s "%s" already belongs to %s: an address belongs to one entry'
                        % ('email' if column == 'email' else 'alias', address, holder), value=address, email=user.email))
    return problems
