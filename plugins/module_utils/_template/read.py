# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an import template (CSV or XLSX) into rows of text cells, numbered as a spreadsheet shows them.

Nothing here knows what the columns mean; problems of the file itself (empty, not a template,
undecodable bytes, more cells than headers, formulas, too many rows) are collected as Problems,
never raised.

The rows are read as they are consumed (``stream=True``): a template of 100,000 rows never lives
in memory as a whole, and one longer than ``max_rows`` fails once that many rows are read, not
after the whole file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import csv
import hashlib
import io
import re

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem
from ansible_collections.mailops.mailbox.plugins.module_utils._template import forked, xlsx
from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import DEFAULT_MAX_ROWS

XLSX_MAGIC = b'PK\x03\x04'
XLS_MAGIC = b'\xd0\xcf\x11\xe0'
CSV_DELIMITERS = ',;\t|'
# Tried in this order when no encoding is given; GB18030 is a superset of GBK and GB2312.
DETECTED_ENCODINGS = ('utf-8', 'gb18030')
_SNIFF_SIZE = 64 * 1024
# For the export filters, which write and read workbooks with openpyxl itself.
HAS_OPENPYXL, OPENPYXL_IMPORT_ERROR, _BROKEN_WORKBOOK = xlsx.HAS_OPENPYXL, xlsx.OPENPYXL_IMPORT_ERROR, xlsx.BROKEN
cell_text = xlsx.cell_text
# A worksheet this big (inflated; about 10,000 rows) is read by a child process beside the work
# on its rows, where a second core is free: below it, starting one costs more than it saves.
FORKED_SHEET_SIZE = 4 * 1024 * 1024
_CHUNK = 1024 * 1024
_UNDECODABLE_RE = re.compile(u'[\udc80-\udcff]+')
# What _check_cells looks for: undecodable bytes, line breaks.
_SUSPECT_RE = re.compile(u'[\udc80-\udcff\r\n]')


class Table:
    """The template as rows of text.

    ``rows`` are ``(row_number, cells)`` for the non-blank rows below the header: a list, or with
    ``read_template(stream=True)`` an iterator that reads them as they are consumed (``problems``,
    ``bad_cells`` and ``shifted_rows`` grow as it goes). ``bad_cells`` are the ``(row_number,
    index)`` of cells already reported as unreadable, ``cell_problems`` those problems by cell, and
    ``shifted_rows`` the rows with a value right of the last header: an unquoted delimiter moved
    their cells to the right, so a cell may hold part of its left neighbour (a password).
    """

    def __init__(self, source_name, sha256, kind, max_rows=DEFAULT_MAX_ROWS):
        self.source_name = source_name
        self.sha256 = sha256
        self.kind = kind
        self.max_rows = max_rows
        self.encoding = None
        self.delimiter = None
        self.header_row = None
        self.header = ()
        self.width = 0
        self.rows = []
        self.row_count = 0
        self.too_many_rows = False
        self.bad_cells = set()
        self.cell_problems = {}
        self.shifted_rows = set()
        self.problems = []

    def label(self, index):
        """How a problem names a column: its header as written, or its spreadsheet letter."""
        header = self.header[index].strip() if index < len(self.header) else ''
        if header and not _UNDECODABLE_RE.search(header):
            return header
        return column_letter(index)

    def problem(self, row, message, index=None, value=None):
        problem = Problem(row, None if index is None else self.label(index), message, value=value)
        self.problems.append(problem)
        return problem

    def cell_problem(self, row, index, message, value=None):
        """A problem of one cell, which is then not read for its meaning."""
        self.bad_cells.add((row, index))
        self.cell_problems[(row, index)] = self.problem(row, message, index=index, value=value)


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA, as a spreadsheet names its columns."""
    letters = ''
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord('A') + remainder) + letters
    return letters


def delimiter_option(value):
    """The ``delimiter`` option as one character (``tab`` or ``\\t`` for a tab), or a ValueError."""
    if value is None or value == '\t':
        return value
    if value.lower() in ('tab', '\\t'):
        return '\t'
    if len(value) != 1 or value.isalnum() or value in '"\r\n ':
        raise ValueError('delimiter: "%s" is not a delimiter: give one character such as "," ";" "|" or "tab"' % value)
    return value


def max_rows_option(value):
    """The ``max_rows`` option, or a ValueError."""
    if value < 1:
        raise ValueError('max_rows: must be 1 or more, not %d' % value)
    return value


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b''):
            digest.update(block)
    return digest.hexdigest()


def read_template(path, source_name=None, sheet=None, encoding=None, delimiter=None, max_rows=DEFAULT_MAX_ROWS,
                  stream=False):
    """Read ``path`` (CSV or XLSX, told apart by content) into a Table.

    With ``stream`` its rows are read as the caller consumes ``table.rows`` (once); else they are
    read here, into a list. More than ``max_rows`` data rows is a problem, and reading stops there.
    Raises OSError when the file cannot be opened and MissingLibrary when an XLSX needs openpyxl.
    """
    with open(path, 'rb') as handle:
        magic = handle.read(len(XLSX_MAGIC))
    table = Table(source_name or path, file_sha256(path), 'xlsx' if magic == XLSX_MAGIC else 'csv', max_rows)
    if not magic:
        table.problem(None, 'the file is empty')
        return table
    if magic == XLS_MAGIC:
        table.problem(None, 'the file is an Excel 97-2003 (.xls) workbook: save it as .xlsx or as CSV (UTF-8)')
        return table
    lines = _xlsx_rows(table, path, sheet) if table.kind == 'xlsx' else _csv_rows(table, path, encoding, delimiter)
    _find_header(table, lines)
    if table.header_row is not None:
        table.rows = _data_rows(table, lines)
        if not stream:
            table.rows = list(table.rows)
    return table


def _find_header(table, lines):
    """The header is the first non-blank row."""
    for number, cells in lines:
        if any(cell.strip() for cell in cells):
            table.header_row, table.header = number, cells
            table.width = max(i + 1 for i, cell in enumerate(cells) if cell.strip())
            _check_cells(table, number, cells)
            return
    if not table.problems:
        table.problem(None, 'the file is empty: no header row and no data')


def _data_rows(table, lines):
    """The non-blank rows below the header, each checked, up to ``max_rows`` of them."""
    for number, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if table.row_count == table.max_rows:
            table.too_many_rows = True
            table.problem(number, 'the template has more than %d data rows (max_rows): split it, or raise max_rows'
                          % table.max_rows)
            _close(lines)
            return
        table.row_count += 1
        _check_headed(table, number, cells)
        _check_cells(table, number, cells)
        yield number, cells
    if not table.row_count:
        table.problem(table.header_row, 'the template has a header row but no data rows')


def _close(lines):
    close = getattr(lines, 'close', None)
    if close is not None:
        close()


def _check_headed(table, number, cells):
    """A value needs a header to say what it is. Its value is not shown: a cell that has none may
    hold anything, part of a password pushed right by an unquoted delimiter included."""
    width = table.width
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        if index >= width:
            table.shifted_rows.add(number)
            table.problem(number, 'more cells than headers: the header row has %d columns, this row has a value in '
                          'column %s (an unquoted %s in a cell?)'
                          % (width, column_letter(index), _delimiter_name(table)), index=index)
        elif not table.header[index].strip():
            table.problem(number, 'column %s has a value but no header' % column_letter(index), index=index)


def _delimiter_name(table):
    return {',': 'comma', ';': 'semicolon', '\t': 'tab', None: 'comma'}.get(table.delimiter, '"%s"' % table.delimiter)


def _check_cells(table, number, cells):
    if not _SUSPECT_RE.search(u'\x00'.join(cells)):  # nearly every row: one search, not one per cell
        return
    for index, cell in enumerate(cells):
        if _UNDECODABLE_RE.search(cell):
            table.cell_problem(number, index, 'has bytes that are not valid %s: save the file as CSV (UTF-8), or set '
                               'encoding' % table.encoding.upper(), value=_describe_bytes(cell))
        elif table.kind == 'csv' and ('\n' in cell or '\r' in cell):
            # In a CSV this is mostly a quote left open, which swallows the rows after it (and
            # their passwords) into this cell: its text is not shown.
            table.cell_problem(number, index, 'holds a line break: a quote that is not closed takes the rows after '
                               'it into this cell; remove the line break, or close the quote')


# --- CSV --------------------------------------------------------------------------------------

def _detect(table, path, encoding):
    """The codec of the file, read in chunks (no copy of the whole text): the one named, else
    UTF-8 (with or without BOM), UTF-16 with a BOM, or the first of DETECTED_ENCODINGS with the
    fewest undecodable bytes."""
    with open(path, 'rb') as handle:
        start = handle.read(4096)
        if encoding:
            try:
                codec = codecs.lookup(encoding).name
            except LookupError:
                table.problem(None, 'encoding: "%s" is not an encoding Python knows (try utf-8, gbk or gb18030)'
                              % encoding)
                return None
            return 'utf-8-sig' if codec == 'utf-8' and start.startswith(codecs.BOM_UTF8) else codec
        if start.startswith(codecs.BOM_UTF8):
            return 'utf-8-sig'
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
            return 'utf-16'
        best = None
        for codec in DETECTED_ENCODINGS:
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(codec)('surrogateescape')
            errors = 0
            for block in iter(lambda: handle.read(_CHUNK), b''):
                errors += len(_UNDECODABLE_RE.findall(decoder.decode(block)))
            errors += len(_UNDECODABLE_RE.findall(decoder.decode(b'', True)))
            if best is None or errors < best[0]:
                best = (errors, codec)
            if errors == 0:
                break
        return best[1]


def _pick_delimiter(sample, delimiter, more):
    if delimiter:
        return delimiter
    if more and '\n' in sample:
        sample = sample[:sample.rindex('\n')]
    # The header row is plain text a person typed: its delimiters are the file's. Counted there
    # when the Sniffer finds none, or one the header does not hold (a cell such as '"|' in the
    # rows below makes it take "|", and the whole file would be read as one column).
    first_line = sample.split('\n', 1)[0]
    counts = sorted((first_line.count(d), -i, d) for i, d in enumerate(CSV_DELIMITERS))
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:  # too little text for the Sniffer (a one-column file, a header only)
        sniffed = None
    if sniffed is not None and (sniffed in first_line or not counts[-1][0]):
        return sniffed
    return counts[-1][2] if counts[-1][0] else ','


def _describe_bytes(value):
    """Show the undecodable bytes of a cell as \\xNN, the decodable rest as text."""
    return _UNDECODABLE_RE.sub(lambda m: ''.join('\\x%02x' % (ord(c) - 0xdc00) for c in m.group()), value)


def _csv_rows(table, path, encoding, delimiter):
    """``(row_number, cells)`` of every row, read from the file as they are consumed."""
    with open(path, 'rb') as handle:
        start = handle.read(4096)
    if b'\x00' in start and not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        table.problem(None, 'the file is neither CSV nor XLSX (it has binary content)')
        return
    codec = _detect(table, path, encoding)
    if codec is None:
        return
    table.encoding = codec
    with io.open(path, 'r', encoding=codec, errors='surrogateescape', newline='') as handle:
        sample = handle.read(_SNIFF_SIZE)
        if not sample.strip() and not handle.read(1):
            table.problem(None, 'the file is empty')
            return
        table.delimiter = _pick_delimiter(sample, delimiter, len(sample) == _SNIFF_SIZE)
        handle.seek(0)
        number = 0
        try:
            for number, cells in enumerate(csv.reader(handle, delimiter=table.delimiter), 1):
                yield number, tuple(cells)
        except csv.Error as exc:
            table.problem(number + 1, 'the CSV cannot be read from here on (%s): look for an unbalanced quote' % exc)


# --- XLSX -------------------------------------------------------------------------------------

def _xlsx_rows(table, path, sheet):
    """``(row_number, cells)`` of every row of the sheet, read as they are consumed.

    A formula cell is a problem: its result is not what a person typed, a workbook written by a
    program often holds no computed value for it (it would read as blank, and a blank email or
    password is generated), and a stored one may be stale. So each formula cell is reported by
    row and column, whether or not the workbook stores its result, and read as blank.
    """
    if not xlsx.HAS_OPENPYXL:
        raise MissingLibrary('openpyxl', xlsx.OPENPYXL_IMPORT_ERROR)
    try:
        workbook = xlsx.Workbook(path)
    except xlsx.BROKEN + (xlsx.NotAWorkbook,) as exc:
        table.problem(None, 'the file is a ZIP archive but not an XLSX workbook (%s): save it as .xlsx or CSV'
                      % (str(exc) or type(exc).__name__))
        return
    number = 0
    try:
        part = _pick_sheet(table, workbook, sheet)
        if part is None:
            return
        table.encoding = 'xlsx'
        rows = None
        if workbook.part_size(part) >= FORKED_SHEET_SIZE and forked.available():
            try:
                rows = forked.items_of(lambda: workbook.text_rows(part))
            except OSError:  # no process to spare: the rows are read here, as a small sheet's are
                pass
        if rows is None:
            rows = workbook.text_rows(part)
        try:
            for number, cells, formulas in rows:
                for index in formulas:
                    table.cell_problem(number, index, 'is a formula: the template needs the values themselves; copy '
                                       'the column and paste it as values (Paste Special > Values)')
                yield number, cells
        finally:
            _close(rows)  # a child process reading the rows ends with them
    except xlsx.BROKEN as exc:  # the sheet is read as it is iterated: damage shows up here
        table.problem(None, 'the workbook cannot be read after row %d (%s): open it in Excel and save it again'
                      % (number, str(exc) or type(exc).__name__))
    finally:
        workbook.close()


def _pick_sheet(table, workbook, sheet):
    """The part of the worksheet to read: the first one, or the one named ``sheet``."""
    if sheet is None:
        if not workbook.sheets:
            table.problem(None, 'the workbook has no worksheet')
            return None
        return workbook.sheets[0][1]
    for name, part in workbook.sheets:
        if name == sheet:
            return part
    table.problem(None, 'sheet: the workbook has no worksheet "%s" (it has %s)'
                  % (sheet, ', '.join('"%s"' % name for name, _part in workbook.sheets) or 'none'))
    return None
