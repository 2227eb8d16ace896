# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the roster and the initial passwords straight from their files.

A roster of thousands passed through Ansible variables costs seconds of templating (and far more
when it is loaded from YAML with ``-e @roster.yml``); read here with libyaml it costs a fraction.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

YAML_IMPORT_ERROR = None
try:
    import yaml
    SafeLoader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
except ImportError:
    YAML_IMPORT_ERROR = traceback.format_exc()

ROSTER_VAR = 'mailbox_roster'
PASSWORDS_VAR = 'mailbox_initial_passwords'


def read_roster_file(path):
    """The roster dict (``domain``, ``departments``, ``users``) of a roster vars file; ValueError if it is not one."""
    try:
        with open(path, 'rb') as handle:
            data = yaml.load(handle, Loader=SafeLoader)
    except (IOError, OSError) as exc:
        raise ValueError('roster_file %s cannot be read: %s' % (path, exc.strerror or exc))
    except yaml.YAMLError as exc:
        raise ValueError('roster_file %s is not valid YAML: %s' % (path, exc))
    if isinstance(data, dict) and isinstance(data.get(ROSTER_VAR), dict):
        data = data[ROSTER_VAR]
    if not isinstance(data, dict) or not isinstance(data.get('users', []), list):
        raise ValueError('roster_file %s is not a roster: it needs %s.users, a list of users' % (path, ROSTER_VAR))
    return data


def parse_passwords_text(text):
    """``{email: password}`` from the text of a passwords vars file. Errors never quote the text."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        raise ValueError('passwords_text is not valid YAML%s' % (' (line %d)' % (mark.line + 1) if mark else ''))
    if isinstance(data, dict) and PASSWORDS_VAR in data:
        data = data[PASSWORDS_VAR]
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError('passwords_text must hold %s, a mapping of emails to passwords' % PASSWORDS_VAR)
    return data
