# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the roster and the initial passwords straight from their files.

A roster of thousands passed through Ansible variables costs seconds of templating (and far more
when it is loaded from YAML with ``-e @roster.yml``); read here with libyaml it costs a fraction.

The collection writes every string from outside data tagged ``!unsafe`` (so that Ansible never
templates it, however the file is loaded): here such a string is plain text, whatever it looks
like. Files without tags (written by older versions, or by hand) read as before.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import traceback

from ansible_collections.mailops.mailbox.plugins.module_utils._module import written_yaml
from ansible_collections.mailops.mailbox.plugins.module_utils._module.written_yaml import UNSAFE_TAG

YAML_IMPORT_ERROR = None
try:
    import yaml
    from yaml import events as yaml_events
    SafeLoader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
except ImportError:
    YAML_IMPORT_ERROR = traceback.format_exc()

ROSTER_VAR = 'mailbox_roster'
PASSWORDS_VAR = 'mailbox_initial_passwords'
_STR_TAG = 'tag:yaml.org,2002:str'
if not YAML_IMPORT_ERROR:
    _RESOLVER = yaml.resolver.Resolver()
    _CONSTRUCTOR = yaml.constructor.SafeConstructor()

    class TaggedSafeLoader(SafeLoader):
        """The safe loader (libyaml's when present) that also reads Ansible's ``!unsafe`` tag."""

    def _construct_unsafe(loader, node):
        # Text as written: the tag says the value is data, so it is never resolved to a number.
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    TaggedSafeLoader.add_constructor(UNSAFE_TAG, _construct_unsafe)


class _NotPlain(Exception):
    """The document uses YAML beyond plain data (merge keys, complex keys): load it the usual way."""


def _scalar(event):
    if event.style or not event.implicit[0] or (event.tag not in (None, '!')):
        if event.tag in (None, '!', _STR_TAG, UNSAFE_TAG):
            return event.value
        raise _NotPlain()
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag == 'tag:yaml.org,2002:str':
        return event.value
    if tag == 'tag:yaml.org,2002:merge':
        raise _NotPlain()
    return _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, event.value))


def load_plain_yaml(handle):
    """Plain YAML data (mappings, sequences, scalars, anchors) built straight from libyaml's events.

    ``yaml.load`` first builds a node for every scalar: for 100,000 users that graph takes several
    times the memory of the data itself and most of the time (measured: 13 s and 690 MB against
    2 s and 130 MB). Scalars resolve as the safe loader resolves them; an ``!unsafe`` one is a str."""
    return _build(yaml.parse(handle, Loader=SafeLoader))[1]


def _build(events, stop_at=()):
    """``(path, value)``: the document's data, or, as soon as the value of a key path of ``stop_at``
    (tuples of keys from the top) is complete, that value and its path, the rest left unparsed."""
    stack, keys, anchors, result = [], [], {}, None
    for event in events:
        kind = type(event)
        if kind is yaml_events.ScalarEvent:
            value = _scalar(event)
        elif kind is yaml_events.AliasEvent:
            value = anchors[event.anchor]
        elif kind in (yaml_events.MappingStartEvent, yaml_events.SequenceStartEvent):
            container = {} if kind is yaml_events.MappingStartEvent else []
            if event.anchor:
                anchors[event.anchor] = container
            stack.append(container)
            keys.append(None)
            continue
        elif kind in (yaml_events.MappingEndEvent, yaml_events.SequenceEndEvent):
            value = stack.pop()
            keys.pop()
            if not stack:
                result = value
                continue
        else:
            continue
        if kind is yaml_events.ScalarEvent and event.anchor:
            anchors[event.anchor] = value
        if not stack:
            result = value
            continue
        top = stack[-1]
        if isinstance(top, list):
            top.append(value)
        elif keys[-1] is None:
            if isinstance(value, (dict, list)):
                raise _NotPlain()
            keys[-1] = value
        else:
            if stop_at and len(keys) <= 2 and tuple(keys) in stop_at:
                return tuple(keys), value
            top[keys[-1]] = value
            keys[-1] = None
    return (), result


def load_yaml(stream):
    """The data of a YAML document (text, or a binary file opened at its start): from libyaml's
    events when it is plain data, else by the safe loader; ``!unsafe`` strings are str either way.
    Raises yaml.YAMLError for a document that is not valid YAML."""
    try:
        return load_plain_yaml(stream)
    except _NotPlain:
        if hasattr(stream, 'seek'):
            stream.seek(0)
        return yaml.load(stream, Loader=TaggedSafeLoader)


def load_roster_text(text):
    """The data of a roster file's text: read line by line when it is exactly as the collection
    writes it, else as YAML (``load_yaml``, which raises yaml.YAMLError for text that is not)."""
    try:
        return written_yaml.read_roster(io.StringIO(text, newline='\n'), ROSTER_VAR)
    except written_yaml.NotWritten:
        return load_yaml(text)


def load_passwords_text(text):
    """The data of a passwords file's (decrypted) text, as ``load_roster_text`` reads a roster's."""
    try:
        return written_yaml.read_passwords(text, PASSWORDS_VAR)
    except written_yaml.NotWritten:
        return load_yaml(text)


def load_password_chunks(chunks, text):
    """``load_passwords_text`` of a text given in pieces (``chunks``), read line by line as they
    come; when it is not as the collection writes it, ``text()`` (the whole text) is read as YAML."""
    try:
        return written_yaml.read_password_lines(written_yaml.lines_of(chunks), PASSWORDS_VAR)
    except written_yaml.NotWritten:
        if hasattr(chunks, 'close'):  # a generator: its file is closed before it is read again
            chunks.close()
        return load_yaml(text())


def load_roster_file(handle):
    """The data of a roster file opened in binary at its start, as ``load_roster_text`` reads its
    text, but read as it is parsed: the text of 100,000 users never sits in memory whole."""
    data = _read_as_written(handle)
    if data is None:
        handle.seek(0)
        data = load_yaml(handle)
    return data


def read_roster_file(path):
    """The roster dict (``domain``, ``departments``, ``users``) of a roster vars file; ValueError if it is not one."""
    try:
        with open(path, 'rb') as handle:
            data = load_roster_file(handle)
    except (IOError, OSError) as exc:
        raise ValueError('roster_file %s cannot be read: %s' % (path, exc.strerror or exc))
    except yaml.YAMLError as exc:
        raise ValueError('roster_file %s is not valid YAML: %s' % (path, exc))
    if isinstance(data, dict) and isinstance(data.get(ROSTER_VAR), dict):
        data = data[ROSTER_VAR]
    if not isinstance(data, dict) or not isinstance(data.get('users', []), list):
        raise ValueError('roster_file %s is not a roster: it needs %s.users, a list of users' % (path, ROSTER_VAR))
    return data


def _read_as_written(handle):
    """The roster file's data when it is exactly as the collection writes it (read line by line,
    without libyaml's events), else None: the caller reads it as YAML."""
    text = io.TextIOWrapper(handle, encoding='utf-8', newline='\n')
    try:
        return written_yaml.read_roster(text, ROSTER_VAR)
    except (written_yaml.NotWritten, UnicodeDecodeError):
        return None
    finally:
        text.detach()


def read_roster_departments(path):
    """The ``departments`` list of a roster vars file, read only as far as it needs.

    The collection writes ``mailbox_roster``'s departments before its users, so for such a file the
    reading stops at the end of the departments: a department run does not parse thousands of users.
    Otherwise (users first, no ``mailbox_roster``, YAML beyond plain data) the whole file is read.
    A problem in the part not read is found by ``read_roster_file``, which the department module runs
    before it writes anything, and by the users module. ValueError as ``read_roster_file``."""
    try:
        with open(path, 'rb') as handle:
            found, departments = _build(yaml.parse(handle, Loader=SafeLoader), stop_at=((ROSTER_VAR, 'departments'),))
    except (IOError, OSError) as exc:
        raise ValueError('roster_file %s cannot be read: %s' % (path, exc.strerror or exc))
    except (yaml.YAMLError, _NotPlain, KeyError):
        # Not valid YAML, beyond plain data, or an alias to an anchor of the part not read: the whole file decides.
        found = ()
    if found and isinstance(departments, list):
        return departments
    return read_roster_file(path).get('departments') or []


def parse_passwords_text(text):
    """``{email: password}`` from the text of a passwords vars file. Errors never quote the text."""
    try:
        data = load_passwords_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        raise ValueError('passwords_text is not valid YAML%s' % (' (line %d)' % (mark.line + 1) if mark else ''))
    if isinstance(data, dict) and PASSWORDS_VAR in data:
        data = data[PASSWORDS_VAR]
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError('passwords_text must hold %s, a mapping of emails to passwords' % PASSWORDS_VAR)
    return data
