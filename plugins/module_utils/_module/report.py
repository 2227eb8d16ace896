# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provision run's report, as JSON and Markdown, built in Python in one step: a Jinja template
looping over thousands of changed users cost seconds of templating per run. The report action
writes it on the controller, where the provision role's tasks run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os

from ansible_collections.mailops.mailbox.plugins.module_utils._files import atomic_write

ACTIONS = ('created', 'updated', 'disabled', 'deleted')

REPORT_ARGUMENT_SPEC = dict(
    dir=dict(type='path', required=True),
    users_result=dict(type='dict', required=True),
    started=dict(type='str', required=True),
    backup=dict(type='str', required=True),
    domain=dict(type='str'),
    roster=dict(type='str', required=True),
    departments_created=dict(type='list', elements='str', default=[]),
    archives=dict(type='list', elements='str', default=[]),
)


class ReportFailed(Exception):
    """The report could not be written; ``result`` is the task's result all the same."""

    def __init__(self, message, result):
        super(ReportFailed, self).__init__(message)
        self.result = result


def build_report(params, finished):
    """The report's facts: where the run came from and what the users run did (emails and counts only)."""
    users = params['users_result']
    report = dict(started=params['started'], finished=finished, backup=params['backup'], domain=params['domain'],
                  roster=params['roster'], summary=users.get('summary') or {},
                  by_department=users.get('by_department') or {})
    for action in ACTIONS:
        report[action] = list(users.get(action) or [])
    report.update(departments_created=list(params['departments_created'] or []), timings=users.get('timings') or {},
                  archives=list(params['archives'] or []))
    return report


def _cell(value):
    """A Markdown table cell: a name holding | or a line break stays in its cell."""
    return str(value).replace('\\', '\\\\').replace('|', '\\|').replace('\r', ' ').replace('\n', ' ')


def _item(value):
    return str(value).replace('\r', ' ').replace('\n', ' ')


def render_markdown(name, report):
    summary = report['summary']
    lines = [
        '# Mailbox provisioning report %s' % name, '',
        '- Domain: %s' % (report['domain'] or '-'),
        '- Started: %s, finished: %s' % (report['started'], report['finished']),
        '- Backup taken before any change: `%s`' % report['backup'], '',
        '## Summary', '',
        '| created | updated | disabled | deleted | unchanged |',
        '|---:|---:|---:|---:|---:|',
        '| %s |' % ' | '.join(str(summary.get(key, 0)) for key in ACTIONS + ('unchanged',)), '',
        '## Per department', '',
        '| department | created | updated | disabled | deleted |',
        '|---|---:|---:|---:|---:|',
    ]
    departments = sorted(report['by_department'].items())
    lines += ['| %s | %s |' % (_cell(department), ' | '.join(str(counts.get(key, 0)) for key in ACTIONS))
              for department, counts in departments] or ['| (no changes) | 0 | 0 | 0 | 0 |']
    lines += ['', '## Timings (seconds)', '', '| phase | seconds |', '|---|---:|']
    lines += ['| %s | %s |' % (_cell(phase), seconds) for phase, seconds in sorted(report['timings'].items())]
    lines += ['', '## Changed users', '']
    for action in ACTIONS:
        if report[action]:
            lines += ['### %s (%d)' % (action.capitalize(), len(report[action])), '']
            lines += ['- %s' % _item(email) for email in report[action]]
            lines.append('')
    if report['departments_created']:
        lines += ['## Departments created', '']
        lines += ['- %s' % _item(department) for department in report['departments_created']]
        lines.append('')
    if report['archives']:
        lines += ['## Mailboxes archived before deletion', '']
        lines += ['- `%s`' % _item(archive) for archive in report['archives']]
        lines.append('')
    return '\n'.join(lines) + '\n'


def _write(path, text):
    """Write ``text`` to ``path`` atomically, mode 0640."""
    with atomic_write(path, 0o640, '.report-') as output:
        output.write(text)


def write_report(params, check_mode=False):
    """Write the report's two files into ``params['dir']`` (made if missing); the task's result,
    which names the files and never echoes the emails back. ReportFailed when they cannot be written."""
    now = datetime.datetime.now(datetime.timezone.utc)
    name = now.strftime('%Y%m%dT%H%M%SZ')
    directory = params['dir']
    paths = dict(json=os.path.join(directory, name + '.json'), markdown=os.path.join(directory, name + '.md'))
    # The arguments hold up to every email of the run: the result names them instead of echoing them.
    result = dict(changed=not check_mode, name=name, invocation=dict(module_args=dict(
        (key, value) for key, value in params.items() if key not in ('users_result', 'archives', 'departments_created'))),
        **paths)
    if check_mode:
        return result
    report = build_report(params, now.isoformat())
    try:
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o750)
        _write(paths['json'], json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + '\n')
        _write(paths['markdown'], render_markdown(name, report))
    except (IOError, OSError) as exc:
        raise ReportFailed('cannot write the report in %s: %s' % (directory, exc.strerror or exc), result)
    return result
