# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import codecs
import datetime
import hashlib
import multiprocessing
import zipfile

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._template import forked, read as read_module
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import (
    cell_text, column_letter, delimiter_option, read_template,
)
from template_helpers import cannot_fork, csv_bytes, write_csv, write_xlsx

ROWS = [(u'姓名', u'邮箱', u'部门'), (u'张三', u'zhang.san@example.org', u'总部/销售部'), (u'李四', u'', u'技术部')]


def read(path, **kwargs):
    return read_template(str(path), **kwargs)


def cells(table):
    return [(number, list(row)) for number, row in table.rows]


@pytest.mark.parametrize('encoding, detected', [
    ('utf-8', 'utf-8'), ('utf-8-sig', 'utf-8-sig'), ('gbk', 'gb18030'), ('gb18030', 'gb18030'), ('utf-16', 'utf-16'),
])
def test_encodings_are_detected(tmp_path, encoding, detected):
    table = read(write_csv(tmp_path / 't.csv', ROWS, encoding=encoding))
    assert table.problems == []
    assert table.encoding == detected
    assert table.header == ROWS[0]
    assert cells(table) == [(2, list(ROWS[1])), (3, list(ROWS[2]))]


def test_gb18030_only_characters_are_read(tmp_path):
    rows = [ROWS[0], (u'王㐀', u'', u'技术部')]  # U+3400 is in GB18030, not in GBK
    table = read(write_csv(tmp_path / 't.csv', rows, encoding='gb18030'))
    assert table.problems == [] and table.rows[0][1][0] == u'王㐀'


def test_forced_encoding(tmp_path):
    path = write_csv(tmp_path / 't.csv', ROWS, encoding='gbk')
    table = read(path, encoding='GBK')
    assert table.encoding == 'gbk' and table.problems == [] and table.rows[0][1][0] == u'张三'


def test_forced_wrong_encoding_names_rows_and_columns(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', ROWS, encoding='gbk'), encoding='utf-8')
    # every cell with Chinese text: the header's three, then name and department of each row
    assert [(p.row, p.column) for p in table.problems] == [(1, 'A'), (1, 'B'), (1, 'C'), (2, 'A'), (2, 'C'),
                                                           (3, 'A'), (3, 'C')]
    assert all('not valid UTF-8' in p.message for p in table.problems)
    assert table.problems[0].value == '\\xd0\\xd5\\xc3\\xfb'  # 姓名 in GBK


def test_unknown_encoding_is_a_problem(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', ROWS), encoding='klingon')
    assert [p.message for p in table.problems] == [
        'encoding: "klingon" is not an encoding Python knows (try utf-8, gbk or gb18030)']


def test_undecodable_bytes_name_the_row_and_column(tmp_path):
    data = csv_bytes(ROWS) + u'王五,wang.wu@example.org,'.encode('utf-8') + b'\xff\xfe\xe9\r\n'
    path = tmp_path / 't.csv'
    path.write_bytes(data)
    table = read(path)
    assert table.encoding == 'utf-8'  # one bad cell does not switch a UTF-8 file to GB18030
    assert [(p.row, p.column, p.value) for p in table.problems] == [(4, u'部门', '\\xff\\xfe\\xe9')]
    assert table.bad_cells == set([(4, 2)])


@pytest.mark.parametrize('delimiter', [',', ';', '\t', '|'])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    rows = ROWS + [(u'Mary Ann Smith', u'', u'Overseas, Sales')]
    table = read(write_csv(tmp_path / 't.csv', rows, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert cells(table)[-1] == (4, [u'Mary Ann Smith', u'', u'Overseas, Sales'])


@pytest.mark.parametrize('cell', [u'"|\r', u'";', u'a|b|c|d'])
def test_a_cell_does_not_choose_the_delimiter_the_header_lacks(tmp_path, cell):
    # Found by the hostile-cell property test: the Sniffer took "|" from the cell '"|\r', and the
    # whole file read as one column.
    table = read(write_csv(tmp_path / 't.csv', [ROWS[0], (cell, u'', u'技术部')]))
    assert table.delimiter == ',' and table.header == ROWS[0]
    assert cells(table) == [(2, [cell, u'', u'技术部'])]


def test_forced_delimiter(tmp_path):
    path = write_csv(tmp_path / 't.csv', ROWS, delimiter=';')
    assert read(path, delimiter=';').header == ROWS[0]
    assert read(path, delimiter=',').header == (u'姓名;邮箱;部门',)


def test_one_column_file_falls_back_to_comma(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', [(u'姓名',), (u'张三',)]))
    assert table.delimiter == ',' and table.header == (u'姓名',)


@pytest.mark.parametrize('value, expected', [
    (None, None), (',', ','), ('tab', '\t'), ('\\t', '\t'), ('\t', '\t'), (';', ';'),
])
def test_delimiter_option(value, expected):
    assert delimiter_option(value) == expected


@pytest.mark.parametrize('value', ['ab', 'a', '"', ' ', '1'])
def test_bad_delimiter_option(value):
    with pytest.raises(ValueError):
        delimiter_option(value)


def test_blank_rows_are_skipped_but_counted(tmp_path):
    rows = [(), ('', '', ''), ROWS[0], ROWS[1], ('', ' ', ''), ROWS[2]]
    table = read(write_csv(tmp_path / 't.csv', rows))
    assert table.header_row == 3
    assert [number for number, _cells in table.rows] == [4, 6]


def test_more_cells_than_headers(tmp_path):
    rows = ROWS + [(u'王五', u'', u'技术部', u'', u'surplus')]
    table = read(write_csv(tmp_path / 't.csv', rows))
    # No value: a cell without a header may hold anything, a password pushed right included.
    assert [(p.row, p.column, p.value) for p in table.problems] == [(4, 'E', None)]
    assert table.shifted_rows == set([4])
    assert 'more cells than headers: the header row has 3 columns' in table.problems[0].message


def test_trailing_empty_cells_are_fine(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', [ROWS[0] + ('',), ROWS[1] + ('', '')]))
    assert table.problems == []


def test_a_value_under_a_blank_header(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', [(u'姓名', u'', u'部门'), (u'张三', u'x', u'技术部')]))
    assert [(p.row, p.column, p.value, p.message) for p in table.problems] == [
        (2, 'B', None, 'column B has a value but no header')]


@pytest.mark.parametrize('content, message', [
    (b'', 'the file is empty'),
    (b'\r\n \r\n', 'the file is empty'),
    (codecs.BOM_UTF8, 'the file is empty'),
    (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'the file is neither CSV nor XLSX (it has binary content)'),
    (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 100, 'the file is an Excel 97-2003 (.xls) workbook: save it as '
                                                          '.xlsx or as CSV (UTF-8)'),
])
def test_files_that_are_no_template(tmp_path, content, message):
    path = tmp_path / 'staff.csv'
    path.write_bytes(content)
    table = read(path)
    assert [(p.row, p.column, p.message) for p in table.problems] == [(None, None, message)]
    assert table.rows == []


def test_header_without_data(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', [ROWS[0]]))
    assert [(p.row, p.message) for p in table.problems] == [(1, 'the template has a header row but no data rows')]


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / 'staff.xlsx'
    with zipfile.ZipFile(str(path), 'w') as archive:
        archive.writestr('hello.txt', 'hi')
    table = read(path)
    assert len(table.problems) == 1 and table.problems[0].row is None
    assert table.problems[0].message.startswith('the file is a ZIP archive but not an XLSX workbook')


def test_unterminated_quote_is_reported(tmp_path):
    path = tmp_path / 't.csv'
    path.write_bytes(csv_bytes(ROWS) + b'"\xe7\x8e\x8b\xe4\xba\x94,a,b' + b'x' * 200000)
    table = read(path)
    assert any(p.row == 4 and 'unbalanced quote' in p.message for p in table.problems)


def test_source_hash(tmp_path):
    path = write_csv(tmp_path / 't.csv', ROWS)
    assert read(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- XLSX -------------------------------------------------------------------------------------

def read_sheets_in_a_child(monkeypatch):
    """Make every sheet be read by a child process, as a big one is beside a second core; the
    list returned gets an item for each child started."""
    children = []
    items_of = forked.items_of
    monkeypatch.setattr(read_module, 'FORKED_SHEET_SIZE', 0)
    monkeypatch.setattr(forked, 'available', lambda: True)
    monkeypatch.setattr(forked, 'items_of', lambda make_items: children.append(1) or items_of(make_items))
    return children


@pytest.fixture(params=['here', 'in a child'])
def xlsx_reader(request, monkeypatch):
    """Each XLSX test twice: the sheet read in this process, and in a child process; no child is
    left behind either way."""
    children = read_sheets_in_a_child(monkeypatch) if request.param == 'in a child' else []
    yield request.param
    assert bool(children) == (request.param == 'in a child')
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures('xlsx_reader')
def test_xlsx_first_sheet_and_excel_numbers(tmp_path):
    rows = [(u'姓名', u'部门', u'手机', u'工号'), (u'张三', u'技术部', 13800000000.0, 1024), (u'李四', u'技术部', 1.38e10, 7.0)]
    table = read(write_xlsx(tmp_path / 'staff.xlsx', rows, extra_sheets=['Other']))
    assert table.kind == 'xlsx' and table.problems == []
    assert cells(table) == [(2, [u'张三', u'技术部', '13800000000', '1024']), (3, [u'李四', u'技术部', '13800000000', '7'])]


def test_xlsx_named_sheet(tmp_path):
    path = write_xlsx(tmp_path / 'staff.xlsx', [('not', 'here')], title='Cover', extra_sheets=[])
    import openpyxl
    workbook = openpyxl.load_workbook(str(path))
    sheet = workbook.create_sheet(u'员工')
    for row in ROWS:
        sheet.append(list(row))
    workbook.save(str(path))
    table = read(path, sheet=u'员工')
    assert table.problems == [] and table.header == ROWS[0]
    missing = read(path, sheet='Staff')
    assert [p.message for p in missing.problems] == [u'sheet: the workbook has no worksheet "Staff" (it has "Cover", '
                                                     u'"员工")']


@pytest.mark.usefixtures('xlsx_reader')
def test_xlsx_blank_rows_keep_spreadsheet_numbers(tmp_path):
    import openpyxl
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet['A2'], sheet['B2'], sheet['C2'] = ROWS[0]
    sheet['A5'], sheet['C5'] = u'张三', u'技术部'
    sheet['A6'], sheet['C6'], sheet['E6'] = u'李四', u'技术部', 'extra'
    path = tmp_path / 'staff.xlsx'
    workbook.save(str(path))
    table = read(path)
    assert table.header_row == 2
    assert [number for number, _cells in table.rows] == [5, 6]
    assert [(p.row, p.column, p.value) for p in table.problems] == [(6, 'E', None)]


def with_sheet_edited(tmp_path, edit):
    """A workbook of ROWS whose worksheet XML ``edit`` (bytes -> bytes) has changed."""
    path = write_xlsx(tmp_path / 'staff.xlsx', ROWS)
    edited = tmp_path / 'edited.xlsx'
    with zipfile.ZipFile(str(path)) as source, zipfile.ZipFile(str(edited), 'w') as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == 'xl/worksheets/sheet1.xml':
                content = edit(content)
            target.writestr(info, content)
    return edited


@pytest.mark.usefixtures('xlsx_reader')
def test_xlsx_with_a_wrong_declared_size_is_read_whole(tmp_path):
    def edit(content):
        content = content.replace(b'<dimension ref="A1:C3" />', b'<dimension ref="A1" />')
        assert b'ref="A1" ' in content
        return content

    table = read(with_sheet_edited(tmp_path, edit))
    assert table.header == ROWS[0] and cells(table) == [(2, list(ROWS[1])), (3, list(ROWS[2]))]


@pytest.mark.usefixtures('xlsx_reader')
def test_a_damaged_sheet_is_a_problem(tmp_path):
    table = read(with_sheet_edited(tmp_path, lambda content: content[:content.index(b'<row r="3"') + 20]))
    assert [(p.row, p.column) for p in table.problems] == [(None, None)]
    assert table.problems[0].message.startswith('the workbook cannot be read after row 2 (')


@pytest.mark.usefixtures('xlsx_reader')
def test_rows_outside_the_sheet_data_are_a_problem(tmp_path):
    def edit(content):
        assert b'<sheetData>' in content
        return content.replace(b'<sheetData>', b'').replace(b'</sheetData>', b'')

    table = read(with_sheet_edited(tmp_path, edit))
    assert [(p.row, p.column, p.message) for p in table.problems] == [
        (None, None, 'the workbook cannot be read after row 0 (a row outside its sheetData): open it in Excel and '
                     'save it again')]


@pytest.mark.parametrize('value, text', [
    (None, ''), (13800000000.0, '13800000000'), (1.38e10, '13800000000'), (1024, '1024'), (0.5, '0.5'),
    (True, 'TRUE'), (datetime.datetime(2024, 3, 1), '2024-03-01'),
    (datetime.datetime(2024, 3, 1, 8, 30), '2024-03-01T08:30:00'), (u'张三', u'张三'),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize('index, letters', [(0, 'A'), (25, 'Z'), (26, 'AA'), (51, 'AZ'), (52, 'BA'), (701, 'ZZ'),
                                            (702, 'AAA')])
def test_column_letter(index, letters):
    assert column_letter(index) == letters


# --- Formulas, line breaks, the row limit --------------------------------------------------------

def with_sheet_xml(path, edit):
    """A copy of the workbook at ``path`` with its first sheet's XML changed by ``edit``."""
    changed = path.with_name('changed-' + path.name)
    with zipfile.ZipFile(str(path)) as source, zipfile.ZipFile(str(changed), 'w') as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == 'xl/worksheets/sheet1.xml':
                content = edit(content)
            target.writestr(info, content)
    return changed


@pytest.mark.usefixtures('xlsx_reader')
@pytest.mark.parametrize('cached', [False, True])
def test_a_formula_cell_is_a_problem_with_or_without_its_result(tmp_path, cached):
    path = write_xlsx(tmp_path / 'staff.xlsx', [ROWS[0], (u'张三', u'=LOWER("ZS@EXAMPLE.ORG")', u'技术部')])
    if cached:  # as Excel saves it: the formula and its last result
        path = with_sheet_xml(path, lambda xml: xml.replace(
            b'<c r="B2"><f>', b'<c r="B2" t="str"><f>').replace(b'<v />', b'<v>zs@example.org</v>'))
        assert b'<v>zs@example.org</v>' in zipfile.ZipFile(str(path)).read('xl/worksheets/sheet1.xml')
    table = read(path)
    assert [(p.row, p.column, p.value) for p in table.problems] == [(2, u'邮箱', None)]
    assert table.problems[0].message.startswith('is a formula')
    assert (2, 1) in table.bad_cells
    assert cells(table) == [(2, [u'张三', u'', u'技术部'])]


@pytest.mark.usefixtures('xlsx_reader')
def test_a_formula_in_the_header_row(tmp_path):
    table = read(write_xlsx(tmp_path / 'staff.xlsx', [(u'姓名', u'="邮"&"箱"', u'部门'), ROWS[1]]))
    # ... and the column has no header then
    assert [(p.row, p.column) for p in table.problems] == [(1, 'B'), (2, 'B')]


def test_a_line_break_in_a_csv_cell_is_a_problem(tmp_path):
    table = read(write_csv(tmp_path / 't.csv', [ROWS[0], (u'张三', u'', u'技术部\n销售部')]))
    assert [(p.row, p.column, p.value) for p in table.problems] == [(2, u'部门', None)]
    assert (2, 2) in table.bad_cells


def test_a_line_break_in_an_xlsx_cell_is_text(tmp_path):
    # Alt+Enter in Excel: there is no quoting to go wrong in a workbook.
    table = read(write_xlsx(tmp_path / 'staff.xlsx', [ROWS[0], (u'张三', u'', u'技术部\n')]))
    assert table.problems == []


def test_a_sheet_is_read_here_when_no_child_can_start(tmp_path, monkeypatch):
    children = read_sheets_in_a_child(monkeypatch)
    monkeypatch.setattr(type(multiprocessing.get_context('fork').Process()), 'start', cannot_fork)
    table = read(write_xlsx(tmp_path / 'staff.xlsx', ROWS))
    assert children and table.problems == [] and cells(table) == [(2, list(ROWS[1])), (3, list(ROWS[2]))]


@pytest.mark.parametrize('kind', ['csv', 'xlsx', 'xlsx read in a child'])
def test_the_row_limit_stops_reading(tmp_path, monkeypatch, kind):
    rows = [ROWS[0]] + [(u'张%d' % n, u'', u'技术部') for n in range(50)]
    path = write_csv(tmp_path / 't.csv', rows) if kind == 'csv' else write_xlsx(tmp_path / 't.xlsx', rows)
    children = read_sheets_in_a_child(monkeypatch) if kind == 'xlsx read in a child' else []
    table = read_template(str(path), max_rows=10, stream=True)
    consumed = list(table.rows)
    assert [number for number, _cells in consumed] == list(range(2, 12))
    assert table.too_many_rows
    assert [(p.row, p.message) for p in table.problems] == [
        (12, 'the template has more than 10 data rows (max_rows): split it, or raise max_rows')]
    assert multiprocessing.active_children() == []  # the child reading the rest was stopped
    assert read_template(str(path), max_rows=50).problems == []
    assert len(children) == (2 if kind == 'xlsx read in a child' else 0)


def test_a_streamed_table_reads_as_it_is_consumed(tmp_path):
    rows = [ROWS[0], ROWS[1], (u'王五', u'', u'技术部', u'', u'x')]
    table = read_template(str(write_csv(tmp_path / 't.csv', rows)), stream=True)
    assert table.header == ROWS[0] and table.problems == []
    assert next(table.rows) == (2, ROWS[1]) and table.problems == []
    assert next(table.rows)[0] == 3 and [p.row for p in table.problems] == [3]


# --- The XLSX reader reads what openpyxl reads ------------------------------------------------------

def excel_like_workbook(path, prefix=''):
    """An XLSX as Excel writes it (shared strings with rich text and a phonetic guide, a date style,
    booleans, errors, skipped cells, a row without cell references), optionally with every
    SpreadsheetML element written with a namespace prefix, as some generators do."""
    ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    p = prefix + ':' if prefix else ''
    xmlns = 'xmlns%s="%s"' % (':' + prefix if prefix else '', ns)
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    parts = {
        '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                               'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                               'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName='
                               '"/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                               'spreadsheetml.styles+xml"/></Types>',
        '_rels/.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       'relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
                       '</Relationships>' % rel,
        'xl/workbook.xml': '<?xml version="1.0"?><%sworkbook %s xmlns:r="%s"><%ssheets><%ssheet name="员工" sheetId="1" '
                           'r:id="rId1"/></%ssheets></%sworkbook>' % (p, xmlns, rel, p, p, p, p),
        'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                      'package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" '
                                      'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" '
                                      'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="%s/styles" '
                                      'Target="/xl/styles.xml"/></Relationships>' % (rel, rel, rel),
        'xl/sharedStrings.xml': '<?xml version="1.0"?><{p}sst {x}><{p}si><{p}t>姓名</{p}t></{p}si><{p}si><{p}t>部门</{p}t>'
                                '</{p}si><{p}si><{p}t>手机</{p}t></{p}si><{p}si><{p}r><{p}t>张</{p}t></{p}r><{p}r><{p}t>三'
                                '</{p}t></{p}r><{p}rPh sb="0" eb="1"><{p}t>ちょう</{p}t></{p}rPh></{p}si><{p}si><{p}t '
                                'xml:space="preserve">技术部 </{p}t></{p}si><{p}si><{p}t>入职</{p}t></{p}si>'
                                '<{p}si><{p}t>在职</{p}t></{p}si><{p}si><{p}t>状态</{p}t></{p}si><{p}si><{p}t>A&amp;B'
                                '</{p}t></{p}si></{p}sst>'.format(p=p, x=xmlns),
        'xl/styles.xml': '<?xml version="1.0"?><{p}styleSheet {x}><{p}cellXfs count="2"><{p}xf numFmtId="0"/><{p}xf '
                         'numFmtId="14"/></{p}cellXfs></{p}styleSheet>'.format(p=p, x=xmlns),
        'xl/worksheets/sheet1.xml': '<?xml version="1.0"?><{p}worksheet {x}><{p}dimension ref="A1"/><{p}sheetData>'
                                    '<{p}row r="1"><{p}c r="A1" t="s"><{p}v>0</{p}v></{p}c><{p}c r="B1" t="s"><{p}v>1'
                                    '</{p}v></{p}c><{p}c r="C1" t="s"><{p}v>2</{p}v></{p}c><{p}c r="D1" t="s"><{p}v>5'
                                    '</{p}v></{p}c><{p}c r="E1" t="inlineStr"><{p}is><{p}t>备注</{p}t></{p}is></{p}c><{p}c r="F1" t="s"><{p}v>7'
                                    '</{p}v></{p}c></{p}row>'
                                    '<{p}row r="3"><{p}c r="A3" t="s"><{p}v>3</{p}v></{p}c><{p}c r="B3" t="s"><{p}v>4'
                                    '</{p}v></{p}c><{p}c r="C3"><{p}v>13800000000</{p}v></{p}c><{p}c r="D3" s="1"><{p}v>'
                                    '45352</{p}v></{p}c><{p}c r="E3" t="b"><{p}v>1</{p}v></{p}c><{p}c r="F3" t="s">'
                                    '<{p}v>6</{p}v></{p}c></{p}row>'
                                    '<{p}row><{p}c t="s"><{p}v>8</{p}v></{p}c><{p}c t="inlineStr"><{p}is><{p}t>销售部'
                                    '</{p}t></{p}is></{p}c><{p}c><{p}v>1.5</{p}v></{p}c><{p}c t="e"><{p}v>#N/A</{p}v>'
                                    '</{p}c></{p}row>'
                                    '</{p}sheetData></{p}worksheet>'.format(p=p, x=xmlns),
    }
    with zipfile.ZipFile(str(path), 'w') as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode('utf-8'))
    return path


@pytest.mark.parametrize('prefix', ['', 'x'])
def test_an_excel_written_workbook_reads_as_openpyxl_reads_it(tmp_path, prefix):
    import openpyxl
    path = excel_like_workbook(tmp_path / 'excel.xlsx', prefix)
    table = read(path)
    assert table.problems == [] and table.kind == 'xlsx'
    workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    expected = [(number, [cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1) if any(v is not None for v in values)]
    workbook.close()
    width = len(table.header)
    assert [(table.header_row, list(table.header))] + [(n, list(c) + [''] * (width - len(c))) for n, c in cells(table)] \
        == [(n, c + [''] * (width - len(c))) for n, c in expected]
    assert cells(table)[0] == (3, [u'张三', u'技术部 ', '13800000000', '2024-03-01', 'TRUE', u'在职'])
    assert cells(table)[1] == (4, [u'A&B', u'销售部', '1.5', '#N/A'])


@pytest.mark.parametrize('kind', ['text', 'numbers'])
def test_the_rows_read_leave_the_parsed_tree(tmp_path, kind):
    # A big template is read in memory that does not grow with it: each row is dropped from
    # ElementTree's tree once read, not kept as an emptied element.
    import tracemalloc
    from ansible_collections.mailops.mailbox.plugins.module_utils._template import xlsx
    if kind == 'text':
        rows = [[u'张%d' % n, u'', u'技术部'] for n in range(6000)]
    else:
        rows = [[n, n + 0.5, None] for n in range(6000)]
    workbook = xlsx.Workbook(str(write_xlsx(tmp_path / 'big.xlsx', [[u'姓名', u'邮箱', u'部门']] + rows)))
    try:
        tracemalloc.start()
        try:
            read = workbook.rows(workbook.sheets[0][1])
            for _row in zip(range(1000), read):
                pass
            held_at_1000 = tracemalloc.get_traced_memory()[0]
            for _row in zip(range(5000), read):
                pass
            held_at_6000 = tracemalloc.get_traced_memory()[0]  # the sheet still open, the tree still parsed
            rest = list(read)
        finally:
            tracemalloc.stop()
    finally:
        workbook.close()
    assert [number for number, _cells in rest] == [6001]
    # Emptied rows left in the tree cost about 90 bytes each: 450 KB for these 5,000.
    assert held_at_6000 - held_at_1000 < 50000
