# -*- coding: utf-8 -*-
"""Template syntax in any cell is text: written tagged !unsafe, read back verbatim by every reader."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    TaggedSafeLoader, load_plain_yaml, parse_passwords_text, read_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
    parse_passwords, parse_roster, render_passwords, render_roster, roster_yaml,
)
from template_helpers import build

HEADER = (u'工号', u'姓名', u'邮箱', u'部门', u'职务', u'手机', u'别名', u'状态', u'初始密码')
PIPE = u"{{ lookup('pipe', 'id') }}"
# Every cell that can hold text holds template syntax (a mobile is digits by its own rule).
ROW = (u'{{7*7}}', PIPE, u'{{7*7}}@example.org', u'{% if 1 %}总部{% endif %}/{#c#}', u'{# note #} {{ x }}',
       u'+8613800000000', u'{%raw%}@example.org, {#c#}@example.org', u'在职', u'Passw0rd{{7*7}}xyZ')
USER = dict(email=u'{{7*7}}@example.org', name=PIPE, department=u'{#c#}', title=u'{# note #} {{ x }}',
            employee_id=u'{{7*7}}', mobile=u'+8613800000000',
            aliases=[u'{#c#}@example.org', u'{%raw%}@example.org'], state=u'present')
TOP = u'{% if 1 %}总部{% endif %}'
ROSTER = dict(domain=u'example.org', departments=[dict(name=TOP, parent=None), dict(name=u'{#c#}', parent=TOP)],
              users=[USER])
PASSWORDS = {u'{{7*7}}@example.org': u'Passw0rd{{7*7}}xyZ'}


def generated(tmp_path):
    result = build(tmp_path, [HEADER, ROW])
    assert result.problems == []
    assert result.roster == ROSTER
    return (render_roster(result.roster, 'staff.csv', '0' * 64, result.row_count),
            render_passwords(result.passwords))


def test_every_reader_gives_back_the_cells_verbatim(tmp_path):
    roster_text, passwords_text = generated(tmp_path)
    path = tmp_path / 'roster.yml'
    path.write_text(roster_text, encoding='utf-8')
    document = dict(mailbox_roster=ROSTER)
    assert parse_roster(roster_text) == ROSTER
    assert read_roster_file(str(path)) == ROSTER
    assert load_plain_yaml(io.BytesIO(roster_text.encode('utf-8'))) == document
    assert yaml.load(roster_text, Loader=TaggedSafeLoader) == document  # the fallback of the event reader
    assert yaml.load(roster_text, Loader=AnsibleLoader) == document  # -e @roster.yml, vars_files, include_vars
    assert dict((k, v.reveal()) for k, v in parse_passwords(passwords_text).items()) == PASSWORDS
    assert parse_passwords_text(passwords_text) == PASSWORDS
    assert yaml.load(passwords_text, Loader=TaggedSafeLoader) == dict(mailbox_initial_passwords=PASSWORDS)
    assert yaml.load(passwords_text, Loader=AnsibleLoader) == dict(mailbox_initial_passwords=PASSWORDS)


def test_readers_return_plain_str(tmp_path):
    roster_text, passwords_text = generated(tmp_path)
    user = parse_roster(roster_text)['users'][0]
    assert user['name'].__class__ is str and user['aliases'][0].__class__ is str
    assert all(k.__class__ is str and v.__class__ is str for k, v in parse_passwords_text(passwords_text).items())


def test_ansible_never_trusts_a_written_string_as_a_template(tmp_path):
    """Ansible 2.19 templates only strings it trusts; none of the loaded roster's is."""
    from ansible.template import is_trusted_as_template
    roster_text, passwords_text = generated(tmp_path)

    def strings(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    for text in (roster_text, passwords_text):
        data = yaml.load(text, Loader=AnsibleLoader)
        values = [s for s in strings(data) if s not in ('mailbox_roster', 'mailbox_initial_passwords')
                  and s not in ROSTER_KEYS_AND_SECTIONS]
        assert values and not any(is_trusted_as_template(s) for s in values)


ROSTER_KEYS_AND_SECTIONS = ('domain', 'departments', 'users', 'name', 'parent', 'email', 'department', 'title',
                            'employee_id', 'mobile', 'aliases', 'state')


def test_rosters_without_tags_still_load(tmp_path):
    old = (u'---\nmailbox_roster:\n  domain: example.org\n  departments: []\n  users:\n    - email: a@example.org\n'
           u'      name: 张三\n      employee_id: "1001"\n      aliases: []\n      state: present\n')
    assert parse_roster(old)['users'][0] == dict(email='a@example.org', name=u'张三', employee_id='1001', aliases=[],
                                                 state='present')
    assert parse_passwords_text('mailbox_initial_passwords:\n  a@example.org: Secret-Pass-1\n') == {
        'a@example.org': 'Secret-Pass-1'}


def test_roster_yaml_writes_any_roster_dict_tagged():
    text = roster_yaml(ROSTER, comments=('Written by the backup role',))
    assert text.startswith('# Written by the backup role\n---\nmailbox_roster:\n  domain: !unsafe example.org\n')
    assert u'    - email: !unsafe "{{7*7}}@example.org"\n' in text
    assert yaml.load(text, Loader=AnsibleLoader) == dict(mailbox_roster=ROSTER)
    assert roster_yaml(ROSTER) == roster_yaml(ROSTER)


BIDI_HEADER = (u'姓名', u'邮箱', u'部门', u'职务', u'工号', u'别名', u'初始密码')


@pytest.mark.parametrize('column', range(len(BIDI_HEADER)))
@pytest.mark.parametrize('control', [u'\u202a', u'\u202e', u'\u2066', u'\u2069'])
def test_a_bidirectional_control_in_any_cell_is_a_problem_with_row_and_column(tmp_path, column, control):
    row = [u'张三', u'zs@example.org', u'总部/技术部', u'工程师', u'E1001', u'sales', u'Passw0rd-1234']
    row[column] = row[column][:2] + control + row[column][2:]
    result = build(tmp_path, [BIDI_HEADER, tuple(row)])
    assert [(p.row, p.column) for p in result.problems] == [(2, BIDI_HEADER[column])]
    assert result.roster is None
