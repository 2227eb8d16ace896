# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.passwords import PasswordHasher


def test_default_is_crypt_sha512_with_5000_rounds():
    hashed = PasswordHasher().hash(Secret('pw'))
    assert hashed.startswith('{CRYPT}$6$') and 'rounds=' not in hashed  # 5000 is crypt's implicit default


def test_rounds_and_scheme_are_options():
    assert PasswordHasher('sha256_crypt', 10000).hash(Secret('pw')).startswith('{CRYPT}$5$rounds=10000$')
    with pytest.raises(ValueError):
        PasswordHasher('md5')


def test_matches():
    hasher = PasswordHasher()
    stored = Secret(hasher.hash(Secret('right')))
    assert hasher.matches(Secret('right'), stored)
    assert not hasher.matches(Secret('wrong'), stored)
    assert not hasher.matches(Secret('right'), None)
    assert not hasher.matches(Secret('right'), Secret('{CRYPT}$6$broken'))
    assert not hasher.matches(Secret('right'), Secret('plain-text'))
    ssha = Secret('{SSHA}' + 'nope')
    assert not hasher.matches(Secret('right'), ssha)


def test_hash_stream_in_worker_processes_keeps_order():
    hasher = PasswordHasher()
    secrets = [Secret('pw-%d' % i) for i in range(40)]  # above the pool threshold
    hashes = list(hasher.hash_stream(secrets))
    assert len(hashes) == 40 and len(set(hashes)) == 40
    assert all(hasher.matches(s, Secret(h)) for s, h in zip(secrets, hashes))


def test_hash_stream_closed_early_stops_cleanly():
    stream = PasswordHasher().hash_stream(Secret('pw-%d' % i) for i in range(200))
    first = next(stream)
    stream.close()
    assert first.startswith('{CRYPT}$6$')
