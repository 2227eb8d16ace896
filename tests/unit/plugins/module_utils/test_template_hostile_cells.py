# -*- coding: utf-8 -*-
"""Property tests (hypothesis) for the roster template parser (``_template``, read-only here): any
Unicode in a cell of a CSV template either reaches the roster vars file as the parser's documented
normal form of that text (NFKC, single spaces, trimmed) and survives the YAML round trip exactly,
or is reported as a problem with its row and column. Never a traceback."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import csv
import io
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.mailops.mailbox.plugins.module_utils._template import normalise
from ansible_collections.mailops.mailbox.plugins.module_utils._template.headers import first_department
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import parse_roster, render_roster
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", 300))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = (u'姓名', u'邮箱', u'部门', u'职务')
LABELS = dict(name=u'姓名', email=u'邮箱', department=u'部门', title=u'职务')
GOOD = dict(name=u'张三', email='zhang.san@example.org', department=u'销售部', title=u'经理')
CELL = st.text(alphabet=st.characters(exclude_categories=('Cs',)))  # any Unicode a UTF-8 file can hold


@pytest.fixture(scope='module')
def workdir():
    path = tempfile.mkdtemp(prefix='hostile-cells-')
    yield path
    shutil.rmtree(path)


def template(workdir, rows):
    """A UTF-8 CSV with the header and ``rows`` (dicts), as Excel would quote it; returns the RosterResult."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row[key] for key in ('name', 'email', 'department', 'title')])
    path = os.path.join(workdir, 'staff.csv')
    with open(path, 'wb') as handle:
        handle.write(out.getvalue().encode('utf-8'))
    return build_roster(read_template(path, 'staff.csv'), Settings(domain='example.org'))


def expected(column, cell):
    """What the parser's documented normalisation makes of ``cell``: (value, problem_message)."""
    if column == 'department':  # the first of several (";"), without a leading or trailing "/"
        path, message = normalise.department_path(first_department(cell)[0])
        return (path[-1] if path else None), message
    if column == 'name':
        value, message = normalise.name(cell)
        return value, message or (None if value else 'is empty')
    return normalise.text(cell)


def assert_placed(problem, cell, column):
    """A problem names the cell's row and column. Two exceptions, both still a clear problem: a NUL
    makes the file binary (no row), and a cell that makes the CSV dialect sniffer take another
    delimiter (such as '";') gets the header row reported, as one unknown column."""
    if problem.row is None:
        assert u'\x00' in cell and 'binary content' in problem.message, problem
    elif problem.row == 1:
        assert problem.column and ('column' in problem.message), problem
    else:
        assert (problem.row, problem.column) == (2, LABELS[column]), (problem.row, problem.column, problem)


def counted(test):
    seen = collections.Counter()
    test(seen)
    return seen


@pytest.mark.parametrize('column', ['name', 'department', 'title'])
def test_any_cell_round_trips_or_is_a_problem_with_row_and_column(workdir, column, record_property):
    @SETTINGS
    @given(cell=CELL)
    def check(seen, cell):
        result = template(workdir, [dict(GOOD, **{column: cell}),
                                    dict(GOOD, name=u'李四', email='li.si@example.org')])
        seen['examples'] += 1
        if result.problems:
            seen['problems'] += 1
            for problem in result.problems:
                assert_placed(problem, cell, column)
            return
        value, message = expected(column, cell)
        assert message is None
        user, = [u for u in result.roster['users'] if u['email'] == GOOD['email']]
        assert user[column] == value
        text = render_roster(result.roster, 'staff.csv', 'sha', result.row_count)
        assert parse_roster(text) == result.roster  # the vars file reads back exactly
        seen['round trips'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('template cell in %s: %s' % (column, dict(seen)))
    assert seen['examples'] >= EXAMPLES and seen['round trips'] >= 50 and seen['problems'] >= 10


def test_any_name_with_a_blank_email_gets_an_address_or_a_problem(workdir, record_property):
    @SETTINGS
    @given(name=CELL)
    def check(seen, name):
        result = template(workdir, [dict(GOOD, name=name, email=''), GOOD])
        seen['examples'] += 1
        if result.problems:
            seen['problems'] += 1
            for problem in result.problems:
                assert_placed(problem, name, 'name')
            return
        user, = [u for u in result.roster['users'] if u['email'] != GOOD['email']]
        local, domain = user['email'].split('@')
        assert domain == 'example.org' and local and local.isascii()
        assert parse_roster(render_roster(result.roster, 'staff.csv', 'sha', result.row_count)) == result.roster
        seen['generated'] += 1

    seen = counted(check)
    record_property('hypothesis_examples', dict(seen))
    print('template name with a blank email: %s' % dict(seen))
    assert seen['examples'] >= EXAMPLES and seen['generated'] >= 25 and seen['problems'] >= 10
