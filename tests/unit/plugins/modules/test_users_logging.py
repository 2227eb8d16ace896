# -*- coding: utf-8 -*-
"""What Ansible logs on the managed host (syslog or the journal) when the users module starts: a
password put inline in a users item is masked there, before validation refuses it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import syslog

import pytest

from ansible.module_utils import basic
from ansible_collections.mailops.mailbox.plugins.modules import users as users_module

INLINE = 'Inline-Secret-8c41f'


@pytest.fixture
def logged(monkeypatch):
    """Every message the module sends to syslog (the journal is not used: as on a host without systemd)."""
    messages = []
    monkeypatch.setattr(basic, 'has_journal', False)
    monkeypatch.setattr(syslog, 'syslog', lambda *args: messages.append(args[-1]))
    return messages


def run_module(monkeypatch, capsys, args):
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', json.dumps(dict(ANSIBLE_MODULE_ARGS=args)).encode())
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy')
    with pytest.raises(SystemExit):
        users_module.main()
    return json.loads(capsys.readouterr().out)


def test_an_inline_password_is_never_logged_and_is_refused(monkeypatch, capsys, logged):
    result = run_module(monkeypatch, capsys, dict(
        users=[dict(email='a@example.org', name='A', password=INLINE)],
        ldap=dict(server_uri='ldap://127.0.0.1:1', base_dn='dc=example,dc=org')))
    assert result['failed'] and [(p['row'], p['column']) for p in result['problems']] == [(0, 'password')]
    assert any(message.startswith('Invoked with users=') for message in logged), logged
    assert not any(INLINE in message for message in logged), logged
    assert INLINE not in json.dumps(result)
