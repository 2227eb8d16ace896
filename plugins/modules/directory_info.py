#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: directory_info
short_description: Read every mailbox user and department, in roster format
version_added: 0.1.0
description:
  - Read-only. Returns the directory's users and departments in the roster's format, so the output can be
    written as a roster vars file, compared with one, or fed back to M(mailops.mailbox.users) (which then plans no
    change).
  - Never returns passwords or password hashes.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.google
  - mailops.mailbox.action_group
  - mailops.mailbox.action_group.INFO_MODULE
seealso:
  - module: mailops.mailbox.users
'''

EXAMPLES = r'''
- name: Read the directory
  mailops.mailbox.directory_info:
    ldap:
      server_uri: ldaps://ldap.example.org
      bind_dn: cn=provisioner,dc=example,dc=org
      base_dn: dc=example,dc=org
  register: directory

- name: Write it as a roster vars file
  ansible.builtin.copy:
    content: "{{ {'mailbox_roster': directory.roster} | to_nice_yaml }}"
    dest: roster-from-directory.yml
    mode: "0644"
'''

RETURN = r'''
users:
  description: Every user, sorted by email, in roster format (no password or hash).
  returned: success
  type: list
  elements: dict
  sample:
    - email: zhang.san@example.org
      name: 张三
      department: 销售部
      title: 销售经理
      employee_id: E1001
      mobile: "+8613800000000"
      aliases: []
      state: present
departments:
  description: Every department, parents before children, with C(name), C(parent) and C(description).
  returned: success
  type: list
  elements: dict
  sample: [{name: 总部, parent: null, description: null}, {name: 销售部, parent: 总部, description: null}]
domains:
  description: The mail domains of the users, sorted.
  returned: success
  type: list
  elements: str
roster:
  description: C(domain) (when all users share one), C(departments) and C(users), ready to save as C(mailbox_roster).
  returned: success
  type: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import run_directory_info


def main():
    module = new_module({})
    run_directory_info(module)


if __name__ == '__main__':
    main()
