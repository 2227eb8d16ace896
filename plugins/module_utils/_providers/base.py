# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every provider offers the engine. A provider reads and writes; it never decides."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ProviderError(Exception):
    """A failure talking to the mail system, with a message fit for the user (no secrets)."""


class Capabilities:
    """What a backend supports, so the engine asks instead of testing a provider's name.

    ``verify_passwords``: stored credentials can be read and checked, so ``update_password:
    always`` is idempotent. ``departments``: departments are objects of their own. ``snapshots``:
    a full-fidelity export can be written and restored exactly (password hashes included).
    """

    __slots__ = ('verify_passwords', 'departments', 'snapshots')

    def __init__(self, verify_passwords, departments, snapshots):
        self.verify_passwords = verify_passwords
        self.departments = departments
        self.snapshots = snapshots


class Provider:
    """The interface a backend implements; see ``_providers/ldap.py`` for the reference one."""

    capabilities = Capabilities(verify_passwords=False, departments=False, snapshots=False)

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def connect(self):
        raise NotImplementedError

    def close(self):
        raise NotImplementedError

    def read_users(self, emails=None):
        """All users as CurrentUser objects, or only those with these (lower-case) emails."""
        raise NotImplementedError

    def read_departments(self):
        """All departments as Department objects, ``members`` filled in."""
        raise NotImplementedError

    def read_address_owners(self, addresses=None):
        """``{address: [entry key, ...]}``: every entry of the whole directory holding each address
        (as an email or an alias), or only for these (lower-case) addresses. The engine decides
        what a clash is (``_engine/addresses.py``)."""
        raise NotImplementedError

    def entry_key(self, email, current=None):
        """The key (as in read_address_owners) of the entry a user is (``current``, a CurrentUser)
        or would be created as."""
        raise NotImplementedError

    def ensure_containers(self, users=False, departments=False, check_only=False):
        """Before the first write: make sure the places new users (``users``) and departments
        (``departments``) go exist, or raise ProviderError naming the missing one. A backend
        without containers has nothing to do."""

    def check(self, desired, current):
        """Problems a plan for this backend would hit (for example two emails that map to one
        entry), found before anything is written. Returns a list of Problem."""
        return []

    def password_matches(self, password, user):
        """Whether ``user.credential`` already holds ``password`` (a Secret)."""
        return False

    def apply_users(self, changes, stop_on_error=False):
        """Carry out user changes; yields ``(change, error_message_or_None)`` for every change sent.
        With ``stop_on_error`` nothing more is sent after a refusal, but what was already sent is
        still reported, so the caller knows exactly what was applied."""
        raise NotImplementedError

    def apply_department(self, change):
        raise NotImplementedError

    # Snapshots (when ``capabilities.snapshots``) ----------------------------------------------

    def count_managed_entries(self):
        """How many entries (users, departments, their containers) a snapshot would hold now."""
        raise NotImplementedError

    def write_snapshot(self, path):
        """Write every managed entry to ``path`` (mode 0600); returns ``{path, entries, users, sha256}``."""
        raise NotImplementedError

    def read_snapshot(self, path):
        """``(header, records)`` of a snapshot file."""
        raise NotImplementedError

    def plan_restore(self, path):
        """The RestoreOp list that makes the directory equal the snapshot at ``path``."""
        raise NotImplementedError

    def apply_restore(self, ops):
        """Carry out RestoreOps in order; returns how many were applied (ProviderError on failure)."""
        raise NotImplementedError
