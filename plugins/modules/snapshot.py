#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: snapshot
short_description: Write a full-fidelity snapshot of the directory's users and departments, and verify it
version_added: 0.1.0
description:
  - Exports every entry below O(ldap.users_dn) and O(ldap.departments_dn) (the containers included) with all their
    attributes, password hashes and operational attributes included, to one LDIF file with mode C(0600), written
    atomically. M(mailops.mailbox.restore) puts the directory back exactly as the snapshot was.
  - Then verifies it, re-reading the file and counting its entries against the live directory; the task fails when
    they differ.
  - Also writes the directory in roster format (no secrets) to O(roster_path), in the same run and from the same
    connection, for a human-readable copy beside the snapshot; without O(roster_path) it is returned as RV(roster).
  - With O(keep), removes older snapshots from the snapshot's directory once this one is verified.
  - On a hosted backend (O(backend=exmail), O(backend=graph)) the snapshot is JSON, the departments and users in
    roster format. These APIs never give a password back, so it holds none; M(mailops.mailbox.restore) re-creates a
    missing user with a new initial password.
  - The file holds password hashes (LDAP). Keep it in a directory only the operator can read (O(create_dir) makes
    one, C(0700), as the C(mailops.mailbox.backup) role does), and encrypt it where it leaves the machine.
  - While an LDAP snapshot is written, its entries wait in a temporary file in the same directory that has no name
    (mode C(0600), gone when the task ends, even after a crash), so the directory needs room for the snapshot twice
    over for the time of the task; memory holds only each entry's place and sort key.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.google
  - mailops.mailbox.action_group
attributes:
  check_mode:
    description: Reports how many entries would be written, writes and removes nothing; the directory of O(path)
      need not exist yet.
    support: full
  diff_mode:
    description: No diff; the snapshot is a new file.
    support: none
options:
  path:
    description:
      - The snapshot file to write. Its directory must exist (except in check mode), unless O(create_dir=true).
      - Name it C(<stamp>.ldif) (C(<stamp>.json) on a hosted backend) with the UTC time as the stamp,
        C(%Y%m%dT%H%M%S%fZ) (for example C(20261125T101500123456Z.ldif)), as the C(mailops.mailbox.backup) role does,
        for O(keep) and the
        C(mailops.mailbox.restore) role's C(latest) to count it.
    type: path
    required: true
  roster_path:
    description:
      - Also write the directory as a roster vars file (C(mailbox_roster) with C(domain), C(departments), C(users);
        no secrets) to this path, mode C(0600), atomically.
      - Every string in it is tagged C(!unsafe), so Ansible never templates a value that came from the directory,
        however the file is loaded (C(-e @file), C(vars_files), or the modules' C(users_file)).
    type: path
  create_dir:
    description:
      - Create the directory of O(path) when it is missing (and its missing parents, as C(mkdir -p)), and make it
        mode C(0700), readable only by its owner, whether new or not. The snapshot holds password hashes.
      - Nothing is created in check mode.
    type: bool
    default: false
  keep:
    description:
      - Keep only the newest O(keep) snapshots in the directory of O(path) (this one included) and remove the
        older ones, each with its C(<stamp>.roster.yml) copy.
      - Only files named C(<stamp>.ldif) or C(<stamp>.json) (see O(path)) are snapshots, ordered by that stamp. Other
        files, such as
        a C(pre-migration.ldif) copied there by hand, are never removed.
      - Unset, nothing is removed.
    type: int
seealso:
  - module: mailops.mailbox.restore
'''

EXAMPLES = r'''
- name: Snapshot before changing anything
  mailops.mailbox.snapshot:
    path: /var/backups/mailbox/{{ now(utc=true, fmt='%Y%m%dT%H%M%S%fZ') }}.ldif
  register: snapshot

- name: Name the snapshot by the UTC time, once (now() changes on every use)
  ansible.builtin.set_fact:
    stamp: "{{ now(utc=true, fmt='%Y%m%dT%H%M%S%fZ') }}"

- name: Snapshot with its roster copy into a private directory (made if missing), keeping the newest 14
  mailops.mailbox.snapshot:
    path: /var/backups/mailbox/{{ stamp }}.ldif
    create_dir: true
    roster_path: /var/backups/mailbox/{{ stamp }}.roster.yml
    keep: 14
'''

RETURN = r'''
path:
  description: The snapshot file.
  returned: success
  type: str
entries:
  description: Entries in the snapshot (users, departments and their containers).
  returned: success
  type: int
  sample: 57
users:
  description: User entries in the snapshot.
  returned: success
  type: int
departments:
  description: Departments in the directory when the snapshot was taken.
  returned: success and not check mode
  type: int
sha256:
  description: SHA-256 of the snapshot file.
  returned: success and not check mode
  type: str
verified:
  description: The file was read back from disk and holds exactly the bytes written, every entry read from the directory.
  returned: success and not check mode
  type: bool
roster:
  description: The directory in roster format (C(domain), C(departments), C(users)), without secrets.
  returned: success, not check mode, and O(roster_path) not set
  type: dict
roster_path:
  description: The roster copy written.
  returned: success, not check mode, and O(roster_path) set
  type: str
removed:
  description: The older snapshots and roster copies removed to keep O(keep).
  returned: success, not check mode, and O(keep) set
  type: list
  elements: str
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import run_snapshot


def main():
    module = new_module(dict(path=dict(type='path', required=True), roster_path=dict(type='path'),
                             create_dir=dict(type='bool', default=False), keep=dict(type='int')))
    run_snapshot(module)


if __name__ == '__main__':
    main()
