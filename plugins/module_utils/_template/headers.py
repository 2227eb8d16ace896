# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recognise the template's header row: English or Chinese names, in any order (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import unicodedata

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem

# The template's columns and the headers HR uses for them. Matching ignores case, full/half
# width, spaces, "_" and "-", a trailing "*" (a required-column marker) and a "(...)" note.
HEADER_ALIASES = (
    ('email', ('email', 'e-mail', 'mail', 'email address', u'邮箱', u'邮箱地址', u'账号', u'电子邮箱', u'电子邮件',
               u'邮件地址')),
    ('name', ('name', 'full name', u'姓名', u'名字')),
    ('department', ('department', 'dept', u'部门', u'所属部门')),
    ('title', ('title', 'job title', 'position', u'职务', u'职位')),
    ('initial_password', ('initial_password', 'password', u'初始密码', u'密码')),
    ('employee_id', ('employee_id', 'employee number', 'staff id', u'工号', u'员工编号')),
    ('mobile', ('mobile', 'mobile phone', 'phone', u'手机', u'手机号', u'手机号码')),
    ('aliases', ('aliases', 'alias', u'别名', u'邮箱别名')),
    ('state', ('state', 'status', u'状态')),
)
COLUMN_KEYS = tuple(key for key, _aliases in HEADER_ALIASES)
REQUIRED_COLUMNS = ('name', 'department')

_NOTE_RE = re.compile(r'\(.*\)$')
_IGNORED_RE = re.compile(r'[\s_\-*]+')


def header_key(text):
    """The comparable form of a header: ``E-Mail``, ``ｅｍａｉｌ`` and ``邮箱 (必填)*`` -> ``email`` / ``邮箱``."""
    text = unicodedata.normalize('NFKC', text).strip().rstrip('*').strip()
    text = _NOTE_RE.sub('', text)
    return _IGNORED_RE.sub('', text).casefold()


_KEY_BY_HEADER = dict((header_key(alias), key) for key, aliases in HEADER_ALIASES for alias in aliases)


def describe_column(key):
    """How to name a column to the user: every header we accept for it."""
    return ' / '.join(dict(HEADER_ALIASES)[key])


class Columns:
    """Where each known column is (``index[key]``) and how the file's header wrote it (``label[key]``)."""

    def __init__(self):
        self.index = {}
        self.label = {}

    def __contains__(self, key):
        return key in self.index


def map_headers(header, header_row, extra_columns='error', skip=()):
    """Return ``(columns, problems)`` for the header row's cells.

    ``skip`` are the indexes of header cells that could not be read (already reported).
    """
    columns = Columns()
    problems = []
    for index, cell in enumerate(header):
        if index in skip or not cell.strip():
            continue
        label = cell.strip()
        key = _KEY_BY_HEADER.get(header_key(label))
        if key is None:
            if extra_columns == 'error':
                problems.append(Problem(header_row, label, 'unknown column "%s": expected %s, or set extra_columns: '
                                        'ignore' % (label, ', '.join(COLUMN_KEYS)), value=label))
            continue
        if key in columns:
            problems.append(Problem(header_row, label, 'column "%s" means the same as column "%s" (%s): keep one'
                                    % (label, columns.label[key], key), value=label))
            continue
        columns.index[key] = index
        columns.label[key] = label
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            problems.append(Problem(header_row, key, 'required column is missing: add a column headed %s'
                                    % describe_column(key)))
    return columns, problems
