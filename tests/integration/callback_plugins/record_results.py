"""Test-only callback: writes every task result and the play stats as JSON to $MAILBOX_TEST_RESULTS,
so tests read structured results while stdout stays Ansible's ordinary output."""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: record_results
type: aggregate
short_description: Record task results as JSON for the test suite
description: Writes task results and stats to the file named by MAILBOX_TEST_RESULTS.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = []
        self.task_started = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.task_started = time.monotonic()

    def _record(self, result, status):
        role = result._task._role.get_name() if result._task._role else None
        self.results.append(dict(task=result._task.get_name(), role=role, host=result._host.get_name(), status=status,
                                 seconds=time.monotonic() - self.task_started,
                                 result=dict(result._result, failed=status == "failed")))

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        summary = dict((host, stats.summarize(host)) for host in stats.processed)
        with open(os.environ["MAILBOX_TEST_RESULTS"], "w") as handle:
            json.dump(dict(results=self.results, stats=summary), handle, default=str)
