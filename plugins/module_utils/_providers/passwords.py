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

import traceback

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


class PasswordHasher:
    def __init__(self, scheme='sha512_crypt', rounds=DEFAULT_ROUNDS):
        if scheme not in SCHEMES:
            raise ValueError('password_scheme must be one of %s' % ', '.join(SCHEMES))
        self.scheme = scheme
        self.rounds = rounds
        self._handler = None
        self._context = None

    def hash(self, password):
        """``{CRYPT}`` + crypt(3) hash of a Secret."""
        if self._handler is None:
            self._handler = getattr(passlib_hash, self.scheme).using(rounds=self.rounds)
        return '{CRYPT}' + self._handler.hash(password.reveal())

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
