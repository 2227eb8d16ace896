# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The LDAP provider with ``profile: ad`` (Active Directory, Samba AD): the same connection,
departments (OUs) and write pipeline as ``ldap.py``, with AD's user objects
(``ldap_ad_profile.py``) and what AD cannot give back.

AD never returns ``unicodePwd``: a stored password cannot be compared (``update_password: always``
is refused before any write) nor saved, so snapshots are the hosted backends' JSON roster
(``json_snapshot.py``) and a restore re-creates a missing user with a new initial password.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_ad_profile as profile
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.json_snapshot import JsonSnapshots
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import LdapProvider, _local_part
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import (
    child_dn, equality_filter, error_message, is_below, parent_dn, same_dn,
)

try:
    import ldap
    import ldap.dn
    import ldap.filter
except ImportError:
    pass  # reported by the module through LDAP_IMPORT_ERROR

# sAMAccountName values asked for in one search filter.
SAM_FILTER_CHUNK = 200


def encrypted(options):
    return options['server_uri'].lower().startswith('ldaps://') or options['start_tls']


class AdProvider(JsonSnapshots, LdapProvider):
    capabilities = Capabilities(verify_passwords=False, departments=True, snapshot_format='json',
                                password_on_create=True)

    def __init__(self, options):
        super(AdProvider, self).__init__(options)
        self.ou_per_department = options.get('ou_per_department', False)

    def snapshot_scope(self):
        return '%s; %s' % (self.users_dn.lower(), self.departments_dn.lower())

    # Reading -------------------------------------------------------------------------------

    def _user_bases(self):
        """Where users live: users_dn, and the department OUs with ou_per_department."""
        bases = [self.users_dn]
        departments_inside_users = any(test(self.departments_dn, self.users_dn) for test in (same_dn, is_below))
        if self.ou_per_department and not departments_inside_users:
            bases.append(self.departments_dn)
        return bases

    def _search_users(self, filterstr, attrs):
        for base in self._user_bases():
            for dn, entry in self.connection.search(base, filterstr, attrs):
                if is_below(dn, base):
                    yield dn, entry

    def read_users(self, emails=None):
        filterstr = profile.USER_FILTER
        if emails is not None:
            if not emails:
                return []
            filterstr = '(&%s%s)' % (profile.USER_FILTER, equality_filter('mail', sorted(emails)))
        users = []
        for dn, attrs in self._search_users(filterstr, profile.READ_ATTRIBUTES):
            user = profile.entry_to_user(dn, attrs)
            if user is not None and (emails is None or user.email in emails):
                users.append(user)
        return users

    def read_address_owners(self, addresses=None):
        """``mail`` of every entry below base_dn (LdapProvider's), and the aliases of the users, which
        AD keeps in ``proxyAddresses`` (``smtp:...``)."""
        owners = super(AdProvider, self).read_address_owners(addresses)
        for user in self.read_users():
            key = self.entry_key(user.email, user)
            for alias in user.fields.get('aliases') or ():
                holders = owners.setdefault(alias, []) if addresses is None or alias in addresses else None
                if holders is not None and key not in holders:
                    holders.append(key)
        return owners

    def department_users(self, name):
        filterstr = '(&%s%s)' % (profile.USER_FILTER, equality_filter('department', [name]))
        return sum(1 for _entry in self._search_users(filterstr, ['1.1']))

    def check(self, desired, current):
        """No password in clear: AD takes ``unicodePwd`` only over an encrypted connection, and this
        collection does not even try on a plain one."""
        problems = []
        if not encrypted(self.options):
            existing = set(user.email for user in current)
            creating = [u for u in desired if u.state != 'absent' and u.email not in existing and u.password is not None]
            if creating:
                problems.append(Problem(None, 'passwords', self._plaintext_refusal(len(creating))))
        return problems

    def _plaintext_refusal(self, count):
        return ('profile ad sets passwords through unicodePwd, and %s is plain LDAP without start_tls: refusing to '
                'send %d password%s in clear (Active Directory accepts them only over an encrypted connection). Use '
                'an ldaps:// server_uri or start_tls: true' % (self.options['server_uri'], count,
                                                               '' if count == 1 else 's'))

    # Writing -------------------------------------------------------------------------------

    def apply_users(self, changes, stop_on_error=False):
        changes = list(changes)
        if any(c.password is not None for c in changes) and not encrypted(self.options):
            raise ProviderError(self._plaintext_refusal(sum(1 for c in changes if c.password is not None)))
        containers = self._containers(changes)
        names = self._allocate_names(changes)
        requests = []
        for change in changes:
            try:
                self._move(change, containers)
                requests.append(self._ad_request(change, containers, names))
            except ProviderError as exc:  # nothing of this change was written
                yield change, str(exc)
                if stop_on_error:
                    return

        def settle(token, exc):
            change, dn, payload = token
            return self._settle(change, dn, payload, exc)

        for (change, _dn, _payload), error in self.connection.pipeline(requests, stop_on_error=stop_on_error,
                                                                       settle=settle):
            yield change, error

    def _containers(self, changes):
        """``{department name: container DN}`` for the users these changes place; users_dn for
        a user without a department (or without ou_per_department)."""
        needed = set()
        for change in changes:
            if change.action in ('create', 'update', 'disable') and self.ou_per_department:
                needed.add((change.after or {}).get('department'))
        needed.discard(None)
        containers = {}
        if needed:
            containers = dict((d.name, d.ref) for d in self.read_departments() if d.name in needed)
        if any(c.action == 'create' for c in changes):
            self.ensure_containers(users=True)
        return containers

    def _container_of(self, entry, containers):
        department = entry.get('department')
        if not self.ou_per_department or not department:
            return self.users_dn
        if department not in containers:
            raise ProviderError('department "%s" has no OU below %s (ou_per_department: true): create it with the '
                                'department module first' % (department, self.departments_dn))
        return containers[department]

    def _allocate_names(self, changes):
        """``{email: sAMAccountName}`` for the users to create, free in the whole domain."""
        creates = [c for c in changes if c.action == 'create']
        if not creates:
            return {}
        bases = sorted(set(profile.sam_base(_local_part(c.email)).lower() for c in creates))
        taken = set()
        for start in range(0, len(bases), SAM_FILTER_CHUNK):
            # Each base and every numbered variant share its first SAM_MAX - 3 characters.
            prefixes = sorted(set(b[:profile.SAM_MAX - 3] for b in bases[start:start + SAM_FILTER_CHUNK]))
            parts = ['(sAMAccountName=%s*)' % ldap.filter.escape_filter_chars(p) for p in prefixes]
            filterstr = parts[0] if len(parts) == 1 else '(|%s)' % ''.join(parts)
            for _dn, attrs in self.connection.search(self.options['base_dn'], filterstr, ['sAMAccountName']):
                taken.update(v.lower() for v in profile._attr(attrs, 'sAMAccountName'))
        return dict((c.email, profile.allocate_sam(_local_part(c.email), taken)) for c in creates)

    def _move(self, change, containers):
        """Move a user whose department changed into its department's OU (modrdn with
        newSuperior) before its attributes are written; ProviderError when that fails."""
        if not self.ou_per_department or change.action not in ('update', 'disable'):
            return
        dn = change.current.ref['dn']
        target = self._container_of(change.after, containers)
        if same_dn(parent_dn(dn), target):
            return
        rdn = ldap.dn.dn2str(ldap.dn.str2dn(dn)[:1])
        try:
            self.connection.rename(dn, rdn, target)
        except ldap.LDAPError as exc:
            raise ProviderError('moving %s to %s failed: %s' % (dn, target, error_message(exc)))
        change.current.ref['dn'] = '%s,%s' % (rdn, target)

    def _ad_request(self, change, containers, names):
        if change.action == 'delete':
            dn = change.current.ref['dn']
            return (change, dn, None), 'delete', dn, None
        if change.action == 'create':
            entry = change.after
            sam = names[change.email]
            dn = child_dn('CN', sam, self._container_of(entry, containers))
            attrs = profile.user_attributes(entry, sam)
            if change.password is not None:
                attrs['unicodePwd'] = [profile.encode_password(change.password.reveal())]
                attrs['pwdLastSet'] = ['0']
            return (change, dn, attrs), 'add', dn, attrs
        dn = change.current.ref['dn']
        mods = [(ldap.MOD_REPLACE, name, values or None)
                for name, values in sorted(profile.attribute_changes(change).items())]
        if change.password is not None:
            mods.append((ldap.MOD_REPLACE, 'unicodePwd', [profile.encode_password(change.password.reveal())]))
            mods.append((ldap.MOD_REPLACE, 'pwdLastSet', ['0']))
        return (change, dn, mods), 'modify', dn, mods

    def _settle(self, change, dn, payload, error):
        """As in ``ldap.py``: an add that finds this user's own object there makes it right (a
        re-run after a crash, or two runs at once); its password is left as it was."""
        if error is not None and isinstance(error, ldap.ALREADY_EXISTS) and change.action == 'create':
            payload = dict((k, v) for k, v in payload.items() if k not in ('unicodePwd', 'pwdLastSet', 'cn'))
        return super(AdProvider, self)._settle(change, dn, payload, error)
