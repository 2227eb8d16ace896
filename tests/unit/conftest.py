# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared set-up of the unit tests, for plain pytest and for ``ansible-test units`` alike.

The template tests share helpers that they import by bare name (``from template_helpers import
...``), from their own directory and from others: put that directory on ``sys.path`` once, so the
import works whichever test file pytest (or one of ansible-test's workers) loads first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

HELPERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'plugins', 'module_utils', '_template')

if HELPERS not in sys.path:
    sys.path.insert(0, HELPERS)
