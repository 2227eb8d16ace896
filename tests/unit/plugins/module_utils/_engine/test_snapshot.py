# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.snapshot import (
    Entry, attribute_changes, plan_restore, summarise,
)


def entry(key, depth, kind='user', **attrs):
    return Entry(key, depth, key, dict((k, list(v)) for k, v in attrs.items()), kind=kind)


def test_attribute_changes_replace_add_remove_and_keep_value_order():
    current = {'cn': ['A'], 'mail': ['b@x', 'a@x'], 'title': ['T']}
    wanted = {'CN': ['A'], 'mail': ['a@x', 'b@x'], 'ou': ['Sales']}
    assert attribute_changes(current, wanted) == {'mail': ['a@x', 'b@x'], 'ou': ['Sales'], 'title': []}
    assert attribute_changes(wanted, wanted) == {}


def test_plan_restore_orders_adds_parents_first_and_deletes_children_first():
    snapshot = [entry('ou=a', 1, 'department', ou=['a']), entry('ou=b,ou=a', 2, 'department', ou=['b']),
                entry('uid=kept', 1, cn=['Kept'], userPassword=['{CRYPT}$6$old']),
                entry('uid=removed', 1, cn=['Removed'])]
    current = [entry('uid=kept', 1, cn=['Kept'], userPassword=['{CRYPT}$6$new']),
               entry('ou=new', 1, 'department', ou=['new']), entry('ou=child,ou=new', 2, 'department', ou=['child']),
               entry('uid=added', 1, cn=['Added'])]
    ops = plan_restore(snapshot, current)
    assert [(op.action, op.entry.key) for op in ops] == [
        ('add', 'ou=a'), ('add', 'uid=removed'), ('add', 'ou=b,ou=a'), ('modify', 'uid=kept'),
        ('delete', 'ou=child,ou=new'), ('delete', 'ou=new'), ('delete', 'uid=added')]
    assert ops[3].attrs == {'userPassword': ['{CRYPT}$6$old']}
    assert summarise(ops) == {'department_add': 2, 'user_add': 1, 'user_modify': 1, 'department_delete': 2,
                              'user_delete': 1}
    assert plan_restore(snapshot, snapshot) == []


def test_restore_diff_redacts_hashes_and_binary_values():
    op = plan_restore([entry('uid=a', 1, cn=['A'], userPassword=['{CRYPT}$6$old'], jpegPhoto=[b'\xff\xd8'])],
                      [entry('uid=a', 1, cn=['B'], userPassword=['{CRYPT}$6$new'])])[0]
    diff = op.diff()
    assert yaml.safe_load(diff['before']) == {'cn': ['B'], 'userPassword': ['********']}
    assert yaml.safe_load(diff['after']) == {'cn': ['A'], 'jpegPhoto': ['<2 bytes>'], 'userPassword': ['********']}
    assert '$6$' not in repr(diff)
