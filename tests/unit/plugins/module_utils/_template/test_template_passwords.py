# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REDACTED, Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._template.passwords import (
    DEFAULT_POLICY, PasswordChoice, check_policy, generate, policy_problem,
)


def test_defaults():
    assert check_policy(None) == DEFAULT_POLICY
    assert check_policy({'min_length': None, 'symbol': True})['symbol'] is True


@pytest.mark.parametrize('policy, message', [
    ({'min_length': 0}, 'min_length must be 1 or more'),
    ({'min_length': 20}, 'generated_length (16) is shorter than min_length (20)'),
    ({'colour': True}, 'unknown key colour'),
])
def test_bad_policies(policy, message):
    with pytest.raises(ValueError) as error:
        check_policy(policy)
    assert message in str(error.value)


@pytest.mark.parametrize('password, problem', [
    ('Correct-Horse-7', None),
    ('short1a', 'is below the password policy: shorter than 12 characters, no upper-case letter'),
    ('alllowercaseletters', 'is below the password policy: no upper-case letter, no digit'),
    (u'密码很长但是没有字母和数字的', 'is below the password policy: no lower-case letter, no upper-case letter, no digit'),
    (u'Ünïcödé-Pass-1', None),
])
def test_policy_problem(password, problem):
    assert policy_problem(password, check_policy(None)) == problem


def test_symbol_class():
    policy = check_policy({'symbol': True})
    assert policy_problem('NoSymbolsHere123', policy) == 'is below the password policy: no symbol'
    assert policy_problem(u'Symbol。Here123', policy) is None  # any non-alphanumeric counts


def test_problem_never_repeats_the_password():
    password = 'secretpassword'
    assert password not in policy_problem(password, check_policy(None))


@pytest.mark.parametrize('policy', [None, {'symbol': True}, {'upper': False, 'digit': False, 'min_length': 8,
                                                             'generated_length': 8},
                                    {'min_length': 24, 'generated_length': 30}])
def test_generated_passwords_meet_their_policy(policy):
    policy = check_policy(policy)
    for dummy in range(200):
        password = generate(policy)
        assert isinstance(password, Secret)
        assert len(password.reveal()) == policy['generated_length']
        assert policy_problem(password.reveal(), policy) is None
        assert not set('lIO01') & set(password.reveal())


def test_generation_uses_the_given_randomness():
    policy = check_policy(None)
    assert generate(policy, random.Random(7)).reveal() == generate(policy, random.Random(7)).reveal()
    assert generate(policy).reveal() != generate(policy).reveal()


def test_choice_prefers_template_then_existing_then_new():
    policy = check_policy(None)
    choice = PasswordChoice()
    choice.choose('a@x.org', Secret('From-Template-1'), Secret('Old-Password-1'), policy)
    choice.choose('b@x.org', None, Secret('Old-Password-2'), policy)
    choice.choose('c@x.org', None, None, policy)
    choice.choose('d@x.org', Secret('Same-Password-4'), Secret('Same-Password-4'), policy)
    assert choice.passwords['a@x.org'].reveal() == 'From-Template-1'
    assert choice.passwords['b@x.org'].reveal() == 'Old-Password-2'
    assert policy_problem(choice.passwords['c@x.org'].reveal(), policy) is None
    assert choice.new == ['a@x.org', 'c@x.org']


def test_random_bytes_come_from_the_os_in_blocks_and_are_used_once():
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.passwords import RandomBytes
    source = RandomBytes(block=100)
    taken = [source.randbytes(30) for dummy in range(10)]
    assert all(len(chunk) == 30 for chunk in taken) and len(set(taken)) == 10
    assert len(source.randbytes(500)) == 500


def test_generated_characters_are_uniform():
    policy = check_policy(dict(symbol=True, generated_length=64, min_length=12))
    counts = {}
    for dummy in range(500):
        for char in generate(policy).reveal():
            counts[char] = counts.get(char, 0) + 1
    pool = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%+-=@_'
    assert set(counts) == set(pool)
    expected = 500 * 64 / float(len(pool))
    assert all(expected * 0.75 < count < expected * 1.25 for count in counts.values()), counts


def test_a_run_gives_every_user_another_password():
    policy = check_policy(None)
    choice = PasswordChoice()
    for number in range(2000):
        choice.choose('u%d@example.org' % number, None, None, policy)
    assert len(set(secret.reveal() for secret in choice.passwords.values())) == 2000


def test_a_new_password_is_drawn_once_when_first_revealed():
    policy = check_policy(None)
    choice = PasswordChoice()
    choice.choose('a@x.org', None, None, policy)
    choice.choose('b@x.org', None, None, policy)
    drawn = choice.passwords['a@x.org']
    assert drawn._value is None  # nothing drawn while the roster is built
    assert drawn and repr(drawn) == 'Secret(%s)' % REDACTED and '%s' % drawn == repr(drawn)
    first = drawn.reveal()
    assert policy_problem(first, policy) is None and len(first) == policy['generated_length']
    assert drawn.reveal() == first == drawn.reveal()
    assert choice.passwords['b@x.org'].reveal() != first
    assert choice.new == ['a@x.org', 'b@x.org']
