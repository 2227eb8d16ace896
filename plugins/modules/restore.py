#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: restore
short_description: Put the directory's users and departments back exactly as a snapshot was
version_added: 0.1.0
description:
  - Compares the entries below O(ldap.users_dn) and O(ldap.departments_dn) with a snapshot written by
    M(mailops.mailbox.snapshot) and makes them equal, attribute by attribute, in a safe order. Entries added since
    are removed (children first), changed ones are reverted, removed ones are re-created (parents first) with their
    old password hashes, so old passwords log in again.
  - Operational attributes the server maintains (timestamps, C(entryUUID), C(entryCSN)) are not compared or
    written.
  - Refuses a snapshot taken of other subtrees. After applying, it plans again and fails unless nothing is left.
  - Take a snapshot of the current state first, as the C(mailops.mailbox.restore) role does, so a restore can itself be
    undone.
  - On a hosted backend (O(backend=exmail), O(backend=graph)) the snapshot is JSON in roster format and holds no
    passwords, which these APIs never give back. Departments and users are put back through the same planner as the
    users module (users added since are deleted, changed ones reverted); a user that must be re-created gets a new
    initial password (change at first login), written to O(passwords_dest) as an ansible-vault encrypted vars
    file C(mailbox_initial_passwords), and RV(recreated) lists them. Without O(passwords_dest) (or O(passwords)) a
    restore that would re-create users fails before writing anything.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.google
  - mailops.mailbox.action_group
  - mailops.mailbox.action_group.ATTRIBUTES
options:
  src:
    description:
      - The snapshot file.
    type: path
    required: true
  passwords_dest:
    description:
      - Hosted backends only. Where to write the new initial passwords of the users the restore re-creates, as an
        ansible-vault encrypted vars file (mode C(0600)) encrypted with the play's vault secret, so run with
        C(--vault-id) or C(--vault-password-file). The file must not exist yet.
      - It is written before anything is applied (with a password for every user of the snapshot) and rewritten
        afterwards with only the users re-created, so a run that stops midway loses no password. It is removed when
        nobody was re-created.
      - Ignored for an LDAP snapshot, which restores the password hashes themselves.
    type: path
  passwords:
    description:
      - Initial passwords by email for users a restore re-creates on a hosted backend. Filled in from
        O(passwords_dest) when that is set; give it yourself only to choose the passwords.
      - Never logged or returned.
    type: dict
seealso:
  - module: mailops.mailbox.snapshot
'''

EXAMPLES = r'''
- name: Show what a restore would change
  mailops.mailbox.restore:
    src: /var/backups/mailbox/20261125T101500Z.ldif
  check_mode: true
  diff: true

- name: Restore
  mailops.mailbox.restore:
    src: /var/backups/mailbox/20261125T101500Z.ldif
'''

RETURN = r'''
summary:
  description: Operations by kind of entry and action, for example C(user_add) or C(department_delete).
  returned: success
  type: dict
  sample: {user_add: 2, user_modify: 1, user_delete: 3}
operations:
  description: How many operations the restore needs (planned in check mode).
  returned: success
  type: int
applied:
  description: How many operations were applied.
  returned: when something was restored
  type: int
recreated:
  description: Hosted backends; emails of the users re-created with new initial passwords (planned in check mode).
  returned: success, or failure during a hosted restore
  type: list
  elements: str
passwords_dest:
  description: The ansible-vault file holding the new initial passwords of RV(recreated).
  returned: when users were re-created with O(passwords_dest) set
  type: str
diff:
  description: Before/after attributes per entry, with password hashes shown as C(********).
  returned: when diff mode is on
  type: list
  elements: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import run_restore


def main():
    module = new_module(dict(src=dict(type='path', required=True), passwords_dest=dict(type='path'),
                             passwords=dict(type='dict', no_log=True)))
    run_restore(module)


if __name__ == '__main__':
    main()
