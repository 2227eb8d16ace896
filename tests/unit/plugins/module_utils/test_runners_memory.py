# -*- coding: utf-8 -*-
"""The runners (users, departments, directory_info, snapshot, restore) against the in-memory provider."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._module.departments import run_departments
from ansible_collections.mailops.mailbox.plugins.module_utils._module.directory import (
    run_directory_info, run_restore, run_snapshot,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._module.users import run_users
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Capabilities, Provider
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.memory import MemoryProvider

HOSTED = Capabilities(verify_passwords=False, departments=True, snapshot_format='json', read_only_keys=('aliases',),
                      max_aliases=2, password_on_create=True, department_descriptions=False)
NO_DEPARTMENTS = Capabilities(verify_passwords=False, departments=False, snapshot_format='json')


class Exited(Exception):
    def __init__(self, result):
        super(Exited, self).__init__(result.get('msg'))
        self.result = result


class Module:
    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict(domain=None, update_password='on_create', on_error='stop', purge=False,
                           purge_action='disable', max_removals=10, protected=[], backend='memory')
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []
        self.no_log_values = set()

    def warn(self, message):
        self.warnings.append(message)

    def exit_json(self, **result):
        raise Exited(result)

    def fail_json(self, msg=None, **result):
        raise Exited(dict(result, msg=msg, failed=True))


def run(runner, *args, **kwargs):
    with pytest.raises(Exited) as info:
        runner(*args, **kwargs)
    return info.value.result


def users(count=3, **extra):
    return [dict(dict(email='u%d@x.org' % i, name='User %d' % i, department='Sales', title='T'), **extra)
            for i in range(count)]


def passwords(count=3):
    return dict(('u%d@x.org' % i, 'Secret-%d-pw' % i) for i in range(count))


def test_provider_is_abstract():
    class Partial(Provider):
        def connect(self):
            pass

    with pytest.raises(TypeError):
        Partial()  # pylint: disable=abstract-class-instantiated


def test_apply_then_rerun_changes_nothing():
    provider = MemoryProvider(departments=[dict(name='Sales')])
    result = run(run_users, Module(), users(), passwords(), provider=provider)
    assert result['summary']['created'] == 3 and len(provider.writes) == 3
    again = run(run_users, Module(), users(), passwords(), provider=provider)
    assert not again['changed'] and len(provider.writes) == 3


def test_update_password_always_refused_where_passwords_cannot_be_verified():
    provider = MemoryProvider(capabilities=HOSTED)
    result = run(run_users, Module(update_password='always'), users(), passwords(), provider=provider)
    assert result['failed'] and 'backend memory cannot read back or verify a stored password' in result['msg']
    assert provider.writes == []


def test_update_password_always_idempotent_where_passwords_are_verified():
    provider = MemoryProvider(users=[dict(u, password=passwords()[u['email']]) for u in users()])
    result = run(run_users, Module(update_password='always'), users(), passwords(), provider=provider)
    assert not result['changed'] and provider.writes == []


def test_too_many_aliases_fails_before_any_write():
    items = users(2)
    items[1]['aliases'] = ['a@x.org', 'b@x.org', 'c@x.org']
    provider = MemoryProvider(capabilities=HOSTED)
    result = run(run_users, Module(), items, passwords(2), provider=provider)
    assert result['failed'] and 'backend memory allows at most 2 aliases per user, not 3' in result['msg']
    assert result['problems'][0]['row'] == 1 and provider.writes == []


def test_create_without_password_refused_where_one_is_required():
    provider = MemoryProvider(capabilities=HOSTED)
    result = run(run_users, Module(), users(2), {'u0@x.org': 'Secret-0-pw'}, provider=provider)
    assert result['failed'] and 'u1@x.org' in result['msg'] and 'initial password' in result['msg']
    assert provider.writes == []


def test_read_only_aliases_one_warning_never_a_change():
    provider = MemoryProvider(users=users(3), capabilities=HOSTED)
    items = users(3)
    items[0]['aliases'] = ['sales@x.org']
    items[2]['aliases'] = ['help@x.org']
    module = Module()
    result = run(run_users, module, items, {}, provider=provider)
    assert not result['changed'] and provider.writes == []
    assert len(module.warnings) == 1 and 'u0@x.org' in module.warnings[0] and 'u2@x.org' in module.warnings[0]
    assert 'u1@x.org' not in module.warnings[0]


def test_departments_without_department_objects_warn_and_change_nothing():
    provider = MemoryProvider(capabilities=NO_DEPARTMENTS)
    module = Module()
    result = run(run_departments, module, [dict(name='Sales'), dict(name='East', parent='Sales')], provider=provider)
    assert not result['changed'] and provider.writes == []
    assert len(module.warnings) == 1 and 'no department objects' in module.warnings[0]


def test_departments_call_before_changes_only_for_a_change_and_before_writing_it():
    calls = []

    def refuse():
        calls.append('checked')
        raise Exited(dict(failed=True, msg='bad roster'))

    provider = MemoryProvider(departments=[dict(name='Sales')])
    same = run(run_departments, Module(), [dict(name='Sales')], provider=provider, before_changes=refuse)
    assert not same['changed'] and calls == []
    for check_mode in (True, False):
        refused = run(run_departments, Module(check_mode=check_mode), [dict(name='Sales'), dict(name='HQ')],
                      provider=provider, before_changes=refuse)
        assert refused['failed'] and provider.writes == []
    assert calls == ['checked', 'checked']


def test_department_description_refused_where_departments_have_none():
    provider = MemoryProvider(capabilities=HOSTED)
    result = run(run_departments, Module(), [dict(name='Sales', description='the sales team')], provider=provider)
    assert result['failed'] and 'departments have no description' in result['msg'] and provider.writes == []


def test_department_tree_path_given_to_the_provider():
    provider = MemoryProvider()
    run(run_departments, Module(), [dict(name='HQ'), dict(name='Sales', parent='HQ'), dict(name='East', parent='Sales')],
        provider=provider)
    assert provider.writes == [('department_create', 'HQ'), ('department_create', 'HQ/Sales'),
                               ('department_create', 'HQ/Sales/East')]


def test_directory_info_snapshot_and_restore_round_trip(tmp_path):
    provider = MemoryProvider(departments=[dict(name='Sales')], users=users(3))
    info = run(run_directory_info, Module(), provider=provider)
    assert [u['email'] for u in info['users']] == ['u0@x.org', 'u1@x.org', 'u2@x.org']
    path = str(tmp_path / 'snap.json')
    written = run(run_snapshot, Module(path=path), provider=provider)
    assert written['verified'] and written['entries'] == 4
    assert 'Secret' not in open(path).read() and json.load(open(path))['backend'] == 'memory'
    provider.users['u1@x.org']['title'] = 'Changed'
    provider.users['u9@x.org'] = dict(provider.users['u0@x.org'], name='Added')
    provider.departments['Extra'] = dict(parent=None, description=None)
    planned = run(run_restore, Module(check_mode=True, src=path), provider=provider)
    assert planned['summary'] == {'user_modify': 1, 'user_delete': 1, 'department_delete': 1}
    assert provider.users['u1@x.org']['title'] == 'Changed'
    done = run(run_restore, Module(src=path), provider=provider)
    assert done['applied'] == 3 and provider.users['u1@x.org']['title'] == 'T'
    assert 'u9@x.org' not in provider.users and 'Extra' not in provider.departments


def test_snapshot_makes_its_directory_private_only_when_asked(tmp_path):
    provider = MemoryProvider(departments=[dict(name='Sales')], users=users(1))
    backups = tmp_path / 'site' / 'backups'
    refused = run(run_snapshot, Module(path=str(backups / 'snap.json')), provider=provider)
    assert refused['failed'] and 'does not exist' in refused['msg'] and not backups.exists()
    planned = run(run_snapshot, Module(check_mode=True, path=str(backups / 'snap.json'), create_dir=True),
                  provider=provider)
    assert planned['entries'] == 2 and not backups.exists()
    written = run(run_snapshot, Module(path=str(backups / 'snap.json'), create_dir=True), provider=provider)
    assert written['verified'] and stat.S_IMODE(os.stat(str(backups)).st_mode) == 0o700
    backups.chmod(0o755)
    run(run_snapshot, Module(path=str(backups / 'again.json'), create_dir=True), provider=provider)
    assert stat.S_IMODE(os.stat(str(backups)).st_mode) == 0o700


def test_snapshot_names_create_dir_when_the_directory_cannot_be_made(tmp_path):
    provider = MemoryProvider(users=users(1))
    (tmp_path / 'file').write_text(u'not a directory')
    result = run(run_snapshot, Module(path=str(tmp_path / 'file' / 'snap.json'), create_dir=True), provider=provider)
    assert result['failed'] and result['msg'].startswith('create_dir: cannot make ')


def test_restore_refuses_to_recreate_users_whose_passwords_are_gone(tmp_path):
    provider = MemoryProvider(departments=[dict(name='Sales')], users=users(2))
    path = str(tmp_path / 'snap.json')
    run(run_snapshot, Module(path=path), provider=provider)
    del provider.users['u1@x.org']
    result = run(run_restore, Module(src=path), provider=provider)
    assert result['failed'] and 'would re-create 1 users (u1@x.org)' in result['msg']
    assert 'u1@x.org' not in provider.users


def test_restore_refuses_snapshot_of_another_backend(tmp_path):
    provider = MemoryProvider(users=users(1))
    path = tmp_path / 'snap.json'
    run(run_snapshot, Module(path=str(path)), provider=provider)
    document = json.loads(path.read_text())
    document['backend'] = 'exmail'
    path.write_text(json.dumps(document))
    result = run(run_restore, Module(src=str(path)), provider=provider)
    assert result['failed'] and 'refusing to restore it here' in result['msg']


def test_departments_file_read_in_part_and_whole_must_agree_before_a_change(tmp_path):
    from ansible_collections.mailops.mailbox.plugins.module_utils._module.departments import department_items
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import roster_yaml
    path = tmp_path / 'roster.yml'
    text = roster_yaml(dict(domain='x.org', departments=[dict(name='Sales')], users=[]))
    path.write_text(text + u'  departments:\n    - name: Other\n', encoding='utf-8')  # a second key: YAML keeps the last
    provider = MemoryProvider()
    module = Module(departments_file=str(path))
    items, before_changes = department_items(module)
    assert [item['name'] for item in items] == ['Sales']
    result = run(run_departments, module, items, provider=provider, before_changes=before_changes)
    assert result['failed'] and 'differ from those read first' in result['msg'] and provider.writes == []
