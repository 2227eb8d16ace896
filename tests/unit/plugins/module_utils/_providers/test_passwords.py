# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import sys

import pytest
from passlib import hash as passlib_hash

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import passwords
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.passwords import PasswordHasher

# Every Linux C library (glibc, libxcrypt, musl) does SHA-crypt, so the suite checks both paths here.
C_HASHER = dict(in_c=True)
LIBPASS = dict(in_c=False)
HASHERS = pytest.mark.parametrize('options', [C_HASHER, LIBPASS], ids=['crypt(3)', 'libpass'])
SCHEME_FORMS = [('sha512_crypt', 5000, '$6$'), ('sha256_crypt', 5000, '$5$'),
                ('sha512_crypt', 6000, '$6$rounds=6000$'), ('sha256_crypt', 1000, '$5$rounds=1000$')]


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='a C library with SHA-crypt is only certain on Linux')
def test_the_c_library_hashes_by_default_on_linux():
    assert passwords.C_CRYPT is not None
    assert PasswordHasher().in_c


def test_importing_does_not_warn_that_crypt_is_deprecated():
    code = 'from ansible_collections.mailops.mailbox.plugins.module_utils._providers import passwords'
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    run = subprocess.run([sys.executable, '-W', 'error', '-c', code], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0 and run.stderr == '', run.stderr


def test_the_known_answers_a_c_crypt_must_give_are_libpass_answers():
    for setting, expected in passwords.KNOWN_ANSWERS:
        handler = passlib_hash.sha512_crypt if setting.startswith('$6$') else passlib_hash.sha256_crypt
        assert handler.verify('known answer', expected) and expected.startswith(setting)


def test_without_a_c_crypt_libpass_hashes(monkeypatch):
    monkeypatch.setattr(passwords, 'C_CRYPT', None)
    hasher = PasswordHasher()
    assert not hasher.in_c
    assert passlib_hash.sha512_crypt.verify('pw', hasher.hash(Secret('pw'))[len('{CRYPT}'):])
    with pytest.raises(ValueError):
        PasswordHasher(in_c=True)


@HASHERS
@pytest.mark.parametrize('scheme, rounds, start', SCHEME_FORMS)
def test_format_is_crypt_with_rounds_left_out_at_5000(options, scheme, rounds, start):
    hashed = PasswordHasher(scheme, rounds, **options).hash(Secret('pw'))
    assert re.fullmatch(re.escape('{CRYPT}' + start) + r'[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{43,86}', hashed)
    assert hashed != PasswordHasher(scheme, rounds, **options).hash(Secret('pw'))  # a fresh salt each time


@pytest.mark.parametrize('scheme, rounds, start', SCHEME_FORMS)
@pytest.mark.parametrize('password', ['pw', '张三的密码 ü', 'x' * 200])
def test_c_and_libpass_hashes_verify_with_each_other(scheme, rounds, start, password):
    in_c, libpass = PasswordHasher(scheme, rounds, **C_HASHER), PasswordHasher(scheme, rounds, **LIBPASS)
    for writer, reader in ((in_c, libpass), (libpass, in_c), (in_c, in_c), (libpass, libpass)):
        stored = Secret(writer.hash(Secret(password)))
        assert reader.matches(Secret(password), stored)
        assert not reader.matches(Secret(password + '!'), stored)


@HASHERS
def test_both_forms_of_5000_rounds_verify(options):
    """crypt(3) and passlib leave rounds=5000 out; other tools write it: either is the same hash."""
    implicit = passlib_hash.sha512_crypt.using(rounds=5000, salt='saltsaltsaltsalt').hash('pw')
    explicit = implicit.replace('$6$', '$6$rounds=5000$', 1)
    assert 'rounds=' not in implicit
    hasher = PasswordHasher(**options)
    for stored in (implicit, explicit):
        assert hasher.matches(Secret('pw'), Secret('{CRYPT}' + stored))
        assert not hasher.matches(Secret('pW'), Secret('{CRYPT}' + stored))


def test_only_sha_crypt_schemes():
    with pytest.raises(ValueError):
        PasswordHasher('md5')


@HASHERS
def test_matches(options):
    hasher = PasswordHasher(**options)
    stored = Secret(hasher.hash(Secret('right')))
    assert hasher.matches(Secret('right'), stored)
    assert not hasher.matches(Secret('wrong'), stored)
    assert not hasher.matches(Secret('right'), None)
    assert not hasher.matches(Secret('right'), Secret('{CRYPT}$6$broken'))
    assert not hasher.matches(Secret('right'), Secret('plain-text'))
    ssha = Secret('{SSHA}' + 'nope')
    assert not hasher.matches(Secret('right'), ssha)
    assert not hasher.matches(Secret('right'), Secret('{CRYPT}$6$' + 'ü' * 20 + '$' + 'ä' * 86))
    salted = Secret('{SSHA}' + passlib_hash.ldap_salted_sha1.hash('right')[len('{SSHA}'):])
    assert hasher.matches(Secret('right'), salted) and not hasher.matches(Secret('wrong'), salted)


@HASHERS
def test_hash_stream_in_worker_processes_keeps_order(options):
    hasher = PasswordHasher(**options)
    secrets = [Secret('pw-%d' % i) for i in range(40)]  # above the pool threshold
    hashes = list(hasher.hash_stream(secrets))
    assert len(hashes) == 40 and len(set(hashes)) == 40
    assert all(hasher.matches(s, Secret(h)) for s, h in zip(secrets, hashes))


def test_hash_stream_closed_early_stops_cleanly():
    stream = PasswordHasher().hash_stream(Secret('pw-%d' % i) for i in range(200))
    first = next(stream)
    stream.close()
    assert first.startswith('{CRYPT}$6$')
