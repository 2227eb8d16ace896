# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module side of a module whose work is its action plugin on the controller: roster and
roster_export (the work needs the play's vault secret, which only the controller has), report
(written where the provision role runs, with no module process to start)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule


def fail_without_action_plugin(name, argument_spec):
    """Fail the task: reaching the module means it ran without its action plugin."""
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    module.fail_json(msg='%s runs on the controller as an action plugin; it cannot run as a module on a managed '
                         'host. Call it as a task of a play (ansible-playbook), with the collection installed, so '
                         'that its action plugin handles it.' % name)
