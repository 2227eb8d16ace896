# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible.parsing.vault import AnsibleVaultError, VaultAES256, VaultLib, VaultSecret, format_vaulttext_envelope

from ansible_collections.mailops.mailbox.plugins.plugin_utils import _vault_stream
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import RosterFailed, VaultFile
from ansible_collections.mailops.mailbox.plugins.plugin_utils._vault_stream import VaultFileReader, VaultSink

RIGHT, WRONG = VaultSecret(b'right'), VaultSecret(b'wrong')


def vault_file(tmp_path, text, vault_id='default', secret=RIGHT, salt=None):
    path = tmp_path / 'passwords.yml'
    if salt:  # what VAULT_ENCRYPT_SALT gives: the same salt every time
        data = format_vaulttext_envelope(VaultAES256.encrypt(text.encode('utf-8'), secret, salt=salt), 'AES256')
    else:
        data = VaultLib([(vault_id, secret)]).encrypt(text.encode('utf-8'), secret, vault_id=vault_id)
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize('vault_id', ['default', 'prod'])
@pytest.mark.parametrize('size', [0, 1, 15, 16, 17, 5000, 300000])
def test_it_reads_what_vaultlib_decrypts_in_pieces(tmp_path, monkeypatch, size, vault_id):
    monkeypatch.setattr(_vault_stream, '_BLOCK', 1000)  # many blocks, split anywhere (a UTF-8 character too)
    text = (u'  张三@example.org: !unsafe Pa55word\n' * (size // 36 + 1))[:size]
    path = vault_file(tmp_path, text, vault_id)
    reader = VaultFileReader(path, [('other', WRONG), (vault_id, RIGHT)])
    chunks = list(reader.chunks())
    assert u''.join(chunks) == text and (size < 5000 or len(chunks) > 10)
    assert reader.sha256 == hashlib.sha256(text.encode('utf-8')).hexdigest()
    assert ''.join(reader.chunks()) == text  # read again


def test_the_secret_named_by_the_file_is_tried_first_and_a_wrong_one_opens_nothing(tmp_path):
    path = vault_file(tmp_path, u'secret text', 'prod')
    assert ''.join(VaultFileReader(path, [('default', WRONG), ('prod', RIGHT)]).chunks()) == u'secret text'
    for secrets in ([('prod', WRONG)], [('default', WRONG), ('other', WRONG)]):
        with pytest.raises(AnsibleVaultError):
            VaultFileReader(path, secrets)


def test_a_changed_or_broken_file_is_refused(tmp_path):
    path = vault_file(tmp_path, u'x' * 1000)
    data = open(path, 'rb').read()
    lines = data.split(b'\n')
    flipped = lines[5][:10] + (b'0' if lines[5][10:11] != b'0' else b'1') + lines[5][11:]
    for broken in (b'\n'.join(lines[:5] + [flipped] + lines[6:]),  # a ciphertext digit: the HMAC differs
                   data[:-3] + b'\n',  # an odd number of hex digits
                   data.replace(b'AES256', b'AES128'),
                   b'not a vault\n' + data):
        open(path, 'wb').write(broken)
        with pytest.raises(AnsibleVaultError):
            ''.join(VaultFileReader(path, [('default', RIGHT)]).chunks())


def test_a_file_changed_between_its_two_reads_is_refused_unless_the_secret_wrote_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_vault_stream, '_BLOCK', 1000)
    path = vault_file(tmp_path, u'first text ' * 500)
    reader = VaultFileReader(path, [('default', RIGHT)])
    vault_file(tmp_path, u'其他 text ' * 500)  # another salt: other keys
    with pytest.raises(AnsibleVaultError, match='changed while it was read'):
        ''.join(reader.chunks())
    # The same salt (VAULT_ENCRYPT_SALT) and secret: the new text is as authentic as the first.
    path = vault_file(tmp_path, u'first text ' * 500, salt=b'5' * 32)
    reader = VaultFileReader(path, [('default', RIGHT)])
    vault_file(tmp_path, u'其他 text ' * 500, salt=b'5' * 32)
    assert ''.join(reader.chunks()) == u'其他 text ' * 500
    data = bytearray(open(path, 'rb').read())  # but not once its salt changed (the first line after the header)
    first_line = data.index(b'\n', data.index(b'\n') + 1)
    data[first_line - 80:first_line] = data[first_line - 80:first_line].replace(b'3', b'4', 1)
    reader = VaultFileReader(path, [('default', RIGHT)])
    open(path, 'wb').write(bytes(data))
    with pytest.raises(AnsibleVaultError, match='changed while it was read'):
        ''.join(reader.chunks())


def test_vault_file_failures_name_the_option(tmp_path):
    path = vault_file(tmp_path, u'mailbox_initial_passwords: {}\n')
    assert VaultFile([('default', RIGHT)], path, 'passwords_src', 'is clear').text() == u'mailbox_initial_passwords: {}\n'
    with pytest.raises(RosterFailed, match=r'^passwords_src: .* cannot be decrypted with the vault secrets loaded '
                                           r'\(default\): use the right one$'):
        VaultFile([('default', WRONG)], path, 'passwords_src', 'is clear', ': use the right one')
    with pytest.raises(RosterFailed, match='^passwords_src: no vault secret is loaded to decrypt '):
        VaultFile([], path, 'passwords_src', 'is clear')
    with pytest.raises(RosterFailed, match='^passwords_src: cannot read .*missing.yml: No such file'):
        VaultFile([('default', RIGHT)], str(tmp_path / 'missing.yml'), 'passwords_src', 'is clear')
    latin1 = tmp_path / 'latin1.yml'
    latin1.write_bytes(VaultLib([('default', RIGHT)]).encrypt(u'caf\xe9'.encode('latin-1'), RIGHT))
    with pytest.raises(RosterFailed, match='is not UTF-8 once decrypted'):
        VaultFile([('default', RIGHT)], str(latin1), 'passwords_src', 'is clear').text()
    clear = tmp_path / 'clear.yml'
    clear.write_text(u'mailbox_initial_passwords: {}\n')
    with pytest.raises(RosterFailed, match='^passwords_src: .* is clear$'):
        VaultFile([('default', RIGHT)], str(clear), 'passwords_src', 'is clear')


@pytest.mark.parametrize('vault_id', ['default', 'prod'])
@pytest.mark.parametrize('size', [0, 1, 39, 40, 41, 5000, 300000])
def test_the_sink_writes_what_vaultlib_encrypts(size, vault_id):
    """Same salt, same bytes as VaultLib.encrypt and its envelope; it decrypts; close gives the plain text's hash."""
    import io

    secret, salt = VaultSecret(b'bench'), b'5' * 32
    text = u'mailbox_initial_passwords:\n' + u'  !unsafe 张三@example.org: !unsafe Pa55word%d\n' * (size // 40) + u'x' * (size % 40)
    out = io.BytesIO()
    sink = VaultSink(out, secret, vault_id, salt=salt)
    sink.writelines(text[i:i + 1000] for i in range(0, len(text), 1000))
    assert sink.close() == hashlib.sha256(text.encode('utf-8')).hexdigest()
    expected = format_vaulttext_envelope(VaultAES256.encrypt(text.encode('utf-8'), secret, salt=salt), 'AES256',
                                         vault_id=vault_id)
    assert out.getvalue() == expected
    assert VaultLib([(vault_id, secret)]).decrypt(out.getvalue()) == text.encode('utf-8')


def test_a_big_file_without_a_vault_header_is_refused_without_being_read(tmp_path):
    import tracemalloc
    big = tmp_path / 'big.bin'
    big.write_bytes(b'x' * (20 * 1024 * 1024))  # no line break at all
    tracemalloc.start()
    try:
        with pytest.raises(RosterFailed, match='^passwords_src: .* is clear$'):
            VaultFile([('default', RIGHT)], str(big), 'passwords_src', 'is clear')
        with pytest.raises(AnsibleVaultError):
            VaultFileReader(str(big), [('default', RIGHT)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024
    header_only = tmp_path / 'header.yml'
    header_only.write_bytes(b'$ANSIBLE_VAULT;1.1;AES256')  # no line break: no vault text follows
    with pytest.raises(RosterFailed, match='is clear$'):
        VaultFile([('default', RIGHT)], str(header_only), 'passwords_src', 'is clear')
