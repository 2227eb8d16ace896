# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roster vars file and the initial passwords vars file as text, and back (pure).

The roster is written by hand-rolled YAML rather than a dumper so that its bytes depend only on
its data (not on the PyYAML version or on libyaml being installed): a regenerated roster's Git
diff then shows only real changes.

Every string is data from outside (template cells, the directory, a previous roster) and is
written tagged ``!unsafe``: Ansible then never templates it, whether the file is loaded with
``-e @file``, ``vars_files``, ``include_vars`` or read by the modules themselves, so a cell
holding ``{{ lookup('pipe', 'id') }}`` stays that text. The readers here and in
``_module/roster_input`` return such a string as a plain str.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import json
import re
import traceback

try:
    import yaml
except ImportError:  # ansible-core depends on PyYAML: only a module_utils import check can get here
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import ROSTER_KEYS, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import (
    UNSAFE_TAG, load_password_chunks, load_roster_file, load_roster_text,
)
# Plain (unquoted) scalars are kept to words and a little punctuation (the rule the modules' line
# reader shares); the resolver then says whether YAML would read one back as a string (not as 1001,
# 2024-01-01, yes or null).
from ansible_collections.mailops.mailbox.plugins.module_utils._module.written_yaml import PLAIN_RE
from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary

ROSTER_VAR = 'mailbox_roster'
PASSWORDS_VAR = 'mailbox_initial_passwords'
DEPARTMENT_KEYS = ('name', 'parent')
SOURCE_LINE = '# Source: '
# Keys whose values repeat from user to user, and how many of their scalars are remembered.
_REPEATING = frozenset(('parent', 'department', 'title', 'state'))
_REMEMBERED = 10000
_STR_TAG = 'tag:yaml.org,2002:str'
if HAS_YAML:
    _RESOLVER = yaml.resolver.Resolver()
# Characters a YAML reader refuses or folds even inside double quotes.
_YAML_UNSAFE_RE = re.compile(u'[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]')


def _require_yaml():
    if not HAS_YAML:
        raise MissingLibrary('PyYAML', YAML_IMPORT_ERROR)


def scalar(value):
    """``value`` as a YAML scalar that every YAML reader, Ansible's included, reads back as exactly ``value``.

    A string is tagged ``!unsafe`` so Ansible never templates it. Not a string that YAML's
    resolver reads as something else (``1001``, ``yes``, ``2024-01-01``, the empty string):
    Ansible re-resolves a tagged scalar as if untagged, so ``!unsafe "1001"`` would become the
    number 1001; such text holds no template syntax, and it is written quoted, untagged.
    """
    if value is None:
        return 'null'
    if not isinstance(value, str):  # a number or a boolean a hand-edited roster may hold
        return json.dumps(value)
    # Most values (names, addresses) begin with a character no implicit resolver starts with: they
    # are strings without asking the resolver, which a roster of 100,000 users asks 600,000 times.
    resolvers = _RESOLVER.yaml_implicit_resolvers
    if (not value or value[0] in resolvers or None in resolvers) and \
            _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return _quoted(value)
    return '%s %s' % (UNSAFE_TAG, value if PLAIN_RE.match(value) else _quoted(value))


def _quoted(value):
    quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _YAML_UNSAFE_RE.sub(lambda m: '\\u%04x' % ord(m.group()), quoted)


def _write_item(out, indent, item, keys, written):
    """One list item: ``- key: value`` and the other keys under it; a list value as a block.
    ``written`` remembers the scalars of values that repeat (departments, titles, states)."""
    prefix = indent + '- '
    for key in keys:
        value = item.get(key)
        if not isinstance(value, list):
            text = written.get(value) if key in _REPEATING else None
            if text is None:
                text = scalar(value)
                if key in _REPEATING and len(written) < _REMEMBERED:
                    written[value] = text
            out.write('%s%s: %s\n' % (prefix, key, text))
        elif not value:
            out.write('%s%s: []\n' % (prefix, key))
        else:
            out.write('%s%s:\n' % (prefix, key))
            out.writelines('%s    - %s\n' % (indent, scalar(v)) for v in value)
        prefix = indent + '  '


def roster_comments(source_name, sha256, row_count):
    """The comment lines at the top of a roster the roster module generates."""
    return ('Generated by mailops.mailbox.roster from an import template: change the template and run it again.',
            '%s%s, %d data rows, sha256 %s' % (SOURCE_LINE[2:], source_name, row_count, sha256),
            'Initial passwords are not in this file: they are in the ansible-vault encrypted passwords file.')


def render_roster(roster, source_name, sha256, row_count):
    """The roster vars file: a header comment, then ``mailbox_roster`` with its keys in a fixed order."""
    return roster_yaml(roster, comments=roster_comments(source_name, sha256, row_count))


def roster_yaml(roster, comments=()):
    """A roster dict (``domain``, ``departments``, ``users`` of roster entries) as the text of a
    roster vars file: ``# `` comment lines, then ``mailbox_roster`` with every string tagged
    ``!unsafe``, keys in a fixed order, the same bytes for the same data.

    The one way the collection writes a roster (the roster module, a snapshot's roster copy):
    Ansible loads the file however it is given and never templates a value from it. For a big
    roster, ``write_roster`` writes the same text to a file without holding it in memory.
    """
    out = io.StringIO()
    write_roster(out, roster, comments)
    return out.getvalue()


def write_roster(out, roster, comments=()):
    """Write what ``roster_yaml`` returns to ``out`` (anything with ``write`` and ``writelines``
    of str), line by line."""
    _require_yaml()
    out.writelines('# %s\n' % line for line in comments)
    out.write('---\n%s:\n  domain: %s\n' % (ROSTER_VAR, scalar(roster['domain'])))
    written = {}
    departments, users = roster['departments'], roster['users']
    out.write('  departments:%s\n' % ('' if departments else ' []'))
    for item in departments:
        # A description only where there is one: a template gives none; a directory's may, and the department
        # module compares it, so a snapshot's roster copy keeps it.
        keys = DEPARTMENT_KEYS if item.get('description') is None else DEPARTMENT_KEYS + ('description',)
        _write_item(out, '    ', item, keys, written)
    out.write('  users:%s\n' % ('' if users else ' []'))
    for item in users:
        _write_item(out, '    ', item, ROSTER_KEYS, written)


def without_source_line(text):
    """The roster text minus its source line: what two templates with the same data share."""
    return ''.join(line for line in text.splitlines(True) if not line.startswith(SOURCE_LINE))


def parse_roster(text):
    """``mailbox_roster`` of a roster vars file's text, or a ValueError saying why it is not one."""
    return _parsed_roster(load_roster_text, text)


def parse_roster_file(handle):
    """``parse_roster`` of a roster vars file opened in binary, read as it is parsed (a roster of
    100,000 users is 25 MB of text, several times that as one string)."""
    return _parsed_roster(load_roster_file, handle)


def _parsed_roster(load, source):
    _require_yaml()
    try:
        data = load(source)
    except yaml.YAMLError as exc:
        raise ValueError('is not valid YAML (%s)' % str(exc).splitlines()[0])
    roster = data.get(ROSTER_VAR) if isinstance(data, dict) else None
    if not isinstance(roster, dict) or not isinstance(roster.get('users', []), list):
        raise ValueError('has no %s dictionary with a list of users' % ROSTER_VAR)
    users = roster.get('users') or []
    if not all(isinstance(u, dict) and isinstance(u.get('email'), str) for u in users):
        raise ValueError('has a user without an email in %s.users' % ROSTER_VAR)
    departments = roster.get('departments') or []
    if not isinstance(departments, list) or not all(isinstance(d, dict) and d.get('name') for d in departments):
        raise ValueError('has a department without a name in %s.departments' % ROSTER_VAR)
    return dict(domain=roster.get('domain'), departments=departments, users=users)


def render_passwords(passwords):
    """The plain text of the passwords vars file, only ever handed to the vault for encryption:
    emails in order, every email and password tagged ``!unsafe`` as in the roster."""
    out = io.StringIO()
    write_passwords(out, passwords)
    return out.getvalue()


def write_passwords(out, passwords):
    """Write what ``render_passwords`` returns to ``out`` (``write`` and ``writelines`` of str), line by line."""
    _require_yaml()
    if not passwords:
        out.write('%s: {}\n' % PASSWORDS_VAR)
        return
    out.write('%s:\n' % PASSWORDS_VAR)
    out.writelines('  %s: %s\n' % (scalar(email), scalar(passwords[email].reveal())) for email in sorted(passwords))


def parse_passwords(text):
    """``{email: Secret}`` from the decrypted passwords vars file.

    A parse error's message would quote the line it failed on, a password maybe: it is replaced.
    """
    return parse_password_chunks(iter([text]), lambda: text)


def parse_password_chunks(chunks, text):
    """``parse_passwords`` of a text given in pieces (``chunks``), parsed as they come; ``text()``
    gives the whole text, for a file not as the collection writes it."""
    _require_yaml()
    try:
        data = load_password_chunks(chunks, text)
    except yaml.YAMLError:
        raise ValueError('is not valid YAML once decrypted')
    passwords = data.get(PASSWORDS_VAR) if isinstance(data, dict) else None
    if not isinstance(passwords, dict):
        raise ValueError('has no %s dictionary once decrypted' % PASSWORDS_VAR)
    return dict((str(email).lower(), Secret(str(password))) for email, password in passwords.items()
                if password not in (None, ''))
