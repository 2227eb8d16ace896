# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an import template (CSV or XLSX) into rows of text cells, numbered as a spreadsheet shows them.

Nothing here knows what the columns mean; problems of the file itself (empty, not a template,
undecodable bytes, more cells than headers) are collected as Problems, never raised.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import csv
import datetime
import hashlib
import io
import re
import traceback
import zipfile
import zlib

try:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
except ImportError:
    HAS_OPENPYXL = False
    OPENPYXL_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_OPENPYXL = True
    OPENPYXL_IMPORT_ERROR = None

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem

XLSX_MAGIC = b'PK\x03\x04'
XLS_MAGIC = b'\xd0\xcf\x11\xe0'
CSV_DELIMITERS = ',;\t|'
# Tried in this order when no encoding is given; GB18030 is a superset of GBK and GB2312.
DETECTED_ENCODINGS = ('utf-8', 'gb18030')
_SNIFF_SIZE = 64 * 1024
_UNDECODABLE_RE = re.compile(u'[\udc80-\udcff]+')
# What openpyxl raises on a damaged or foreign ZIP: the file's fault, reported as a problem.
# (SyntaxError: the XML parse errors of ElementTree and of lxml both derive from it.)
_BROKEN_WORKBOOK = (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError, SyntaxError, zlib.error)
if HAS_OPENPYXL:
    _BROKEN_WORKBOOK += (InvalidFileException,)


class MissingLibrary(Exception):
    """A Python library this template needs is not installed on the controller."""

    def __init__(self, library, import_error):
        self.library = library
        self.import_error = import_error
        super(MissingLibrary, self).__init__('the Python library %s is required to read this template' % library)


class Table:
    """The template as rows of text.

    ``rows`` are ``(row_number, cells)`` for the non-blank rows below the header; ``bad_cells``
    the ``(row_number, index)`` of cells already reported as unreadable.
    """

    def __init__(self, source_name, sha256, kind):
        self.source_name = source_name
        self.sha256 = sha256
        self.kind = kind
        self.encoding = None
        self.delimiter = None
        self.header_row = None
        self.header = ()
        self.rows = []
        self.bad_cells = set()
        self.problems = []

    def label(self, index):
        """How a problem names a column: its header as written, or its spreadsheet letter."""
        header = self.header[index].strip() if index < len(self.header) else ''
        if header and not _UNDECODABLE_RE.search(header):
            return header
        return column_letter(index)

    def problem(self, row, message, index=None, value=None):
        self.problems.append(Problem(row, None if index is None else self.label(index), message, value=value))


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


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b''):
            digest.update(block)
    return digest.hexdigest()


def read_template(path, source_name=None, sheet=None, encoding=None, delimiter=None):
    """Read ``path`` (CSV or XLSX, told apart by content) into a Table.

    Raises OSError when the file cannot be opened and MissingLibrary when an XLSX needs openpyxl.
    """
    with open(path, 'rb') as handle:
        magic = handle.read(len(XLSX_MAGIC))
    table = Table(source_name or path, file_sha256(path), 'xlsx' if magic == XLSX_MAGIC else 'csv')
    if not magic:
        table.problem(None, 'the file is empty')
    elif magic == XLS_MAGIC:
        table.problem(None, 'the file is an Excel 97-2003 (.xls) workbook: save it as .xlsx or as CSV (UTF-8)')
    elif table.kind == 'xlsx':
        _read_xlsx(table, path, sheet)
    else:
        with open(path, 'rb') as handle:
            _read_csv(table, handle.read(), encoding, delimiter)
    return table


def _add_rows(table, numbered_rows):
    """Keep the header (the first non-blank row) and the non-blank rows below it."""
    width = 0
    for number, cells in numbered_rows:
        if not any(cell.strip() for cell in cells):
            continue
        if table.header_row is None:
            table.header_row = number
            table.header = cells
            width = max(i + 1 for i, cell in enumerate(cells) if cell.strip())
            continue
        _check_headed(table, number, cells, width)
        table.rows.append((number, cells))
    if table.header_row is None:
        table.problem(None, 'the file is empty: no header row and no data')
    elif not table.rows:
        table.problem(table.header_row, 'the template has a header row but no data rows')


def _check_headed(table, number, cells, width):
    """A value needs a header to say what it is."""
    unheaded = [i for i, cell in enumerate(cells) if cell.strip() and (i >= width or not table.header[i].strip())]
    for index in unheaded:
        if index >= width:
            message = ('more cells than headers: the header row has %d columns, this row has a value in column %s'
                       % (width, column_letter(index)))
        else:
            message = 'column %s has a value but no header' % column_letter(index)
        table.problem(number, message, index=index, value=cells[index])


# --- CSV --------------------------------------------------------------------------------------

def _decode(table, data, encoding):
    """Return the text of ``data``; undecodable bytes become lone surrogates (reported per cell)."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            table.problem(None, 'encoding: "%s" is not an encoding Python knows (try utf-8, gbk or gb18030)' % encoding)
            return None
        if codec == 'utf-8' and data.startswith(codecs.BOM_UTF8):
            codec = 'utf-8-sig'
        table.encoding = codec
        return data.decode(codec, 'surrogateescape')
    if data.startswith(codecs.BOM_UTF8):
        table.encoding = 'utf-8-sig'
        return data[len(codecs.BOM_UTF8):].decode('utf-8', 'surrogateescape')
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        table.encoding = 'utf-16'
        return data.decode('utf-16', 'surrogateescape')
    best = None
    for codec in DETECTED_ENCODINGS:
        text = data.decode(codec, 'surrogateescape')
        errors = len(_UNDECODABLE_RE.findall(text))
        if best is None or errors < best[0]:
            best = (errors, codec, text)
        if errors == 0:
            break
    table.encoding = best[1]
    return best[2]


def _pick_delimiter(text, delimiter):
    if delimiter:
        return delimiter
    sample = text[:_SNIFF_SIZE]
    if len(text) > _SNIFF_SIZE and '\n' in sample:
        sample = sample[:sample.rindex('\n')]
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        # Too little text for the Sniffer (a one-column file, a header only): count in the header.
        first_line = sample.split('\n', 1)[0]
        counts = sorted((first_line.count(d), -i, d) for i, d in enumerate(CSV_DELIMITERS))
        return counts[-1][2] if counts[-1][0] else ','


def _describe_bytes(value):
    """Show the undecodable bytes of a cell as \\xNN, the decodable rest as text."""
    return _UNDECODABLE_RE.sub(lambda m: ''.join('\\x%02x' % (ord(c) - 0xdc00) for c in m.group()), value)


def _read_csv(table, data, encoding, delimiter):
    if b'\x00' in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        table.problem(None, 'the file is neither CSV nor XLSX (it has binary content)')
        return
    text = _decode(table, data, encoding)
    if text is None:
        return
    if not text.strip():
        table.problem(None, 'the file is empty')
        return
    table.delimiter = _pick_delimiter(text, delimiter)
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=table.delimiter)
    _add_rows(table, _csv_rows(table, reader))
    _report_undecodable(table)


def _csv_rows(table, reader):
    number = 0
    try:
        for number, cells in enumerate(reader, 1):
            yield number, tuple(cells)
    except csv.Error as exc:
        table.problem(number + 1, 'the CSV cannot be read from here on (%s): look for an unbalanced quote' % exc)


def _report_undecodable(table):
    rows = [(table.header_row, table.header)] if table.header_row else []
    for number, cells in rows + table.rows:
        for index, cell in enumerate(cells):
            if _UNDECODABLE_RE.search(cell):
                table.bad_cells.add((number, index))
                table.problem(number, 'has bytes that are not valid %s: save the file as CSV (UTF-8), or set encoding'
                              % table.encoding.upper(), index=index, value=_describe_bytes(cell))


# --- XLSX -------------------------------------------------------------------------------------

def cell_text(value):
    """The text a person typed into a cell, from the value Excel stored.

    Excel keeps every number as a float: a mobile typed as 13800000000 comes back as
    13800000000.0 and must be written as its digits again.
    """
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'TRUE' if value else 'FALSE'
    if isinstance(value, float):
        return '%d' % value if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(table, path, sheet):
    if not HAS_OPENPYXL:
        raise MissingLibrary('openpyxl', OPENPYXL_IMPORT_ERROR)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _BROKEN_WORKBOOK as exc:
        table.problem(None, 'the file is a ZIP archive but not an XLSX workbook (%s): save it as .xlsx or CSV'
                      % (str(exc) or type(exc).__name__))
        return
    try:
        worksheet = _pick_sheet(table, workbook, sheet)
        if worksheet is not None:
            table.encoding = 'xlsx'
            # The size a workbook declares is not to be trusted (some exporters write "A1"), and
            # read-only mode would silently cut every row to it.
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(min_row=1, values_only=True)
            _add_rows(table, ((number, tuple(cell_text(v) for v in values)) for number, values in enumerate(rows, 1)))
    except _BROKEN_WORKBOOK as exc:  # the sheet is read as it is iterated: damage shows up here
        table.problem(None, 'the workbook cannot be read after row %d (%s): open it in Excel and save it again'
                      % (table.rows[-1][0] if table.rows else table.header_row or 0, str(exc) or type(exc).__name__))
    finally:
        workbook.close()


def _pick_sheet(table, workbook, sheet):
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, 'iter_rows')]
    if sheet is None:
        if not worksheets:
            table.problem(None, 'the workbook has no worksheet')
            return None
        return worksheets[0]
    for worksheet in worksheets:
        if worksheet.title == sheet:
            return worksheet
    table.problem(None, 'sheet: the workbook has no worksheet "%s" (it has %s)'
                  % (sheet, ', '.join('"%s"' % ws.title for ws in worksheets) or 'none'))
    return None
