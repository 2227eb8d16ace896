# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._template import normalise


@pytest.mark.parametrize('raw, clean', [
    (u'\u3000张三\u3000', u'张三'), (u'张\u200b三', u'张三'), (u'\ufeff张三', u'张三'), (u' José   Müller ', u'José Müller'),
    (u'ＡＢＣ１２３', u'ABC123'), (u'Jos\u00e9', u'José'), (u'Jose\u0301', u'José'), (u'a\r\nb', u'a b'),
    (u'\u00a0x\u00a0', u'x'),
])
def test_clean(raw, clean):
    assert normalise.clean(raw) == clean


def test_text_refuses_control_characters_and_long_values():
    assert normalise.text(u'a\x07b') == (None, 'contains a control character')
    assert normalise.text(u'a\x85b') == (u'a b', None)  # NEL is whitespace: folded to a space
    assert normalise.text(u'a\x9bb') == (None, 'contains a control character')
    assert normalise.text(u'x' * 257) == (None, 'is longer than 256 characters')
    assert normalise.text(u'  ') == (None, None)


def test_name_unifies_middle_dots():
    assert normalise.name(u'迪丽热巴・迪力木拉提') == (u'迪丽热巴·迪力木拉提', None)
    assert normalise.name(u'迪丽热巴•迪力木拉提') == (u'迪丽热巴·迪力木拉提', None)


def test_name_drops_the_spaces_that_align_chinese_names():
    assert normalise.name(u'张\u3000伟') == (u'张伟', None)
    assert normalise.name(u'张  三 丰') == (u'张三丰', None)
    assert normalise.name(u'Mary  Ann') == (u'Mary Ann', None)


@pytest.mark.parametrize('raw, value, message', [
    (u' Zhang.San@Example.ORG ', 'zhang.san@example.org', None),
    (u'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ', 'zhang@example.org', None),
    (u'', None, None),
    (u'zhang@@example.org', 'zhang@@example.org', '"zhang@@example.org" is not an email address'),
])
def test_email(raw, value, message):
    assert normalise.email(raw) == (value, message)


@pytest.mark.parametrize('raw, value, approximate', [
    ('13800000000', '13800000000', False),
    ('13800000000.0', '13800000000', False),
    ('1.38E+10', '13800000000', True),
    ('1.3800138E+10', '13800138000', True),
    ('1.38001380001E+10', '13800138000', False),
    ('1E+11', '100000000000', True),
    (u'１３８００００００００', '13800000000', False),
    ('E1001', 'E1001', False),
    ('1e3', '1e3', False),  # not Excel's format: an id like this is kept as typed
    ('', None, False),
])
def test_number_text(raw, value, approximate):
    assert normalise.number_text(raw) == (value, None, approximate)


def test_mobile():
    assert normalise.mobile('+86 138-0013-8000') == ('+86 138-0013-8000', None, False)
    assert normalise.mobile('1.38E+10') == ('13800000000', None, True)
    assert normalise.mobile(u'138 0000 0000 转 8') == (
        None, u'"138 0000 0000 转 8" is not a phone number (digits, spaces, + ( ) . / -)', False)


@pytest.mark.parametrize('raw, state', [
    ('', 'present'), ('present', 'present'), ('Disabled', 'disabled'), ('ABSENT', 'absent'),
    (u'在职', 'present'), (u'停用', 'disabled'), (u'离职', 'absent'), (u' 在职\u3000', 'present'),
])
def test_state(raw, state):
    assert normalise.state(raw) == (state, None)


def test_unknown_state():
    value, message = normalise.state(u'休假')
    assert value is None and message.startswith(u'"休假" is not a state: use one of present, disabled, absent (or 在职')


@pytest.mark.parametrize('raw, path', [
    (u'销售部', [u'销售部']), (u'总部/销售部', [u'总部', u'销售部']), (u'总部 / 销售部 / 华南', [u'总部', u'销售部', u'华南']),
    (u'总部／销售部', [u'总部', u'销售部']),
])
def test_department_path(raw, path):
    assert normalise.department_path(raw) == (path, None)


@pytest.mark.parametrize('raw, message', [
    (u'', 'is empty'), (u'  ', 'is empty'), (u'总部//销售部', u'"总部//销售部" has an empty department between "/"'),
    (u'/销售部', u'"/销售部" has an empty department between "/"'),
])
def test_bad_department_path(raw, message):
    assert normalise.department_path(raw) == (None, message)


def test_aliases():
    assert normalise.aliases(u'sales、HR@example.org, ops;  x@example.org', 'example.org') == (
        ['hr@example.org', 'ops@example.org', 'sales@example.org', 'x@example.org'], [])
    assert normalise.aliases(u'sales，sales', 'example.org') == (['sales@example.org'], [])
    assert normalise.aliases(u'', 'example.org') == ([], [])
    assert normalise.aliases(u'a@@example.org', 'example.org') == (
        [], ['alias "a@@example.org" is not an email address'])


def test_password_is_kept_as_typed():
    assert normalise.password(u' Ｐａｓｓ word1\u200b ') == (u'Ｐａｓｓ word1', None)
    assert normalise.password(u'') == (None, None)
    assert normalise.password(u'a\x00b') == (None, 'contains a control character')
