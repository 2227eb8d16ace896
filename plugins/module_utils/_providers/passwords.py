# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Password hashes for directories: ``{CRYPT}`` SHA-512-crypt by default.

New hashes come from the C library's crypt(3) (glibc or libxcrypt, through Python's ``crypt``
module, or the ``crypt_r`` package that carries the same module from Python 3.13 on): about three
times faster than libpass, which is pure Python. libpass hashes where no working C crypt is found
(looked for once, at import) and checks stored hashes of every other scheme.

5,000 rounds is glibc's and ``doveadm pw``'s default: with Dovecot's ``auth_bind`` the server
re-computes the hash at every login, so passlib's own default (656,000) would cost about half a
CPU-second per IMAP login. At 5,000 rounds the hash leaves ``rounds=`` out, as crypt(3) and passlib
both write it by default; both forms verify alike.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import functools
import hmac
import itertools
import os
import secrets
import traceback
import warnings

PASSLIB_IMPORT_ERROR = None
try:
    from passlib.context import CryptContext
    from passlib import hash as passlib_hash
except ImportError:
    PASSLIB_IMPORT_ERROR = traceback.format_exc()

SCHEMES = ('sha512_crypt', 'sha256_crypt')
DEFAULT_ROUNDS = 5000
# Stored schemes we can check a password against (so update_password=always stays idempotent).
VERIFIABLE = ('ldap_sha512_crypt', 'ldap_sha256_crypt', 'ldap_md5_crypt', 'ldap_salted_sha1', 'ldap_salted_md5',
              'ldap_sha1', 'ldap_md5', 'ldap_salted_sha256', 'ldap_salted_sha512')
PREFIX = '{CRYPT}'
# crypt(3)'s identifier of each scheme, and the stored form the C library can check.
IDENTS = {'sha512_crypt': '6', 'sha256_crypt': '5'}
C_VERIFIABLE = {'ldap_sha512_crypt', 'ldap_sha256_crypt'}
SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
SALT_LENGTH = 16  # the longest salt SHA-crypt takes, as passlib writes it
# Known answers (from passlib) that a C crypt must give before it is used: a libc without SHA-crypt
# (macOS, old musl) returns a DES hash or an error instead.
KNOWN_ANSWERS = (
    ('$6$rounds=1000$mailopsKAT$', '$6$rounds=1000$mailopsKAT$SJyP473jTNjPZsDTyJTmQ2QWOrcwd3McW2lfstnWDsjaaSqH2s4MSJmN.'
                                   '0UutimRqVNSdhbyhzAQ4YTXolV37/'),
    ('$5$rounds=1000$mailopsKAT$', '$5$rounds=1000$mailopsKAT$eDR2iez55.mqAv4fHJOhX9tepz.yKFlB..ISYCMaLg9'),
)


def _find_c_crypt():
    """The C library's crypt(3) as a Python function, or None where there is none that does SHA-crypt."""
    c_crypt = None
    with warnings.catch_warnings():
        # Python 3.11 and 3.12 warn that `crypt` goes away in 3.13, where crypt_r takes its place.
        warnings.filterwarnings('ignore', message="'crypt' is deprecated", category=DeprecationWarning)
        for name in ('crypt_r', 'crypt'):
            try:
                c_crypt = __import__(name).crypt
                break
            except (ImportError, AttributeError):
                continue
    if c_crypt is None:
        return None
    try:
        if all(c_crypt('known answer', setting) == expected for setting, expected in KNOWN_ANSWERS):
            return c_crypt
    except (OSError, ValueError):
        pass
    return None


C_CRYPT = _find_c_crypt()
# Below this many hashes a process pool costs more than it saves.
POOL_THRESHOLD = 32
# Passwords a worker hashes per job (a few hundred milliseconds of work).
BATCH = 64


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@functools.lru_cache(maxsize=None)
def _handler(scheme, rounds):
    return getattr(passlib_hash, scheme).using(rounds=rounds)


def _setting(scheme, rounds):
    """A fresh crypt(3) setting: identifier, rounds (left out at the default, as crypt(3) writes it), salt."""
    salt = ''.join(secrets.choice(SALT_CHARS) for dummy in range(SALT_LENGTH))
    rounds_part = '' if rounds == DEFAULT_ROUNDS else 'rounds=%d$' % rounds
    return '$%s$%s%s$' % (IDENTS[scheme], rounds_part, salt)


def _hash_plain(scheme, rounds, in_c, password):
    if in_c:
        return PREFIX + C_CRYPT(password, _setting(scheme, rounds))
    return PREFIX + _handler(scheme, rounds).hash(password)


def _hash_batch(scheme, rounds, in_c, passwords):
    return [_hash_plain(scheme, rounds, in_c, p) for p in passwords]


def _c_verify(password, stored_hash):
    """crypt(3) of password with the stored hash as setting gives the stored hash back iff it matches."""
    computed = C_CRYPT(password, stored_hash)
    return computed is not None and hmac.compare_digest(computed.encode('utf-8'), stored_hash.encode('utf-8'))


def _batches(iterable, size):
    while True:
        batch = list(itertools.islice(iterable, size))
        if not batch:
            return
        yield batch


class PasswordHasher:
    def __init__(self, scheme='sha512_crypt', rounds=DEFAULT_ROUNDS, in_c=None):
        """``in_c``: hash and check SHA-crypt with the C library's crypt(3); by default wherever it
        was found. False uses libpass alone."""
        if scheme not in SCHEMES:
            raise ValueError('password_scheme must be one of %s' % ', '.join(SCHEMES))
        if in_c and C_CRYPT is None:
            raise ValueError('this system has no C crypt(3) that does SHA-crypt')
        self.scheme = scheme
        self.rounds = rounds
        self.in_c = C_CRYPT is not None if in_c is None else in_c
        self._context = None

    def hash(self, password):
        """``{CRYPT}`` + crypt(3) hash of a Secret."""
        return _hash_plain(self.scheme, self.rounds, self.in_c, password.reveal())

    def hash_stream(self, passwords):
        """Hashes of an iterable of Secrets, in order, lazily: a crypt hash holds the GIL, so many of
        them are spread over every CPU core in forked worker processes while the caller goes on
        writing what is already hashed. Only a few batches are in flight at a time, so memory stays
        flat however many users there are."""
        passwords = iter(passwords)
        first = list(itertools.islice(passwords, POOL_THRESHOLD))
        workers = _cpu_count()
        if len(first) < POOL_THRESHOLD or workers < 2:
            for password in itertools.chain(first, passwords):
                yield self.hash(password)
            return
        # Imported here: most module runs hash nothing, or too little for a pool.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        batches = _batches(itertools.chain(first, passwords), BATCH)
        pending = collections.deque()
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context('fork'))
        try:
            while True:
                while len(pending) < 2 * workers:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    pending.append(pool.submit(_hash_batch, self.scheme, self.rounds, self.in_c, [p.reveal() for p in batch]))
                if not pending:
                    return
                yield from pending.popleft().result()
        finally:
            # A run that stops early must not wait for hashes nobody will write.
            try:
                pool.shutdown(wait=True, cancel_futures=True)
            except TypeError:  # Python < 3.9
                pool.shutdown(wait=True)

    def matches(self, password, credential):
        """Whether the stored ``credential`` (a Secret, lock marker removed) holds ``password``."""
        if credential is None or password is None:
            return False
        if self._context is None:
            self._context = CryptContext(schemes=[s for s in VERIFIABLE if hasattr(passlib_hash, s)])
        stored = credential.reveal()
        try:
            scheme = self._context.identify(stored)
            if scheme is None:
                return False
            if self.in_c and scheme in C_VERIFIABLE:
                return _c_verify(password.reveal(), stored[len(PREFIX):])
            return self._context.verify(password.reveal(), stored)
        except ValueError:  # a malformed stored hash never matches
            return False
