# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ldap

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import _restore_modifications


def test_a_restore_writes_a_lock_after_the_password_and_removes_attributes_with_delete():
    """ppolicy deletes pwdAccountLockedTime whenever userPassword is written (the harness's slapd runs it)."""
    assert _restore_modifications({'userPassword': ['{CRYPT}!$6$x'], 'pwdAccountLockedTime': ['000001010000Z'],
                                   'title': []}) == [
        [(ldap.MOD_DELETE, 'title', None), (ldap.MOD_REPLACE, 'userPassword', ['{CRYPT}!$6$x'])],
        [(ldap.MOD_REPLACE, 'pwdAccountLockedTime', ['000001010000Z'])]]
    assert _restore_modifications({'userPassword': ['{CRYPT}$6$x'], 'pwdAccountLockedTime': []}) == [
        [(ldap.MOD_DELETE, 'pwdAccountLockedTime', None), (ldap.MOD_REPLACE, 'userPassword', ['{CRYPT}$6$x'])]]
    assert _restore_modifications({'pwdAccountLockedTime': ['000001010000Z'], 'cn': ['A']}) == [
        [(ldap.MOD_REPLACE, 'cn', ['A']), (ldap.MOD_REPLACE, 'pwdAccountLockedTime', ['000001010000Z'])]]
