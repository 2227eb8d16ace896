# -*- coding: utf-8 -*-
"""atomic_write: the one way the collection's module_utils and the restore action write a file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._files import atomic_write, private_directory


def test_the_temporary_file_has_the_mode_before_it_holds_anything(tmp_path):
    target = tmp_path / 'snapshot.json'
    with atomic_write(str(target), 0o600, '.snapshot-') as output:
        temps = [name for name in os.listdir(str(tmp_path)) if name.startswith('.snapshot-')]
        assert len(temps) == 1 and stat.S_IMODE(os.stat(str(tmp_path / temps[0])).st_mode) == 0o600
        assert not target.exists()
        output.write(u'{"名单": 1}\n')
    assert target.read_text(encoding='utf-8') == u'{"名单": 1}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and os.listdir(str(tmp_path)) == ['snapshot.json']


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / 'passwords.yml'
    target.write_bytes(b'old')
    with pytest.raises(ValueError):
        with atomic_write(str(target), 0o600, '.passwords-', binary=True) as output:
            output.write(b'half')
            raise ValueError('stopped midway')
    assert target.read_bytes() == b'old' and os.listdir(str(tmp_path)) == ['passwords.yml']


def test_a_private_directory_is_made_with_its_parents_and_an_open_one_is_closed(tmp_path):
    target = tmp_path / 'var' / 'backups'
    old_umask = os.umask(0o077)
    try:
        assert private_directory(str(target)) is True
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert private_directory(str(target)) is False
    target.chmod(0o755)
    assert private_directory(str(target)) is True and stat.S_IMODE(target.stat().st_mode) == 0o700
