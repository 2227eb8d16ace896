#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: department
short_description: Ensure departments (a tree of organizational units) exist or are absent
version_added: 0.1.0
description:
  - One department by O(name), or a whole tree at once with O(departments) (the C(mailbox_roster.departments)
    list of a roster vars file). Parents are created before children and removed after them.
  - A department that still has members (child departments, other entries below it, or users whose
    department it is) is never removed; the task fails and names what is left.
  - Moving a department to another parent is refused; remove it and create it again.
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
attributes:
  action:
    description:
      - An action plugin on the controller first plans the task against O(directory_roster_file) when it is given,
        and runs the module only when that shows a change to make.
    support: full
options:
  name:
    description:
      - The department's name, unique in the tree. It cannot contain C(/).
      - Required unless O(departments) is given.
    type: str
  parent:
    description:
      - Name of the parent department; the top of the tree when omitted. It must exist or be in the same list.
    type: str
  description:
    description:
      - Free text stored on the department.
    type: str
  state:
    description:
      - Whether the department should exist.
    type: str
    choices: [present, absent]
    default: present
  departments:
    description:
      - Several departments at once, each a dict with the keys C(name), C(parent), C(description) and C(state)
        as above. Every item is validated before anything is written.
    type: list
    elements: dict
  departments_file:
    description:
      - A roster vars file (as M(mailops.mailbox.roster) writes it) to read O(departments) from,
        C(mailbox_roster.departments). The file must be on the host the module runs on.
      - When the departments need a change, the file's users are first validated as M(mailops.mailbox.users)
        validates them, and any problem fails the module before anything is written, so a roster with a bad row
        changes nothing, although departments are applied before users. With no department to change, the users are
        left to M(mailops.mailbox.users) (which fails on the same problems), and the file is read only as far as its
        departments when they come before its users, as M(mailops.mailbox.roster) writes them.
      - One of O(name), O(departments) and O(departments_file) is required.
    type: path
  directory_roster_file:
    description:
      - A roster file of this very directory that M(mailops.mailbox.snapshot) wrote moments before (its O(mailops.mailbox.snapshot#module:roster_path)),
        as the backup role does at the start of every play that provisions.
      - When the departments of O(departments) or O(departments_file) are all in that file as wanted, so that the module
        would change nothing, the task ends on the controller without connecting to the directory (the snapshot's
        read stands for the module's, which saves a second read of the directory and a module run); RV(planned_from)
        then names the file.
      - When anything would change, or the file cannot be read, the module runs and reads the directory itself, as
        without this option. The same happens when the module does not run on the controller, or a path is relative.
      - Only as current as the snapshot. Give it only the roster copy of the snapshot taken in the same play.
    type: path
'''

EXAMPLES = r'''
- name: Ensure the sales department below head office
  mailops.mailbox.department:
    name: 销售部
    parent: 总部
    ldap:
      server_uri: ldaps://ldap.example.org
      bind_dn: cn=provisioner,dc=example,dc=org
      base_dn: dc=example,dc=org

- name: The roster's whole tree
  mailops.mailbox.department:
    departments: "{{ mailbox_roster.departments }}"

- name: Remove an empty department
  mailops.mailbox.department:
    name: 旧项目组
    state: absent
'''

RETURN = r'''
created:
  description: Names of the departments created (or to be created in check mode), parents first.
  returned: success
  type: list
  elements: str
  sample: [总部, 销售部]
updated:
  description: Names of the departments whose description changed.
  returned: success
  type: list
  elements: str
deleted:
  description: Names of the departments removed, children first.
  returned: success
  type: list
  elements: str
planned_from:
  description: The O(directory_roster_file) the task was planned from, when it did not read the directory.
  returned: when O(directory_roster_file) showed nothing to change
  type: str
  sample: /root/.local/state/mailops-mailbox/backups/20261130T120000000000Z.roster.yml
problems:
  description: Every problem in the input when the task fails on it; C(row) is the index in O(departments).
  returned: failure on bad input
  type: list
  elements: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import DEPARTMENT_STATES
from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.departments import (
    department_items, run_departments,
)


def main():
    module = new_module(
        dict(
            name=dict(type='str'),
            parent=dict(type='str'),
            description=dict(type='str'),
            state=dict(type='str', default='present', choices=list(DEPARTMENT_STATES)),
            departments=dict(type='list', elements='dict'),
            departments_file=dict(type='path'),
            # Read by the action plugin, before the module runs; the module itself always reads the directory.
            directory_roster_file=dict(type='path'),
        ),
        required_one_of=[('name', 'departments', 'departments_file')],
        mutually_exclusive=[('name', 'departments', 'departments_file')],
    )
    items, before_changes = department_items(module)
    run_departments(module, items, before_changes=before_changes)


if __name__ == '__main__':
    main()
