# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    parse_passwords_text, read_roster_departments, read_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import roster_yaml


def test_read_roster_file(tmp_path):
    path = tmp_path / 'roster.yml'
    path.write_text(u'mailbox_roster:\n  domain: example.org\n  users:\n    - email: a@example.org\n      name: 张三\n',
                    encoding='utf-8')
    roster = read_roster_file(str(path))
    assert roster['domain'] == 'example.org' and roster['users'][0]['name'] == u'张三'


@pytest.mark.parametrize('content, message', [
    ('mailbox_roster: [1, 2', 'is not valid YAML'),
    ('mailbox_roster:\n  users: nope\n', 'is not a roster'),
    ('- 1\n- 2\n', 'is not a roster'),
])
def test_read_roster_file_errors(tmp_path, content, message):
    path = tmp_path / 'roster.yml'
    path.write_text(content)
    with pytest.raises(ValueError) as info:
        read_roster_file(str(path))
    assert message in str(info.value)
    with pytest.raises(ValueError) as info:
        read_roster_file(str(tmp_path / 'missing.yml'))
    assert 'cannot be read' in str(info.value)


def test_parse_passwords_text():
    assert parse_passwords_text('mailbox_initial_passwords:\n  a@example.org: "S3cret: x"\n') == {
        'a@example.org': 'S3cret: x'}
    assert parse_passwords_text('a@example.org: pw\n') == {'a@example.org': 'pw'}
    assert parse_passwords_text('') == {}


def test_password_parse_errors_never_quote_the_text():
    with pytest.raises(ValueError) as info:
        parse_passwords_text('mailbox_initial_passwords:\n  a@example.org: "Sup3rSecret\n  b: [\n')
    assert 'Sup3rSecret' not in str(info.value) and 'line' in str(info.value)
    with pytest.raises(ValueError) as info:
        parse_passwords_text('- TopSecret\n')
    assert 'TopSecret' not in str(info.value)


PLAIN = u"""# Source: staff.xlsx
mailbox_roster:
  domain: example.org
  departments:
  - {name: 总部, parent: null}
  users:
  - &first
    email: a@example.org
    name: 张三
    employee_id: '0042'
    mobile: "+86 138"
    aliases: [x@example.org]
    state: present
    title: ~
    count: 12
    flag: yes
    ratio: 1.5
    when: 2026-11-25
  - *first
"""


def test_event_loader_gives_what_the_safe_loader_gives(tmp_path):
    import io
    import yaml
    from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import load_plain_yaml
    assert load_plain_yaml(io.BytesIO(PLAIN.encode('utf-8'))) == yaml.safe_load(PLAIN)


def test_merge_keys_fall_back_to_the_full_loader(tmp_path):
    path = tmp_path / 'roster.yml'
    path.write_text('base: &b {state: present}\nmailbox_roster:\n  users:\n  - <<: *b\n    email: a@example.org\n')
    assert read_roster_file(str(path))['users'] == [{'state': 'present', 'email': 'a@example.org'}]


BROKEN_TAIL = u'    - email: [unclosed\n'


def test_the_departments_are_read_without_the_users_when_they_come_first(tmp_path):
    path = tmp_path / 'roster.yml'
    text = roster_yaml(dict(domain='x.org', departments=[dict(name=u'销售部'), dict(name=u'华东', parent=u'销售部')],
                            users=[dict(email='a@x.org', name='A', department=u'华东')]))
    path.write_text(text, encoding='utf-8')
    departments = read_roster_file(str(path))['departments']
    assert [d['name'] for d in departments] == [u'销售部', u'华东']
    # The users part broken: only a reading that stops after the departments succeeds.
    path.write_text(text + BROKEN_TAIL, encoding='utf-8')
    assert read_roster_departments(str(path)) == departments
    with pytest.raises(ValueError, match='is not valid YAML'):
        read_roster_file(str(path))


@pytest.mark.parametrize('content', [
    u'mailbox_roster:\n  users:\n    - {email: a@x.org, name: A}\n  departments:\n    - name: Sales\n',
    u'users:\n  - {email: a@x.org, name: A}\ndepartments:\n  - name: Sales\n',
    u'departments:\n  - name: Other\nmailbox_roster:\n  departments:\n    - name: Sales\n  users: []\n',
    u'mailbox_roster:\n  base: &dep {name: Sales}\n  departments:\n    - *dep\n  users: []\n',
    u'mailbox_roster:\n  departments:\n    - <<: {name: Sales}\n  users: []\n',
])
def test_the_departments_read_whole_give_what_the_whole_roster_holds(tmp_path, content):
    path = tmp_path / 'roster.yml'
    path.write_text(content, encoding='utf-8')
    assert read_roster_departments(str(path)) == read_roster_file(str(path))['departments'] == [dict(name='Sales')]


@pytest.mark.parametrize('content, message', [
    (u'mailbox_roster:\n  users: [1\n', 'is not valid YAML'),
    (u'mailbox_roster:\n  departments: nope\n  users: nope\n', 'is not a roster'),
])
def test_the_departments_of_a_file_that_is_no_roster_fail_as_the_roster_does(tmp_path, content, message):
    path = tmp_path / 'roster.yml'
    path.write_text(content, encoding='utf-8')
    with pytest.raises(ValueError, match=message):
        read_roster_departments(str(path))
    with pytest.raises(ValueError, match='cannot be read'):
        read_roster_departments(str(tmp_path / 'missing.yml'))
