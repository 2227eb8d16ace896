# -*- coding: utf-8 -*-
"""Write small templates and build rosters from them, for the _template unit tests."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import errno
import io

import openpyxl

from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster

HEADER = (u'姓名', u'邮箱', u'部门')


def csv_bytes(rows, encoding='utf-8', delimiter=','):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator='\r\n').writerows(rows)
    return out.getvalue().encode(encoding)


def write_csv(path, rows, encoding='utf-8', delimiter=','):
    path.write_bytes(csv_bytes(rows, encoding, delimiter))
    return path


def write_xlsx(path, rows, title=None, extra_sheets=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name in extra_sheets:
        workbook.create_sheet(name).append(['not', 'this'])
    workbook.save(str(path))
    return path


def cannot_fork(process):
    """Process.start of a machine with no process to spare (monkeypatched onto the fork context's Process)."""
    raise OSError(errno.EAGAIN, 'Resource temporarily unavailable')


def build(tmp_path, rows, previous=None, existing=None, name='staff.csv', **settings):
    """The RosterResult of a CSV template with ``rows`` (the header included)."""
    path = write_csv(tmp_path / name, rows)
    table = read_template(str(path), name)
    settings.setdefault('domain', 'example.org')
    return build_roster(table, Settings(**settings), previous, existing)


def problems(result):
    return [(p.row, p.column, p.value, p.message) for p in result.problems]


def where(result):
    """Just the ``(row, column)`` of each problem."""
    return [(p.row, p.column) for p in result.problems]


def users(result):
    return dict((user['email'], user) for user in result.roster['users'])
