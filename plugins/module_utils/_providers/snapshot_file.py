# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshot files on disk, whatever their format: written atomically and readable only by their
owner (they hold password hashes), then proved by reading the bytes back from disk."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import tempfile

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError


class WrittenSnapshot:
    """What ``write_snapshot`` wrote, and what it read to write it: the file's facts, and the users
    and departments of that same read, so the roster copy costs no second read of the directory."""

    __slots__ = ('path', 'entries', 'users', 'sha256', 'current_users', 'departments')

    def __init__(self, path, entries, users, sha256, current_users, departments):
        self.path = path
        self.entries = entries
        self.users = users
        self.sha256 = sha256
        self.current_users = current_users
        self.departments = departments

    def facts(self):
        return dict(path=self.path, entries=self.entries, users=self.users, sha256=self.sha256)


def write_private(path, chunks):
    """Write the byte strings of ``chunks`` to ``path``, mode 0600, replacing it only once the whole
    file is written; returns the SHA-256 (hex) of what was written."""
    directory = os.path.dirname(os.path.abspath(path))
    digest = hashlib.sha256()
    handle, temp = tempfile.mkstemp(dir=directory, prefix='.snapshot-', suffix='.tmp')
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, 'wb') as output:
            for chunk in chunks:
                digest.update(chunk)
                output.write(chunk)
            output.flush()
            os.fsync(output.fileno())
        os.rename(temp, path)
    except Exception:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return digest.hexdigest()


def read_back(path, sha256):
    """The bytes of the file at ``path`` as they are on disk; ProviderError unless they are exactly
    the bytes written (same SHA-256)."""
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except (IOError, OSError) as exc:
        raise ProviderError('cannot read snapshot %s back: %s' % (path, exc.strerror or exc))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ProviderError('snapshot %s did not verify: the file on disk is not what was written' % path)
    return data
