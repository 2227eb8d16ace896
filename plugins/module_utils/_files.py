# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the collection writes (snapshots, roster copies, reports, vault files of passwords): each
written whole or not at all, and never readable by others while it is being written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os
import stat
import tempfile


@contextlib.contextmanager
def atomic_write(path, mode, prefix, binary=False):
    """A file to write ``path``'s new content to: a temporary file beside it with ``mode`` from
    the start, renamed over ``path`` when the block ends, removed when it fails. A reader sees the
    old file or the new one, never half of one."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix='.tmp')
    try:
        os.fchmod(handle, mode)
        # Text as UTF-8 whatever the locale (a directory's names are Chinese as often as not).
        with (os.fdopen(handle, 'wb') if binary else os.fdopen(handle, 'w', encoding='utf-8')) as output:
            yield output
        os.rename(temp, path)
    except Exception:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def private_directory(path):
    """Make ``path`` a directory only its owner can enter (mode 0700), creating it and its missing
    parents (as ``mkdir -p``); returns whether anything was created or its mode changed."""
    changed = not os.path.isdir(path)
    if changed:
        os.makedirs(path, 0o700)
    if stat.S_IMODE(os.stat(path).st_mode) != 0o700:
        # makedirs' mode is masked by the umask, and an existing directory may be open to others.
        os.chmod(path, 0o700)
        changed = True
    return changed
