# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.action import roster_export
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import RosterFailed


class _Loader:
    class _vault:
        secrets = []


def test_an_unreadable_passwords_src_fails_naming_the_option(tmp_path):
    # A directory exists but cannot be read as a file; the task fails with a message, not a traceback.
    with pytest.raises(RosterFailed) as error:
        roster_export._read_passwords(_Loader(), str(tmp_path))
    assert str(error.value) == 'passwords_src: cannot read %s: Is a directory' % tmp_path


def test_a_clear_passwords_src_is_refused_before_any_vault_secret_is_asked_for(tmp_path):
    clear = tmp_path / 'passwords.yml'
    clear.write_text('mailbox_initial_passwords: {}\n')
    with pytest.raises(RosterFailed) as error:
        roster_export._read_passwords(_Loader(), str(clear))
    assert str(error.value) == ('passwords_src: %s is not ansible-vault encrypted: give the passwords file that '
                                'mailops.mailbox.roster wrote' % clear)


def test_no_vault_secret_to_decrypt_passwords_src(tmp_path):
    encrypted = tmp_path / 'passwords.yml'
    encrypted.write_text('$ANSIBLE_VAULT;1.1;AES256\n6162\n')
    with pytest.raises(RosterFailed) as error:
        roster_export._read_passwords(_Loader(), str(encrypted))
    assert str(error.value) == ('passwords_src: no vault secret is loaded to decrypt %s: run with --vault-id, '
                                '--vault-password-file or --ask-vault-pass' % encrypted)
