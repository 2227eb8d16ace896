# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A roster as a vendor's bulk-import template: Microsoft 365 CSV, Google Workspace CSV, Exmail XLSX (pure,
apart from turning rows into the bytes of a file and reading such a file's rows back).

Each template is filled in so that ``mailops.mailbox.roster`` reads it back to the same users:
names split the way ``headers.join_name`` joins them again, departments as paths of the
roster's tree where the format has a tree (Google's org units, Exmail's 所属部门), Google's
status as Active/Suspended. Every cell a spreadsheet could run as a formula gets a leading quote.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REDACTED
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name
from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import (
    HEADER_ALIASES, header_key, join_name,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.normalise import FORMULA_STARTS
from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import (
    _BROKEN_WORKBOOK, HAS_OPENPYXL, OPENPYXL_IMPORT_ERROR, cell_text,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.sources import EXMAIL, GOOGLE, M365

if HAS_OPENPYXL:
    import openpyxl

CSV_BOM = u'\ufeff'
XLSX_SHEET = u'成员列表'


def neutralise(cell):
    """The text of one cell, with a leading quote when a spreadsheet would otherwise run it (OWASP,
    "CSV Injection"); the roster module drops that quote again when it reads the cell."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class Format:
    """One vendor template: its file kind, its header row (the vendor's, from ``sources``), the
    roster key or helper each column is filled from, the password column (if the format has one),
    and the states it can say (a user in another state is left out of the file)."""

    def __init__(self, source, kind, fills, states, password=None, keep_password=''):
        self.name = source.name
        self.title = source.title
        self.kind = kind
        self.header = source.template
        self.fills = dict((header_key(header), fill) for header, fill in fills.items())
        self.states = states
        self.password = password
        self.keep_password = keep_password

    def fill(self, header):
        return self.fills.get(header_key(header))


def _path(user, parents):
    """The user's department and its ancestors, root first, as ``总部/销售部``."""
    path, name = [], user.get('department')
    while name and name not in path:
        path.insert(0, name)
        name = parents.get(name)
    return '/'.join(path)


def _name_parts(name):
    """``(family, given)`` that ``join_name`` puts back together as ``name``; a name that would not
    come back the same (迪丽热巴·迪力木拉提) goes whole into the given-name column."""
    family, given = split_name(name or '')
    return (family, given) if join_name(family, given) == (name or '') else ('', name or '')


FORMATS = dict((fmt.name, fmt) for fmt in (
    Format(M365, 'csv', {
        'User Name': 'email',
        'First Name': lambda user, ctx: _name_parts(user.get('name'))[1],
        'Last Name': lambda user, ctx: _name_parts(user.get('name'))[0],
        'Display Name': 'name',
        'Job Title': 'title',
        'Department': 'department',  # a flat attribute in Microsoft 365: the tree does not go there
        'Mobile Phone': 'mobile',
    }, states=('present',)),
    Format(GOOGLE, 'csv', {
        'First Name': lambda user, ctx: _name_parts(user.get('name'))[1],
        'Last Name': lambda user, ctx: _name_parts(user.get('name'))[0],
        'Email Address': 'email',
        'Org Unit Path': lambda user, ctx: '/' + ctx.path(user),
        'Mobile Phone': 'mobile',
        'Employee ID': 'employee_id',
        'Employee Title': 'title',
        'Department': 'department',
        'New Status': lambda user, ctx: 'Suspended' if user.get('state') == 'disabled' else 'Active',
    }, states=('present', 'disabled'), password='Password', keep_password=GOOGLE.keep_password),
    Format(EXMAIL, 'xlsx', {
        u'帐号': 'email',
        u'编号': 'employee_id',
        u'姓名': 'name',
        u'手机': 'mobile',
        u'所属部门': lambda user, ctx: ctx.path(user),
        u'职务': 'title',
    }, states=('present',), password=u'密码'),
))


_PASSWORD_HEADERS = frozenset(
    [header_key(alias) for key, aliases in HEADER_ALIASES if key == 'initial_password' for alias in aliases]
).union(header_key(fmt.password) for fmt in FORMATS.values() if fmt.password)


class Export:
    """What a roster gives as one vendor template: ``header``, ``rows`` (lists of text, formula-safe),
    ``left_out`` (emails whose state the format cannot say), ``with_passwords`` (whether any
    password cell holds a password) and ``password_column`` (its index, to mask it in a diff)."""

    def __init__(self, fmt):
        self.format = fmt
        self.header = list(fmt.header)
        self.rows = []
        self.left_out = []
        self.with_passwords = False
        self.password_column = None
        if fmt.password:
            self.password_column = [header_key(h) for h in fmt.header].index(header_key(fmt.password))


class _Context:
    def __init__(self, roster):
        self.parents = dict((str(d['name']), d.get('parent')) for d in roster.get('departments') or [])

    def path(self, user):
        return _path(user, self.parents)


def export_roster(roster, format_name, passwords=None):
    """The Export of ``roster`` (``render.parse_roster`` output) as ``format_name``.

    ``passwords`` is ``{email: Secret}`` or None; it is only used by a format with a password
    column, and a user without one gets the format's "leave it" value.
    """
    fmt = FORMATS[format_name]
    export, context = Export(fmt), _Context(roster)
    for user in sorted(roster['users'], key=lambda u: str(u['email']).split('@')):
        if (user.get('state') or 'present') not in fmt.states:
            export.left_out.append(str(user['email']))
            continue
        row = []
        for header in fmt.header:
            fill = fmt.fill(header)
            if callable(fill):
                value = fill(user, context)
            else:
                value = user.get(fill) if fill else None
            row.append(neutralise('' if value is None else str(value)))
        if export.password_column is not None:
            secret = (passwords or {}).get(str(user['email']).lower())
            if secret is not None:
                row[export.password_column] = neutralise(secret.reveal())
                export.with_passwords = True
            else:
                row[export.password_column] = fmt.keep_password
        export.rows.append(row)
    return export


def masked_rows(rows):
    """``rows`` (a header row first) for a diff: every cell under a header that means a password,
    in any template the roster module reads, shown as ``********`` - the file being replaced may
    be of another format than the new one."""
    if not rows:
        return rows
    hidden = set(index for index, header in enumerate(rows[0]) if header_key(header) in _PASSWORD_HEADERS)
    return [rows[0]] + [[REDACTED if index in hidden and cell else cell for index, cell in enumerate(row)]
                        for row in rows[1:]]


def rows_text(rows):
    """Rows as CSV text (RFC 4180, CR LF): the bytes of a CSV export, and how a diff shows any export."""
    out = io.StringIO()
    csv.writer(out, lineterminator='\r\n').writerows(rows)
    return out.getvalue()


def file_bytes(export, bom=False):
    if export.format.kind == 'csv':
        return ((CSV_BOM if bom else u'') + rows_text([export.header] + export.rows)).encode('utf-8')
    if not HAS_OPENPYXL:
        raise MissingLibrary('openpyxl', OPENPYXL_IMPORT_ERROR)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = XLSX_SHEET
    for row in [export.header] + export.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.data_type = 's'  # text, always: a typed number or date would come back changed
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(path, kind):
    """The rows of an exported file as lists of text, to compare with a new export (None when it
    cannot be read as one)."""
    try:
        if kind == 'csv':
            with open(path, 'rb') as handle:
                text = handle.read().decode('utf-8-sig')
            return list(csv.reader(io.StringIO(text, newline='')))
        if not HAS_OPENPYXL:
            raise MissingLibrary('openpyxl', OPENPYXL_IMPORT_ERROR)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            return [[cell_text(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    except _BROKEN_WORKBOOK + (IndexError, OSError, csv.Error, UnicodeError):
        return None
