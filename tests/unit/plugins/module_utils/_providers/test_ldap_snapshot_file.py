# -*- coding: utf-8 -*-
"""The snapshot's own LDIF writer writes what python-ldap's LDIFWriter writes (but for values that
begin with a tab or another blank, which python-ldap's reader would strip), and reads back whole."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import io
import os
import stat

import ldif
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_snapshot, snapshot_file
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.snapshot_file import read_back, write_private

OPTIONS = dict(users_dn='ou=People,dc=example,dc=org', departments_dn='ou=Departments,dc=example,dc=org')

# Values LDIF must base64-encode (leading space, colon or '<', trailing space, line breaks, NUL,
# non-ASCII) next to plain ones.
AWKWARD = [b'plain', b' leading space', b'trailing space ', b':colon', b'<angle', b'line\nbreak', b'cr\rhere',
           b'nul\x00byte', 'Zhāng Wěi 张伟'.encode('utf-8'), b'{CRYPT}$6$salt$hash', b'', b'\xff\xfe not utf-8']


def python_ldap_record(dn, attrs):
    out = io.StringIO()
    ldif.LDIFWriter(out, cols=1000000).unparse(dn, attrs)
    return out.getvalue().encode('ascii')


@pytest.mark.parametrize('value', AWKWARD)
def test_a_record_is_byte_for_byte_what_python_ldap_writes(value):
    dn = 'uid=a,ou=People,dc=example,dc=org'
    attrs = {'cn': [value], 'objectClass': [b'top', b'inetOrgPerson'], 'description': [value, b'second']}
    assert ldap_snapshot.ldif_record(dn, attrs) == python_ldap_record(dn, attrs)


@pytest.mark.parametrize('value', [b'\tindented', b'\x0bx', b'\x0cx', b'\x1fx'])
def test_a_value_that_begins_with_a_blank_is_base64_so_a_restore_keeps_it(value):
    """python-ldap's writer leaves these plain and its reader strips the blank: restored, "\tx" was "x"."""
    record = ldap_snapshot.ldif_record('cn=a', {'cn': [value]})
    assert record == b'dn: cn=a\ncn:: %s\n\n' % base64.b64encode(value)
    parser = ldif.LDIFRecordList(io.StringIO(record.decode('ascii')))
    parser.parse()
    assert parser.all_records == [('cn=a', {'cn': [value]})]


def test_a_dn_that_needs_base64_is_written_so():
    dn = u'cn=Zhāng Wěi,ou=People,dc=example,dc=org'
    assert ldap_snapshot.ldif_record(dn, {'cn': [b'x']}) == python_ldap_record(dn, {'cn': [b'x']})
    assert ldap_snapshot.ldif_record(dn, {'cn': [b'x']}).startswith(b'dn:: ')


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(['cn', 'sn', 'description', 'title', 'userPassword']),
                       st.lists(st.binary(max_size=40), min_size=1, max_size=3), min_size=1))
def test_any_values_read_back_as_written(attrs):
    dn = 'uid=x,ou=People,dc=example,dc=org'
    record = ldap_snapshot.ldif_record(dn, attrs)
    parser = ldif.LDIFRecordList(io.StringIO(record.decode('ascii')))
    parser.parse()
    assert parser.all_records == [(dn, attrs)]


def test_verify_counts_every_record_and_refuses_other_bytes(tmp_path):
    path = str(tmp_path / 'snap.ldif')
    records = [ldap_snapshot.ldif_record('ou=People,dc=example,dc=org', {'ou': [b'People']}),
               # a value holding "\ndn:" is base64, so it cannot pass for a record of its own
               ldap_snapshot.ldif_record('uid=a,ou=People,dc=example,dc=org', {'description': [b'x\ndn: uid=evil']})]
    digest = write_private(path, [b'# header\n\n'] + records)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ldap_snapshot.verify(path, digest, 2) == 2
    with pytest.raises(ProviderError, match='2 in the file'):
        ldap_snapshot.verify(path, digest, 3)
    with open(path, 'ab') as handle:
        handle.write(b'dn: uid=late,ou=People,dc=example,dc=org\n\n')
    with pytest.raises(ProviderError, match='not what was written'):
        read_back(path, digest)


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path):
    path = tmp_path / 'snap.ldif'
    path.write_bytes(b'old')

    def chunks():
        yield b'new, half written'
        raise OSError('disk full')

    with pytest.raises(OSError):
        write_private(str(path), chunks())
    assert path.read_bytes() == b'old' and os.listdir(str(tmp_path)) == ['snap.ldif']


class _Connection:
    """The directory as python-ldap's paged search hands it over: entries of each base, in the server's order."""

    def __init__(self, entries, fail_after=None):
        self.entries = entries
        self.fail_after = fail_after

    def search(self, base, filterstr, attrs, decode=True):
        for number, (dn, attrs) in enumerate(self.entries):
            if self.fail_after is not None and number == self.fail_after:
                raise ProviderError('the connection broke')
            if dn.lower().endswith(base.lower()):
                yield dn, attrs


def _scrambled_entries(count):
    entries = [('ou=People,dc=example,dc=org', {'ou': [b'People'], 'objectClass': [b'organizationalUnit']}),
               ('ou=Departments,dc=example,dc=org', {'ou': [b'Departments']})]
    for number in range(count):
        entries.append(('uid=u%03d,ou=Sales,ou=People,dc=example,dc=org' % (count - number),
                        {'uid': [b'u%03d' % number], 'description': [AWKWARD[number % len(AWKWARD)]]}))
        if number == count // 2:
            entries.append(('ou=Sales,ou=People,dc=example,dc=org', {'ou': [b'Sales']}))
            entries.append((u'cn=Zhāng Wěi,ou=Departments,dc=example,dc=org', {'cn': [AWKWARD[8]]}))
    # The server hands entries over in its own order: children before their parents here.
    return list(reversed(entries))


def test_write_puts_parents_first_in_the_order_the_records_sorted_in_memory_had(tmp_path):
    """The records wait in a temporary file, not in memory: the snapshot's bytes are what sorting
    them in memory by (depth, DN) wrote, and the directory holds the snapshot alone afterwards."""
    entries = _scrambled_entries(300)
    seen = []
    path = str(tmp_path / 'snap.ldif')
    count, digest = ldap_snapshot.write(_Connection(entries), OPTIONS, path, lambda dn, attrs: seen.append(dn))
    assert count == len(entries) and sorted(seen) == sorted(dn for dn, _attrs in entries)
    expected = b''.join(ldap_snapshot.ldif_record(dn, attrs)
                        for dn, attrs in sorted(entries, key=lambda entry: ldap_snapshot._parents_first(entry[0])))
    data = open(path, 'rb').read()
    assert data.split(b'\n\n', 1)[1] == expected
    assert ldap_snapshot.verify(path, digest, count) == count
    assert os.listdir(str(tmp_path)) == ['snap.ldif']
    parser = ldif.LDIFRecordList(io.StringIO(data.decode('ascii')))
    parser.parse()
    assert sorted(parser.all_records) == sorted(entries)


def test_a_read_that_breaks_leaves_neither_a_snapshot_nor_its_records(tmp_path):
    with pytest.raises(ProviderError, match='broke'):
        ldap_snapshot.write(_Connection(_scrambled_entries(20), fail_after=7), OPTIONS, str(tmp_path / 'snap.ldif'))
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('chunk', [1, 2, 3, 4, 5, 7, 64])
def test_verify_reads_the_file_in_chunks_and_counts_records_across_their_edges(tmp_path, monkeypatch, chunk):
    path = str(tmp_path / 'snap.ldif')
    count, digest = ldap_snapshot.write(_Connection(_scrambled_entries(12)), OPTIONS, path)
    monkeypatch.setattr(snapshot_file, '_CHUNK', chunk)
    assert ldap_snapshot.verify(path, digest, count) == count == open(path, 'rb').read().count(b'\ndn:')
    with pytest.raises(ProviderError, match='not what was written'):
        ldap_snapshot.verify(path, digest[::-1], count)
