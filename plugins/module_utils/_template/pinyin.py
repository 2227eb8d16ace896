# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local parts of email addresses made from people's names (pure).

Chinese names become pinyin with pypinyin, surname first, with the readings a surname has that
its character does not have elsewhere (曾 is ceng in 曾经 but Zeng as a surname). Other names
are folded to ASCII (José Müller -> jose.muller).

pypinyin is imported the first time a Chinese name needs an address, and without its phrase
dictionary: that dictionary is 43 MB in memory, most of a generation's fixed cost, and a name uses
a handful of its 47,000 phrases. ``prepare(names)`` loads the phrases that occur in the names
(``pypinyin.load_phrases_dict``) and which of the names' pieces begin a phrase, so pypinyin reads
each name exactly as with its whole dictionary (tests compare the two on many names).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import io
import json
import os
import re
import string
import traceback
import unicodedata

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import (
    NAME_DOTS, is_chinese_name, split_name,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import AUTO
from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary

# Surnames read differently from their character's most common reading, which pypinyin gives.
SURNAME_READINGS = {
    u'曾': 'zeng', u'单': 'shan', u'解': 'xie', u'区': 'ou', u'仇': 'qiu', u'查': 'zha', u'朴': 'piao',
    u'盖': 'ge', u'乐': 'yue', u'覃': 'qin', u'缪': 'miao', u'翟': 'zhai', u'召': 'shao', u'员': 'yun',
    u'繁': 'po', u'种': 'chong', u'秘': 'bi', u'都': 'du', u'阚': 'kan', u'句': 'gou', u'重': 'chong',
    u'长': 'chang', u'藏': 'zang', u'黑': 'he', u'折': 'she', u'能': 'nai', u'隗': 'wei', u'薄': 'bo',
    u'蕃': 'pi', u'祭': 'zhai', u'佴': 'nai', u'卜': 'bu', u'尉': 'wei', u'柏': 'bai', u'车': 'che',
    u'尉迟': 'yuchi', u'万俟': 'moqi', u'单于': 'chanyu', u'长孙': 'zhangsun', u'澹台': 'tantai',
    u'乐正': 'yuezheng', u'亓官': 'qiguan', u'令狐': 'linghu', u'皇甫': 'huangfu',
}
# Letters NFKD does not decompose into an ASCII letter plus accents.
_ASCII_LETTERS = {
    u'ß': 'ss', u'æ': 'ae', u'ø': 'o', u'đ': 'd', u'ł': 'l', u'œ': 'oe', u'þ': 'th', u'ð': 'd', u'ı': 'i',
    u'ŋ': 'n', u'ĸ': 'k',
}
# Dropped from a name's words rather than refused: O'Brien -> obrien, J. R. R. -> j r r.
_DROPPED_RE = re.compile(u"['\u2019\u2018`.]")
_WORD_RE = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*\Z')
_LITERAL_RE = re.compile(r'^[a-z0-9._-]*\Z')
_REPEATED_DOTS_RE = re.compile(r'\.{2,}')

PLACEHOLDERS = ('family', 'given', 'family_initial', 'given_initial', 'given_initials')
_CHINESE_AUTO = '{family}.{given}'


def check_email_format(email_format):
    """Raise ValueError unless ``email_format`` is ``auto`` or a template of PLACEHOLDERS."""
    if email_format == AUTO:
        return
    try:
        fields = list(string.Formatter().parse(email_format))
    except ValueError as exc:
        raise ValueError('email_format: "%s" is not a format (%s)' % (email_format, exc))
    names = set()
    for literal, field, spec, conversion in fields:
        if not _LITERAL_RE.match(literal):
            raise ValueError('email_format: "%s" may only add a-z, 0-9, ".", "_" and "-" around the placeholders'
                             % email_format)
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            raise ValueError('email_format: "{%s}" is not a placeholder; use %s'
                             % (field, ', '.join('{%s}' % p for p in PLACEHOLDERS)))
        names.add(field)
    if not names & set(('family', 'given')):
        raise ValueError('email_format: "%s" needs {family} or {given}' % email_format)


class NameParts:
    """A name as lists of ASCII words: ``family`` and ``given`` (pinyin syllables or Latin words)."""

    def __init__(self, family, given, chinese, written):
        self.family = family
        self.given = given
        self.chinese = chinese
        self.written = written

    def values(self):
        return dict(
            family=''.join(self.family),
            given=''.join(self.given),
            family_initial=self.family[0][0] if self.family else '',
            given_initial=self.given[0][0] if self.given else '',
            given_initials=''.join(word[0] for word in self.given),
        )


def prepare(names):
    """Make ready to read ``names`` (their Chinese ones): one pass over pypinyin's phrases for the lot."""
    chinese = [name for name in names if is_chinese_name(name)]
    if chinese:
        _Pypinyin.get().prepare(chinese)


def _pinyin(chars):
    """Pinyin of ``chars``, a piece of a name ``prepare`` has seen."""
    return _Pypinyin.get().lazy_pinyin(chars)


class _Pypinyin:
    """pypinyin, imported when first needed, its phrases loaded as names need them."""

    _instance = None
    # Documented by pypinyin to save memory: no phrases loaded at import, no copies of its dictionaries.
    _LEAN_ENVIRONMENT = dict(PYPINYIN_NO_PHRASES='1', PYPINYIN_NO_DICT_COPY='1')

    @classmethod
    def get(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        saved = dict((key, os.environ.get(key)) for key in self._LEAN_ENVIRONMENT)
        os.environ.update(self._LEAN_ENVIRONMENT)  # only read if this import is pypinyin's first
        try:
            import pypinyin
            from pypinyin.constants import PHRASES_DICT
            from pypinyin.seg import mmseg
        except ImportError:
            raise MissingLibrary('pypinyin', traceback.format_exc())
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        self.module, self.loaded, self.segmenter = pypinyin, PHRASES_DICT, mmseg.seg
        self.phrases_file = os.path.join(os.path.dirname(pypinyin.__file__), 'phrases_dict.json')
        self.read = set()  # the names prepare has seen
        # The reading of each piece of a name asked for since prepare last loaded phrases: given names
        # and surnames repeat far more than whole names (a 100,000-row template: 2,600 pieces for 51,000
        # readings), and pypinyin takes about 0.1 ms a reading.
        self.readings = {}

    def lazy_pinyin(self, chars):
        found = self.readings.get(chars)
        if found is None:
            found = self.module.lazy_pinyin(chars, style=self.module.Style.NORMAL,
                                            errors=lambda unknown: [u'?'] * len(unknown))
            if len(self.readings) < _REMEMBERED_READINGS:
                self.readings[chars] = found
        return list(found)

    def prepare(self, names):
        names = [name for name in set(names) if name not in self.read]
        if not names:
            return
        # New phrases or segments may read a piece otherwise: what was read before is forgotten.
        self.readings = {}
        if not os.path.exists(self.phrases_file):  # a pypinyin that keeps its phrases elsewhere: load all
            from pypinyin import phrases_dict
            if len(self.loaded) < len(phrases_dict.phrases_dict):
                self.module.load_phrases_dict(phrases_dict.phrases_dict)
            self.read.update(names)
            return
        with io.open(self.phrases_file, encoding='utf-8') as handle:
            text = handle.read()
        # Only a phrase that begins with a character of these names can begin a piece of one: the
        # others (most of the 47,000) are never indexed (8 MB less while many rows are in memory).
        # The file's first phrase is, for the one pypinyin needs (below).
        starts = set(''.join(names)) | set('\\')
        matches = _JSON_KEY_RE.finditer(text)
        first = next(matches)
        where = {json.loads(first.group(1)): first.end()}
        where.update((json.loads(match.group(1)), match.end()) for match in matches
                     if text[match.start() + 1] in starts)
        keys = sorted(where)
        longest = max(len(key) for key in keys)
        # Segmentation asks whether a piece of a name begins some phrase: it learns the answer
        # for the pieces of these names (the whole dictionary's 87,000 prefixes are 7 MB).
        begins = set()
        wanted = set()
        for name in names:
            for piece in _pieces(name, longest):
                if piece in begins:
                    continue
                at = bisect.bisect_left(keys, piece)
                if at < len(keys) and keys[at].startswith(piece):
                    begins.add(piece)
                    if piece in where and piece not in self.loaded:
                        wanted.add(piece)
        self.segmenter.train(begins)
        if not self.loaded:
            # pypinyin segments nothing while it has no phrase at all: give it one.
            wanted.add(json.loads(first.group(1)))
        decoder = json.JSONDecoder()
        phrases = dict((key, decoder.raw_decode(text, _skip_space(text, where[key]))[0]) for key in wanted)
        if phrases:
            self.module.load_phrases_dict(phrases)
        self.read.update(names)


# How many readings of name pieces are remembered (a few MB at most).
_REMEMBERED_READINGS = 20000
# A key of a JSON object: a string followed by a colon (a string in a list is followed by , or ]).
_JSON_KEY_RE = re.compile(r'("(?:[^"\\]|\\.)*")\s*:')
_SPACE_RE = re.compile(r'\s*')


def _skip_space(text, index):
    return _SPACE_RE.match(text, index).end()


def _pieces(name, longest):
    """Every run of up to ``longest`` characters in ``name``."""
    for start in range(len(name)):
        for end in range(start + 1, min(len(name), start + longest) + 1):
            yield name[start:end]


def _surname(family):
    if family in SURNAME_READINGS:
        return [SURNAME_READINGS[family]]
    # A compound surname is read as a phrase: pypinyin knows many of them (呼延 huyan).
    return _pinyin(family)


def ascii_word(word):
    """``Müller`` -> ``muller``; None when the word has letters with no ASCII form (Ольга)."""
    word = _DROPPED_RE.sub('', word)
    folded = ''.join(_ASCII_LETTERS.get(c, c) for c in unicodedata.normalize('NFKD', word.lower())
                     if not unicodedata.combining(c))
    folded = folded.strip('-')
    if not folded:
        return ''
    return folded if _WORD_RE.match(folded) else None


def _chinese_parts(name):
    family, given = split_name(name)
    if any(dot in name for dot in NAME_DOTS):
        # A transliteration (迪丽热巴·迪力木拉提): written order, each part one word.
        written = [''.join(_pinyin(part)) for part in given.split(u'\u00b7') + [family]]
        return NameParts(written[-1:], [''.join(written[:-1])], chinese=False, written=written)
    family_words = _surname(family)
    given_words = _pinyin(given) if given else []
    return NameParts(family_words, given_words, chinese=True, written=family_words + given_words)


def _latin_parts(name):
    words = [(word, ascii_word(word)) for word in name.split()]
    refused = [word for word, folded in words if folded is None]
    if refused:
        return None, 'cannot be written in ASCII ("%s"): fill in the email' % refused[0]
    written = [folded for _word, folded in words if folded]
    if not written:
        return None, 'has no letters to make an address from: fill in the email'
    return NameParts(written[-1:], written[:-1], chinese=False, written=written), None


def name_parts(name):
    """Return ``(NameParts, None)`` or ``(None, message)`` when no address can come from ``name``."""
    if not is_chinese_name(name):
        return _latin_parts(name)
    _Pypinyin.get().prepare((name,))  # nothing to do when the name was in a prepared batch
    parts = _chinese_parts(name)
    if not all(_WORD_RE.match(word) for word in parts.written):
        return None, 'has characters pypinyin cannot read: fill in the email'
    return parts, None


def local_part(name, email_format=AUTO):
    """The local part made from ``name`` with ``email_format``: ``(local, None)`` or ``(None, message)``."""
    parts, message = name_parts(name)
    if parts is None:
        return None, message
    if email_format != AUTO:
        local = email_format.format(**parts.values())
    elif parts.chinese:
        local = _CHINESE_AUTO.format(**parts.values())
    else:
        local = '.'.join(parts.written)
    local = _REPEATED_DOTS_RE.sub('.', local).strip('._-')
    if not local:
        return None, 'gives an empty address with email_format "%s": fill in the email' % email_format
    return local, None
