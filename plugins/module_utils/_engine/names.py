# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Splitting a person's name into family and given names (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Two-character Chinese surnames: without them 欧阳娜娜 would split as 欧 / 阳娜娜.
COMPOUND_SURNAMES = frozenset((
    u'欧阳', u'司马', u'诸葛', u'上官', u'东方', u'皇甫', u'尉迟', u'公孙', u'慕容', u'长孙',
    u'宇文', u'司徒', u'令狐', u'夏侯', u'轩辕', u'端木', u'独孤', u'南宫', u'西门', u'百里',
    u'呼延', u'申屠', u'闻人', u'澹台', u'公羊', u'太史', u'仲孙', u'钟离', u'宗政', u'濮阳',
    u'淳于', u'单于', u'万俟', u'司空', u'赫连', u'拓跋', u'第五', u'梁丘', u'左丘', u'东郭',
    u'亓官', u'乐正', u'公冶', u'段干', u'漆雕', u'壤驷', u'巫马', u'司寇', u'颛孙', u'子车',
    u'羊舌', u'微生', u'公良', u'东门', u'谷梁', u'宰父', u'夹谷', u'南门', u'公西',
))
# Transliterated names (迪丽热巴·迪力木拉提) separate their parts with a middle dot.
NAME_DOTS = u'·•'


def is_cjk(char):
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF or 0xF900 <= code <= 0xFAFF


def is_chinese_name(name):
    stripped = name.strip()
    return bool(stripped) and all(is_cjk(c) or c in NAME_DOTS for c in stripped) and is_cjk(stripped[0])


def split_name(name):
    """Return ``(family, given)``; ``given`` may be empty.

    Chinese names are family-first (compound surnames kept whole); other names, and Chinese
    transliterations with a middle dot, are in written order with the family name last.
    """
    stripped = name.strip()
    dotted = [part for part in re.split(u'[%s]' % NAME_DOTS, stripped) if part]
    if is_chinese_name(stripped) and len(dotted) > 1:
        return dotted[-1], u'\u00b7'.join(dotted[:-1])
    if is_chinese_name(stripped):
        size = 2 if stripped[:2] in COMPOUND_SURNAMES and len(stripped) > 2 else 1
        return stripped[:size], stripped[size:]
    words = stripped.split()
    if len(words) < 2:
        return stripped, u''
    return words[-1], u' '.join(words[:-1])
