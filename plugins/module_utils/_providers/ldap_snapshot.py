# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of the LDAP subtrees the collection manages, as LDIF: every user and department entry
with all its attributes, password hashes and operational attributes included."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import os
import re
import tempfile

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import OUTSIDE, Entry
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import (
    dn_depth, dn_key, is_below, same_dn,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.snapshot_file import verify_back, write_private

try:
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
    return Entry(dn_key(dn), dn_depth(dn), dn, user_attrs, kind=kind)


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


def _managed_entries(connection, options, attrs):
    """``(dn, {attribute: [bytes]})`` of every entry in the managed subtrees, as the server sends them."""
    for base in _subtrees(options):
        yield from connection.search(base, '(objectClass=*)', list(attrs), decode=False)


def _parents_first(dn):
    """The order of entries in a snapshot: parents first is all a restore needs; the DN text orders
    siblings the same way every time."""
    return dn_depth(dn), dn.lower()


def read_live(connection, options, attrs=('*', '+')):
    """``[(dn, {attribute: [bytes]})]`` of every entry in the managed subtrees, parents first."""
    return sorted(_managed_entries(connection, options, attrs), key=lambda entry: _parents_first(entry[0]))


def write(connection, options, path, each=None):
    """Read the managed subtrees once and write them to ``path`` (mode 0600, atomically), parents
    first; ``each(dn, attrs)`` sees every entry as it is read, raw, so that a caller takes what it
    needs from the same read. Returns ``(entries, sha256)``: how many were written, and the digest.

    The entries' LDIF records wait, in the order read, in a temporary file beside ``path`` that has
    no name (it holds password hashes: mode 0600, and gone when closed, even after a crash); memory
    keeps only each record's place in the file and its sort key. A snapshot of 100,000 users is
    about 90 MB of records."""
    places = []
    with tempfile.TemporaryFile(dir=os.path.dirname(os.path.abspath(path)), prefix='.snapshot-records-') as spool:
        offset = 0
        for dn, attrs in _managed_entries(connection, options, ('*', '+')):
            record = ldif_record(dn, attrs)
            spool.write(record)
            places.append((_parents_first(dn), offset, len(record)))
            offset += len(record)
            if each is not None:
                each(dn, attrs)
        spool.flush()
        # The sort keys are unique (one entry per DN), so this is the order a stable sort of the
        # records gives: the same bytes as when the records were sorted in memory.
        places.sort()
        header = '%s\n# created: %s\n# users_dn: %s\n# departments_dn: %s\n# entries: %d\n\n' % (
            MAGIC, datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            options['users_dn'], options['departments_dn'], len(places))
        return len(places), write_private(path, _records(header.encode('utf-8'), spool.fileno(), places))


def _records(header, spool, places):
    yield header
    for _order, offset, length in places:
        record = os.pread(spool, length, offset)
        if len(record) != length:
            raise ProviderError('the records of the snapshot could not be read back from its temporary file')
        yield record


# The values LDIF must carry base64-encoded (RFC 2849 SAFE-STRING: python-ldap's LDIFWriter test),
# and also those that begin with a tab or other blank: python-ldap's reader strips every blank after
# "attr: ", so such a value written plain would be restored without it.
_NEEDS_BASE64 = re.compile(b'(^[\000\t\n\x0b\x0c\r\x1c-\x1f :<]|[\000\n\r\200-\377]|[ ]$)')


def ldif_record(dn, attrs):
    """One LDIF content record (``dn``, then the attributes in name order, then a blank line)."""
    # One loop and no call per value: a snapshot writes about 26 values for each of its entries.
    needs_base64, b64encode = _NEEDS_BASE64.search, base64.b64encode
    dn = dn.encode('utf-8')
    lines = [b'dn:: %s\n' % b64encode(dn) if needs_base64(dn) else b'dn: %s\n' % dn]
    append = lines.append
    for name in sorted(attrs):
        attribute = name.encode('ascii')
        for value in attrs[name]:
            append(b'%s:: %s\n' % (attribute, b64encode(value)) if needs_base64(value) else b'%s: %s\n' % (attribute, value))
    append(b'\n')
    return b''.join(lines)


def verify(path, sha256, entries):
    """Read the file back from disk: the bytes written, holding ``entries`` records; ProviderError if not."""
    # Every record starts with a "dn:" line, and no value line can (line breaks in values are base64).
    records = verify_back(path, sha256, b'\ndn:')
    if records != entries:
        raise ProviderError('snapshot %s did not verify: %d entries read from the directory, %d in the file'
                            % (path, entries, records))
    return records


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
