# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Password hashes for directories: ``{CRYPT}`` SHA-512-crypt by default, checked with passlib.

5,000 rounds is glibc's and ``doveadm pw``'s default: with Dovecot's ``auth_bind`` the server
re-computes the hash at every login, so passlib's own default (656,000) would cost about half a
CPU-second per IMAP login.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import functools
import itertools
import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor

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


def _hash_plain(job):
    scheme, rounds, password = job
    return '{CRYPT}' + _handler(scheme, rounds).hash(password)


def _hash_batch(scheme, rounds, passwords):
    return ['{CRYPT}' + _handler(scheme, rounds).hash(p) for p in passwords]


def _batches(iterable, size):
    while True:
        batch = list(itertools.islice(iterable, size))
        if not batch:
            return
        yield batch


class PasswordHasher:
    def __init__(self, scheme='sha512_crypt', rounds=DEFAULT_ROUNDS):
        if scheme not in SCHEMES:
            raise ValueError('password_scheme must be one of %s' % ', '.join(SCHEMES))
        self.scheme = scheme
        self.rounds = rounds
        self._context = None

    def hash(self, password):
        """``{CRYPT}`` + crypt(3) hash of a Secret."""
        return _hash_plain((self.scheme, self.rounds, password.reveal()))

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
        batches = _batches(itertools.chain(first, passwords), BATCH)
        pending = collections.deque()
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context('fork'))
        try:
            while True:
                while len(pending) < 2 * workers:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    pending.append(pool.submit(_hash_batch, self.scheme, self.rounds, [p.reveal() for p in batch]))
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
            return self._context.identify(stored) is not None and self._context.verify(password.reveal(), stored)
        except ValueError:  # a malformed stored hash never matches
            return False
