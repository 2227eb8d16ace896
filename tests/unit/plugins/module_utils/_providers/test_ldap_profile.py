# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import SharedText
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import Change
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_ad_profile as ad_profile
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_profile as profile

HASH = '{CRYPT}$6$salt$abcdef'


def test_lock_and_unlock_round_trip():
    locked = profile.lock_password(HASH)
    assert locked == '{CRYPT}!$6$salt$abcdef'
    assert profile.lock_password(locked) == locked
    assert profile.is_locked(locked) and not profile.is_locked(HASH)
    assert profile.unlock_password(locked) == HASH
    assert profile.unlock_password(HASH) == HASH
    assert profile.lock_password('{SSHA}xyz') == '{SSHA}!xyz'
    assert profile.lock_password(None) == '{CRYPT}!' and profile.unlock_password('{CRYPT}!') is None
    assert profile.lock_password('cleartext') == '{CRYPT}!'


def test_entry_to_user_primary_mail_and_aliases():
    attrs = {'uid': ['zhang.san'], 'mail': ['ZS@example.org', 'zhang.san@example.org'], 'cn': [u'张三'],
             'ou': [u'销售部'], 'title': [u'经理'], 'userPassword': [profile.lock_password(HASH)],
             'employeeNumber': ['E1'], 'mobile': ['+86 138']}
    user = profile.entry_to_user('uid=zhang.san,ou=people,dc=x', attrs)
    assert user.email == 'zhang.san@example.org'
    assert user.fields == {'name': u'张三', 'aliases': ['zs@example.org'], 'state': 'disabled',
                           'department': u'销售部', 'title': u'经理', 'employee_id': 'E1', 'mobile': '+86 138'}
    assert user.credential.reveal() == HASH  # the marker is not part of the password
    assert 'abcdef' not in repr(user)
    assert profile.entry_to_user('cn=x', {'cn': ['no mail']}) is None


def user_with(password=None, lock=None):
    attrs = {'uid': ['a'], 'mail': ['a@x.org'], 'cn': ['A']}
    if password:
        attrs['userPassword'] = [password]
    if lock:
        attrs['pwdAccountLockedTime'] = [lock]
    return profile.entry_to_user('uid=a,dc=x', attrs)


def test_only_the_lock_marker_means_disabled_and_a_ppolicy_lock_is_ours_only_beside_it():
    ours = user_with('{CRYPT}!$6$x', '000001010000Z')
    assert (ours.state, ours.foreign_lock, ours.ref['ppolicy_ours']) == ('disabled', False, True)
    # ppolicy's lockout after failed binds, or an administrator's lock: not disabled by us, reported.
    for lock in ('20261130051500Z', '000001010000Z'):
        locked = user_with('{CRYPT}$6$x', lock)
        assert (locked.state, locked.foreign_lock, locked.ref['ppolicy_ours']) == ('present', True, False)
    # Disabled by us after someone else locked it: their lock outlives our enable.
    both = user_with('{CRYPT}!$6$x', '20261130051500Z')
    assert (both.state, both.foreign_lock, both.ref['ppolicy_ours']) == ('disabled', True, False)
    plain = user_with('{CRYPT}$6$x')
    assert (plain.state, plain.foreign_lock) == ('present', False)


def test_new_entry_attributes():
    entry = dict(email='ouyang.nana@example.org', name=u'欧阳娜娜', department=None, title='CEO', employee_id=None,
                 mobile=None, aliases=['nana@example.org'], state='present')
    attrs = profile.user_attributes(entry, 'ouyang.nana')
    assert attrs == {'objectClass': ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], 'uid': ['ouyang.nana'],
                     'mail': ['ouyang.nana@example.org', 'nana@example.org'], 'cn': [u'欧阳娜娜'],
                     'displayName': [u'欧阳娜娜'], 'sn': [u'欧阳'], 'givenName': [u'娜娜'], 'title': ['CEO']}


def test_attribute_changes_only_for_changed_keys():
    after = dict(email='a@x.org', name='Cher', department='IT', title=None, employee_id=None, mobile=None,
                 aliases=['b@x.org'], state='present')
    change = Change('update', 'a@x.org', after=after, changed_keys=('name', 'title', 'aliases', 'state'))
    assert profile.attribute_changes(change) == {'cn': ['Cher'], 'displayName': ['Cher'], 'sn': ['Cher'],
                                                 'givenName': [], 'title': [], 'mail': ['a@x.org', 'b@x.org']}


@pytest.mark.parametrize('profile_module', [profile, ad_profile], ids=['ldap', 'ad'])
def test_users_of_one_department_and_title_share_the_texts(profile_module):
    # Each entry's values are decoded anew from the directory's bytes: without sharing, 100,000
    # users of ten departments hold 100,000 copies of the department and of the title (16 MB).
    department, title = u'销售部', u'经理'
    users = []
    for n in range(3):
        attrs = {'uid': ['u%d' % n], 'mail': ['u%d@example.org' % n], 'cn': ['U'], 'displayName': ['U'],
                 'ou': [department.encode('utf-8').decode('utf-8')], 'department': [department.encode('utf-8').decode('utf-8')],
                 'title': [title.encode('utf-8').decode('utf-8')], 'employeeNumber': ['E%d' % n], 'employeeID': ['E%d' % n]}
        users.append(profile_module.entry_to_user('uid=u%d,ou=people,dc=x' % n, attrs))
    assert [u.fields['department'] for u in users] == [department] * 3
    assert users[0].fields['department'] is users[1].fields['department'] is users[2].fields['department']
    assert users[0].fields['title'] is users[2].fields['title']
    assert users[0].fields['employee_id'] == 'E0' and users[1].fields['employee_id'] == 'E1'


def test_shared_texts_are_bounded():
    shared = SharedText()
    shared.bound = 2
    first = [shared(text) for text in (u'a' * 30, u'b' * 30, u'c' * 30)]
    again = [shared(text[:15] + text[15:]) for text in (u'a' * 30, u'b' * 30, u'c' * 30)]
    assert again[0] is first[0] and again[1] is first[1]
    assert again[2] == first[2] and again[2] is not first[2]  # past the bound, texts are not kept
    assert shared(None) is None and len(shared) == 2
