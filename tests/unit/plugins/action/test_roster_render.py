# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import tracemalloc

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader
from hypothesis import example, given
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.action.roster import _read_previous
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ROSTER_KEYS, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import load_yaml
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
    parse_passwords, parse_roster, render_passwords, render_roster, scalar, without_source_line,
)

ROSTER = dict(
    domain='example.org',
    departments=[dict(name=u'总部', parent=None), dict(name=u'销售部', parent=u'总部')],
    users=[dict(email='zhang.san@example.org', name=u'张三', department=u'销售部', title=u'销售经理', employee_id='1001',
                mobile='+8613800000000', aliases=['sales@example.org'], state='present'),
           dict(email='li.si@example.org', name=u'李四', department=u'总部', title=None, employee_id='E1002',
                mobile=None, aliases=[], state='disabled')],
)


@pytest.mark.parametrize('value, written', [
    (None, 'null'), ('zhang.san@example.org', '!unsafe zhang.san@example.org'), (u'张三', u'!unsafe 张三'),
    ('E1001', '!unsafe E1001'), (u'José Müller', u'!unsafe José Müller'), ('Business Analyst', '!unsafe Business Analyst'),
    ('+86 138', '!unsafe "+86 138"'), ('+8613800000000', '"+8613800000000"'), ('a: b', '!unsafe "a: b"'), ('#x', '!unsafe "#x"'), ('x #y', '!unsafe "x #y"'),
    ('-x', '!unsafe "-x"'), ('@x', '!unsafe "@x"'), ('a"b', '!unsafe "a\\"b"'),
    ("{{ lookup('pipe', 'id') }}", '!unsafe "{{ lookup(\'pipe\', \'id\') }}"'), ('{% if 1 %}', '!unsafe "{% if 1 %}"'),
    # What YAML resolves to a number, a boolean, a date or null is never tagged: Ansible re-resolves
    # a tagged scalar, so !unsafe "1001" would be read as the number 1001.
    ('1001', '"1001"'), ('13800000000', '"13800000000"'), ('yes', '"yes"'), ('No', '"No"'), ('null', '"null"'),
    ('~', '"~"'), ('2024-01-01', '"2024-01-01"'), ('1.5', '"1.5"'), ('', '""'), ('=', '"="'), ('<<', '"<<"'),
])
def test_scalar(value, written):
    assert scalar(value) == written


@pytest.mark.parametrize('value', [
    u'O\'Brien', u'a\\b', u'tab\there', u'\x85nel', u'line\u2028sep', u'\U0001F600 smile', u'\x9b', u'ok: yes',
    u'[list]', u'{dict}', u'*alias', u'&anchor', u'!tag', u'%percent', u'`tick`', u'|pipe', u'>fold', u'0x1F',
    u'1_000', u'.inf', u'迪丽热巴·迪力木拉提', u'a  b', u' lead', u'trail ', u"It's", u'=', u'<<', u'!unsafe x',
    u'{{ x }}', u'{%- raw -%}', u'{# c #}', u'1001', u'yes', u'', u'A\n', u'a@example.org\n', u'1\n',
])
def test_scalar_round_trips(value):
    assert load_yaml('key: %s\n' % scalar(value)) == {'key': value}
    assert yaml.load('key: %s\n' % scalar(value), Loader=AnsibleLoader) == {'key': value}


# Every first character YAML's resolvers start with, then a few characters no resolver starts with.
_RESOLVED_FIRST = sorted(key for key in yaml.resolver.Resolver.yaml_implicit_resolvers if key) + [u'a', u'u', u'张', u'@']


@given(st.one_of(st.text(max_size=12), st.builds(lambda first, rest: first + rest, st.sampled_from(_RESOLVED_FIRST),
                                                 st.text(alphabet=u'0123456789.:-+eE_xXo ntrufalsyYN~', max_size=10))))
@example(u'user000001@example.org')
@example(u'A\n')
@example(u'no')
@example(u'0o17')
def test_scalar_is_quoted_exactly_when_the_resolver_reads_another_type(value):
    """scalar() skips the resolver for a value whose first character no resolver starts with: the
    result is what asking the resolver gives, and reads back as the same string either way."""
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    written = scalar(value)
    assert written.startswith('!unsafe ') == (resolved == 'tag:yaml.org,2002:str')
    assert load_yaml('key: %s\n' % written) == {'key': value}


def test_roster_text_is_deterministic_and_reads_back():
    text = render_roster(ROSTER, 'staff.csv', 'ab' * 32, 2)
    assert text == render_roster(ROSTER, 'staff.csv', 'ab' * 32, 2)
    assert text.splitlines()[1] == '# Source: staff.csv, 2 data rows, sha256 ' + 'ab' * 32
    assert load_yaml(text) == {'mailbox_roster': ROSTER}
    assert yaml.load(text, Loader=AnsibleLoader) == {'mailbox_roster': ROSTER}
    assert parse_roster(text) == ROSTER
    # every user key is written, in the roster's order
    first_user = text.split('  users:\n')[1].split('\n    - ')[0].splitlines()
    keys = [line.strip(' -').split(':')[0] for line in first_user if not line.startswith('        -')]
    assert keys == list(ROSTER_KEYS)
    assert without_source_line(text) == without_source_line(render_roster(ROSTER, 'staff.xlsx', 'cd' * 32, 2))


def test_roster_layout():
    text = render_roster(dict(ROSTER, departments=[], users=ROSTER['users'][:1]), 'staff.csv', '0' * 64, 1)
    assert text.split('mailbox_roster:\n')[1] == (
        u'  domain: !unsafe example.org\n'
        u'  departments: []\n'
        u'  users:\n'
        u'    - email: !unsafe zhang.san@example.org\n'
        u'      name: !unsafe 张三\n'
        u'      department: !unsafe 销售部\n'
        u'      title: !unsafe 销售经理\n'
        u'      employee_id: "1001"\n'
        u'      mobile: "+8613800000000"\n'
        u'      aliases:\n'
        u'        - !unsafe sales@example.org\n'
        u'      state: !unsafe present\n')


@pytest.mark.parametrize('text, message', [
    ('a: [', 'is not valid YAML'),
    ('other: 1', 'has no mailbox_roster dictionary'),
    ('mailbox_roster: {users: [{name: x}]}', 'has a user without an email'),
    ('mailbox_roster: {users: [], departments: [{parent: x}]}', 'has a department without a name'),
])
def test_bad_previous_roster(text, message):
    with pytest.raises(ValueError) as error:
        parse_roster(text)
    assert str(error.value).startswith(message)


def test_passwords_round_trip():
    passwords = {'b@example.org': Secret(u'p: "x" #1'), 'a@example.org': Secret(u'Pässwörd-1')}
    text = render_passwords(passwords)
    assert text.startswith('mailbox_initial_passwords:\n  !unsafe a@example.org: !unsafe Pässwörd-1\n  !unsafe b@')
    back = parse_passwords(text)
    assert dict((k, v.reveal()) for k, v in back.items()) == dict((k, v.reveal()) for k, v in passwords.items())


def test_a_broken_passwords_file_is_not_quoted_in_the_error():
    with pytest.raises(ValueError) as error:
        parse_passwords('mailbox_initial_passwords:\n  a@example.org: "Secret-Pass-1\n  b: [')
    assert 'Secret' not in str(error.value)
    with pytest.raises(ValueError):
        parse_passwords('just text')


def test_a_roster_file_is_read_as_it_is_parsed_and_its_keys_are_shared(tmp_path, monkeypatch):
    """A regeneration reads the roster it wrote last time from the file, line by line (not as one
    string, which for 100,000 users is several times the file's 25 MB), and every user's dict holds
    the same key strings (not a copy of each of its eight keys)."""
    users = [dict(ROSTER['users'][index % 2], email='user%05d@example.org' % index) for index in range(3000)]
    roster = dict(ROSTER, users=users)
    path = tmp_path / 'roster.yml'
    path.write_text(render_roster(roster, 'staff.csv', 'sha', len(users)), encoding='utf-8')
    size = path.stat().st_size

    def no_libyaml(*args, **kwargs):
        raise AssertionError('read with libyaml')

    monkeypatch.setattr(yaml, 'parse', no_libyaml)
    monkeypatch.setattr(yaml, 'load', no_libyaml)
    tracemalloc.start()
    try:
        previous = _read_previous(str(path), True)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # What the reading needed beyond what it returns: a buffer and the reader's bounded memo of
    # repeated values, not the file's text (as one str and a StringIO's buffer, over 4 x its size).
    assert peak - held < size, (peak - held, size)
    read = list(previous['users'])
    assert read == users and previous['departments'] == ROSTER['departments']
    for key in read[0]:
        assert all(next(k for k in user if k == key) is next(k for k in read[0] if k == key) for user in read)
