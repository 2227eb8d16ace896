# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name


@pytest.mark.parametrize('name, expected', [
    (u'张三', (u'张', u'三')),
    (u'欧阳娜娜', (u'欧阳', u'娜娜')),
    (u'司马光', (u'司马', u'光')),
    (u'欧阳', (u'欧', u'阳')),  # a two-character name is surname + given name
    (u'José Müller', (u'Müller', u'José')),
    (u'Mary Ann Smith', (u'Smith', u'Mary Ann')),
    (u'Cher', (u'Cher', u'')),
    (u' 李四 ', (u'李', u'四')),
])
def test_split_name(name, expected):
    assert split_name(name) == expected
