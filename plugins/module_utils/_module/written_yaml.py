# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading back, line by line, the roster and passwords files exactly as the collection writes them.

libyaml hands a 10,000-user roster over as 190,000 parser events, and building Python objects
from them takes most of a re-run's reading: about 0.5 s, whatever is done with them. The files
``render.write_roster`` and ``render.write_passwords`` write have a fixed shape (one key per line,
every scalar null, a boolean, a JSON-quoted string, a number, or ``!unsafe`` before a plain word
or a JSON-quoted string), so they are read here a line at a time, two to three times faster.

Anything else (a comment after a value, a single-quoted string, a flow mapping, another indent,
CRLF line ends, a byte that is not UTF-8) is no file this module reads: ``NotWritten`` says so,
and the caller reads the file with libyaml instead. So a hand-edited file reads as YAML says, and
a file as written reads exactly as libyaml would read it (a property test holds the two together).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

# Ansible's tag for text it must never template.
UNSAFE_TAG = '!unsafe'
UNSAFE_PREFIX = UNSAFE_TAG + ' '
# The text the writer leaves unquoted after the tag (render.scalar), and this reader takes as such:
# words and a little punctuation, a plain scalar every YAML reader reads as this very text.
PLAIN_RE = re.compile(r"^\w[\w.@+/()'\-·]*(?: [\w.@+/()'\-·]+)*\Z")
# JSON joins an escaped surrogate pair into one character where YAML keeps two: such text goes to libyaml.
_ESCAPED_SURROGATE = re.compile(r'\\u[dD][89a-fA-F]')
_KEY_RE = re.compile(r'^[a-z_]+\Z')
# What YAML refuses in a file, or reads as a line break, where JSON and a comment line take it as it is.
_NOT_AS_IS = re.compile(u'[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')
_DECODER = json.JSONDecoder()

_ITEM, _FIELD, _ELEMENT = '    - ', '      ', '        - '


class NotWritten(Exception):
    """The text is not in the exact shape the collection writes: read it as YAML instead."""


def read_roster(lines, roster_var):
    """``{roster_var: {domain, departments, users, ...}}`` from the lines (text, each ending in a
    line break) of a roster file as ``render.write_roster`` writes it; NotWritten otherwise."""
    lines = iter(lines)
    for line in lines:
        if not line.startswith('#'):
            break
        if _NOT_AS_IS.search(line, 0, len(line) - 1):
            raise NotWritten()
    else:
        raise NotWritten()
    if line != '---\n' or next(lines, None) != '%s:\n' % roster_var:
        raise NotWritten()
    roster, section, item, elements = {}, None, None, None
    keys, scalar = _Keys(), _Scalars()
    for line in lines:
        if line[-1:] != '\n':
            raise NotWritten()
        if line.startswith(_FIELD):
            if line[6] == ' ':
                if elements is None or not line.startswith(_ELEMENT):
                    raise NotWritten()
                elements.append(scalar(line[len(_ELEMENT):-1]))
                continue
            if item is None:
                raise NotWritten()
            rest = line[len(_FIELD):-1]
        elif line.startswith(_ITEM):
            if section is None:
                raise NotWritten()
            item = {}
            section.append(item)
            rest = line[len(_ITEM):-1]
        elif line.startswith('  ') and line[2] != ' ':
            # A "key:" the writer writes only with items below it (else "key: []"): YAML would read null.
            if section == [] or elements == []:
                raise NotWritten()
            key, value = keys(line[2:-1])
            item = elements = None
            section = _assign(roster, key, value, scalar)
            continue
        else:
            raise NotWritten()
        if elements == []:
            raise NotWritten()
        key, value = keys(rest)
        elements = _assign(item, key, value, scalar)
    if section == [] or elements == []:
        raise NotWritten()
    return {roster_var: roster}


def _assign(target, key, value, scalar):
    """``target[key]`` set from a line's value text; the new list when its items follow (``key:``), else None."""
    if value is None:
        target[key] = []
        return target[key]
    target[key] = [] if value == '[]' else scalar(value)
    return None


class _Keys(dict):
    """``keys(text)``: ``(key, value text)`` of a ``key: value`` line's text, the value None for
    ``key:`` (a list follows). The few key names of a roster are checked once each, and each is one
    string object for every item: 100,000 users' dicts do not hold 800,000 copies of their keys."""

    def __call__(self, text):
        key, sep, value = text.partition(': ')
        if not sep:
            if not text.endswith(':'):
                raise NotWritten()
            key, value = text[:-1], None
        elif not value:
            raise NotWritten()
        known = self.get(key)
        if known is None:
            if not _KEY_RE.match(key):
                raise NotWritten()
            self[key] = known = key
        return known, value


class _Scalars(dict):
    """``written_scalar``, remembered for the texts a roster repeats (departments, titles, states,
    null), up to a bound: a value seen once (an email) costs only the lookup."""

    def __call__(self, text):
        value = self.get(text, _Scalars)
        if value is _Scalars:
            value = written_scalar(text)
            if len(self) < _REMEMBERED:
                self[text] = value
        return value


_REMEMBERED = 10000


def read_passwords(text, passwords_var):
    """``{passwords_var: {email: password}}`` from the text of a passwords file as
    ``render.write_passwords`` writes it; NotWritten otherwise. Never quotes the text."""
    lines = text.split('\n')
    if lines[-1] == '':  # the file ends with a line break; a lookup may have dropped it
        lines.pop()
    return read_password_lines(lines, passwords_var)


def read_password_lines(lines, passwords_var):
    """``read_passwords`` of the text's lines (no line breaks; no empty line after the last one
    but those of an empty ``{}``), taken one at a time: a decrypted file is never whole in memory."""
    lines = iter(lines)
    first = next(lines, None)
    if first == '%s: {}' % passwords_var:
        if any(lines):
            raise NotWritten()
        return {passwords_var: {}}
    if first != '%s:' % passwords_var:
        raise NotWritten()
    passwords = {}
    for line in lines:
        if not line.startswith('  ') or line[2:3] in (' ', ''):
            raise NotWritten()
        key, end = _leading_scalar(line, 2)
        if line[end:end + 2] != ': ':
            raise NotWritten()
        passwords[key] = written_scalar(line[end + 2:])
    return {passwords_var: passwords}


def lines_of(chunks):
    """The lines of a text given in pieces, without their line breaks; the empty piece after a
    final line break is left out, as ``read_passwords`` leaves it out."""
    pending = ''
    for chunk in chunks:
        pending += chunk
        lines = pending.split('\n')
        pending = lines.pop()
        yield from lines
    if pending:
        yield pending


def written_scalar(text):
    """The value of one scalar as ``render.scalar`` writes it."""
    if text.startswith(UNSAFE_PREFIX):
        text = text[len(UNSAFE_PREFIX):]
        if text.startswith('"'):
            return _quoted(text)
        if PLAIN_RE.match(text):
            return text
        raise NotWritten()
    if text.startswith('"'):
        return _quoted(text)
    if text == 'null':
        return None
    if text == 'true':
        return True
    if text == 'false':
        return False
    # A number of a hand-edited roster, written back by json.dumps: YAML and JSON differ on some
    # (1e+20 is text to YAML 1.1), so libyaml decides.
    raise NotWritten()


def _leading_scalar(line, start):
    """``(value, end)`` of the scalar that starts ``line`` at ``start`` and ends before ``': '``."""
    quote = start + len(UNSAFE_PREFIX) if line.startswith(UNSAFE_PREFIX + '"', start) else start
    if line.startswith('"', quote):
        try:
            _value, end = _DECODER.raw_decode(line, quote)
        except ValueError:
            raise NotWritten()
    else:
        end = line.find(': ', start)
        if end < 0:
            raise NotWritten()
    return written_scalar(line[start:end]), end


def _quoted(text):
    if _ESCAPED_SURROGATE.search(text) or _NOT_AS_IS.search(text):
        raise NotWritten()
    try:
        value, end = _DECODER.raw_decode(text)
    except ValueError:
        raise NotWritten()
    if end != len(text) or not isinstance(value, str):
        raise NotWritten()
    return value
