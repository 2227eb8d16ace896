# -*- coding: utf-8 -*-
"""The department task's plan against the snapshot's roster copy: "nothing to change" only when the
module itself would find nothing to change in a directory holding exactly those departments."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.mailops.mailbox.plugins.action.department import unchanged_against
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import roster_yaml

DIRECTORY = [dict(name=u'总部', parent=None, description=u'Head office'), dict(name=u'销售部', parent=u'总部', description=None)]


@pytest.fixture
def copy(tmp_path):
    """The directory's departments as the snapshot writes its roster copy (departments before users)."""
    path = tmp_path / 'snapshot.roster.yml'
    users = [dict(email='a%d@example.org' % n, name='A %d' % n, department=u'销售部') for n in range(3)]
    path.write_text(roster_yaml(dict(domain='example.org', departments=DIRECTORY, users=users), comments=('copy',)),
                    encoding='utf-8')
    return str(path)


@pytest.mark.parametrize('items', [
    [dict(name=u'总部', description=u'Head office'), dict(name=u'销售部', parent=u'总部')],
    [dict(name=u'销售部', parent=u'总部'), dict(name=u'总部', description=u'Head office', state='present')],
    [dict(name=u'销售部', parent=u'总部')],  # a department the roster leaves out is left alone, as by the module
    [dict(name=u'旧项目组', state='absent')],  # absent already
    [],
], ids=['same', 'other-order', 'subset', 'absent-already', 'none'])
def test_departments_already_there_as_wanted_change_nothing(copy, items):
    assert unchanged_against(items, copy) is True


@pytest.mark.parametrize('items', [
    [dict(name=u'总部', description=u'Head office'), dict(name=u'研发部', parent=u'总部')],  # to create
    [dict(name=u'总部', description=u'HQ')],  # description to update
    [dict(name=u'总部')],  # description to remove
    [dict(name=u'销售部', state='absent')],  # to delete (the module checks its members)
    [dict(name=u'销售部', parent=u'研发部')],  # a move: the module reports the problem
    [dict(name=u'总部'), dict(name=u'总部')],  # bad input: the module names the row
    [dict(name=u'a/b')],
    ['not a dict'],
], ids=['create', 'update', 'clear', 'delete', 'move', 'duplicate', 'slash', 'not-a-dict'])
def test_any_change_or_problem_leaves_it_to_the_module(copy, items):
    assert unchanged_against(items, copy) is False


@pytest.mark.parametrize('text', [
    None,  # no such file
    'mailbox_roster: [',  # not YAML
    'mailbox_roster:\n  departments: [just text]\n  users: []\n',  # altered: items that are not departments
    'mailbox_roster:\n  departments:\n    - parent: x\n  users: []\n',  # a department without a name
    'something_else: {}\n',  # no roster at all: read as no departments, so anything wanted is a change
])
def test_a_copy_that_cannot_be_trusted_leaves_it_to_the_module(tmp_path, text):
    path = tmp_path / 'copy.roster.yml'
    if text is not None:
        path.write_text(text)
    assert unchanged_against([dict(name=u'总部')], str(path)) is False


class _Connection:
    def __init__(self, transport):
        self.transport = transport
        self.has_native_async = False
        self._shell = type('Shell', (), dict(tmpdir=None))()


class _Task:
    def __init__(self, args, check_mode=False, diff=False):
        self.args, self.check_mode, self.diff, self.async_val, self.action = args, check_mode, diff, 0, 'department'


def run_action(args, transport='local', **task):
    """The action's result, and whether it ran the module (answered here by a stand-in)."""
    from ansible_collections.mailops.mailbox.plugins.action import department as action_plugin

    plugin = action_plugin.ActionModule(_Task(args, **task), _Connection(transport), None, None, None, None)
    ran = []
    plugin._early_needs_tmp_path = lambda: False
    plugin._remove_tmp_path = lambda tmpdir: None
    plugin._execute_module = lambda **kwargs: ran.append(kwargs) or dict(changed=True, created=[u'研发部'])
    return plugin.run(task_vars={}), bool(ran)


def test_the_task_ends_on_the_controller_only_when_the_copy_shows_nothing_to_change(copy, tmp_path):
    roster = tmp_path / 'roster.yml'
    roster.write_text(roster_yaml(dict(domain='example.org', departments=DIRECTORY[:1], users=[])), encoding='utf-8')
    args = dict(departments_file=str(roster), directory_roster_file=copy)
    result, ran = run_action(args, diff=True)
    assert not ran and result == dict(changed=False, created=[], updated=[], deleted=[], planned_from=copy, diff=[])
    result, ran = run_action(dict(args, departments=None), check_mode=True)
    assert not ran and result['planned_from'] == copy
    assert run_action(dict(departments=[dict(name=u'研发部')], directory_roster_file=copy))[1]  # a change
    assert run_action(dict(name=u'总部', directory_roster_file=copy))[1]  # one name: the module's own options
    assert run_action(dict(departments_file=str(roster)))[1]  # no copy given


@pytest.mark.parametrize('transport', ['ssh', 'community.general.lxd'])
def test_the_module_runs_when_its_host_is_not_the_controller(copy, transport):
    """Its files are then the host's, which the controller cannot read: the same path may be another file."""
    assert run_action(dict(departments=[dict(name=u'总部', description=u'Head office')], directory_roster_file=copy),
                      transport=transport)[1]


def test_relative_paths_are_left_to_the_module(copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_action(dict(departments=[], directory_roster_file=os.path.relpath(copy)))[1]
