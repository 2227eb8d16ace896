# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the collection writes (snapshots, roster copies, reports, vault files of passwords): each
written whole or not at all, and never readable by others while it is being written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os
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
        with os.fdopen(handle, 'wb' if binary else 'w') as output:
            yield output
        os.rename(temp, path)
    except Exception:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
