# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import (
    CurrentUser, ProblemsFound, Secret,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import (
    PlanOptions, PlanRefused, plan,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users


def desired(*items):
    """Validated users; a 'password' key in an item becomes its entry in the passwords option."""
    passwords = dict((i['email'], i['password']) for i in items if 'password' in i)
    users, problems = validate_users([dict((k, v) for k, v in i.items() if k != 'password') for i in items],
                                     passwords=passwords)
    assert problems == []
    return users


def current(email, state='present', credential=None, **fields):
    base = dict(name=email.split('@')[0].title(), department=None, title=None, employee_id=None, mobile=None,
                aliases=[], state=state)
    base.update(fields)
    return CurrentUser(email, base, ref='ref-' + email, credential=Secret(credential) if credential else None)


def actions(result):
    return [(c.action, c.email) for c in result.changes]


def test_create_new_user_with_password():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': 'Boss', 'password': 'pw'}), [], PlanOptions())
    change = result.changes[0]
    assert (change.action, change.password.reveal()) == ('create', 'pw')
    assert change.after['title'] == 'Boss' and change.before is None
    assert result.summary() == dict(created=1, updated=0, disabled=0, deleted=0, unchanged=0)
    assert result.emails()['created'] == ['a@example.org'] and result.changed


def test_create_disabled_user_counts_as_created():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'state': 'disabled'}), [], PlanOptions())
    assert actions(result) == [('create', 'a@example.org')] and result.changes[0].after['state'] == 'disabled'


def test_create_without_name_is_a_problem():
    with pytest.raises(ProblemsFound) as info:
        plan(desired({'email': 'a@example.org', 'state': 'disabled'}), [], PlanOptions())
    assert info.value.problems[0].column == 'name' and info.value.problems[0].row == 0


def test_unchanged_when_equal():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': None}), [current('a@example.org')],
                  PlanOptions())
    assert actions(result) == [('unchanged', 'a@example.org')] and not result.changed


def test_update_only_differing_keys_and_unmanaged_keys_kept():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': 'New', 'department': 'Sales'}),
                  [current('a@example.org', title='Old', department='Sales', mobile='+861')], PlanOptions())
    change = result.changes[0]
    assert change.action == 'update' and change.changed_keys == ('title',)
    assert change.before['title'] == 'Old' and change.after['title'] == 'New'
    assert change.after['mobile'] == '+861'  # not given, so not managed
    assert change.password is None


def test_aliases_compare_as_sets():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'aliases': ['y@example.org', 'x@example.org']}),
                  [current('a@example.org', aliases=['x@example.org', 'y@example.org'])], PlanOptions())
    assert actions(result) == [('unchanged', 'a@example.org')]


def test_clearing_a_value_is_an_update():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': ''}),
                  [current('a@example.org', title='Old')], PlanOptions())
    assert result.changes[0].changed_keys == ('title',) and result.changes[0].after['title'] is None


def test_disable_and_enable():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'state': 'disabled'},
                          {'email': 'b@example.org', 'name': 'B'},
                          {'email': 'c@example.org', 'name': 'C', 'state': 'disabled'}),
                  [current('a@example.org'), current('b@example.org', state='disabled'),
                   current('c@example.org', state='disabled')], PlanOptions())
    assert actions(result) == [('disable', 'a@example.org'), ('update', 'b@example.org'),
                               ('unchanged', 'c@example.org')]
    assert result.changes[1].changed_keys == ('state',)


def test_state_absent_deletes_existing_and_ignores_missing():
    result = plan(desired({'email': 'a@example.org', 'state': 'absent'}, {'email': 'b@example.org', 'state': 'absent'}),
                  [current('a@example.org')], PlanOptions())
    assert actions(result) == [('delete', 'a@example.org'), ('unchanged', 'b@example.org')]
    assert result.removals == 1


def test_password_on_create_never_touches_existing_users():
    asked = []
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'password': 'new'}),
                  [current('a@example.org', credential='{CRYPT}old')], PlanOptions(),
                  password_matches=lambda secret, user: asked.append(1))
    assert actions(result) == [('unchanged', 'a@example.org')] and asked == []


@pytest.mark.parametrize('matches, action', [(True, 'unchanged'), (False, 'update')])
def test_password_always_compares_with_the_stored_hash(matches, action):
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'password': 'pw'}),
                  [current('a@example.org', credential='{CRYPT}x')], PlanOptions(update_password='always'),
                  password_matches=lambda secret, user: matches and secret.reveal() == 'pw')
    assert actions(result) == [(action, 'a@example.org')]
    if action == 'update':
        diff = result.changes[0].diff()
        before, after = yaml.safe_load(diff['before']), yaml.safe_load(diff['after'])
        assert before['password'] == '********' and after['password'] == '******** (new)'
        assert 'pw' not in repr(diff)


def test_purge_leaves_others_alone_unless_asked():
    cur = [current('a@example.org'), current('gone@example.org')]
    result = plan(desired({'email': 'a@example.org', 'name': 'A'}), cur, PlanOptions())
    assert actions(result) == [('unchanged', 'a@example.org')]


def test_purge_disable_delete_protected_and_already_disabled():
    cur = [current('a@example.org'), current('gone@example.org'), current('boss@example.org'),
           current('old@example.org', state='disabled')]
    wanted = desired({'email': 'a@example.org', 'name': 'A'})
    disabled = plan(wanted, cur, PlanOptions(purge=True, protected=['BOSS@example.org']))
    assert actions(disabled) == [('unchanged', 'a@example.org'), ('disable', 'gone@example.org'),
                                 ('unchanged', 'boss@example.org'), ('unchanged', 'old@example.org')]
    assert disabled.changes[1].after['state'] == 'disabled' and disabled.changes[1].reason == 'purge'
    deleted = plan(wanted, cur, PlanOptions(purge=True, purge_action='delete', protected=['boss@example.org']))
    assert actions(deleted) == [('unchanged', 'a@example.org'), ('delete', 'gone@example.org'),
                                ('unchanged', 'boss@example.org'), ('delete', 'old@example.org')]


def test_max_removals_refuses_the_whole_plan():
    cur = [current('u%d@example.org' % i) for i in range(12)]
    with pytest.raises(PlanRefused) as info:
        plan([], cur, PlanOptions(purge=True, max_removals=10))
    assert 'disables 12 and deletes 0 users (12 removals), more than max_removals=10' in str(info.value)
    assert len(plan([], cur, PlanOptions(purge=True, max_removals=12)).changes) == 12


def test_explicit_states_count_towards_max_removals():
    cur = [current('a@example.org'), current('b@example.org')]
    with pytest.raises(PlanRefused):
        plan(desired({'email': 'a@example.org', 'state': 'absent'}, {'email': 'b@example.org', 'name': 'B',
                                                                     'state': 'disabled'}),
             cur, PlanOptions(max_removals=1))


def test_options_are_checked():
    for bad in (dict(update_password='sometimes'), dict(purge_action='shred'), dict(max_removals=-1)):
        with pytest.raises(ValueError):
            PlanOptions(**bad)


def test_diff_of_update_has_roster_keys_and_no_secret():
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': 'T', 'password': 'hunter2'}),
                  [current('a@example.org', credential='{CRYPT}$6$abc')], PlanOptions(update_password='always'))
    diff = result.changes[0].diff()
    assert diff['before_header'] == 'a@example.org'
    assert list(yaml.safe_load(diff['before']))[:8] == ['email', 'name', 'department', 'title', 'employee_id',
                                                        'mobile', 'aliases', 'state']
    assert 'hunter2' not in repr(diff) and '$6$abc' not in repr(diff)


def test_count_by_department_uses_after_then_before():
    from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import count_by_department
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'department': 'Sales'},
                          {'email': 'b@example.org', 'state': 'absent'},
                          {'email': 'c@example.org', 'name': 'C'}),
                  [current('b@example.org', department='IT'), current('c@example.org')], PlanOptions())
    assert count_by_department(result.changes) == {
        'Sales': dict(created=1, updated=0, disabled=0, deleted=0),
        'IT': dict(created=0, updated=0, disabled=0, deleted=1)}


def test_diff_text_shows_any_script_as_itself():
    result = plan(desired({'email': 'a@example.org', 'name': u'张三', 'title': u'经理'}),
                  [current('a@example.org', name=u'张三', title=u'职员')], PlanOptions())
    diff = result.changes[0].diff()
    assert u'title: "经理"' in diff['after'] and u'name: "张三"' in diff['before']
    assert yaml.safe_load(diff['after'])['aliases'] == []


def test_an_unchanged_user_gets_its_roster_entries_only_when_they_are_read():
    made = []

    class Counted(CurrentUser):
        __slots__ = ()

        def roster_entry(self):
            made.append(self.email)
            return super(Counted, self).roster_entry()

    plain = current('a@example.org', name='A', title='Boss')
    existing = Counted(plain.email, plain.fields, ref=plain.ref)
    result = plan(desired({'email': 'a@example.org', 'name': 'A', 'title': 'Boss'}), [existing], PlanOptions())
    change = result.changes[0]
    assert change.action == 'unchanged' and not result.changed and made == []
    assert result.summary()['unchanged'] == 1 and result.emails()['updated'] == []
    assert change.before == change.after == plain.roster_entry() and made == ['a@example.org']
    assert change.before is change.before and made == ['a@example.org']
