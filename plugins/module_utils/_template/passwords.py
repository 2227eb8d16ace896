# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Initial passwords: the policy, its check, generation from ``os.urandom``, and which one a user gets.

Passwords travel as Secret so that no repr, log line or exception can show one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import os

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import DEFAULT_POLICY

# Generated passwords leave out look-alikes (l/1/I, O/0) since people type them from a letter.
_ALPHABETS = (
    ('lower', 'a lower-case letter', 'abcdefghijkmnpqrstuvwxyz'),
    ('upper', 'an upper-case letter', 'ABCDEFGHJKLMNPQRSTUVWXYZ'),
    ('digit', 'a digit', '23456789'),
    ('symbol', 'a symbol', '!#%+-=@_'),
)


class RandomBytes:
    """Bytes from the operating system's CSPRNG (``os.urandom``, what ``secrets`` uses), read in
    blocks: ``secrets.SystemRandom`` makes a system call per character, and 100,000 passwords
    took seconds of them. Each byte is handed out once. Make one per run: a block read before a
    fork would be shared by both processes.
    """

    def __init__(self, block=4096):
        self.block = block
        self.buffer = b''

    def randbytes(self, count):
        """``count`` random bytes (the name and meaning of ``random.Random.randbytes``)."""
        if len(self.buffer) < count:
            self.buffer += os.urandom(max(self.block, count))
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken


def _has_class(password, name):
    if name == 'lower':
        return any(c.islower() for c in password)
    if name == 'upper':
        return any(c.isupper() for c in password)
    if name == 'digit':
        return any(c.isdigit() for c in password)
    return any(not c.isalnum() and not c.isspace() for c in password)


def check_policy(policy):
    """The policy with defaults filled in, or a ValueError saying what is wrong with it."""
    policy = dict(DEFAULT_POLICY, **dict((k, v) for k, v in (policy or {}).items() if v is not None))
    unknown = sorted(set(policy) - set(DEFAULT_POLICY))
    if unknown:
        raise ValueError('password_policy: unknown key %s (expected %s)'
                         % (', '.join(unknown), ', '.join(DEFAULT_POLICY)))
    if policy['min_length'] < 1:
        raise ValueError('password_policy: min_length must be 1 or more')
    if policy['generated_length'] < max(policy['min_length'], len(required_classes(policy))):
        raise ValueError('password_policy: generated_length (%d) is shorter than min_length (%d)'
                         % (policy['generated_length'], policy['min_length']))
    return policy


def required_classes(policy):
    return [name for name, _label, _alphabet in _ALPHABETS if policy[name]]


def policy_problem(password, policy):
    """Why ``password`` (plain text) falls short of ``policy``, or None. Never repeats the password."""
    missing = []
    if len(password) < policy['min_length']:
        missing.append('shorter than %d characters' % policy['min_length'])
    missing.extend('no %s' % label.split(' ', 1)[1] for name, label, _alphabet in _ALPHABETS
                   if policy[name] and not _has_class(password, name))
    if missing:
        return 'is below the password policy: %s' % ', '.join(missing)
    return None


def generate(policy, rng=None):
    """A new random password meeting ``policy``, uniform among all that do: characters drawn
    uniformly from the allowed ones (lower, upper and digits always, symbols when required),
    drawn again until every required class is in it. ``rng`` has ``randbytes`` (a RandomBytes,
    by default a new one; ``random.Random`` in tests)."""
    if rng is None:
        rng = RandomBytes(block=64)
    alphabets = dict((name, alphabet) for name, _label, alphabet in _ALPHABETS)
    pool = ''.join(alphabets[name] for name in ('lower', 'upper', 'digit') + (('symbol',) if policy['symbol'] else ()))
    table, biased = _byte_map(pool)
    length, wanted = policy['generated_length'], required_classes(policy)
    while True:
        # In C: drop the bytes that would favour the first characters of the pool (rejection
        # sampling), then map each byte left to a character.
        chars = b''
        while len(chars) < length:
            chars += rng.randbytes(2 * length).translate(table, biased)
        password = chars[:length].decode('ascii')
        if all(_has_class(password, name) for name in wanted):
            return Secret(password)


def _byte_map(pool, known={}):  # pylint: disable=dangerous-default-value
    """The ``bytes.translate`` table mapping a byte to a character of ``pool``, and the bytes to
    drop (those at and above the largest multiple of the pool's size)."""
    if pool not in known:
        limit = 256 - 256 % len(pool)
        known[pool] = (bytes(bytearray(ord(pool[byte % len(pool)]) for byte in range(256))),
                       bytes(bytearray(range(limit, 256))))
    return known[pool]


class _Drawn(Secret):
    """A new password, drawn from ``generate`` the first time it is revealed, then always the same.

    A big template's new passwords are then made as the passwords file is written, after the
    rows have left memory, not all held beside them (100,000 passwords are 6 MB).
    """

    __slots__ = ('_draw',)

    def __init__(self, draw):
        Secret.__init__(self, None)
        self._draw = draw

    def reveal(self):
        if self._value is None:
            self._value = self._draw().reveal()
            self._draw = None
        return self._value

    def __bool__(self):
        return True  # a generated password is never empty


class PasswordChoice:
    """Who gets which initial password, and which of them are new."""

    def __init__(self):
        self.passwords = {}
        self.new = []
        self.random = RandomBytes()
        self._policy = self._draw = None

    def choose(self, email, from_template, existing, policy):
        """The template's password wins; then the one already in the vault file; else a new one."""
        if from_template is not None:
            password = from_template
        elif existing is not None:
            password = existing
        else:
            if policy is not self._policy:  # one drawer shared by every new password
                self._policy, self._draw = policy, functools.partial(generate, policy, self.random)
            password = _Drawn(self._draw)
        if existing is None or existing.reveal() != password.reveal():
            self.new.append(email)
        self.passwords[email] = password
