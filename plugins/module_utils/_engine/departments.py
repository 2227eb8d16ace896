# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Departments as a tree: validate the desired nodes and plan creates/updates/removals (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem, ProblemsFound, diff_text
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import character_problem, free_text

DEPARTMENT_KEYS = ('name', 'parent', 'description', 'state')
DEPARTMENT_STATES = ('present', 'absent')


class Department:
    """A department node. ``members`` counts what a removal would orphan: child entries that
    are not departments plus users whose department it is (filled in for current nodes)."""

    __slots__ = ('name', 'parent', 'description', 'state', 'ref', 'members', 'index')

    def __init__(self, name, parent=None, description=None, state='present', ref=None, members=0, index=None):
        self.name = name
        self.parent = parent
        self.description = description
        self.state = state
        self.ref = ref
        self.members = members
        self.index = index

    def as_dict(self):
        return dict(name=self.name, parent=self.parent, description=self.description)

    def __repr__(self):
        return 'Department(%s/%s)' % (self.parent or '', self.name)


class DepartmentChange:
    """One step of a department plan; ``path`` is the department's names from the top down, which
    each provider maps to its own notion of a place in the tree."""

    __slots__ = ('action', 'name', 'before', 'after', 'department', 'current', 'path')

    def __init__(self, action, name, before=None, after=None, department=None, current=None, path=None):
        self.action = action
        self.name = name
        self.before = before
        self.after = after
        self.department = department
        self.current = current
        self.path = path or [name]

    def diff(self):
        return dict(before_header=self.name, after_header=self.name, before=diff_text(self.before),
                    after=diff_text(self.after))


def _name_problem(value):
    if not isinstance(value, str) or not value.strip():
        return 'is required'
    if '/' in value:
        return '"%s" contains "/": give the parent in "parent" instead of a path' % value
    return character_problem(value)


def validate_departments(items):
    """Return ``(departments, problems)`` for a list of department dicts."""
    problems = []
    departments = []
    seen = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(index, None, 'must be a dictionary'))
            continue
        for key in sorted(set(item) - set(DEPARTMENT_KEYS), key=str):
            problems.append(Problem(index, str(key), 'unknown key (expected one of %s)' % ', '.join(DEPARTMENT_KEYS)))
        name, parent = item.get('name'), item.get('parent') or None
        message = _name_problem(name)
        if message:
            problems.append(Problem(index, 'name', message, value=name if isinstance(name, str) else None))
            continue
        if parent is not None and _name_problem(parent):
            problems.append(Problem(index, 'parent', _name_problem(parent), value=str(parent)))
        state = item.get('state') or 'present'
        if state not in DEPARTMENT_STATES:
            problems.append(Problem(index, 'state', '"%s" is not one of %s' % (state, ', '.join(DEPARTMENT_STATES))))
        if name in seen:
            problems.append(Problem(index, 'name', 'duplicate department "%s": already departments[%d]'
                                    % (name, seen[name]), value=name))
            continue
        seen[name] = index
        description, message = free_text(item.get('description'))
        if message:
            problems.append(Problem(index, 'description', message))
        departments.append(Department(name, parent, description, state, index=index))
    return departments, problems


class DepartmentTree:
    """The one place the tree is computed: every department's parent, the directory's current
    nodes overlaid with the desired present ones."""

    def __init__(self, current, desired=()):
        self.parents = dict((d.name, d.parent) for d in current)
        self.parents.update((d.name, d.parent) for d in desired if d.state == 'present')

    def depth(self, name):
        """Ancestors of ``name``; more than there are nodes means a cycle."""
        depth, limit = 0, len(self.parents)
        while self.parents.get(name) is not None and depth <= limit:
            name = self.parents[name]
            depth += 1
        return depth

    def has_cycle(self, name):
        return self.depth(name) > len(self.parents)

    def path(self, name):
        """The names from the top of the tree down to ``name``."""
        return department_path(name, self.parents)


def plan_departments(desired, current):
    """Return the ordered DepartmentChange list: creations parents first, removals children first.

    Raises ProblemsFound for a parent that will not exist, a cycle, a move between parents, or
    the removal of a department that still has members.
    """
    now = dict((d.name, d) for d in current)
    wanted = dict((d.name, d) for d in desired)
    problems = []
    tree = DepartmentTree(current, desired)
    remaining = set(now) | set(d.name for d in desired if d.state == 'present')
    remaining -= set(d.name for d in desired if d.state == 'absent')
    creates, updates, removals = [], [], []
    for dep in desired:
        existing = now.get(dep.name)
        if dep.state == 'absent':
            if existing is not None:
                removals.append(existing)
            continue
        if dep.parent is not None and dep.parent not in remaining:
            problems.append(Problem(dep.index, 'parent', 'parent department "%s" does not exist and is not in the list'
                                    % dep.parent, value=dep.parent))
        elif tree.has_cycle(dep.name):
            problems.append(Problem(dep.index, 'parent', '"%s" is its own ancestor' % dep.name, value=dep.parent))
        if existing is None:
            creates.append(dep)
        elif (existing.parent or None) != dep.parent:
            problems.append(Problem(dep.index, 'parent', 'moving "%s" from "%s" to "%s" is not supported: remove it and '
                                    'create it again' % (dep.name, existing.parent or '(top)', dep.parent or '(top)'),
                                    value=dep.parent))
        elif dep.description != existing.description:
            updates.append((existing, dep))
    leaving = set(d.name for d in removals)
    for dep in removals:
        children = [d.name for d in current if d.parent == dep.name and d.name not in leaving]
        if children or dep.members:
            index = wanted[dep.name].index
            parts = ['%d departments' % len(children)] * bool(children)
            parts += ['%d members' % dep.members] * bool(dep.members)
            problems.append(Problem(index, 'state', 'department "%s" is not empty (%s): move or remove them first'
                                    % (dep.name, ', '.join(parts))))
    if problems:
        raise ProblemsFound(problems, where='departments[{row}]')
    changes = [DepartmentChange('create', d.name, after=d.as_dict(), department=d, path=tree.path(d.name))
               for d in sorted(creates, key=lambda d: (tree.depth(d.name), d.name))]
    changes += [DepartmentChange('update', new.name, before=old.as_dict(), after=new.as_dict(), department=new,
                                 current=old, path=tree.path(new.name)) for old, new in updates]
    changes += [DepartmentChange('delete', d.name, before=d.as_dict(), current=d, path=tree.path(d.name))
                for d in sorted(removals, key=lambda d: (-tree.depth(d.name), d.name))]
    return changes


def unchanged(items, current_items):
    """Whether ensuring the department dicts ``items`` in a directory whose departments are the dicts
    ``current_items`` (``name``, ``parent``, ``description``: a roster's departments) changes nothing.
    False for any change, and for bad items either side: only the module can say what is wrong."""
    departments, problems = validate_departments(items)
    if problems:
        return False
    try:
        current = [Department(item['name'], item.get('parent') or None, item.get('description'))
                   for item in current_items]
        return not plan_departments(departments, current)
    except (ProblemsFound, KeyError, TypeError, AttributeError):
        return False


def department_path(name, parents):
    """The names from the top of the tree down to ``name``."""
    path = [name]
    while parents.get(path[0]) is not None and len(path) <= len(parents):
        path.insert(0, parents[path[0]])
    return path
