# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.mailops.mailbox.plugins.action import roster as action
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import PlayVault


def test_files_are_written_through_a_private_temporary_file(tmp_path, monkeypatch):
    seen = []
    real_fsync = os.fsync

    def fsync(fd):
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))  # the temporary file, while it holds the data
        real_fsync(fd)

    monkeypatch.setattr(action.os, 'fsync', fsync)
    target = tmp_path / 'passwords.yml'
    action._write_atomically(str(target), b'$ANSIBLE_VAULT;1.1;AES256\n', 0o600, 'passwords_dest')
    assert seen == [0o600]
    assert target.read_bytes() == b'$ANSIBLE_VAULT;1.1;AES256\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == ['passwords.yml']


def test_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / 'roster.yml'
    target.write_text('old')
    target.chmod(0o640)
    action._write_atomically(str(target), b'new', 0o644, 'dest')
    assert target.read_bytes() == b'new' and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    target = tmp_path / 'roster.yml'
    target.write_text('old')

    def rename(source, destination):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(action.os, 'rename', rename)
    with pytest.raises(action.RosterFailed) as error:
        action._write_atomically(str(target), b'new', 0o644, 'dest', already='the passwords file was written')
    assert str(error.value) == ('dest: cannot write %s: No space left on device (the passwords file was written; a '
                                're-run completes the work)' % target)
    assert error.value.result['changed'] is True
    assert os.listdir(str(tmp_path)) == ['roster.yml'] and target.read_text() == 'old'


def test_no_vault_secret_is_a_clear_failure():
    with pytest.raises(action.RosterFailed) as error:
        PlayVault([], None)
    assert 'no vault secret is loaded' in str(error.value)


def test_a_staged_file_is_hashed_and_only_replaces_its_target_when_put_in_place(tmp_path):
    import hashlib
    target = tmp_path / 'roster.yml'
    target.write_text('old')
    staged = action._Staged(str(target), lambda sink: sink.writelines([u'名单\n'] * 3), 0o644, 'dest')
    assert staged.digest == hashlib.sha256(u'名单\n名单\n名单\n'.encode('utf-8')).hexdigest()
    assert target.read_text() == 'old' and len(os.listdir(str(tmp_path))) == 2
    staged.discard()
    assert os.listdir(str(tmp_path)) == ['roster.yml'] and target.read_text() == 'old'
    action._Staged(str(target), lambda sink: sink.write(u'new'), 0o644, 'dest').put_in_place()
    assert os.listdir(str(tmp_path)) == ['roster.yml'] and target.read_text() == 'new'
