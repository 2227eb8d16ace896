# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roster_export action's options, declared once for the action plugin and its documentation module.

This file imports nothing, so that the module file ships it without the rest of _template.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The names of export.FORMATS (a unit test keeps the two in step).
EXPORT_FORMATS = ('m365', 'google', 'exmail')

ROSTER_EXPORT_ARGUMENT_SPEC = dict(
    src=dict(type='path', required=True),
    dest=dict(type='path', required=True),
    format=dict(type='str', required=True, choices=list(EXPORT_FORMATS)),
    passwords_src=dict(type='path'),
    bom=dict(type='bool', default=False),
)
