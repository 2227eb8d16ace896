# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every provider offers the runners. A provider reads and writes; it never decides.

``Provider`` is an abstract base: it declares every method a runner calls, with the signatures the
providers implement, so a backend that forgets one cannot even be instantiated. ``Capabilities``
says what a backend can honour; the runners ask it (``_engine/capabilities.py``) before writing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import abc

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.addresses import owners_by_address
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import MANAGED_KEYS


class ProviderError(Exception):
    """A failure talking to the mail system, with a message fit for the user (no secrets)."""


class Capabilities:
    """What a backend supports, so the runners ask instead of testing a provider's name.

    ``verify_passwords``: a stored password can be checked against a given one, so
    ``update_password: always`` is idempotent (without it the option is refused before any write).
    ``departments``: departments are objects of their own (LDAP OUs, Exmail departments); without
    it a department exists only as its users' ``department`` text (Graph).
    ``snapshot_format``: ``ldif`` (full fidelity, password hashes included) or ``json`` (users and
    departments; no password can be read back).
    ``keys``: the roster keys the backend stores. ``read_only_keys``: keys it reads but cannot
    write through its API: a difference is reported once as a warning listing the users, never
    as a change. ``max_aliases``: the most aliases one user may have (None: no limit).
    ``password_on_create``: a user cannot be created without an initial password.
    ``department_descriptions``: a department can hold a description.
    """

    __slots__ = ('verify_passwords', 'departments', 'snapshot_format', 'keys', 'read_only_keys', 'max_aliases',
                 'password_on_create', 'department_descriptions')

    def __init__(self, verify_passwords, departments, snapshot_format, keys=MANAGED_KEYS, read_only_keys=(),
                 max_aliases=None, password_on_create=False, department_descriptions=True):
        self.verify_passwords = verify_passwords
        self.departments = departments
        self.snapshot_format = snapshot_format
        self.keys = frozenset(keys)
        self.read_only_keys = frozenset(read_only_keys)
        self.max_aliases = max_aliases
        self.password_on_create = password_on_create
        self.department_descriptions = department_descriptions


class Provider(abc.ABC):
    """The interface a backend implements; ``_providers/ldap.py`` is the reference one and
    ``_providers/memory.py`` the smallest."""

    #: The backend's name as the ``backend`` option spells it (used in messages).
    name = None
    capabilities = None
    #: For a restore on a backend whose snapshots hold no passwords (``snapshot_format: json``): the
    #: initial passwords of users it re-creates (set by the runner), and who they were.
    restore_passwords = None
    recreated = ()

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc_info):
        self.close()

    @abc.abstractmethod
    def connect(self):
        """Open the connection (bind, fetch a token); ProviderError when that fails."""

    @abc.abstractmethod
    def close(self):
        """Release the connection; safe to call twice."""

    # Reading -------------------------------------------------------------------------------

    @abc.abstractmethod
    def read_users(self, emails=None):
        """All users as CurrentUser objects, or only those with these (lower-case) emails."""

    @abc.abstractmethod
    def read_departments(self):
        """All departments as Department objects, parents before children, ``members`` filled in
        with what a removal would orphan besides users (child entries that are not departments)."""

    @abc.abstractmethod
    def department_users(self, name):
        """How many users have ``name`` as their department."""

    def read_address_owners(self, addresses=None):
        """``{address: [entry key, ...]}``: every entry of the whole directory holding each address
        (as an email or an alias), or only for these (lower-case) addresses. The engine decides
        what a clash is (``_engine/addresses.py``). By default: every user's email and aliases,
        for backends whose entry key is the email (hosted mail)."""
        return owners_by_address(self.read_users(), addresses)

    def entry_key(self, email, current=None):
        """The key (as in read_address_owners) of the entry a user is (``current``, a CurrentUser)
        or would be created as. By default its email (hosted mail)."""
        return email

    def ensure_containers(self, users=False, departments=False, check_only=False):
        """Before the first write: make sure the places new users (``users``) and departments
        (``departments``) go exist, or raise ProviderError naming the missing one. A backend
        without containers has nothing to do."""

    def check(self, desired, current):
        """Problems a plan for this backend would hit (two emails that map to one entry), found
        before anything is written. Returns a list of Problem. Addresses held by other entries are
        the runner's question (``read_address_owners``), not this one's."""
        return []

    def password_matches(self, password, user):
        """Whether ``user.credential`` already holds ``password`` (a Secret); only asked when
        ``capabilities.verify_passwords``."""
        return False

    # Writing -------------------------------------------------------------------------------

    @abc.abstractmethod
    def apply_users(self, changes, stop_on_error=False):
        """Carry out user changes; yields ``(change, error_message_or_None)`` for every change sent.
        With ``stop_on_error`` nothing more is sent after a refusal, but what was already sent is
        still reported, so the caller knows exactly what was applied."""

    @abc.abstractmethod
    def apply_department(self, change, path):
        """Carry out one DepartmentChange; ``path`` is the department's names from the top of the
        tree down (``_engine/departments.DepartmentTree.path``), which each backend maps to its own
        notion (an OU DN, a parent department id). ProviderError on refusal."""

    # Snapshots -------------------------------------------------------------------------------

    @abc.abstractmethod
    def count_managed_entries(self):
        """How many entries (users, departments, their containers) a snapshot would hold now."""

    @abc.abstractmethod
    def write_snapshot(self, path):
        """Write every managed entry to ``path`` (mode 0600, atomically) from one read of the
        directory; returns a ``snapshot_file.WrittenSnapshot`` (the file's facts, and the users and
        departments of that read)."""

    @abc.abstractmethod
    def verify_snapshot(self, written):
        """Read the file of a WrittenSnapshot back from disk; returns how many entries it holds.
        ProviderError unless it holds exactly what was written."""

    @abc.abstractmethod
    def read_snapshot(self, path):
        """``(header, records)`` of a snapshot file."""

    @abc.abstractmethod
    def plan_restore(self, path):
        """The RestoreOp list that makes the directory equal the snapshot at ``path``."""

    @abc.abstractmethod
    def apply_restore(self, ops):
        """Carry out RestoreOps in order; returns how many were applied (ProviderError on failure)."""
