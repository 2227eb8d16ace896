# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mailops.mailbox.report: the provision run's report, written on the controller.

An action plugin: the provision role's tasks run on the controller (``connection: local``), and
a module would start a Python process and ship Ansible's module code (about a second per run)
to write two small files from data the controller already holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._module.report import (
    REPORT_ARGUMENT_SPEC, ReportFailed, write_report,
)
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import ControllerAction, RosterFailed


class ActionModule(ControllerAction):
    argument_spec = REPORT_ARGUMENT_SPEC

    def work(self, args):
        try:
            return write_report(args, check_mode=self._task.check_mode)
        except ReportFailed as exc:
            raise RosterFailed(str(exc), **exc.result)
