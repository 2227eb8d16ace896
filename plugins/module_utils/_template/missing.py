# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The error for a Python library a template, roster or vault file needs but that is not installed.

On its own so that what only writes or reads rosters (the snapshot, users and department modules)
does not import the template readers, and with them openpyxl, just to name this error."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class MissingLibrary(Exception):
    """A Python library this template needs is not installed on the controller."""

    def __init__(self, library, import_error):
        self.library = library
        self.import_error = import_error
        super(MissingLibrary, self).__init__('the Python library %s is required to read this template' % library)
