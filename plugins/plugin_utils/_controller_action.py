# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the controller-side action plugins (roster, roster_export, restore) share: the task that
checks its options and fails with a message fit for the user, reading the files it is given, and
the play's vault secrets (encrypting with one, decrypting a vault file)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes
from ansible.parsing.vault import AnsibleVaultError, VaultLib, match_encrypt_secret
from ansible.plugins.action import ActionBase

from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
    parse_password_chunks, parse_roster_file,
)
from ansible_collections.mailops.mailbox.plugins.plugin_utils._vault_stream import VaultFileReader, vault_header


class RosterFailed(Exception):
    """Ends the task as failed with a message fit for the user; nothing has been written."""

    def __init__(self, message, **result):
        super(RosterFailed, self).__init__(message)
        self.result = dict(dict(changed=False), **result)


class ControllerAction(ActionBase):
    """A task on the controller's own files, whatever the host is: its options are checked against
    ``argument_spec``, ``work(args)`` returns the result, and RosterFailed or a missing library
    ends it as failed."""

    TRANSFERS_FILES = False
    _requires_connection = False  # controller-side files only, whatever the host is
    _supports_check_mode = True
    argument_spec = None

    def run(self, tmp=None, task_vars=None):
        result = super(ControllerAction, self).run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=self.argument_spec)
        try:
            result.update(self.work(args))
        except RosterFailed as exc:
            result.update(exc.result, failed=True, msg=str(exc))
        except MissingLibrary as exc:
            result.update(failed=True, changed=False, msg=missing_required_lib(exc.library), exception=exc.import_error)
        return result

    def work(self, args):
        """The task's result from its checked options; RosterFailed to fail it."""
        raise NotImplementedError


def read_bytes(path, option):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError) as exc:
        raise RosterFailed('%s: cannot read %s: %s' % (option, path, exc.strerror or exc))


def read_roster(path, option):
    """The roster file ``path`` (given as ``option``), read as it is parsed (``render.parse_roster_file``);
    RosterFailed naming the option when it cannot be read or is not a roster."""
    try:
        with open(path, 'rb') as handle:
            return parse_roster_file(handle)
    except (IOError, OSError) as exc:
        raise RosterFailed('%s: cannot read %s: %s' % (option, path, exc.strerror or exc))
    except ValueError as exc:
        raise RosterFailed('%s: the roster %s %s' % (option, path, exc))


def read_text(path, option):
    """The file's text, or None when it does not exist."""
    if not os.path.exists(path):
        return None
    try:
        return read_bytes(path, option).decode('utf-8')
    except UnicodeDecodeError:
        raise RosterFailed('%s: %s is not a UTF-8 text file' % (option, path))


class VaultFile:
    """The ansible-vault file ``path`` (given as ``option``), opened with the play's vault ``secrets``:
    its HMAC is verified here, ``chunks()`` decrypts it as it is read (``text()`` whole), and
    ``sha256`` is then the hex digest of its plain text. Every failure is a RosterFailed naming the
    option: ``not_encrypted`` ends the message for a file that is not vault encrypted,
    ``undecryptable`` the one for a file none of the secrets open."""

    def __init__(self, secrets, path, option, not_encrypted, undecryptable=''):
        self.path, self.option = path, option
        self.undecryptable = '%s: %s cannot be decrypted with the vault secrets loaded (%s)%s' % (
            option, path, ', '.join(name for name, _secret in secrets), undecryptable)
        with self._reading():
            header = vault_header(path)
        if header is None:
            raise RosterFailed('%s: %s %s' % (option, path, not_encrypted))
        if not secrets:
            raise RosterFailed('%s: no vault secret is loaded to decrypt %s: run with --vault-id, --vault-password-file '
                               'or --ask-vault-pass' % (option, path))
        with self._reading():
            self.reader = VaultFileReader(path, secrets)

    @property
    def sha256(self):
        return self.reader.sha256

    def chunks(self):
        with self._reading():
            yield from self.reader.chunks()

    def text(self):
        return ''.join(self.chunks())

    def passwords(self):
        """``{email: Secret}`` of the passwords file, parsed line by line as it is decrypted (the
        whole text read as YAML only when it is not as the collection writes it)."""
        try:
            return parse_password_chunks(self.chunks(), self.text)
        except ValueError as exc:
            raise RosterFailed('%s: %s %s' % (self.option, self.path, exc))

    @contextlib.contextmanager
    def _reading(self):
        try:
            yield
        except (IOError, OSError) as exc:
            raise RosterFailed('%s: cannot read %s: %s' % (self.option, self.path, exc.strerror or exc))
        except AnsibleVaultError:
            raise RosterFailed(self.undecryptable)
        except UnicodeDecodeError:
            raise RosterFailed('%s: %s is not UTF-8 once decrypted' % (self.option, self.path))


class PlayVault:
    """The play's vault secret: the one named by ``vault_id``, or the first one loaded."""

    def __init__(self, secrets, vault_id):
        self.secrets = list(secrets or [])
        loaded = [name for name, _secret in self.secrets]
        if not self.secrets:
            raise RosterFailed('no vault secret is loaded: the initial passwords are written encrypted with the '
                               "play's vault secret, so run with --vault-id, --vault-password-file or --ask-vault-pass")
        try:
            self.vault_id, self.secret = match_encrypt_secret(self.secrets, vault_id)
        except AnsibleVaultError:
            raise RosterFailed('vault_id: no vault secret "%s" is loaded (loaded: %s)' % (vault_id, ', '.join(loaded)))
        self.lib = VaultLib(self.secrets)

    def encrypt(self, plaintext):
        return self.lib.encrypt(to_bytes(plaintext), self.secret, vault_id=self.vault_id)

    def open_passwords(self, path):
        """The existing passwords file (a VaultFile, verified), or None when there is none yet."""
        if not os.path.exists(path):
            return None
        return VaultFile(
            self.secrets, path, 'passwords_dest',
            'exists but is not ansible-vault encrypted: refusing to read or overwrite a file that may hold passwords '
            'in clear', undecryptable=': run with the vault secret it was written with')
