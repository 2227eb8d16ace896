# -*- coding: utf-8 -*-
"""pypinyin without its whole phrase dictionary reads names exactly as with it.

Each side runs in a fresh interpreter: in this one, pypinyin may already be imported either way.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import random
import subprocess
import sys

import pytest

pypinyin = pytest.importorskip('pypinyin')

PHRASES_FILE = os.path.join(os.path.dirname(pypinyin.__file__), 'phrases_dict.json')

LEAN = '''
import json, sys
from ansible_collections.mailops.mailbox.plugins.module_utils._template import pinyin
names = json.load(sys.stdin)
assert 'pypinyin' not in sys.modules  # importing the module does not load pypinyin
pinyin.prepare(names[:len(names) // 2])  # in two batches, as two templates in one process would be
read = [pinyin._pinyin(name) for name in names[:len(names) // 2]]
pinyin.prepare(names[len(names) // 2:])
read += [pinyin._pinyin(name) for name in names[len(names) // 2:]]
# Read again (remembered readings), the first batch after the second one's phrases came in.
again = [pinyin._pinyin(name) for name in names]
from pypinyin.constants import PHRASES_DICT
print(json.dumps(dict(read=read, again=again, phrases=len(PHRASES_DICT))))
'''
FULL = '''
import json, sys
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
read = [lazy_pinyin(name, style=Style.NORMAL, errors=lambda unknown: ['?'] * len(unknown)) for name in json.load(sys.stdin)]
print(json.dumps(dict(read=read, phrases=len(PHRASES_DICT))))
'''


def run(code, names, **environment):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path), **environment)
    for key in ('PYPINYIN_NO_PHRASES', 'PYPINYIN_NO_DICT_COPY'):
        if key not in environment:
            env.pop(key, None)
    done = subprocess.run([sys.executable, '-c', code], input=json.dumps(names), capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def names_around_phrases(count, seed=14):
    """Names made of phrases' pieces with other characters around them: where segmentation matters."""
    with open(PHRASES_FILE, encoding='utf-8') as handle:
        phrases = sorted(json.load(handle))
    characters = sorted(set(''.join(phrases)))
    rng = random.Random(seed)
    names = set([u'张三', u'王朝阳', u'欧阳娜娜', u'乐音乐', u'重庆', u'长孙无忌'])
    while len(names) < count:
        phrase = rng.choice(phrases)
        piece = phrase[rng.randrange(len(phrase)):] if rng.random() < 0.5 else phrase[:rng.randrange(1, len(phrase) + 1)]
        names.add(rng.choice(characters) + piece + ''.join(rng.choice(characters) for dummy in range(rng.randrange(2))))
    return sorted(names)


@pytest.mark.skipif(not os.path.exists(PHRASES_FILE), reason='this pypinyin keeps its phrases in another form')
def test_the_lean_dictionary_reads_names_as_the_whole_one():
    names = names_around_phrases(4000)
    lean, full = run(LEAN, names), run(FULL, names)
    assert full['phrases'] > 40000
    assert lean['phrases'] < full['phrases'] // 5  # the point: most phrases are never loaded
    differ = [(name, a, b) for name, a, b in zip(names, lean['read'], full['read']) if a != b]
    assert not differ, differ[:10]
    assert lean['again'] == full['read']


def test_a_user_setting_of_no_phrases_does_not_change_the_addresses():
    names = [u'王朝阳', u'乐音乐']
    lean = run(LEAN, names, PYPINYIN_NO_PHRASES='1')
    assert lean['read'] == run(FULL, names)['read']
