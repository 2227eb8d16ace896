# -*- coding: utf-8 -*-
"""Property tests (hypothesis): whatever the users list holds, the validator and the planner either
accept it and plan exactly that value, or return Problems that say where; they never raise."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    ROSTER_KEYS, CurrentUser, Problem, ProblemsFound, roster_entry,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import CREATE, PlanOptions, plan
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", 300))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode text (hypothesis leaves out lone surrogates, which no YAML, JSON or UTF-8 input can carry).
TEXT = st.text()
# (Integers of more than 4,300 digits are left out: Ansible cannot even send them to a module.)
SCALARS = st.one_of(TEXT, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True))
ANYTHING = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(TEXT, SCALARS, max_size=2))
# Local parts and domains of the shape the validator accepts, so that many examples get past it.
LOCAL = st.from_regex(r"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(\.[A-Za-z0-9_-]{1,8})?\Z")
EMAIL = st.builds(u'{0}@{1}'.format, LOCAL, st.sampled_from(['example.org', 'Example.ORG', 'mail.example.cn']))
PHONE = st.from_regex(r'\A\+?[0-9][0-9 ()./-]{0,20}\Z')


def counted(test):
    """Run the property ``test(seen, ...)`` and return the Counter of what its examples did."""
    seen = collections.Counter()
    test(seen)
    return seen


def test_any_value_in_any_key_gives_problems_never_an_exception(record_property):
    keys = ROSTER_KEYS + ('password', u'колонка')
    item = st.fixed_dictionaries({}, optional=dict((key, ANYTHING) for key in keys))
    items = st.one_of(st.lists(st.one_of(item, ANYTHING), max_size=4), ANYTHING)

    @SETTINGS
    @given(items=items, passwords=st.dictionaries(st.one_of(TEXT, EMAIL), SCALARS, max_size=3),
           domain=st.one_of(st.none(), st.just('example.org')))
    def check(seen, items, passwords, domain):
        desired, problems = validate_users(items, domain=domain, passwords=passwords)
        for problem in problems:
            assert isinstance(problem, Problem) and problem.message
            assert problem.row is not None or problem.column == 'users'
            assert problem.describe()  # renders, whatever the value
        if not problems:
            try:
                plan(desired, [], PlanOptions())
            except ProblemsFound as exc:  # the planner's problems (a user to create without a name)
                problems = exc.problems
                assert all(p.row is not None and p.column for p in problems)
        seen['examples'] += 1
        seen['problems' if problems else 'valid'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('validator, any value in any key: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['problems'] and seen['valid']


def test_any_unicode_text_round_trips_exactly_or_is_a_problem_with_row_and_column(record_property):
    user = st.fixed_dictionaries(
        dict(email=EMAIL, name=st.text(min_size=1)),
        optional=dict(department=TEXT, title=TEXT, employee_id=TEXT, mobile=PHONE, aliases=st.lists(EMAIL, max_size=2),
                      state=st.sampled_from(['present', 'disabled'])))

    @SETTINGS
    @given(items=st.lists(user, min_size=1, max_size=3))
    def check(seen, items):
        desired, problems = validate_users(items, passwords=dict((i['email'], u'pw-' + i['name']) for i in items))
        seen['examples'] += 1
        try:
            the_plan = None if problems else plan(desired, [], PlanOptions())
        except ProblemsFound as exc:  # the planner's own: a user to create without a name
            problems = exc.problems
        if problems:
            for problem in problems:
                assert 0 <= problem.row < len(items) and problem.column in ROSTER_KEYS + ('passwords',), problem
            seen['problems'] += 1
            return
        assert [c.action for c in the_plan.changes] == [CREATE] * len(items)
        for item, change in zip(items, the_plan.changes):
            # Exactly the value given: no trimming, folding or normalising on the way to the directory.
            for key in ('name', 'department', 'title', 'employee_id', 'mobile'):
                assert change.after[key] == (item.get(key) or None), key
            assert change.after['email'] == item['email'].lower()
            assert change.after['aliases'] == sorted(set(a.lower() for a in item.get('aliases', [])))
            assert change.password.reveal() == u'pw-' + item['name']
        # The directory holding exactly what the plan wrote: planning again changes nothing.
        current = [CurrentUser(c.email, dict((k, v) for k, v in c.after.items() if k != 'email'), ref={})
                   for c in the_plan.changes]
        again = plan(desired, current, PlanOptions(update_password='on_create'))
        assert not again.changed
        assert [c.after for c in again.changes] == [roster_entry(c.after) for c in the_plan.changes]
        seen['round trips'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('validator + planner, any Unicode text: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['round trips'] >= 50 and seen['problems'] >= 10


BIDI = st.sampled_from([chr(c) for c in list(range(0x202a, 0x202f)) + list(range(0x2066, 0x206a))])
# Any text but control and format characters (which a bidi control is), so the bidi one is the problem;
# short enough that before + bidi + after always fits the 256-character limit, so every example counts.
PLAIN = st.text(st.characters(blacklist_categories=('Cc', 'Cf', 'Cs', 'Zl', 'Zp')), max_size=127)


def test_a_bidirectional_control_anywhere_in_free_text_is_a_problem_naming_it(record_property):
    """U+202E and its kin make stored text display as other text: no free-text value may hold one."""

    @SETTINGS
    @given(key=st.sampled_from(['name', 'department', 'title', 'employee_id']), before=PLAIN, bidi=BIDI, after=PLAIN)
    def check(seen, key, before, bidi, after):
        item = {'email': 'a@example.org', 'name': 'A', key: before + bidi + after}
        _desired, problems = validate_users([item])
        messages = [(p.row, p.column, p.message) for p in problems]
        assert messages == [(0, key, 'contains the bidirectional control character U+%04X' % ord(bidi))]
        seen['bidi'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    assert seen['bidi'] >= EXAMPLES // 2
