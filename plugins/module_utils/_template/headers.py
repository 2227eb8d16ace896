# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recognise the template's header row: English or Chinese names, in any order, and the vendors'
own files (``sources.py``) told apart by their columns (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import unicodedata

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REDACTED, Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import is_chinese_name
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import email_problem
from ansible_collections.mailops.mailbox.plugins.module_utils._template.normalise import clean
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import AUTO, SOURCES as SOURCE_CHOICES
from ansible_collections.mailops.mailbox.plugins.module_utils._template.sources import (
    DEPARTMENT_SEPARATORS, SOURCE_BY_NAME, SOURCES,
)

# The template's columns and the headers HR uses for them. Matching ignores case, full/half
# width, spaces, "_" and "-", a trailing "*" (a required-column marker) and a "(...)" or "[...]"
# note. A key given twice: the first entry's column is used, the second's fills in its blanks
# (a landline 电话 stands in for a blank 手机; a personal 邮箱 for a blank 企业邮箱).
HEADER_ALIASES = (
    ('email', (u'企业邮箱', u'邮箱账号', u'邮箱帐号', 'work email')),
    ('email', ('email', 'e-mail', 'mail', 'email address', u'邮箱', u'邮箱地址', u'账号', u'帐号', u'账户', u'帐户',
               u'电子邮箱', u'电子邮件', u'邮件地址')),
    ('name', ('name', 'full name', u'姓名', u'名字')),
    # A name in two columns, used when there is no name column (or its cell is blank).
    ('family_name', ('family name', 'last name', 'surname', u'姓', u'姓氏')),
    ('given_name', ('given name', 'first name', u'名')),
    ('department', ('department', 'dept', u'部门', u'所属部门')),
    ('title', ('title', 'job title', 'position', u'职务', u'职位', u'岗位')),
    ('initial_password', ('initial_password', 'password', u'初始密码', u'密码')),
    ('employee_id', ('employee_id', 'employee number', 'staff id', u'工号', u'员工编号', u'编号')),
    ('mobile', ('mobile', 'mobile phone', 'phone', u'手机', u'手机号', u'手机号码')),
    ('mobile', (u'电话', u'联系电话')),
    ('aliases', ('aliases', 'alias', u'别名', u'邮箱别名')),
    ('state', ('state', 'status', u'状态')),
)
COLUMN_KEYS = tuple(key for index, (key, _aliases) in enumerate(HEADER_ALIASES)
                    if key not in [k for k, _a in HEADER_ALIASES[:index]])
REQUIRED_COLUMNS = ('name', 'department')
GENERIC = 'generic'
# Keys that exist only to make another one: they are not roster keys.
_NAME_PARTS = ('family_name', 'given_name')

_NOTE_RE = re.compile(r'(\(.*\)|\[.*\]|【.*】)$')
_IGNORED_RE = re.compile(r'[\s_\-*]+')


def header_key(text):
    """The comparable form of a header: ``E-Mail``, ``ｅｍａｉｌ`` and ``邮箱 (必填)*`` -> ``email`` / ``邮箱``;
    ``Email Address [Required]`` -> ``emailaddress``."""
    text = unicodedata.normalize('NFKC', text).strip().rstrip('*').strip()
    text = _NOTE_RE.sub('', text).strip().rstrip('*')
    return _IGNORED_RE.sub('', text).casefold()


def _vocabulary(source):
    """``{header_key: (key, rank)}`` for ``source`` (None: the generic template alone). The
    source's own entries come first, so they win over the generic meaning of a header."""
    entries = (source.columns if source is not None else ()) + HEADER_ALIASES
    vocabulary, ranks = {}, {}
    for key, aliases in entries:
        rank = ranks.get(key, 0)
        for alias in aliases:
            vocabulary.setdefault(header_key(alias), (key, rank))
        if key is not None:
            ranks[key] = rank + 1
    return vocabulary


_VOCABULARIES = dict((source.name, _vocabulary(source)) for source in SOURCES)
_VOCABULARIES[GENERIC] = _vocabulary(None)
_MARKS = dict((source.name, frozenset(header_key(mark) for mark in source.marks)) for source in SOURCES)


def describe_column(key):
    """How to name a column to the user: every header we accept for it."""
    return ' / '.join(alias for k, aliases in HEADER_ALIASES if k == key for alias in aliases)


def detect_source(keys):
    """The source with the most of its marks among the header keys ``keys``, then the one whose
    vocabulary knows the most of them (the earlier source on a tie); None when no marks are there."""
    best, best_score = None, (0, 0)
    for source in SOURCES:
        vocabulary = _VOCABULARIES[source.name]
        score = (sum(1 for key in keys if key in _MARKS[source.name]), sum(1 for key in keys if key in vocabulary))
        if score[0] and score > best_score:
            best, best_score = source, score
    return best


def join_name(family, given):
    """A name split in two columns, as its script writes it: 张 + 三 -> 张三, Smith + John -> John Smith."""
    if not family or not given:
        return family or given
    if is_chinese_name(family + given):
        return family + given
    return '%s %s' % (given, family)


class Columns:
    """Where each known column is and how the file's header wrote it, for the source it is.

    ``chain[key]`` lists the ``(index, label)`` of the columns giving ``key``, the one used first;
    ``index[key]`` and ``label[key]`` are that first one. ``cell`` gives a row's raw text for a key
    the way the source means it; what it finds wrong is in ``problems``, what it notes in
    ``warnings()``.
    """

    def __init__(self, source=None, domain=None):
        self.source = source
        self.domain = domain
        self.chain = {}
        self.index = {}
        self.label = {}
        self.ignored = []
        self.problems = []
        self._used_label = {}
        self._several_departments = []

    def __contains__(self, key):
        return key in self.index

    @property
    def source_name(self):
        return self.source.name if self.source is not None else GENERIC

    def label_for(self, row, key):
        """The header of the column ``key``'s value came from in ``row`` (a fallback's, if it filled in)."""
        return self._used_label.get((row, key), self.label.get(key, key))

    def add(self, key, rank, index, label):
        """Returns the label of the column already holding ``key`` at ``rank``, or None when added."""
        ranked = self.chain.setdefault(key, {})
        if rank in ranked:
            return ranked[rank][1]
        ranked[rank] = (index, label)
        return None

    def finish(self):
        for key, ranked in list(self.chain.items()):
            self.chain[key] = [ranked[rank] for rank in sorted(ranked)]
            self.index[key], self.label[key] = self.chain[key][0]
        present = [part for part in _NAME_PARTS if part in self.index]
        if 'name' not in self.index and present:
            self.label['name'] = ' + '.join(self.label[part] for part in present)

    def has_name(self):
        return 'name' in self.index or any(part in self.index for part in _NAME_PARTS)

    # One row's cells -------------------------------------------------------------------------

    def _first(self, number, cells, key, bad_cells):
        """The first non-blank cell along ``key``'s chain, as ``(text, label)``; ``('', first label)``
        when all are blank; None when the column is absent or its first cell was already reported."""
        chain = self.chain.get(key)
        if not chain:
            return None
        # Called for every cell of every row: most templates have no bad cell at all.
        if bad_cells and (number, chain[0][0]) in bad_cells:
            return None
        width = len(cells)
        for index, label in chain:
            if bad_cells and (number, index) in bad_cells:
                continue
            text = cells[index] if index < width else ''
            if not _blank(key, text):
                return text, label
        return '', chain[0][1]

    def cell(self, number, cells, key, bad_cells=()):
        """The raw text of ``key``'s cell in row ``number``, or None when the column is absent or
        the cell was already reported (by the reader, or here)."""
        if key == 'name':
            found = self._first(number, cells, 'name', bad_cells)
            if found is None or not found[0].strip():
                joined = self._joined_name(number, cells, bad_cells)
                found = joined if joined is not None and (found is None or joined[0].strip()) else found
        else:
            found = self._first(number, cells, key, bad_cells)
        if found is None:
            return None
        text, label = found
        if label != self.label.get(key):
            self._used_label[(number, key)] = label
        convert = self._CONVERTERS.get(key)
        return convert(self, number, text, label, cells, bad_cells) if convert else text

    def _joined_name(self, number, cells, bad_cells):
        parts = [self._first(number, cells, part, bad_cells) for part in _NAME_PARTS]
        if all(part is None for part in parts):
            return None
        family, given = [part[0].strip() if part else '' for part in parts]
        # A problem names the columns the name came from: both, or the one that was filled in.
        filled = [part[1] for part in parts if part and part[0].strip()] or [part[1] for part in parts if part]
        return join_name(family, given), ' + '.join(filled)

    def _convert_email(self, number, text, label, cells, bad_cells):
        """An account given as a local part (``zhang.san``) is an address in the roster's domain."""
        local = clean(text)  # as the email check will see it: ｚｈａｎｇ is zhang
        if local and '@' not in local and self.domain and email_problem('%s@%s' % (local, self.domain)) is None:
            return '%s@%s' % (local, self.domain)
        return text

    def _convert_department(self, number, text, label, cells, bad_cells):
        index = self.chain['department'][0][0]
        if not text and index < len(cells) and cells[index].strip() == '/':
            self.problems.append(Problem(number, label, 'is "/", the top organisational unit, which names no '
                                         'department: put the user in a unit below it, or fill in the department',
                                         value='/'))
            return None
        first, count = first_department(text)
        if count > 1:
            self._several_departments.append(number)
        return first

    def _convert_state(self, number, text, label, cells, bad_cells):
        if self.source is not None:
            word = self.source.states.get(text.strip().lower())
            if word is not None:
                return word
        return text

    def _convert_initial_password(self, number, text, label, cells, bad_cells):
        """Google's ``****`` leaves a password as it is; a hashed password cannot be an initial one."""
        if self.source is not None and self.source.keep_password and text.strip() == self.source.keep_password:
            return ''
        hashed = self._first(number, cells, 'password_hash', bad_cells)
        if text.strip() and hashed is not None and hashed[0].strip():
            self.problems.append(Problem(number, label, 'holds a password hash (%s is "%s"): an initial password is '
                                         'the password itself; leave the cell blank to have one generated'
                                         % (hashed[1], hashed[0].strip()), value=REDACTED))
            return None
        return text

    # The keys whose raw text means something else for the source (``cell``), by key.
    _CONVERTERS = dict(email=_convert_email, department=_convert_department, state=_convert_state,
                       initial_password=_convert_initial_password)

    def warnings(self):
        rows = self._several_departments
        if not rows:
            return []
        shown = ', '.join(str(row) for row in rows[:10]) + (', ...' if len(rows) > 10 else '')
        return ['%d row%s list several departments (row %s): each person is put in the first one'
                % (len(rows), '' if len(rows) == 1 else 's', shown)]


def first_department(text):
    """``(path, how many)`` of a department cell: the first of several (``销售部;市场部``), without
    Google's leading and trailing ``/`` (``/Sales/East/`` -> ``Sales/East``); '' when none is named."""
    parts = [text]
    for separator in DEPARTMENT_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    named = [part for part in (part.strip().strip('/').strip() for part in parts) if part]
    return (named[0] if named else ''), len(named)


def _blank(key, text):
    """A cell that gives nothing: empty, or for a department only slashes (Google's top unit "/")."""
    if key == 'department':
        return not text.strip().strip('/').strip()
    return not text.strip()


def _pick_source(wanted, keys):
    if wanted in (None, AUTO):
        return detect_source(keys)
    if wanted == GENERIC:
        return None
    if wanted not in SOURCE_BY_NAME:
        raise ValueError('source: must be one of %s' % ', '.join(SOURCE_CHOICES))
    return SOURCE_BY_NAME[wanted]


def map_headers(header, header_row, extra_columns='error', skip=(), source=AUTO, domain=None):
    """Return ``(columns, problems)`` for the header row's cells.

    ``skip`` are the indexes of header cells that could not be read (already reported);
    ``source`` is ``auto`` (detect it), ``generic`` or a source's name; ``domain`` completes an
    account given as a local part.
    """
    readable = [(index, cell.strip()) for index, cell in enumerate(header) if index not in skip and cell.strip()]
    chosen = _pick_source(source, [header_key(label) for _index, label in readable])
    vocabulary = _VOCABULARIES[chosen.name if chosen is not None else GENERIC]
    columns = Columns(chosen, domain)
    problems = []
    for index, label in readable:
        found = vocabulary.get(header_key(label))
        if found is None:
            if extra_columns == 'error':
                kind = ' (the file is read as a %s)' % chosen.title if chosen is not None else ''
                problems.append(Problem(header_row, label, 'unknown column "%s"%s: expected %s, or set extra_columns: '
                                        'ignore' % (label, kind, ', '.join(COLUMN_KEYS)), value=label))
            else:
                columns.ignored.append(label)
            continue
        key, rank = found
        if key is None:
            columns.ignored.append(label)
            continue
        holder = columns.add(key, rank, index, label)
        if holder is not None:
            problems.append(Problem(header_row, label, 'column "%s" means the same as column "%s" (%s): keep one'
                                    % (label, holder, key), value=label))
    columns.finish()
    if not columns.has_name():
        problems.append(Problem(header_row, 'name', 'required column is missing: add a column headed %s'
                                % describe_column('name')))
    for key in REQUIRED_COLUMNS[1:]:
        if key not in columns:
            problems.append(Problem(header_row, key, 'required column is missing: add a column headed %s'
                                    % describe_column(key)))
    return columns, problems
