# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the text of one template cell into the roster's value (pure).

Every function takes the cell's text as read and returns ``(value, message)``: the normalised
value, or None with a message saying what is wrong (the caller adds the row and the column).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import STATES
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import is_chinese_name
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import (
    MAX_TEXT, PHONE_RE, character_problem, email_problem,
)

# Characters that copy-paste from chat tools and web pages leaves in cells, invisible in Excel.
_INVISIBLE_RE = re.compile(u'[\u200b-\u200d\u2060\ufeff\u00ad]')
_WHITESPACE_RE = re.compile(r'\s+')
# C1 controls: character_problem covers C0 only; YAML refuses most of these in a file.
_C1_RE = re.compile(u'[\x80-\x9f]')
# Excel writes a large number in a "General" cell as 1.38E+10 when it saves a CSV, and tools
# that went through a float write 13800000000.0.
_EXCEL_SCIENTIFIC_RE = re.compile(r'^([0-9])(?:\.([0-9]+))?E\+([0-9]{2})\Z', re.IGNORECASE)
_FLOAT_INTEGER_RE = re.compile(r'^([0-9]+)\.0+\Z')
# The middle dots people type between the parts of a transliterated name (迪丽热巴·迪力木拉提).
_NAME_DOTS_RE = re.compile(u'[\u2022\u2027\u30fb\u2219\u22c5]')
_ALIAS_SEPARATORS_RE = re.compile(u'[,;\u3001\\s]+')

STATE_WORDS = {
    'present': 'present', u'在职': 'present', u'正常': 'present', u'启用': 'present', 'active': 'present',
    'enabled': 'present',
    'disabled': 'disabled', u'停用': 'disabled', u'禁用': 'disabled', u'冻结': 'disabled',
    'absent': 'absent', u'离职': 'absent', u'删除': 'absent',
}
PATH_SEPARATOR = '/'


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"); exports put a quote
# before such a cell, and reading one back drops that quote again.
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def clean(text):
    """NFKC (full-width letters and digits, U+3000), no invisible characters, single spaces, trimmed,
    and without the quote that a safe export puts before a formula-like cell ('+86...)."""
    text = unicodedata.normalize('NFKC', text)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    text = _INVISIBLE_RE.sub('', text)
    return _WHITESPACE_RE.sub(' ', text).strip()


def _character_problem(value):
    return character_problem(value) or (_C1_RE.search(value) and 'contains a control character') or None


def _checked(value):
    message = _character_problem(value)
    if message:
        return None, message
    if len(value) > MAX_TEXT:
        return None, 'is longer than %d characters' % MAX_TEXT
    return value, None


def text(raw):
    """A free-text cell (name, title): None when blank."""
    value = clean(raw)
    if not value:
        return None, None
    return _checked(value)


def name(raw):
    """A person's name; the spaces that align a Chinese name in a table (张　伟) go."""
    value, message = text(raw)
    if value is not None:
        value = _NAME_DOTS_RE.sub(u'\u00b7', value)
        if is_chinese_name(value.replace(' ', '')):
            value = value.replace(' ', '')
    return value, message


def email(raw):
    """A lower-cased email address, or None when blank (the address is generated then)."""
    value = clean(raw).lower()
    if not value:
        return None, None
    return value, email_problem(value)


def number_text(raw):
    """An identifier typed as digits (mobile, employee id) that Excel may have turned into a number.

    Returns ``(value, message, approximate)``: ``approximate`` is True when Excel's scientific
    display was expanded and may have rounded digits away.
    """
    value = clean(raw)
    if not value:
        return None, None, False
    match = _FLOAT_INTEGER_RE.match(value)
    if match:
        return match.group(1), None, False
    match = _EXCEL_SCIENTIFIC_RE.match(value)
    if match:
        try:
            digits = '%d' % Decimal(value)
        except InvalidOperation:  # the pattern only lets numbers through; be safe anyway
            return None, '"%s" is not a number' % value, False
        significant = 1 + len(match.group(2) or '')
        return digits, None, significant < len(digits)
    checked, message = _checked(value)
    return checked, message, False


def mobile(raw):
    value, message, approximate = number_text(raw)
    if value is not None and not PHONE_RE.match(value):
        return None, '"%s" is not a phone number (digits, spaces, + ( ) . / -)' % value, False
    return value, message, approximate


def state(raw):
    value = clean(raw)
    if not value:
        return 'present', None
    found = STATE_WORDS.get(value.lower())
    if found is None:
        return None, '"%s" is not a state: use one of %s (or %s)' % (
            value, ', '.join(STATES), u', '.join(w for w in STATE_WORDS if not w.isascii()))
    return found, None


def department_path(raw):
    """``总部/销售部`` -> ``['总部', '销售部']``: the user's department is the last one."""
    value = clean(raw)
    if not value:
        return None, 'is empty'
    parts = [part.strip() for part in value.split(PATH_SEPARATOR)]
    if not all(parts):
        return None, '"%s" has an empty department between "/"' % value
    for part in parts:
        if _checked(part)[1]:
            return None, '"%s": %s' % (part, _checked(part)[1])
    return parts, None


def aliases(raw, domain):
    """Split on commas, 、, semicolons or spaces; a bare local part gets ``@domain``."""
    value = clean(raw)
    if not value:
        return [], []
    found, messages = [], []
    for part in _ALIAS_SEPARATORS_RE.split(value.lower()):
        if not part:
            continue
        if '@' not in part and domain:
            part = '%s@%s' % (part, domain)
        message = email_problem(part)
        if message:
            messages.append('alias %s' % message)
        elif part not in found:
            found.append(part)
    return sorted(found), messages


def password(raw):
    """An initial password as typed: only the invisible characters and the padding of the cell go.

    No NFKC here: a password is what its owner will type, and NFKC would change some of them.
    """
    value = _INVISIBLE_RE.sub('', raw).strip()
    if not value:
        return None, None
    message = _character_problem(value)
    if message:
        return None, message
    return value, None
