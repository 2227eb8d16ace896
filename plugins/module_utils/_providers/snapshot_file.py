# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshot files on disk, whatever their format: written atomically and readable only by their
owner (they hold password hashes), then proved by reading the bytes back from disk."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible_collections.mailops.mailbox.plugins.module_utils._files import atomic_write
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError


class WrittenSnapshot:
    """What ``write_snapshot`` wrote, and what it read to write it: the file's facts, and the users
    (in roster format, no secrets) and Departments of that same read, so the roster copy costs no
    second read of the directory."""

    __slots__ = ('path', 'entries', 'users', 'sha256', 'roster_users', 'departments')

    def __init__(self, path, entries, users, sha256, roster_users, departments):
        self.path = path
        self.entries = entries
        self.users = users
        self.sha256 = sha256
        self.roster_users = roster_users
        self.departments = departments

    def facts(self):
        return dict(path=self.path, entries=self.entries, users=self.users, sha256=self.sha256)


def write_private(path, chunks):
    """Write the byte strings of ``chunks`` to ``path``, mode 0600, replacing it only once the whole
    file is on disk; returns the SHA-256 (hex) of what was written."""
    digest = hashlib.sha256()
    with atomic_write(path, 0o600, '.snapshot-', binary=True) as output:
        for chunk in chunks:
            digest.update(chunk)
            output.write(chunk)
        # A backup is what a restore will need after a crash: on disk before it takes the name.
        output.flush()
        os.fsync(output.fileno())
    return digest.hexdigest()


_CHUNK = 1024 * 1024


def verify_back(path, sha256, marker):
    """Read the file at ``path`` back from disk a chunk at a time: ProviderError unless its bytes are
    exactly the bytes written (same SHA-256); returns how often ``marker`` (which cannot overlap
    itself) occurs in it. A snapshot of 100,000 users is about 90 MB: it is never held whole."""
    found, tail, keep = 0, b'', len(marker) - 1
    for chunk in _verified_chunks(path, sha256):
        # A marker may begin in the last bytes of the chunk before: too few to hold one whole.
        window = tail + chunk
        found += window.count(marker)
        tail = window[-keep:] if keep else b''
    return found


def read_back(path, sha256):
    """The bytes of the file at ``path`` as they are on disk; ProviderError unless they are exactly
    the bytes written (same SHA-256)."""
    return b''.join(_verified_chunks(path, sha256))


def _verified_chunks(path, sha256):
    """The file's bytes a chunk at a time; once they are all read, ProviderError unless their
    SHA-256 is ``sha256``: what a caller made of them counts only when the generator ends cleanly."""
    digest = hashlib.sha256()
    try:
        with open(path, 'rb') as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b''):
                digest.update(chunk)
                yield chunk
    except (IOError, OSError) as exc:
        raise ProviderError('cannot read snapshot %s back: %s' % (path, exc.strerror or exc))
    if digest.hexdigest() != sha256:
        raise ProviderError('snapshot %s did not verify: the file on disk is not what was written' % path)
