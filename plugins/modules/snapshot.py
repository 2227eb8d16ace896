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
  - Also returns the directory in roster format (no secrets), for a human-readable copy beside the snapshot.
  - On a hosted backend (O(backend=exmail), O(backend=graph)) the snapshot is JSON, the departments and users in
    roster format. These APIs never give a password back, so it holds none; M(mailops.mailbox.restore) re-creates a
    missing user with a new initial password.
  - The file holds password hashes (LDAP). Keep it in a directory only the operator can read, as the
    C(mailops.mailbox.backup) role does (C(0700)), and encrypt it where it leaves the machine.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.action_group
attributes:
  check_mode:
    description: Reports how many entries would be written, writes nothing.
    support: full
  diff_mode:
    description: No diff; the snapshot is a new file.
    support: none
options:
  path:
    description:
      - The snapshot file to write. Its directory must exist.
    type: path
    required: true
seealso:
  - module: mailops.mailbox.restore
'''

EXAMPLES = r'''
- name: Snapshot before changing anything
  mailops.mailbox.snapshot:
    path: /var/backups/mailbox/{{ now(utc=true, fmt='%Y%m%dT%H%M%SZ') }}.ldif
  register: snapshot
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
  description: The file was read back and held as many entries as the directory.
  returned: success and not check mode
  type: bool
roster:
  description: The directory in roster format (C(domain), C(departments), C(users)), without secrets.
  returned: success and not check mode
  type: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import run_snapshot


def main():
    module = new_module(dict(path=dict(type='path', required=True)))
    run_snapshot(module)


if __name__ == '__main__':
    main()
