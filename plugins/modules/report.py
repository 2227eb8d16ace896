#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: report
short_description: Write a provisioning run's report as JSON and Markdown
version_added: 0.1.0
description:
  - Writes C(<UTC time>.json) and C(<UTC time>.md) (mode C(0640)) into O(dir), creating it (mode C(0750)) when
    missing, from a M(mailops.mailbox.users) result and the run's facts; the C(mailops.mailbox.provision) role
    runs it after the users.
  - The report holds counts per action and per department, the emails of the changed users, the timings of each
    phase, the departments created, the archives made and the backup the run started from. It holds no secret;
    the users result it is built from has none.
  - Built in one step on the controller (an action plugin, so no module is sent to a host), whatever the number of
    users; the result names the files and never echoes the emails back. The files are written on the controller,
    where the C(mailops.mailbox.provision) role's tasks run (the playbooks use the local connection).
author:
  - mailops.mailbox contributors (@mailops)
attributes:
  check_mode:
    description: Reports the file names it would write, writes nothing.
    support: full
  diff_mode:
    description: No diff; a report is a new file.
    support: none
options:
  dir:
    description: The directory for the report files.
    type: path
    required: true
  users_result:
    description:
      - The registered result of the M(mailops.mailbox.users) run. Its C(summary), C(by_department), C(created),
        C(updated), C(disabled), C(deleted) and C(timings) are read; anything else is ignored.
    type: dict
    required: true
  started:
    description: When the run started (ISO 8601).
    type: str
    required: true
  backup:
    description: The snapshot taken before the run, or V(skipped).
    type: str
    required: true
  domain:
    description: The roster's domain, when known.
    type: str
  roster:
    description: Where the roster came from (its file, or a word saying it came as variables).
    type: str
    required: true
  departments_created:
    description: Departments created in this run.
    type: list
    elements: str
    default: []
  archives:
    description: The mailbox archives made before users were deleted.
    type: list
    elements: str
    default: []
seealso:
  - module: mailops.mailbox.users
'''

EXAMPLES = r'''
- name: Apply the roster
  mailops.mailbox.users:
    users_file: roster.yml
  register: applied

- name: Write the run report
  mailops.mailbox.report:
    dir: /var/log/mailops-mailbox
    users_result: "{{ applied }}"
    started: "{{ started }}"
    backup: /var/backups/mailops-mailbox/20261125T101500123456Z.ldif
    roster: roster.yml
'''

RETURN = r'''
name:
  description: The report's name, the UTC time it was written.
  returned: always
  type: str
  sample: 20261125T101502Z
json:
  description: The JSON report's path.
  returned: always
  type: str
markdown:
  description: The Markdown report's path.
  returned: always
  type: str
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.controller_only import fail_without_action_plugin
from ansible_collections.mailops.mailbox.plugins.module_utils._module.report import REPORT_ARGUMENT_SPEC


def main():
    # The work is in plugins/action/report.py: the report is written on the controller.
    fail_without_action_plugin('mailops.mailbox.report', REPORT_ARGUMENT_SPEC)


if __name__ == '__main__':
    main()
