# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roster action's options, declared once for the action plugin and its documentation module.

This file imports nothing: the module file, which only says it must run as an action, ships it
without the rest of _template. The logic modules take their choices and defaults from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

AUTO = 'auto'
LEAVERS = ('disable', 'absent', 'keep')
EXTRA_COLUMNS = ('error', 'ignore')
# auto: told by the header row; generic: the collection's own template only; else a vendor's file
# (the names of _template/sources.py, which a unit test keeps in step with this list).
SOURCES = (AUTO, 'generic', 'm365', 'google', 'exmail', 'wecom', 'dingtalk', 'feishu')
# A template longer than this is refused while it is read (a million rows would take minutes and
# gigabytes before any check); the max_rows option raises it.
DEFAULT_MAX_ROWS = 200000
# The most items of each list the task returns (generated addresses, collisions, leavers, new
# passwords): the roster file has them all, and a result of 100,000 items is slow to hand around.
DEFAULT_LIST_LIMIT = 10000
DEFAULT_POLICY = dict(min_length=12, lower=True, upper=True, digit=True, symbol=False, generated_length=16)

PASSWORD_POLICY_SPEC = dict(
    min_length=dict(type='int', default=DEFAULT_POLICY['min_length']),
    lower=dict(type='bool', default=DEFAULT_POLICY['lower']),
    upper=dict(type='bool', default=DEFAULT_POLICY['upper']),
    digit=dict(type='bool', default=DEFAULT_POLICY['digit']),
    symbol=dict(type='bool', default=DEFAULT_POLICY['symbol']),
    generated_length=dict(type='int', default=DEFAULT_POLICY['generated_length']),
)

ROSTER_ARGUMENT_SPEC = dict(
    src=dict(type='path', required=True),
    dest=dict(type='path', required=True),
    passwords_dest=dict(type='path', required=True),
    domain=dict(type='str', required=True),
    email_format=dict(type='str', default=AUTO),
    previous=dict(type='path'),
    leavers=dict(type='str', default='disable', choices=list(LEAVERS)),
    sheet=dict(type='str'),
    encoding=dict(type='str'),
    delimiter=dict(type='str'),
    # Rules about passwords, not a password: no_log=False says so to Ansible's name-based guess.
    password_policy=dict(type='dict', options=PASSWORD_POLICY_SPEC, apply_defaults=True, no_log=False),
    extra_columns=dict(type='str', default='error', choices=list(EXTRA_COLUMNS)),
    departments=dict(type='list', elements='raw'),
    source=dict(type='str', default=AUTO, choices=list(SOURCES)),
    vault_id=dict(type='str'),
    max_rows=dict(type='int', default=DEFAULT_MAX_ROWS),
    list_limit=dict(type='int', default=DEFAULT_LIST_LIMIT),
)
