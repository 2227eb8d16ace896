# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: newest_snapshot
short_description: Pick the newest snapshot from a backup directory's file paths
version_added: 0.2.0
author:
  - mailops.mailbox contributors (@mailops)
description:
  - Of a list of file paths, such as the files C(ansible.builtin.find) lists in a backup directory, returns the
    newest snapshot the C(mailops.mailbox.backup) role wrote.
  - Only a file named C(<stamp>.ldif) or C(<stamp>.json) is a snapshot, where the stamp is the UTC time it was
    taken (C(%Y%m%dT%H%M%S%fZ)), and the newest is the one with the latest stamp. M(mailops.mailbox.snapshot)
    rotates by the same rule (O(mailops.mailbox.snapshot#module:keep)), so another file kept there, such as a
    C(pre-migration.ldif) copied by hand, is never picked.
  - The C(mailops.mailbox.restore) role takes its C(latest) snapshot with it.
options:
  _input:
    description: File paths; only their last component is looked at.
    type: list
    elements: path
    required: true
seealso:
  - module: mailops.mailbox.snapshot
  - module: mailops.mailbox.restore
'''

EXAMPLES = r'''
- name: List the backup directory
  ansible.builtin.find:
    paths: /var/backups/mailbox
  register: backups

- name: Restore the newest snapshot
  mailops.mailbox.restore:
    src: "{{ backups.files | map(attribute='path') | mailops.mailbox.newest_snapshot }}"
'''

RETURN = r'''
_value:
  description: The path of the newest snapshot, as given; an empty string when none of the paths is a snapshot.
  type: string
'''

import os

from ansible_collections.mailops.mailbox.plugins.module_utils._module.backup_files import newest_first


def newest_snapshot(paths):
    by_name = dict((os.path.basename(str(path)), str(path)) for path in paths)
    names = newest_first(by_name)
    return by_name[names[0]] if names else ''


class FilterModule(object):
    def filters(self):
        return {'newest_snapshot': newest_snapshot}
