# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name
from ansible_collections.mailops.mailbox.plugins.module_utils._template import pinyin
from ansible_collections.mailops.mailbox.plugins.module_utils._template.pinyin import (
    ascii_word, check_email_format, local_part,
)


@pytest.mark.parametrize('name, local', [
    (u'张三', 'zhang.san'), (u'李四', 'li.si'), (u'张三丰', 'zhang.sanfeng'), (u'吕布', 'lv.bu'), (u'张', 'zhang'),
    # surnames read differently from their character's common reading
    (u'曾志伟', 'zeng.zhiwei'), (u'单田芳', 'shan.tianfang'), (u'解晓东', 'xie.xiaodong'), (u'区志强', 'ou.zhiqiang'),
    (u'仇晓燕', 'qiu.xiaoyan'), (u'查良镛', 'zha.liangyong'), (u'朴志勋', 'piao.zhixun'), (u'盖晓明', 'ge.xiaoming'),
    (u'乐嘉', 'yue.jia'), (u'翟天临', 'zhai.tianlin'), (u'覃海洋', 'qin.haiyang'), (u'缪杰', 'miao.jie'),
    # compound surnames, kept whole, with their own readings
    (u'欧阳娜娜', 'ouyang.nana'), (u'司马光', 'sima.guang'), (u'诸葛亮', 'zhuge.liang'), (u'上官婉儿', 'shangguan.waner'),
    (u'尉迟恭', 'yuchi.gong'), (u'万俟雪', 'moqi.xue'), (u'长孙无忌', 'zhangsun.wuji'), (u'澹台灭明', 'tantai.mieming'),
    (u'东方不败', 'dongfang.bubai'), (u'令狐冲', 'linghu.chong'),
    (u'欧阳', 'ou.yang'),  # two characters: surname 欧 and given name 阳
    # surname readings apply to the surname only: 单 in a given name is dan
    (u'张单', 'zhang.dan'), (u'单单', 'shan.dan'),
    # transliterations with a middle dot are in written order
    (u'迪丽热巴·迪力木拉提', 'dilireba.dilimulati'),
    # Latin names: written order, folded to ASCII
    (u'José Müller', 'jose.muller'), (u'Mary Ann Smith', 'mary.ann.smith'), (u"Seán O'Brien", 'sean.obrien'),
    (u'Jean-Luc Picard', 'jean-luc.picard'), (u'Søren Kierkegaard', 'soren.kierkegaard'), (u'Łukasz Żak', 'lukasz.zak'),
    (u'Straße', 'strasse'), (u'Cher', 'cher'), (u'François Œuvre', 'francois.oeuvre'),
])
def test_auto_format(name, local):
    assert local_part(name) == (local, None)


@pytest.mark.parametrize('email_format, zhang_san, ouyang, jose', [
    ('{family}.{given}', 'zhang.san', 'ouyang.nana', 'muller.jose'),
    ('{family}{given}', 'zhangsan', 'ouyangnana', 'mullerjose'),
    ('{given_initial}{family}', 'szhang', 'nouyang', 'jmuller'),
    ('{given}.{family}', 'san.zhang', 'nana.ouyang', 'jose.muller'),
    ('{family}{given_initials}', 'zhangs', 'ouyangnn', 'mullerj'),
    ('{family_initial}{given}', 'zsan', 'onana', 'mjose'),
    ('mail.{family}_{given}', 'mail.zhang_san', 'mail.ouyang_nana', 'mail.muller_jose'),
])
def test_formats(email_format, zhang_san, ouyang, jose):
    check_email_format(email_format)
    names = (u'张三', u'欧阳娜娜', u'José Müller')
    assert [local_part(name, email_format)[0] for name in names] == [zhang_san, ouyang, jose]


def test_a_missing_given_name_leaves_no_stray_separator():
    assert local_part(u'Cher', '{given}.{family}') == ('cher', None)
    assert local_part(u'张', '{family}.{given}') == ('zhang', None)


@pytest.mark.parametrize('email_format', ['{surname}', '{family!r}', '{family:>3}', 'Zhang{given}', '{family}@x',
                                          'static', '{family', u'{family}。{given}'])
def test_bad_formats(email_format):
    with pytest.raises(ValueError):
        check_email_format(email_format)


@pytest.mark.parametrize('name, message', [
    (u'Ольга Петрова', u'cannot be written in ASCII ("Ольга"): fill in the email'),
    (u'やまだ たろう', u'cannot be written in ASCII ("やまだ"): fill in the email'),
    (u"''", 'has no letters to make an address from: fill in the email'),
])
def test_names_without_an_address(name, message):
    assert local_part(name) == (None, message)


@pytest.mark.parametrize('word, folded', [(u'Müller', 'muller'), (u'Ærø', 'aero'), (u'-x-', 'x'), (u'Ольга', None),
                                          (u'A&B', None), (u'J.', 'j')])
def test_ascii_word(word, folded):
    assert ascii_word(word) == folded


@pytest.mark.parametrize('name, parts', [
    (u'迪丽热巴·迪力木拉提', (u'迪力木拉提', u'迪丽热巴')),
    (u'阿卜杜·热合曼·买买提', (u'买买提', u'阿卜杜·热合曼')),
    (u'约翰•史密斯', (u'史密斯', u'约翰')),
    (u'尉迟恭', (u'尉迟', u'恭')), (u'公西华', (u'公西', u'华')),  # a compound surname added with this module
])
def test_split_name_of_transliterations_and_compounds(name, parts):
    assert split_name(name) == parts


def test_a_remembered_reading_is_a_copy_and_new_phrases_forget_them():
    reader = pinyin._Pypinyin.get()
    pinyin.prepare([u'张子轩'])
    first = pinyin._pinyin(u'子轩')
    first.append(u'changed')
    assert pinyin._pinyin(u'子轩') == [u'zi', u'xuan']
    assert u'子轩' in reader.readings
    unseen = next(name for name in (u'长孙无忌%s' % given for given in u'甲乙丙丁戊己庚辛壬癸') if name not in reader.read)
    pinyin.prepare([unseen])  # a name not seen yet: phrases may be loaded, what was read is read again
    assert reader.readings == {}
    assert pinyin._pinyin(u'子轩') == [u'zi', u'xuan']
