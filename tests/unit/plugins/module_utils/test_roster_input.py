# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    parse_passwords_text, read_roster_file,
)


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
