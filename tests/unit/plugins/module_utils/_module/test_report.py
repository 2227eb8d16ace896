# -*- coding: utf-8 -*-
"""The provision run's report, built without templating."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._module.report import (
    ReportFailed, build_report, render_markdown, write_report,
)

PARAMS = dict(started="2026-01-01T00:00:00+00:00", backup="/b/20260101T000000000000Z.ldif", domain="example.org",
              roster="/r/roster.yml", departments_created=[u"销售部"], archives=["/a/x.tar.gz"],
              users_result=dict(summary=dict(created=2, updated=1, disabled=0, deleted=0, unchanged=7),
                                by_department={u"销售部": dict(created=2, updated=0, disabled=0, deleted=0),
                                               "R|D\nTeam": dict(created=0, updated=1, disabled=0, deleted=0)},
                                created=["a@example.org", "b@example.org"], updated=["c@example.org"], disabled=[],
                                deleted=[], timings=dict(read=0.5, plan=0.1), diff=[dict(before="x")],
                                invocation=dict(module_args={})))


def test_report_holds_the_facts_and_only_emails_and_counts():
    report = build_report(PARAMS, "2026-01-01T00:00:05+00:00")
    assert report["created"] == ["a@example.org", "b@example.org"] and report["summary"]["unchanged"] == 7
    assert report["departments_created"] == [u"销售部"] and report["archives"] == ["/a/x.tar.gz"]
    assert "diff" not in report and "invocation" not in report


def test_markdown_tables_keep_every_name_in_its_cell():
    text = render_markdown("20260101T000005Z", build_report(PARAMS, "2026-01-01T00:00:05+00:00"))
    assert u"| 销售部 | 2 | 0 | 0 | 0 |" in text
    assert "| R\\|D Team | 0 | 1 | 0 | 0 |" in text
    assert "| 2 | 1 | 0 | 0 | 7 |" in text
    assert "### Created (2)\n\n- a@example.org\n- b@example.org\n" in text
    assert "### Disabled" not in text and "- `/a/x.tar.gz`" in text


def test_markdown_of_a_run_without_changes():
    params = dict(PARAMS, departments_created=[], archives=[],
                  users_result=dict(summary=dict(created=0, updated=0, disabled=0, deleted=0, unchanged=3),
                                    by_department={}, created=[], updated=[], disabled=[], deleted=[], timings={}))
    text = render_markdown("n", build_report(params, "f"))
    assert "| (no changes) | 0 | 0 | 0 | 0 |" in text and "## Departments created" not in text


def test_the_report_is_written_as_two_private_files_and_the_result_names_them(tmp_path):
    directory = tmp_path / 'reports' / 'site'
    planned = write_report(dict(PARAMS, dir=str(directory)), check_mode=True)
    assert planned['name'] and not directory.exists()
    result = write_report(dict(PARAMS, dir=str(directory)))
    assert sorted(os.listdir(str(directory))) == sorted([result['name'] + '.json', result['name'] + '.md'])
    assert json.loads(open(result['json']).read())['created'] == ['a@example.org', 'b@example.org']
    assert stat.S_IMODE(os.stat(result['markdown']).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) & 0o027 == 0
    # The emails are in the files, not echoed back in the result.
    assert 'a@example.org' not in json.dumps(result) and 'users_result' not in result['invocation']['module_args']


def test_a_report_that_cannot_be_written_fails_naming_the_directory(tmp_path):
    (tmp_path / 'file').write_text(u'not a directory')
    with pytest.raises(ReportFailed, match='cannot write the report in .*file/reports'):
        write_report(dict(PARAMS, dir=str(tmp_path / 'file' / 'reports')))
