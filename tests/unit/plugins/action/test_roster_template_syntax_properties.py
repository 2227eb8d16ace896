# -*- coding: utf-8 -*-
"""Property tests (hypothesis): template syntax (``{{``, ``{%``, ``{#``, ``!unsafe``, YAML-special
text) and bidirectional controls in every cell of a template. Either the roster and passwords
files read back, through every reader the collection and Ansible have, as exactly the cells'
documented normal form (never evaluated, never trusted as a template by Ansible), or the cell is a
problem naming its row and column, and a password is never shown."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import csv
import io
import os
import shutil
import tempfile

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader
from ansible.template import is_trusted_as_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import BIDI_RE
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    parse_passwords_text, read_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template import normalise
from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import first_department
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
    parse_passwords, parse_roster, render_passwords, render_roster,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", 300))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ('name', 'email', 'department', 'title', 'employee_id', 'aliases', 'initial_password')
HEADER = (u'姓名', u'邮箱', u'部门', u'职务', u'工号', u'别名', u'初始密码')
LABELS = dict(zip(KEYS, HEADER))
BIDI = [u'\u202a', u'\u202b', u'\u202c', u'\u202d', u'\u202e', u'\u2066', u'\u2067', u'\u2068', u'\u2069']
PIECES = [u'{{', u'}}', u'{%', u'%}', u'{#', u'#}', u"{{ lookup('pipe', 'id') }}", u'{{ 7*7 }}', u'{% raw %}',
          u'{%- endraw -%}', u'!unsafe ', u'!!python/object:os.system ', u'&a ', u'*a', u': ', u' #', u'- ', u'? ',
          u'|', u'>', u"'", u'"', u'@', u'`', u'%', u'yes', u'null', u'~', u'1001', u'0x1F', u'2024-01-01', u'.inf',
          u'=', u'<<', u'\\', u'x', u'Ab3', u'张', u' ', u',', u'/']
LOCAL_PIECES = [u'{{', u'}}', u'{%', u'%}', u'{#', u'#}', u'7*7', u'a', u'b.c', u'!', u'|', u"'", u'`', u'~', u'=',
                u'+', u'-', u'$', u'^', u'&', u'?']


def pieces(choices):
    """Text of ``choices``; one cell in four with bidirectional controls in it too."""
    plain = st.lists(st.sampled_from(choices), min_size=1, max_size=8).map(u''.join)
    with_bidi = st.lists(st.sampled_from(choices + BIDI), min_size=1, max_size=8).map(u''.join)
    return st.one_of(plain, plain, plain, with_bidi)


HOSTILE = pieces(PIECES)
LOCAL = pieces(LOCAL_PIECES)
CELLS = dict(
    name=HOSTILE, title=HOSTILE, department=HOSTILE, employee_id=HOSTILE, initial_password=HOSTILE,
    email=LOCAL.map(lambda local: local + u'@example.org'),
    aliases=st.lists(LOCAL, max_size=2).map(lambda locals_: u','.join(local + u'@example.org' for local in locals_)),
)
# Any password passes: the property is about the text, not the policy.
ANY_PASSWORD = dict(min_length=1, lower=False, upper=False, digit=False, symbol=False, generated_length=16)


@pytest.fixture(scope='module')
def workdir():
    path = tempfile.mkdtemp(prefix='template-syntax-')
    yield path
    shutil.rmtree(path)


def build(workdir, row):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(HEADER)
    writer.writerow([row[key] for key in KEYS])
    path = os.path.join(workdir, 'staff.csv')
    with open(path, 'wb') as handle:
        handle.write(out.getvalue().encode('utf-8'))
    return build_roster(read_template(path, 'staff.csv', delimiter=','),
                        Settings(domain='example.org', password_policy=ANY_PASSWORD))


def expected_user(row):
    """The roster entry the parser's documented normalisation makes of ``row``, when it is one."""
    path, _message = normalise.department_path(first_department(row['department'])[0])
    aliases, _messages = normalise.aliases(row['aliases'], 'example.org')
    return dict(email=normalise.email(row['email'])[0], name=normalise.name(row['name'])[0],
                department=path[-1] if path else None, title=normalise.text(row['title'])[0],
                employee_id=normalise.number_text(row['employee_id'])[0], mobile=None, aliases=aliases,
                state='present')


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


@SETTINGS
@given(row=st.fixed_dictionaries(CELLS))
def check_row(workdir, seen, row):
    result = build(workdir, row)
    seen['examples'] += 1
    password = normalise.password(row['initial_password'])[0] or row['initial_password'].strip()
    if result.problems:
        seen['problems'] += 1
        for problem in result.problems:
            assert problem.row == 2 and problem.column in HEADER, problem
            if len(password) >= 4 and not any(password in row[key] for key in KEYS if key != 'initial_password'):
                assert password not in u'%s %s' % (problem.value, problem.message), problem
        for key in ('name', 'title', 'employee_id', 'initial_password'):
            if BIDI_RE.search(row[key]):
                assert LABELS[key] in [p.column for p in result.problems], (key, row[key])
        return
    assert not any(BIDI_RE.search(row[key]) for key in KEYS)
    user, = result.roster['users']
    assert user == expected_user(row)
    roster_text = render_roster(result.roster, 'staff.csv', 'sha', result.row_count)
    passwords_text = render_passwords(result.passwords)
    path = os.path.join(workdir, 'roster.yml')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(roster_text)
    assert parse_roster(roster_text) == result.roster
    assert read_roster_file(path) == result.roster
    loaded = yaml.load(roster_text, Loader=AnsibleLoader)
    assert loaded == dict(mailbox_roster=result.roster)
    wanted = {user['email']: normalise.password(row['initial_password'])[0]} if password else None
    if wanted:
        assert parse_passwords_text(passwords_text) == wanted
        assert dict((k, v.reveal()) for k, v in parse_passwords(passwords_text).items()) == wanted
        ansible_passwords = yaml.load(passwords_text, Loader=AnsibleLoader)
        assert ansible_passwords == dict(mailbox_initial_passwords=wanted)
        loaded = [loaded, ansible_passwords]
    # Ansible templates only what it trusts: nothing from a cell is trusted.
    cells = set(s for s in strings(result.roster)) | set(wanted or ())
    assert not any(is_trusted_as_template(s) for s in strings(loaded) if s in cells and ('{' in s))
    seen['round trips'] += 1
    if any(mark in roster_text for mark in (u'{{', u'{%', u'{#')):
        seen['template syntax kept'] += 1


def test_template_syntax_and_bidi_in_every_cell(workdir, record_property):
    seen = collections.Counter()
    check_row(workdir, seen)
    record_property('hypothesis_examples', dict(seen))
    print('template syntax and bidi in every cell: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['round trips'] >= 10 and seen['problems'] >= 10
    assert seen['template syntax kept'] >= 5
