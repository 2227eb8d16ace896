# -*- coding: utf-8 -*-
"""The google backend's pure parts: names back from Google's two parts, the service account's JWT."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name
from ansible_collections.mailops.mailbox.plugins.module_utils._providers import google


@pytest.mark.parametrize('name', [u'张三', u'欧阳娜娜', u'José Müller', u'Anna Maria Smith', u'迪丽热巴·迪力木拉提', u'Cher'])
def test_a_name_comes_back_from_its_family_and_given_parts(name):
    family, given = split_name(name)
    # As the provider writes a one-word name: both parts the same.
    assert google.join_name(family or name, given or family or name) == name


def _b64decode(part):
    return base64.urlsafe_b64decode(part + '=' * (-len(part) % 4))


def test_the_assertion_is_rs256_signed_for_the_admin_with_the_two_directory_scopes():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode('ascii')
    account = dict(client_email='sync@p.iam.gserviceaccount.com', private_key=pem, private_key_id='k1')
    token = google.signed_jwt(account, 'admin@example.org', 'https://oauth2.googleapis.com/token', now=1000)
    header, claims, signature = token.split('.')
    key.public_key().verify(_b64decode(signature), ('%s.%s' % (header, claims)).encode(), padding.PKCS1v15(),
                            hashes.SHA256())
    assert json.loads(_b64decode(header)) == dict(alg='RS256', typ='JWT', kid='k1')
    assert json.loads(_b64decode(claims)) == dict(
        iss='sync@p.iam.gserviceaccount.com', sub='admin@example.org', aud='https://oauth2.googleapis.com/token',
        iat=1000, exp=4600, scope='https://www.googleapis.com/auth/admin.directory.user '
                                  'https://www.googleapis.com/auth/admin.directory.orgunit')


def test_a_key_file_that_is_not_one_is_refused_without_showing_it(tmp_path):
    path = tmp_path / 'key.json'
    path.write_text('{"private_key": "-----BEGIN PRIVATE KEY-----secret"}')
    with pytest.raises(ValueError) as error:
        google.load_service_account(str(path))
    assert 'client_email' in str(error.value) and 'secret' not in str(error.value)
    with pytest.raises(ValueError) as error:
        google.load_service_account(None)
    assert 'MAILBOX_GOOGLE_SERVICE_ACCOUNT' in str(error.value)
