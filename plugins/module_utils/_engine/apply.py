# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a plan's changes through a provider and account for every one of them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import ACTION_KEYS

ON_ERROR = ('stop', 'continue')


class Outcome:
    """What was applied (``done``: changes in order), what the server refused, and why we stopped."""

    def __init__(self):
        self.done = []
        self.failures = []
        self.aborted = None

    def emails(self):
        lists = dict((key, []) for key in ACTION_KEYS.values() if key != 'unchanged')
        for change in self.done:
            lists[ACTION_KEYS[change.action]].append(change.email)
        return lists

    def message(self, total):
        parts = ['%d of %d changes were applied' % (len(self.done), total)]
        if self.failures:
            parts.insert(0, '; '.join('%s %s refused: %s' % (f['action'], f['email'], f['message'])
                                      for f in self.failures[:5]) + ('; ...' if len(self.failures) > 5 else ''))
        if self.aborted:
            parts.insert(0, self.aborted)
        return '. '.join(parts) + '. A re-run applies the rest.'


def apply_changes(changes, apply_users, on_error='stop'):
    """``apply_users(changes, stop_on_error)`` is the provider's generator of ``(change, error)``;
    a provider exception (connection lost) ends the run and is recorded, never swallowed."""
    outcome = Outcome()
    try:
        for change, error in apply_users(changes, stop_on_error=on_error == 'stop'):
            if error is None:
                outcome.done.append(change)
            else:
                outcome.failures.append(dict(email=change.email, action=change.action, message=error))
    except Exception as exc:  # the provider's error carries a user-fit message, no secrets
        outcome.aborted = str(exc)
    return outcome
