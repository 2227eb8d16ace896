# -*- coding: utf-8 -*-
"""The line-by-line reader of the roster and passwords files as the collection writes them: for
any data the writer writes, the same result as libyaml's; for anything else, NotWritten (and the
modules read the file with libyaml)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._module import roster_input
from ansible_collections.mailops.mailbox.plugins.module_utils._module.written_yaml import (
    NotWritten, lines_of, read_password_lines, read_passwords, read_roster,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template import render
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import roster_yaml, write_passwords

ROSTER_VAR, PASSWORDS_VAR = 'mailbox_roster', 'mailbox_initial_passwords'

# Text of every kind a spreadsheet cell or a directory value may hold: YAML-special words, numbers,
# dates, quotes, colons, hashes, template syntax, line breaks, controls, surrogates, astral characters.
AWKWARD = st.sampled_from([u'', u'yes', u'null', u'~', u'1001', u'0x1F', u'1e+20', u'2024-01-01', u'a: b', u'#x', u'x #y',
                           u"O'Brien", u'"q"', u'{{ 7*7 }}', u'{% raw %}', u'- item', u'[1]', u'张三', u'a\nb', u'\t',
                           u'\x85', u'\u2028', u'\ud800', u'\ud83d\ude00', u'😀', u'\x00', u' lead', u'trail ', u'!unsafe'])
TEXT = AWKWARD | st.text(max_size=12) | st.from_regex(r'[A-Za-z][\w.@-]{0,10}( [\w.]{1,5})?', fullmatch=True)
VALUE = st.none() | TEXT
USER = st.fixed_dictionaries(dict(email=TEXT, name=VALUE, department=VALUE, title=VALUE, state=VALUE),
                             optional=dict(aliases=st.lists(TEXT, max_size=3), employee_id=VALUE, mobile=VALUE))
DEPARTMENT = st.fixed_dictionaries(dict(name=TEXT, parent=VALUE))
ROSTER = st.fixed_dictionaries(dict(domain=VALUE, departments=st.lists(DEPARTMENT, max_size=3),
                                    users=st.lists(USER, max_size=4)))


def libyaml(text):
    return roster_input.load_yaml(text)


@settings(max_examples=400, deadline=None)
@given(ROSTER, st.lists(st.text(max_size=20).filter(lambda c: '\n' not in c and '\r' not in c), max_size=2))
def test_a_roster_as_written_reads_as_libyaml_reads_it(roster, comments):
    text = roster_yaml(roster, comments=comments)
    try:
        fast = read_roster(io.StringIO(text, newline='\n'), ROSTER_VAR)
    except NotWritten:
        return  # read by libyaml instead: nothing to compare
    assert fast == libyaml(text)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT, TEXT, max_size=5))
def test_passwords_as_written_read_as_libyaml_reads_them(passwords):
    out = io.StringIO()
    write_passwords(out, dict((email, Secret(password)) for email, password in passwords.items()))
    text = out.getvalue()
    try:
        fast = read_passwords(text, PASSWORDS_VAR)
    except NotWritten:
        return
    assert fast == libyaml(text)
    assert read_passwords(text.rstrip('\n'), PASSWORDS_VAR) == fast
    # In pieces, as a vault file is decrypted: split anywhere, a line too.
    for size in (1, 7, 64):
        pieces = (text[start:start + size] for start in range(0, len(text), size))
        assert read_password_lines(lines_of(pieces), PASSWORDS_VAR) == fast


@pytest.mark.parametrize('pieces, lines', [
    ([], []), ([u''], []), ([u'a'], [u'a']), ([u'a\n'], [u'a']), ([u'a\n', u''], [u'a']), ([u'a\n\n'], [u'a', u'']),
    ([u'a', u'b\nc', u'\n', u'd'], [u'ab', u'c', u'd']), ([u'\n'], [u'']),
])
def test_lines_of_pieces_are_the_lines_of_their_text(pieces, lines):
    assert list(lines_of(iter(pieces))) == lines
    text = u''.join(pieces)
    assert lines == (text.split(u'\n')[:-1] if text.endswith(u'\n') else text.split(u'\n') if text else [])


def test_passwords_in_pieces_not_as_written_are_read_whole_with_libyaml():
    text = usual_passwords_text().replace(': !unsafe plain\n', ": 'plain'  # edited\n")
    pieces = (text[start:start + 5] for start in range(0, len(text), 5))
    passwords = render.parse_password_chunks(pieces, lambda: text)
    assert dict((email, secret.reveal()) for email, secret in passwords.items()) == USUAL_PASSWORDS
    with pytest.raises(ValueError, match='has no mailbox_initial_passwords dictionary'):
        render.parse_password_chunks(iter([u'other: 1\n']), lambda: u'other: 1\n')


USUAL_ROSTER = dict(
    domain='example.org', departments=[dict(name=u'销售部', parent=None), dict(name=u'华东', parent=u'销售部')],
    users=[dict(email='zhang.san@example.org', name=u'张三', department=u'华东', title=u'经理',
                employee_id='E001', mobile='+8613800000000', aliases=['zs@example.org'], state='present'),
           dict(email='jose.muller@example.org', name=u'José Müller', department=u'销售部', title=None,
                employee_id=None, mobile=None, aliases=[], state='disabled')])
USUAL_PASSWORDS = {'zhang.san@example.org': u'Pa55: #{{ x }}', 'b@example.org': 'plain'}


def usual_passwords_text():
    out = io.StringIO()
    write_passwords(out, dict((email, Secret(password)) for email, password in USUAL_PASSWORDS.items()))
    return out.getvalue()


def test_the_usual_roster_and_passwords_are_read_line_by_line():
    """The figures rest on this: what the roster module writes for ordinary staff is not handed to libyaml."""
    text = roster_yaml(USUAL_ROSTER, comments=['Generated by a test'])
    assert read_roster(io.StringIO(text, newline='\n'), ROSTER_VAR) == {ROSTER_VAR: USUAL_ROSTER} == libyaml(text)
    assert read_passwords(usual_passwords_text(), PASSWORDS_VAR) == {PASSWORDS_VAR: USUAL_PASSWORDS}


def test_regenerating_a_roster_reads_the_previous_files_line_by_line_too(monkeypatch):
    """The roster action reads the roster it wrote last time and the vault's passwords (render.parse_roster,
    parse_passwords): as written they are not handed to libyaml; edited by hand, they are."""
    text = roster_yaml(USUAL_ROSTER, comments=['Generated by a test'])

    def no_libyaml(*args, **kwargs):
        raise AssertionError('read with libyaml')

    monkeypatch.setattr(yaml, 'parse', no_libyaml)
    monkeypatch.setattr(yaml, 'load', no_libyaml)
    assert render.parse_roster(text) == USUAL_ROSTER
    assert dict((email, secret.reveal()) for email, secret in render.parse_passwords(usual_passwords_text()).items()) \
        == USUAL_PASSWORDS
    monkeypatch.undo()
    edited = text.replace('  domain: !unsafe example.org\n', '  domain: example.org  # edited\n')
    assert edited != text
    assert render.parse_roster(edited) == USUAL_ROSTER
    assert render.parse_passwords(usual_passwords_text().replace(': !unsafe plain\n', ": 'plain'\n"))['b@example.org'].reveal() \
        == 'plain'


@pytest.mark.parametrize('text', [
    u'mailbox_roster:\n  domain: x.org\n',  # no document start
    u'---\nmailbox_roster:\n  domain: x.org # a comment\n',
    u"---\nmailbox_roster:\n  domain: 'x.org'\n",
    u'---\nmailbox_roster:\n  users:\n  departments: []\n',  # users: null to YAML
    u'---\nmailbox_roster:\n  users:\n    - email: a@x.org\n      aliases:\n      name: A\n',  # aliases: null
    u'---\nmailbox_roster:\n  users:\n    - {email: a@x.org}\n',
    u'---\nmailbox_roster:\n  users:\n    - email: !unsafe a@x.org\r\n',
    u'---\nmailbox_roster:\n  users:\n     - email: a@x.org\n',
    u'---\nmailbox_roster:\n  users:\n    - email: !unsafe a@x.org\n      employee_id: 1e+20\n',
    u'---\nmailbox_roster:\n  users:\n    - email: "\\ud83d\\ude00"\n',
    u'---\nmailbox_roster:\n  domain: x.org',  # no final line break
])
def test_anything_else_is_left_to_libyaml(tmp_path, text):
    with pytest.raises(NotWritten):
        read_roster(io.StringIO(text, newline='\n'), ROSTER_VAR)
    path = tmp_path / 'roster.yml'
    path.write_bytes(text.encode('utf-8'))
    try:
        expected = libyaml(text)[ROSTER_VAR]
    except yaml.YAMLError:
        with pytest.raises(ValueError):
            roster_input.read_roster_file(str(path))
        return
    if isinstance(expected, dict) and isinstance(expected.get('users', []), list):
        assert roster_input.read_roster_file(str(path)) == expected


def test_a_file_that_is_not_utf8_is_left_to_libyaml(tmp_path):
    path = tmp_path / 'roster.yml'
    path.write_bytes(u'---\nmailbox_roster:\n  domain: x.org\n  users: []\n'.encode('utf-16'))
    assert roster_input.read_roster_file(str(path)) == dict(domain='x.org', users=[])


@pytest.mark.parametrize('text', [
    u'mailbox_initial_passwords:\n  a@x.org: "pw" # note\n',
    u'mailbox_initial_passwords:\n    a@x.org: pw\n',
    u'mailbox_initial_passwords: {a@x.org: pw}\n',
    u'other: 1\n',
    u'mailbox_initial_passwords:\n  "a@x.org" pw\n',
    u'mailbox_initial_passwords:\n  \n',
    u'mailbox_initial_passwords: {}\nother: 1\n',
])
def test_passwords_in_another_shape_are_left_to_libyaml(text):
    with pytest.raises(NotWritten):
        read_passwords(text, PASSWORDS_VAR)
