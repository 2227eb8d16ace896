#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: users
short_description: Ensure a whole list of mailbox users in one pass
version_added: 0.1.0
description:
  - Declarative and batched. Reads the directory once, compares it with O(users), plans every create, update,
    disable and delete, checks the plan as a whole (input problems, O(max_removals)), and only then writes.
  - A re-run with nothing to change makes no write and reports C(changed=false); C(--check --diff) shows the
    plan per user, with passwords redacted.
  - Users in the directory but not in O(users) are left alone unless O(purge=true).
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
  users:
    description:
      - The users, in the roster's format (the C(mailbox_roster.users) list of a roster vars file).
      - Keys are C(email) (required), C(name) (required unless C(state=absent)), C(department), C(title),
        C(employee_id), C(mobile), C(aliases) (a list of addresses) and C(state) (V(present), V(disabled) or
        V(absent); default V(present)).
      - Passwords are not part of a user here. Give them in O(passwords), a C(no_log) option, so that Ansible
        never logs them. A C(password) key in an item is masked like a C(no_log) value where Ansible logs the
        module's invocation, and is refused.
      - A key left out is not managed; V(null) or an empty string removes the value from the directory.
      - Every item is validated before anything is written (email syntax, O(domain), duplicate emails and
        aliases, unknown keys and states); the task fails with a list of every problem, each naming the
        item's index, its email and the key.
      - Exactly one of O(users) and O(users_file) is required.
    type: list
    elements: dict
  users_file:
    description:
      - A roster vars file (as M(mailops.mailbox.roster) writes it) to read O(users) from, C(mailbox_roster.users);
        its C(domain) is used when O(domain) is not set.
      - For rosters of thousands it is several times faster than O(users), which passes every user through Ansible's
        variables and templating; the module reads the file itself with libyaml. The file must be on the host the
        module runs on (the controller, for this collection's playbooks).
    type: path
  passwords_text:
    description:
      - The text of the initial passwords vars file, typically
        C("{{ lookup('ansible.builtin.unvault', 'passwords.yml') }}"), the vault file decrypted by the controller
        and handed over as one string, which the module parses. Faster than O(passwords) for thousands of users.
      - Never logged or returned; parse errors name the line, never its text.
      - Mutually exclusive with O(passwords).
    type: str
  passwords:
    description:
      - Initial passwords by email, for example the C(mailbox_initial_passwords) dict of the ansible-vault
        encrypted vars file that the roster module writes.
      - Never logged or returned.
    type: dict
  purge:
    description:
      - Also act on users in the directory that are not in O(users), with O(purge_action).
      - Only on users the roster could own, in its domain (O(domain), or the roster file's; without either, the
        domains of the listed users) and where new users go (directly below O(ldap.users_dn), not in a nested OU).
    type: bool
    default: false
  purge_action:
    description:
      - V(disable) keeps the entry and mailbox but stops logins; V(delete) removes the entry.
    type: str
    choices: [disable, delete]
    default: disable
  max_removals:
    description:
      - Refuse the whole plan, before any write, when it disables plus deletes more users than this. It guards
        against a truncated list or a wrong domain disabling everyone.
    type: int
    default: 10
  protected:
    description:
      - Addresses that are never disabled or deleted, by O(purge) or by their own C(state). A user is protected
        when its email or any of its aliases is listed.
    type: list
    elements: str
    default: []
  allowed_deletions:
    description:
      - When set, the plan may delete only these users. A plan that deletes anyone else is refused as a whole,
        before any write, and the task fails listing them in RV(unapproved_deletions).
      - For a caller that must do something before a user is deleted, such as archiving the mailbox (the
        C(mailops.mailbox.provision) role does), run with V([]), and only when the run is refused, do it for
        RV(unapproved_deletions) and run again allowing exactly those. A run that deletes nobody needs no
        look-ahead.
      - Unset, any deletion the plan makes is allowed.
    type: list
    elements: str
notes:
  - Passwords are hashed on the controller side of the connection as C({CRYPT}) SHA-512-crypt with 5000 rounds
    by default (see O(ldap.password_scheme)).
seealso:
  - module: mailops.mailbox.user
  - module: mailops.mailbox.directory_info
'''

EXAMPLES = r'''
- name: Apply the roster
  mailops.mailbox.users:
    users: "{{ mailbox_roster.users }}"
    passwords: "{{ mailbox_initial_passwords }}"
    domain: "{{ mailbox_roster.domain }}"
    ldap:
      server_uri: ldaps://ldap.example.org
      bind_dn: cn=provisioner,dc=example,dc=org
      bind_pw: "{{ vault_ldap_provisioner_password }}"
      base_dn: dc=example,dc=org

- name: Connection options once for the whole play
  hosts: localhost
  module_defaults:
    group/mailops.mailbox.all:
      ldap:
        server_uri: ldaps://ldap.example.org
        bind_dn: cn=provisioner,dc=example,dc=org
        base_dn: dc=example,dc=org
  tasks:
    - name: Two users, one of them disabled; leavers disabled too
      mailops.mailbox.users:
        users:
          - email: zhang.san@example.org
            name: 张三
            department: 销售部
            title: 销售经理
          - email: li.si@example.org
            name: 李四
            state: disabled
        passwords:
          zhang.san@example.org: "{{ vault_initial_password_zhang }}"
        purge: true
        purge_action: disable
        max_removals: 5
        protected:
          - postmaster@example.org
'''

RETURN = r'''
unapproved_deletions:
  description: Emails the plan would delete that O(allowed_deletions) does not list; the run was refused, nothing
    was written.
  returned: when the run is refused for them
  type: list
  elements: str
  sample: [li.si@example.org]
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

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import PURGE_ACTIONS
from ansible_collections.mailops.mailbox.plugins.module_utils._module.common import new_module
from ansible_collections.mailops.mailbox.plugins.module_utils._module.users import (
    COMMON_USER_OPTIONS, run_users, users_input,
)


def main():
    spec = dict(
        users=dict(type='list', elements='dict'),
        users_file=dict(type='path'),
        passwords=dict(type='dict', no_log=True),
        passwords_text=dict(type='str', no_log=True),
        purge=dict(type='bool', default=False),
        purge_action=dict(type='str', default='disable', choices=list(PURGE_ACTIONS)),
        max_removals=dict(type='int', default=10),
        protected=dict(type='list', elements='str', default=[]),
        allowed_deletions=dict(type='list', elements='str'),
    )
    spec.update(COMMON_USER_OPTIONS)
    module = new_module(spec, required_one_of=[('users', 'users_file')],
                        mutually_exclusive=[('users', 'users_file'), ('passwords', 'passwords_text')])
    items, passwords, domain = users_input(module)
    run_users(module, items, passwords, domain=domain)


if __name__ == '__main__':
    main()
