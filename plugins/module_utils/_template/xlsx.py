# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cells of one XLSX worksheet, row by row, streamed from the ZIP with ElementTree's C parser.

openpyxl's read-only mode builds a cell object per cell and took most of the time of a 100,000-row
conversion (about 14 s of CPU); this reads the same values in about a quarter of that, in memory
that does not grow with the sheet. openpyxl still decides which number formats are dates and
turns Excel's serial numbers into dates, as it does when it loads a workbook.

A cell is given as ``(value, is_formula)`` (``rows``), or as the text a person typed and the
indexes of the formula cells (``text_rows``): the caller decides what a formula means (a problem).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import posixpath
import re
import traceback
import zipfile
import zlib
from xml.etree import ElementTree

try:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
    from openpyxl.utils.exceptions import InvalidFileException
except ImportError:
    HAS_OPENPYXL = False
    OPENPYXL_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_OPENPYXL = True
    OPENPYXL_IMPORT_ERROR = None

# Transitional (what Excel writes) and Strict OOXML.
_MAIN_NAMESPACES = ('http://schemas.openxmlformats.org/spreadsheetml/2006/main',
                    'http://purl.oclc.org/ooxml/spreadsheetml/main')
_REL_NAMESPACES = ('http://schemas.openxmlformats.org/officeDocument/2006/relationships',
                   'http://purl.oclc.org/ooxml/officeDocument/relationships')
_PACKAGE_RELS = '{http://schemas.openxmlformats.org/package/2006/relationships}Relationship'
_CELL_REF_RE = re.compile(r'^\$?([A-Za-z]{1,3})\$?\Z')
_DIGITS = '0123456789'

# What a damaged or foreign ZIP raises while it is read: the file's fault, reported as a problem.
# (ElementTree's ParseError is a SyntaxError.)
BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, IndexError, TypeError, EOFError,
          SyntaxError, zlib.error, NotImplementedError)
if HAS_OPENPYXL:
    BROKEN += (InvalidFileException,)  # what openpyxl's own reader raises (the export filters use it)


class NotAWorkbook(Exception):
    """The ZIP archive is not an XLSX workbook (no workbook part, no worksheet)."""


def _tag(namespace, name):
    return '{%s}%s' % (namespace, name)


def _local(tag):
    return tag.rpartition('}')[2]


def _column_index(letters, known={}):  # pylint: disable=dangerous-default-value
    """``C`` (of ``C7``) -> 2; remembered, since every row names the same few columns."""
    index = known.get(letters)
    if index is None:
        match = _CELL_REF_RE.match(letters)
        if not match:
            raise ValueError('cell reference "%s"' % letters)
        index = -1
        for letter in match.group(1).upper():
            index = (index + 1) * 26 + ord(letter) - ord('A')
        known[letters] = index
    return index


def _children_as_read(handle, parent_tag, child_tag):
    """The ``child_tag`` children of the ``parent_tag`` element of an XML stream, each whole, as
    the stream is parsed; each leaves the tree once the next one starts.

    Start events, not end events: a child is whole once its next sibling starts, and its parent,
    known from its own start, lets the children read leave the tree. After end events there is no
    parent to take them from, and 100,000 emptied rows stay behind (13 MB).
    """
    parent = None
    for _event, element in ElementTree.iterparse(handle, events=('start',)):
        if element.tag == child_tag:
            if parent is None:
                raise ValueError('a %s outside its %s' % (_local(child_tag), _local(parent_tag)))
            for child in parent[:-1]:
                if child.tag == child_tag:
                    yield child
            del parent[:-1]
        elif element.tag == parent_tag:
            parent = element
    for child in parent if parent is not None else ():
        if child.tag == child_tag:
            yield child


class Workbook:
    """An open XLSX: its worksheets' names, and the rows of one of them."""

    def __init__(self, path):
        self.archive = zipfile.ZipFile(path)
        try:
            self._read_parts()
        except BaseException:
            self.archive.close()
            raise

    def close(self):
        self.archive.close()

    def _xml(self, name):
        with self.archive.open(name) as handle:
            return ElementTree.parse(handle).getroot()

    def _relationships(self, part):
        """``{id: (type, part name)}`` of a part's relationships."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, '_rels', name + '.rels')
        if rels_name not in self.archive.namelist():
            return {}
        found = {}
        for rel in self._xml(rels_name).iter(_PACKAGE_RELS):
            target = rel.get('Target', '')
            if rel.get('TargetMode') == 'External':
                continue
            path = target.lstrip('/') if target.startswith('/') else posixpath.normpath(posixpath.join(folder, target))
            found[rel.get('Id')] = (rel.get('Type', '').rpartition('/')[2], path)
        return found

    def _read_parts(self):
        documents = [path for kind, path in self._relationships('').values() if kind == 'officeDocument']
        workbook_part = documents[0] if documents else 'xl/workbook.xml'
        if workbook_part not in self.archive.namelist():
            raise NotAWorkbook('it has no workbook part')
        root = self._xml(workbook_part)
        self.ns = root.tag[1:].partition('}')[0]
        if self.ns not in _MAIN_NAMESPACES:
            raise NotAWorkbook('its workbook part is not SpreadsheetML')
        rels = self._relationships(workbook_part)
        properties = root.find(_tag(self.ns, 'workbookPr'))
        date1904 = properties is not None and properties.get('date1904', '').lower() in ('1', 'true')
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheets = []  # (name, part) of the worksheets (not chart sheets), in the workbook's order
        for sheet in root.iter(_tag(self.ns, 'sheet')):
            rel_id = next((sheet.get(_tag(ns, 'id')) for ns in _REL_NAMESPACES if sheet.get(_tag(ns, 'id'))), None)
            kind, part = rels.get(rel_id, (None, None))
            if kind == 'worksheet' and part in self.archive.namelist():
                self.sheets.append((sheet.get('name', ''), part))
        by_kind = dict((kind, part) for kind, part in rels.values())
        # Read with the first sheet's rows: only the process that reads the rows holds them.
        self.shared, self._shared_part = None, by_kind.get('sharedStrings')
        self.date_styles, self.timedelta_styles = self._date_styles(by_kind.get('styles'))

    def _text(self, element):
        """The text of a string item: its ``t``, or its rich-text runs' ``t`` (phonetic guides left out)."""
        t_tag, r_tag = _tag(self.ns, 't'), _tag(self.ns, 'r')
        if len(element) == 1 and element[0].tag == t_tag:
            return element[0].text or ''
        parts = []
        for child in element:
            if child.tag == t_tag:
                parts.append(child.text or '')
            elif child.tag == r_tag:
                parts.extend(run.text or '' for run in child if run.tag == t_tag)
        return ''.join(parts)

    def _shared_strings(self, part):
        if not part or part not in self.archive.namelist():
            return []
        strings = []
        item = _tag(self.ns, 'si')
        with self.archive.open(part) as handle:
            strings.extend(self._text(element) for element in _children_as_read(handle, _tag(self.ns, 'sst'), item))
        return strings

    def _date_styles(self, part):
        """The indexes of the cell styles whose number format shows a date (or a duration)."""
        if not part or part not in self.archive.namelist():
            return frozenset(), frozenset()
        root = self._xml(part)
        formats = dict(BUILTIN_FORMATS)
        for number_format in root.iter(_tag(self.ns, 'numFmt')):
            formats[int(number_format.get('numFmtId'))] = number_format.get('formatCode', '')
        dates, durations = set(), set()
        cell_formats = root.find(_tag(self.ns, 'cellXfs'))
        for index, xf in enumerate(cell_formats if cell_formats is not None else ()):
            code = formats.get(int(xf.get('numFmtId', 0)), '')
            if is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return frozenset(dates), frozenset(durations)

    def rows(self, part):
        """``(row_number, [(value, is_formula), ...])`` of each row the sheet stores, as it is read.

        Values are what openpyxl gives: str, int, float, bool, datetime (by the cell's number
        format) or None; cells the sheet leaves out are ``(None, False)``.
        """
        tags = tuple(_tag(self.ns, name) for name in ('c', 'v', 'f', 'is'))
        number = 0
        if self.shared is None:
            self.shared = self._shared_strings(self._shared_part)
        with self.archive.open(part) as handle:
            for row in _children_as_read(handle, _tag(self.ns, 'sheetData'), _tag(self.ns, 'row')):
                number = int(row.get('r') or number + 1)
                yield number, self._cells(row, tags)

    def text_rows(self, part):
        """``(row_number, cells, formulas)`` of each row the sheet stores, as it is read: ``cells``
        the text of each cell (``cell_text``; a formula cell's is blank), ``formulas`` the indexes
        of the formula cells."""
        for number, values in self.rows(part):
            formulas = ()
            cells = []
            for value, formula in values:
                if formula:
                    formulas += (len(cells),)
                    cells.append('')
                else:
                    cells.append(value if value.__class__ is str else cell_text(value))
            yield number, tuple(cells), formulas

    def part_size(self, part):
        """How many bytes the part holds once inflated."""
        return self.archive.getinfo(part).file_size

    def _cells(self, row, tags):
        """The ``(value, is_formula)`` of one row's cells; ``tags``: those of a cell, a value, a formula and an inline string."""
        cell_tag, value_tag, formula_tag, inline_tag = tags
        shared, date_styles = self.shared, self.date_styles
        cells = []
        for cell in row.iter(cell_tag):
            reference = cell.get('r')
            index = _column_index(reference.rstrip(_DIGITS)) if reference else len(cells)
            if index != len(cells):
                if index < len(cells):
                    raise ValueError('cell %s is out of order' % reference)
                cells.extend([(None, False)] * (index - len(cells)))
            kind = cell.get('t', 'n')
            value_element = cell.find(value_tag)
            text = value_element.text if value_element is not None else None
            if kind == 's' and text is not None:
                value = shared[int(text)]
            elif kind == 'inlineStr':
                inline = cell.find(inline_tag)
                value = self._text(inline) if inline is not None else None
            elif text is None:
                value = None
            elif kind == 's':
                value = shared[int(text)]
            elif kind in ('str', 'e'):
                value = text
            elif kind == 'b':
                value = text.strip() in ('1', 'true')
            elif kind == 'd':
                value = from_ISO8601(text)
            else:
                value = float(text) if ('.' in text or 'E' in text or 'e' in text) else int(text)
                style = int(cell.get('s', 0))
                if style in date_styles:
                    value = from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
            cells.append((value, cell.find(formula_tag) is not None))
        return cells


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
