#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: user
short_description: Ensure one mailbox user
version_added: 0.1.0
description:
  - The same engine as M(mailops.mailbox.users) for a single user, looked up by its email alone.
  - Options left out are not managed; an empty string removes a value from the directory.
  - For more than a handful of users use M(mailops.mailbox.users), which reads the directory once instead of once
    per user.
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.connection
  - mailops.mailbox.ldap
  - mailops.mailbox.exmail
  - mailops.mailbox.graph
  - mailops.mailbox.google
  - mailops.mailbox.users
  - mailops.mailbox.action_group
  - mailops.mailbox.action_group.ATTRIBUTES
options:
  email:
    description:
      - The user's primary email address; it identifies the user.
    type: str
    required: true
  name:
    description:
      - Display name, in any script. Required to create the user.
    type: str
  department:
    description:
      - Department name.
    type: str
  title:
    description:
      - Job title.
    type: str
  employee_id:
    description:
      - Employee number.
    type: str
  mobile:
    description:
      - Mobile phone number (digits, spaces, C(+), C(-), C(.), C(/), parentheses).
    type: str
  aliases:
    description:
      - Further addresses that deliver to this mailbox.
    type: list
    elements: str
  state:
    description:
      - V(present) exists and can log in; V(disabled) keeps the entry and mailbox but cannot log in;
        V(absent) is deleted.
    type: str
    choices: [present, disabled, absent]
    default: present
  password:
    description:
      - Initial password. Set on creation, and with O(update_password=always) whenever the stored hash does not
        match it.
    type: str
seealso:
  - module: mailops.mailbox.users
'''

EXAMPLES = r'''
- name: Ensure one user
  mailops.mailbox.user:
    email: zhang.san@example.org
    name: 张三
    department: 销售部
    title: 销售经理
    password: "{{ vault_initial_password }}"
    ldap:
      server_uri: ldaps://ldap.example.org
      bind_dn: cn=provisioner,dc=example,dc=org
      base_dn: dc=example,dc=org

- name: Disable a leaver (connection from module_defaults)
  mailops.mailbox.user:
    email: li.si@example.org
    state: disabled
'''

RETURN = r'''
summary:
  description: How many users each action touched (planned in check mode, done otherwise).
  returned: success
  type: dict
  sample: {created: 2, updated: 1, disabled: 0, deleted: 0, unchanged: 47}
created:
  description: Emails of the users created (or to be created in check mode).
  returned: success
  type: list
  elements: str
  sample: [zhang.san@example.org]
updated:
  description: Emails of the users whose attributes, password or enabled state changed.
  returned: success
  type: list
  elements: str
disabled:
  description: Emails of the users disabled.
  returned: success
  type: list
  elements: str
deleted:
  description: Emails of the users deleted.
  returned: success
  type: list
  elements: str
by_department:
  description: Counts per action for each department that has a change (C((none)) for users without one).
  returned: success
  type: dict
  sample: {销售部: {created: 2, updated: 0, disabled: 1, deleted: 0}}
timings:
  description: Seconds spent reading the directory, planning and applying.
  returned: success
  type: dict
  sample: {read: 0.041, plan: 0.002, apply: 0.35}
peak_rss_mb:
  description: The module's peak resident memory (or its password-hashing workers'), in MiB, for capacity planning.
  returned: success on Linux and other systems with the resource module
  type: float
  sample: 61.4
foreign_locks:
  description:
    - Emails of listed users whose entry holds a lock this collection did not set (ppolicy's C(pwdAccountLockedTime)
      after failed logins, or an administrator's lock). Such a lock is never removed; the task warns about it.
  returned: success
  type: list
  elements: str
  sample: [li.si@example.org]
failures:
  description: Changes the server refused, with its message.
  returned: when a change failed
  type: list
  elements: dict
  sample: [{email: li.si@example.org, action: create, message: "Object class violation (...)"}]
problems:
  description:
    - Every problem found in the input, when the task fails on bad input. Nothing was written then.
    - C(row) is the item's index in the list, C(column) the key.
  returned: failure on bad input
  type: list
  elements: dict
  sample: [{row: 3, column: email, email: "zhang@@example.org", value: "zhang@@example.org",
            message: "\"zhang@@example.org\" is not an email address"}]
diff:
  description:
    - With C(--diff), one before/after per changed user in roster format. Passwords appear only as
      C(********), never as a value or hash.
  returned: when diff mode is on and something changes
  type: list
  elements: dict
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.users import (
    COMMON_USER_OPTIONS, run_users, user_item,
)


def main():
    spec = dict(
        email=dict(type='str', required=True),
        name=dict(type='str'),
        department=dict(type='str'),
        title=dict(type='str'),
        employee_id=dict(type='str'),
        mobile=dict(type='str'),
        aliases=dict(type='list', elements='str'),
        state=dict(type='str', default='present', choices=['present', 'disabled', 'absent']),
        password=dict(type='str', no_log=True),
    )
    spec.update(COMMON_USER_OPTIONS)
    module = new_module(spec)
    params = module.params
    run_users(module, [user_item(params)], {params['email']: params['password']} if params['password'] else {},
              single=True)


if __name__ == '__main__':
    main()
