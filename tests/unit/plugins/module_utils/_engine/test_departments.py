# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import (
    Department, department_path, plan_departments, validate_departments,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ProblemsFound


def wanted(*items):
    deps, problems = validate_departments(list(items))
    assert problems == []
    return deps


def steps(changes):
    return [(c.action, c.name) for c in changes]


def test_creates_parents_first_whatever_the_order():
    changes = plan_departments(wanted({'name': u'华东', 'parent': u'销售部'}, {'name': u'销售部', 'parent': u'总部'},
                                      {'name': u'总部'}), [])
    assert steps(changes) == [('create', u'总部'), ('create', u'销售部'), ('create', u'华东')]


def test_existing_is_kept_and_description_updated():
    cur = [Department(u'总部', ref='ou=总部'), Department('IT', parent=u'总部', description='old', ref='ou=IT')]
    changes = plan_departments(wanted({'name': u'总部'}, {'name': 'IT', 'parent': u'总部', 'description': 'new'}), cur)
    assert steps(changes) == [('update', 'IT')]
    assert plan_departments(wanted({'name': u'总部'}), cur) == []


def test_removal_children_first_and_refused_when_not_empty():
    cur = [Department('A', ref='a'), Department('B', parent='A', ref='b'), Department('C', parent='B', ref='c')]
    changes = plan_departments(wanted({'name': 'A', 'state': 'absent'}, {'name': 'B', 'state': 'absent'},
                                      {'name': 'C', 'state': 'absent'}), cur)
    assert steps(changes) == [('delete', 'C'), ('delete', 'B'), ('delete', 'A')]
    with pytest.raises(ProblemsFound) as info:
        plan_departments(wanted({'name': 'A', 'state': 'absent'}), cur)
    assert 'department "A" is not empty (1 departments)' in str(info.value)
    cur[2].members = 3
    with pytest.raises(ProblemsFound) as info:
        plan_departments(wanted({'name': 'C', 'state': 'absent'}), cur)
    assert '3 members' in str(info.value)


def test_absent_and_missing_is_nothing():
    assert plan_departments(wanted({'name': 'X', 'state': 'absent'}), []) == []


def test_unknown_parent_cycle_and_move_are_problems():
    with pytest.raises(ProblemsFound) as info:
        plan_departments(wanted({'name': 'A', 'parent': 'Nowhere'}), [])
    assert 'parent department "Nowhere" does not exist' in str(info.value)
    with pytest.raises(ProblemsFound) as info:
        plan_departments(wanted({'name': 'A', 'parent': 'B'}, {'name': 'B', 'parent': 'A'}), [])
    assert 'is its own ancestor' in str(info.value)
    with pytest.raises(ProblemsFound) as info:
        plan_departments(wanted({'name': 'B', 'parent': 'A'}), [Department('A'), Department('B'), Department('C')])
    assert 'moving "B"' in str(info.value)


def test_validation_collects_every_problem():
    deps, problems = validate_departments([{'name': ''}, {'name': 'a/b'}, {'name': 'X', 'colour': 1},
                                           {'name': 'X'}, {'name': 'Y', 'state': 'gone'}, 'bad'])
    assert [(p.row, p.column) for p in problems] == [(0, 'name'), (1, 'name'), (2, 'colour'), (3, 'name'),
                                                     (4, 'state'), (5, None)]


def test_department_path():
    assert department_path('C', {'A': None, 'B': 'A', 'C': 'B'}) == ['A', 'B', 'C']


def test_bidirectional_controls_in_department_names_and_descriptions_are_refused():
    departments, problems = validate_departments([
        {'name': u'Sales\u202e'}, {'name': u'Ops', 'parent': u'\u2067HQ'}, {'name': u'HR', 'description': u'a\u202db'}])
    assert [(p.row, p.column, p.message) for p in problems] == [
        (0, 'name', 'contains the bidirectional control character U+202E'),
        (1, 'parent', 'contains the bidirectional control character U+2067'),
        (2, 'description', 'contains the bidirectional control character U+202D')]
