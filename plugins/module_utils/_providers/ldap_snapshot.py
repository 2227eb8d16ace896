# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of the LDAP subtrees the collection manages, as LDIF: every user and department entry
with all its attributes, password hashes and operational attributes included."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import os
import tempfile

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import OUTSIDE, Entry
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import dn_key, is_below, same_dn

try:
    import ldap
    import ldap.dn
    import ldif
except ImportError:
    pass  # reported by the module through LDAP_IMPORT_ERROR

MAGIC = '# mailops.mailbox snapshot'
# Kept in the file for the record, but maintained by the server: a restore neither compares nor writes them.
OPERATIONAL = frozenset(a.lower() for a in (
    'structuralObjectClass', 'entryUUID', 'creatorsName', 'createTimestamp', 'entryCSN', 'modifiersName',
    'modifyTimestamp', 'entryDN', 'subschemaSubentry', 'hasSubordinates', 'contextCSN', 'numSubordinates',
    'nsUniqueId', 'objectGUID', 'whenCreated', 'whenChanged', 'uSNCreated', 'uSNChanged', 'pwdChangedTime',
    'pwdFailureTime', 'pwdHistory', 'pwdGraceUseTime', 'pwdLastSuccess', 'memberOf',
))


def to_entry(dn, attrs, options):
    """An Entry of user attributes, values as text where they are UTF-8 (bytes otherwise)."""
    user_attrs = dict((k, [_text(v) for v in values]) for k, values in attrs.items() if k.lower() not in OPERATIONAL)
    if same_dn(dn, options['users_dn']) or same_dn(dn, options['departments_dn']):
        kind = 'container'
    elif is_below(dn, options['users_dn']):
        kind = 'user'
    elif is_below(dn, options['departments_dn']):
        kind = 'department'
    else:
        kind = OUTSIDE
    return Entry(dn_key(dn), len(ldap.dn.str2dn(dn)), dn, user_attrs, kind=kind)


def _text(value):
    try:
        return value.decode('utf-8')
    except UnicodeDecodeError:
        return value


def _subtrees(options):
    """The managed subtrees, each once (departments_dn may lie below users_dn or equal it)."""
    users_dn, departments_dn = options['users_dn'], options['departments_dn']
    bases = [users_dn]
    if not (same_dn(departments_dn, users_dn) or is_below(departments_dn, users_dn)):
        bases.append(departments_dn)
    return bases


def read_live(connection, options, attrs=('*', '+')):
    """``[(dn, {attribute: [bytes]})]`` of every entry in the managed subtrees, parents first."""
    entries = []
    for base in _subtrees(options):
        entries.extend(connection.search(base, '(objectClass=*)', list(attrs), decode=False))
    entries.sort(key=lambda item: (len(ldap.dn.str2dn(item[0])), dn_key(item[0])))
    return entries


def write(connection, options, path):
    """Write the snapshot to ``path`` (mode 0600, atomically) and return its facts."""
    entries = read_live(connection, options)
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(dir=directory, prefix='.snapshot-', suffix='.tmp')
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, 'w') as output:
            output.write('%s\n# created: %s\n# users_dn: %s\n# departments_dn: %s\n# entries: %d\n\n' % (
                MAGIC, datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
                options['users_dn'], options['departments_dn'], len(entries)))
            writer = ldif.LDIFWriter(output, cols=1000000)
            for dn, attrs in entries:
                writer.unparse(dn, attrs)
        os.rename(temp, path)
    except Exception:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return facts(entries, options, path)


def facts(entries, options, path):
    users = sum(1 for dn, _a in entries if is_below(dn, options['users_dn']))
    with open(path, 'rb') as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    return dict(path=path, entries=len(entries), users=users, sha256=digest)


def read(path):
    """``(header, [(dn, {attribute: [bytes]})])`` from a snapshot file; ProviderError if it is not one."""
    try:
        with open(path, 'r') as handle:
            header = {}
            first = handle.readline().rstrip('\n')
            if first != MAGIC:
                raise ProviderError('%s is not a mailops.mailbox snapshot (its first line is not "%s")' % (path, MAGIC))
            for line in handle:
                if not line.startswith('# '):
                    break
                key, _sep, value = line[2:].rstrip('\n').partition(': ')
                header[key] = value
            handle.seek(0)
            parser = ldif.LDIFRecordList(handle)
            parser.parse()
    except (IOError, OSError) as exc:
        raise ProviderError('cannot read snapshot %s: %s' % (path, exc.strerror or exc))
    except ValueError as exc:
        raise ProviderError('snapshot %s is damaged: %s' % (path, exc))
    records = parser.all_records
    if header.get('entries') is not None and int(header['entries']) != len(records):
        raise ProviderError('snapshot %s is truncated: its header says %s entries, it holds %d'
                            % (path, header['entries'], len(records)))
    return header, records
