# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files beside a snapshot: its roster copy, and which files of a backup directory are snapshots.

A backup directory holds ``<stamp>.ldif`` snapshots (``<stamp>.json`` from a hosted backend), each
with its ``<stamp>.roster.yml`` copy, where
``<stamp>`` is the UTC time the backup role names it by (``%Y%m%dT%H%M%S%fZ``: fixed width, so
names sort in time order). Anything else an operator puts there (``pre-migration.ldif``) is not a
snapshot: rotation never removes it and ``latest`` never picks it. The restore role's ``latest``
is ``newest_first`` too, through the ``newest_snapshot`` filter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.mailops.mailbox.plugins.module_utils._files import atomic_write
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import write_roster

SNAPSHOT_NAME = re.compile(r'^(?P<stamp>[0-9]{8}T[0-9]{12}Z)\.(ldif|json)\Z')
ROSTER_COPY_SUFFIX = '.roster.yml'


def roster_copy_path(snapshot_path):
    """``<stamp>.roster.yml`` beside ``<stamp>.ldif`` (or ``.json``)."""
    return os.path.splitext(snapshot_path)[0] + ROSTER_COPY_SUFFIX


def write_roster_copy(path, roster, snapshot_name):
    """Write the directory as a roster vars file, atomically, mode 0600, with the collection's one
    roster writer: every string tagged ``!unsafe``, so loading the copy never templates a value
    that came from the directory."""
    comments = ('The directory as a roster when snapshot %s was taken (mailops.mailbox.snapshot).' % snapshot_name,
                'Every value is data from the directory, tagged !unsafe: Ansible never templates it.')
    # Written to the file as it is made: as one text, 100,000 users were 93 MB more at once.
    with atomic_write(path, 0o600, '.roster-') as output:
        write_roster(output, roster, comments)


def newest_first(names):
    """The snapshots among file ``names``, newest first, by the stamp in their names."""
    snapshots = [name for name in names if SNAPSHOT_NAME.match(name)]
    return sorted(snapshots, key=lambda name: SNAPSHOT_NAME.match(name).group('stamp'), reverse=True)


def snapshots_newest_first(directory):
    """The snapshot file names in ``directory``, newest first."""
    return newest_first(os.listdir(directory))


def beyond_keep(directory, keep, taken):
    """Paths to remove so that only the newest ``keep`` snapshots stay: each old snapshot and its
    roster copy (when there is one). Files that are not snapshots are never listed, nor ``taken``
    (the snapshot just written, even if a clock set back gave it an older stamp)."""
    paths = []
    names = [name for name in snapshots_newest_first(directory) if name != os.path.basename(taken)]
    for name in names[max(keep - 1, 0) if SNAPSHOT_NAME.match(os.path.basename(taken)) else keep:]:
        path = os.path.join(directory, name)
        paths.append(path)
        if os.path.exists(roster_copy_path(path)):
            paths.append(roster_copy_path(path))
    return paths
