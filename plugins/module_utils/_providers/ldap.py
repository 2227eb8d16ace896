# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The LDAP provider (python-ldap): reads users and departments, carries out planned changes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import Department
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import plan_restore
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_profile as profile
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_snapshot
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import (
    Capabilities, Provider, ProviderError,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import (
    LdapConnection, below, child_dn, dn_depth, dn_key, equality_filter, error_message, is_below, parent_dn, rdn_value,
    same_dn,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.passwords import PasswordHasher
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.snapshot_file import WrittenSnapshot

try:
    import ldap
except ImportError:
    pass  # reported by the module through LDAP_IMPORT_ERROR

DEPARTMENT_CLASSES = ('top', 'organizationalUnit')
DEPARTMENT_ATTRIBUTES = ('objectClass', 'description')
_DEPARTMENT_ATTRIBUTES = frozenset(a.lower() for a in DEPARTMENT_ATTRIBUTES)
_READ_ATTRIBUTES = frozenset(a.lower() for a in profile.READ_ATTRIBUTES)


class LdapProvider(Provider):
    name = 'ldap'
    capabilities = Capabilities(verify_passwords=True, departments=True, snapshot_format='ldif')

    def __init__(self, options):
        self.options = options
        self.users_dn = options['users_dn']
        self.departments_dn = options['departments_dn']
        self.hasher = PasswordHasher(options['password_scheme'], options['password_rounds'])
        self.connection = LdapConnection(options)
        self._ppolicy = None
        self._containers_seen = set()
        self._below_users = None

    def connect(self):
        self.connection.open()

    def close(self):
        self.connection.close()

    # Reading -------------------------------------------------------------------------------

    def read_users(self, emails=None):
        filterstr = profile.USER_FILTER
        if emails is not None:
            if not emails:
                return []
            filterstr = '(&%s%s)' % (profile.USER_FILTER, equality_filter('mail', sorted(emails)))
        users = self._users_of(self.connection.search(self.users_dn, filterstr, profile.READ_ATTRIBUTES))
        return users if emails is None else [u for u in users if u.email in emails]

    def _users_of(self, entries):
        """CurrentUsers of ``(dn, {attribute: [str]})`` person entries below users_dn."""
        depth = dn_depth(self.users_dn) + 1
        users = (self._user_of(dn, attrs, depth) for dn, attrs in entries)
        return [user for user in users if user is not None]

    @staticmethod
    def _user_of(dn, attrs, depth):
        """The CurrentUser of a person entry (None without a mail address); ``depth``: the RDNs of
        an entry directly in users_dn."""
        user = profile.entry_to_user(dn, attrs)
        if user is not None:
            user.in_users_container = dn_depth(dn) == depth
        return user

    def read_departments(self):
        in_departments = below(self.departments_dn)
        entries = self.connection.search(self.departments_dn, '(objectClass=*)', list(DEPARTMENT_ATTRIBUTES))
        return self._departments_of((dn, attrs) for dn, attrs in entries if in_departments(dn))

    def _departments_of(self, entries):
        """Departments (parents first) of the ``(dn, {attribute: [str]})`` entries below departments_dn."""
        nodes, members = {}, {}
        for dn, attrs in entries:
            classes = set(c.lower() for c in profile._attr(attrs, 'objectClass'))
            parent = parent_dn(dn)
            if 'organizationalunit' in classes:
                nodes[dn.lower()] = (dn, attrs)
            else:
                members[parent.lower()] = members.get(parent.lower(), 0) + 1
        departments = []
        for key, (dn, attrs) in nodes.items():
            parent = nodes.get(parent_dn(dn).lower())
            departments.append(Department(
                rdn_value(dn), parent=rdn_value(parent[0]) if parent else None,
                description=(profile._attr(attrs, 'description') or [None])[0], ref=dn, members=members.get(key, 0)))
        # Parents before children: a DN with fewer RDNs sorts first.
        return sorted(departments, key=lambda d: (dn_depth(d.ref), d.ref.lower()))

    def department_users(self, name):
        """How many users have ``name`` as their department."""
        filterstr = '(&%s%s)' % (profile.USER_FILTER, equality_filter('ou', [name]))
        return sum(1 for _entry in self.connection.search(self.users_dn, filterstr, ['1.1']))

    def read_address_owners(self, addresses=None):
        """``{address: [entry key, ...]}`` of every entry in the whole directory (``base_dn``, and
        ``users_dn`` if it lies elsewhere) whose address attributes hold an address: of all the
        addresses, or of only these (lower-case)."""
        if addresses is not None and not addresses:
            return {}
        attributes = profile.ADDRESS_ATTRIBUTES
        if addresses is None:
            filterstr = '(|%s)' % ''.join('(%s=*)' % a for a in attributes)
        else:
            filterstr = '(|%s)' % ''.join(equality_filter(a, sorted(addresses)) for a in attributes)
        bases = [self.options['base_dn']]
        if not (same_dn(self.users_dn, bases[0]) or is_below(self.users_dn, bases[0])):
            bases.append(self.users_dn)
        owners = {}
        for base in bases:
            for dn, attrs in self.connection.search(base, filterstr, list(attributes)):
                key = dn_key(dn)
                for attribute in attributes:
                    for address in profile._attr(attrs, attribute):
                        holders = owners.setdefault(address.lower(), [])
                        if key not in holders:
                            holders.append(key)
        return owners

    def entry_key(self, email, current=None):
        """The entry key (as in read_address_owners) of the entry a user is, or would be created as."""
        return dn_key(current.ref['dn'] if current is not None else self.user_dn(email))

    def check(self, desired, current):
        """Two emails with one local part would be one entry ``uid=<local part>``."""
        problems = []
        owners = dict((user.ref['dn'].lower(), user.email) for user in current)
        seen = {}
        for user in desired:
            if user.state == 'absent':
                continue
            dn = self.user_dn(user.email).lower()
            if dn in seen:
                problems.append(Problem(user.index, 'email', 'maps to the same directory entry (uid=%s) as users[%d]'
                                        % (_local_part(user.email), seen[dn]), value=user.email, email=user.email))
            seen[dn] = user.index
            owner = owners.get(dn)
            if owner is not None and owner != user.email:
                problems.append(Problem(user.index, 'email', 'the directory entry uid=%s already belongs to %s'
                                        % (_local_part(user.email), owner), value=user.email, email=user.email))
        return problems

    def password_matches(self, password, user):
        return self.hasher.matches(password, user.credential)

    # Writing -------------------------------------------------------------------------------

    def user_dn(self, email):
        # Made anew each time it is asked (4 us): kept for every user, 100,000 DNs held 20 MB
        # through a whole run, most of them asked for once, by ``check``.
        dn = child_dn('uid', _local_part(email), self.users_dn)
        if self._below_users is None:
            self._below_users = below(self.users_dn)
        if not self._below_users(dn):  # defence in depth: escaping already guarantees it
            raise ProviderError('refusing to write "%s": it is not below users_dn' % dn)
        return dn

    @property
    def ppolicy(self):
        if self._ppolicy is None:
            self._ppolicy = self.connection.subschema_knows(profile.PPOLICY_LOCK)
        return self._ppolicy

    def apply_users(self, changes, stop_on_error=False):
        """Hash the new passwords on every core while the writes stream out, a window at a time."""
        changes = list(changes)
        self.ensure_containers(users=any(c.action == 'create' for c in changes))
        hashes = self.hasher.hash_stream(c.password for c in changes if c.password is not None)
        # hash_stream yields exactly one hash per password it was given, so next() never runs out here.
        requests = (self._request(change, next(hashes) if change.password is not None else None)  # pylint: disable=stop-iteration-return
                    for change in changes)

        def settle(token, exc):
            change, dn, payload = token
            return self._settle(change, dn, payload, exc)

        relock = []
        try:
            # The pipeline settles a refusal before it decides to stop: an add that found its entry
            # and made it right is done, and must not stop the run (on_error: stop) as a refusal.
            pipeline = self.connection.pipeline(requests, stop_on_error=stop_on_error, settle=settle)
            for (change, dn, payload), error in pipeline:
                if error is None and _writes_password_over_a_foreign_lock(change, payload):
                    relock.append((dn, change.current.ref['foreign_lock']))
                yield change, error
        finally:
            hashes.close()
            self._relock(relock)

    def _relock(self, entries):
        """ppolicy deletes pwdAccountLockedTime whenever a password is written; a lock that the
        collection did not set is not its to remove, so it is set again as it was."""
        for dn, value in entries:
            try:
                self.connection.modify(dn, [(ldap.MOD_REPLACE, profile.PPOLICY_LOCK, [value])])
            except ldap.LDAPError as exc:
                raise ProviderError('the lock (%s) of %s, which ppolicy removed when its password was written, could not '
                                    'be set again: %s' % (profile.PPOLICY_LOCK, dn, error_message(exc)))

    def _settle(self, change, dn, payload, error):
        """Writes are safe to repeat, so two runs at once (or a re-run after a crash) converge: an
        add that finds the entry already there makes it what this run wants, and a delete that
        finds nothing is done. Returns the error message that remains, or None.

        Only this user's own entry (one that already holds its address) is completed so: an entry
        that another tool made where this user would go is never taken over, password included."""
        if error is None:
            return None
        try:
            if isinstance(error, ldap.ALREADY_EXISTS) and change.action == 'create':
                email = change.after['email']
                if not any(self.connection.search(dn, equality_filter('mail', [email]), ['1.1'], scope=ldap.SCOPE_BASE)):
                    return '%s (%s is not an entry of %s: it is left alone)' % (error_message(error), dn, email)
                self.connection.modify(dn, [(ldap.MOD_REPLACE, name, values) for name, values in sorted(payload.items())
                                            if name != 'objectClass'])
                return None
            if isinstance(error, ldap.NO_SUCH_OBJECT) and change.action == 'delete':
                return None
        except ldap.LDAPError as exc:
            error = exc
        return error_message(error)

    def _request(self, change, new_hash):
        """``((change, dn, payload), kind, dn, payload)``: the one write that carries out a change."""
        if change.action == 'delete':
            kind, dn, payload = 'delete', change.current.ref['dn'], None
        elif change.action == 'create':
            kind, dn, payload = 'add', self.user_dn(change.after['email']), self._new_entry(change, new_hash)
        else:
            kind, dn, payload = 'modify', change.current.ref['dn'], self._modifications(change, new_hash)
        return (change, dn, payload), kind, dn, payload

    def _new_entry(self, change, stored):
        entry = change.after
        attrs = profile.user_attributes(entry, _local_part(entry['email']))
        if entry['state'] == 'disabled':
            stored = profile.lock_password(stored)
            if self.ppolicy:
                attrs[profile.PPOLICY_LOCK] = [profile.PPOLICY_LOCKED_FOREVER]
        if stored is not None:
            attrs['userPassword'] = [stored]
        return attrs

    def _modifications(self, change, new_hash):
        ref = change.current.ref
        attrs = profile.attribute_changes(change)
        mods = [(ldap.MOD_REPLACE, name, values or None) for name, values in sorted(attrs.items())]
        disabled = change.after['state'] == 'disabled'
        stored = ref['password'].reveal() if ref['password'] else None
        new = new_hash if new_hash is not None else unlock(stored)
        new = profile.lock_password(new) if disabled else new
        if new != stored:
            mods.append((ldap.MOD_REPLACE, 'userPassword', [new] if new else None))
        if disabled and not ref['ppolicy_locked'] and self.ppolicy:
            mods.append((ldap.MOD_REPLACE, profile.PPOLICY_LOCK, [profile.PPOLICY_LOCKED_FOREVER]))
        if not disabled and ref['ppolicy_ours']:  # a lock the collection did not set is never removed
            mods.append((ldap.MOD_DELETE, profile.PPOLICY_LOCK, None))
        return mods

    def ensure_containers(self, users=False, departments=False, check_only=False):
        """Make sure users_dn (when ``users``) and departments_dn (when ``departments``) exist before
        the first write. A missing one is created only with ``create_containers``: otherwise it is
        most likely a wrong base_dn, and creating it would put a second copy of every user there."""
        for wanted, option, dn in ((users, 'users_dn', self.users_dn), (departments, 'departments_dn', self.departments_dn)):
            if not wanted or dn in self._containers_seen:
                continue
            if not self.connection.exists(dn):
                if not self.options.get('create_containers'):
                    raise ProviderError('the container %s "%s" does not exist, so nothing was changed: check base_dn '
                                        '(and %s), or set create_containers: true to create it'
                                        % (option, dn, option))
                if check_only:
                    continue
                try:
                    self.connection.add(dn, dict(objectClass=['top', 'organizationalUnit'], ou=[rdn_value(dn)]))
                except ldap.LDAPError as exc:
                    raise ProviderError('cannot create the container "%s": %s' % (dn, error_message(exc)))
            self._containers_seen.add(dn)

    def department_dn(self, path):
        dn = self.departments_dn
        for name in path:
            dn = child_dn('ou', name, dn)
        return dn

    def apply_department(self, change, path):
        try:
            dn = self.department_dn(path)
            if change.action == 'create':
                self.ensure_containers(departments=True)
                attrs = dict(objectClass=list(DEPARTMENT_CLASSES), ou=[change.name])
                if change.department.description:
                    attrs['description'] = [change.department.description]
                self.connection.add(dn, attrs)
            elif change.action == 'update':
                description = change.department.description
                self.connection.modify(change.current.ref, [(ldap.MOD_REPLACE, 'description',
                                                             [description] if description else None)])
            else:
                self.connection.delete(change.current.ref)
        except ldap.LDAPError as exc:
            raise ProviderError('%s department "%s" failed: %s' % (change.action, change.name, error_message(exc)))

    # Snapshots -------------------------------------------------------------------------------

    def count_managed_entries(self):
        return len(ldap_snapshot.read_live(self.connection, self.options, attrs=('1.1',)))

    def write_snapshot(self, path):
        roster = _SnapshotRoster(self)
        entries, sha256 = ldap_snapshot.write(self.connection, self.options, path, roster.take)
        return WrittenSnapshot(path, entries, roster.user_entries, sha256, roster.users,
                               self._departments_of(roster.department_entries))

    def verify_snapshot(self, written):
        return ldap_snapshot.verify(written.path, written.sha256, written.entries)

    def read_snapshot(self, path):
        return ldap_snapshot.read(path)

    def plan_restore(self, path):
        header, records = ldap_snapshot.read(path)
        for key in ('users_dn', 'departments_dn'):
            if header.get(key) and not same_dn(header[key], self.options[key]):
                raise ProviderError('snapshot %s was taken of %s "%s", not of "%s"; refusing to restore it here'
                                    % (path, key, header[key], self.options[key]))
        wanted = [ldap_snapshot.to_entry(dn, attrs, self.options) for dn, attrs in records]
        current = [ldap_snapshot.to_entry(dn, attrs, self.options)
                   for dn, attrs in ldap_snapshot.read_live(self.connection, self.options)]
        return plan_restore(wanted, current)

    def apply_restore(self, ops):
        done = 0
        for op in ops:
            try:
                if op.action == 'add':
                    self.connection.add(op.entry.dn, op.attrs)
                elif op.action == 'modify':
                    for mods in _restore_modifications(op.attrs):
                        self.connection.modify(op.entry.dn, mods)
                else:
                    self.connection.delete(op.entry.dn)
            except ldap.LDAPError as exc:
                raise ProviderError('restore stopped at %s %s after %d of %d operations: %s. A re-run continues from '
                                    'there.' % (op.action, op.entry.dn, done, len(ops), error_message(exc)))
            done += 1
        return done


def _restore_modifications(attrs):
    """The modify requests that set ``attrs`` ({attribute: values, [] to remove}) on an entry.

    ppolicy deletes pwdAccountLockedTime itself whenever userPassword is written: so a lock to set
    goes in a second request after the password, and a lock to remove is a MOD_DELETE (a removal by
    MOD_REPLACE, which ppolicy's own delete then finds gone, fails with "no such attribute")."""
    first, then = [], []
    writes_password = any(name.lower() == 'userpassword' for name in attrs)
    for name, values in sorted(attrs.items()):
        if not values:
            first.append((ldap.MOD_DELETE, name, None))
        elif writes_password and name.lower() == profile.PPOLICY_LOCK.lower():
            then.append((ldap.MOD_REPLACE, name, values))
        else:
            first.append((ldap.MOD_REPLACE, name, values))
    return [mods for mods in (first, then) if mods]


def _writes_password_over_a_foreign_lock(change, payload):
    if change.action in ('create', 'delete') or change.current is None:
        return False
    return bool(change.current.ref.get('foreign_lock')) and any(attr == 'userPassword' for _op, attr, _values in payload)


def unlock(stored):
    return profile.unlock_password(stored) if stored else stored


class _SnapshotRoster:
    """The roster copy of a snapshot, taken from its entries as they are read: the users in roster
    format (not the entries, nor CurrentUsers: a fraction of their memory) and the departments'
    entries. ``user_entries`` counts every entry below users_dn."""

    def __init__(self, provider):
        self.provider = provider
        self.in_users, self.in_departments = below(provider.users_dn), below(provider.departments_dn)
        self.depth = dn_depth(provider.users_dn) + 1
        self.person = profile.PERSON_CLASS.lower().encode('ascii')
        self.user_entries, self.users, self.department_entries = 0, [], []

    def take(self, dn, attrs):
        if self.in_users(dn):
            self.user_entries += 1
            if any(c.lower() == self.person for c in profile._attr(attrs, 'objectClass')):
                user = self.provider._user_of(dn, _decoded(attrs, _READ_ATTRIBUTES), self.depth)
                if user is not None:
                    self.users.append(user.roster_entry())
        if self.in_departments(dn):
            self.department_entries.append((dn, _decoded(attrs, _DEPARTMENT_ATTRIBUTES)))


def _decoded(attrs, names):
    """The attributes of ``names`` (a set of lower-case names) of a raw entry, values as text."""
    return {k: [v.decode('utf-8') for v in values] for k, values in attrs.items() if k.lower() in names}


def _local_part(email):
    return email.rsplit('@', 1)[0]
