# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.apply import apply_changes
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import Change


def changes(n):
    return [Change('create', 'u%d@example.org' % i) for i in range(n)]


def provider(refuse=(), lose_after=None):
    """A fake provider's apply_users: refuses some emails, stops sending after a refusal when asked."""
    def apply_users(items, stop_on_error=False):
        for i, change in enumerate(items):
            if lose_after is not None and i == lose_after:
                raise RuntimeError('lost the connection to ldap://x')
            refused = change.email in refuse
            yield change, ('Object class violation' if refused else None)
            if refused and stop_on_error:
                return
    return apply_users


def test_all_applied():
    outcome = apply_changes(changes(3), provider())
    assert len(outcome.done) == 3 and not outcome.failures and outcome.emails()['created'][0] == 'u0@example.org'


def test_stop_at_first_refusal():
    outcome = apply_changes(changes(4), provider(refuse={'u1@example.org', 'u2@example.org'}), on_error='stop')
    assert [c.email for c in outcome.done] == ['u0@example.org']
    assert outcome.failures == [dict(email='u1@example.org', action='create', message='Object class violation')]
    assert outcome.message(4) == ('create u1@example.org refused: Object class violation. 1 of 4 changes were '
                                  'applied. A re-run applies the rest.')


def test_continue_past_refusals():
    outcome = apply_changes(changes(4), provider(refuse={'u1@example.org'}), on_error='continue')
    assert len(outcome.done) == 3 and len(outcome.failures) == 1


def test_lost_connection_is_recorded_with_the_count():
    outcome = apply_changes(changes(5), provider(lose_after=2))
    assert len(outcome.done) == 2 and outcome.aborted == 'lost the connection to ldap://x'
    assert '2 of 5 changes were applied' in outcome.message(5)
