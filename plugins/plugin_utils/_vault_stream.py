# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-vault files written and read as streams: the bytes ansible-core's ``VaultLib`` writes and reads.

``VaultLib`` holds a file's text several times over at once: about 17 times the plain text to
encrypt, about 100 MB to decrypt the 24 MB passwords file of 100,000 users (its lines, their join,
the hex decoded twice, the ciphertext, the plain text). ``VaultSink`` encrypts text as it is
written, the ciphertext its one copy. ``VaultFileReader`` gives the plain text of a file in blocks,
with VaultLib's choice of secret and its checks: the file is read once to verify the HMAC of each
secret that may open it (nothing is decrypted before it is verified), then again to decrypt with
the first one that does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import codecs
import hashlib
import itertools

from ansible import constants as C
from ansible.module_utils.common.text.converters import to_bytes
from ansible.parsing.vault import AnsibleVaultError, VaultAES256, format_vaulttext_envelope, is_encrypted, match_secrets

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.hmac import HMAC
except ImportError:  # ansible-core's vault needs it as well: VaultAES256() says so
    pass

# Vault text read at a time; a quarter of it is ciphertext.
_BLOCK = 1024 * 1024
_CIPHERS = ('AES256',)
_LINE = 80  # vault text is hex in lines of 80 characters: 40 bytes of what is hexlified
# A vault header line is far shorter: a file that has none is not read whole to find out.
_HEADER_LIMIT = 64 * 1024


def vault_header(path):
    """The first line of the file ``path`` (with its line break) when it is an ansible-vault
    header, else None. IOError/OSError when the file cannot be read."""
    with open(path, 'rb') as handle:
        header = handle.readline(_HEADER_LIMIT)
    return header if header.endswith(b'\n') and is_encrypted(header) else None


class TextSink:
    """Takes text (``write``, ``writelines``), hashes it as UTF-8 and passes the bytes on to a
    binary file, if any, in blocks. ``close`` returns the hex SHA-256 of everything."""

    _BLOCK = 256 * 1024

    def __init__(self, handle=None):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.pending = []
        self.size = 0

    def write(self, text):
        self.pending.append(text)
        self.size += len(text)
        if self.size >= self._BLOCK:
            self._flush()

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def write_bytes(self, data):
        self._flush()
        self._put(data)

    def _put(self, data):
        self.digest.update(data)
        if self.handle is not None:
            self.handle.write(data)

    def _flush(self):
        if self.pending:
            self._put(to_bytes(''.join(self.pending)))
            self.pending, self.size = [], 0

    def close(self):
        self._flush()
        return self.digest.hexdigest()


class VaultSink(TextSink):
    """Encrypts the text it takes as it comes, to the bytes ``VaultLib.encrypt`` would give
    (AES256 with its salt, keys and HMAC; format 1.1, or 1.2 with a vault id), written to
    ``handle``. ``VaultLib.encrypt`` holds about 17 times the text in memory at once (24 MB of
    vault text for 6 MB of passwords, in several copies); here the ciphertext is the one copy.
    ``close`` returns the hex SHA-256 of the plain text, as ``TextSink`` does."""

    def __init__(self, handle, secret, vault_id, salt=None):
        super(VaultSink, self).__init__()
        VaultAES256()  # raises Ansible's own error when the cryptography library is missing
        self.target, self.vault_id = handle, vault_id
        # Ansible's own salt (VAULT_ENCRYPT_SALT or 32 random bytes) and key derivation.
        self.salt = salt or VaultAES256._get_salt()
        key1, self.hmac_key, iv = VaultAES256._gen_key_initctr(secret.bytes, self.salt)
        self.encryptor = Cipher(algorithms.AES(key1), modes.CTR(iv)).encryptor()
        self.padder = padding.PKCS7(algorithms.AES.block_size).padder()
        self.hmac = HMAC(self.hmac_key, hashes.SHA256())
        self.ciphertext = []  # in the blocks it comes in: no buffer that grows by copying

    def _put(self, data):
        self.digest.update(data)
        self._encrypt(self.padder.update(data))

    def _encrypt(self, data, last=False):
        encrypted = self.encryptor.update(data) + (self.encryptor.finalize() if last else b'')
        self.hmac.update(encrypted)
        self.ciphertext.append(encrypted)

    def close(self):
        digest = super(VaultSink, self).close()
        self._encrypt(self.padder.finalize(), last=True)
        handle = self.target
        handle.write(format_vaulttext_envelope(b'', 'AES256', vault_id=self.vault_id))
        # What VaultAES256.encrypt hexlifies: the salt, the HMAC and the ciphertext, in hex, one a line.
        pending = b'\n'.join([binascii.hexlify(self.salt), binascii.hexlify(self.hmac.finalize()), b''])
        # Hexlified twice, a block is 4 times its size in vault text: small blocks, small copies.
        block = 1024 * _LINE // 2
        for encrypted in self.ciphertext:
            for start in range(0, len(encrypted), block):
                pending += binascii.hexlify(encrypted[start:start + block])
                whole = len(pending) - len(pending) % (_LINE // 2)
                self._write_lines(binascii.hexlify(pending[:whole]))
                pending = pending[whole:]
        self._write_lines(binascii.hexlify(pending))
        self.ciphertext = None
        return digest

    def _write_lines(self, text):
        if text:
            self.target.write(b''.join(text[start:start + _LINE] + b'\n'
                                       for start in range(0, len(text), _LINE)))


class VaultFileReader:
    """The plain text of the vault file ``path``, opened with one of ``secrets`` (``[(vault_id,
    VaultSecret)]``) as ``VaultLib(secrets).decrypt`` would: the vault id the file names first,
    then (unless ``DEFAULT_VAULT_ID_MATCH``) the others in their order.

    AnsibleVaultError when the file is not vault text or no secret opens it; IOError/OSError when
    it cannot be read. ``chunks()`` decrypts it (again on every call): its text in pieces, UTF-8
    decoded (UnicodeDecodeError otherwise); ``sha256`` is then the hex digest of its bytes.
    """

    def __init__(self, path, secrets):
        VaultAES256()  # raises Ansible's own error when the cryptography library is missing
        self.path = path
        self.sha256 = None
        header = vault_header(path)
        fields = header.strip().split(b';') if header is not None else []
        if len(fields) < 3:
            raise AnsibleVaultError('Input is not vault encrypted data.')
        if fields[2].strip().decode('ascii', 'replace') not in _CIPHERS:
            raise AnsibleVaultError('Cipher %r could not be found.' % fields[2].strip().decode('ascii', 'replace'))
        vault_id = fields[3].strip().decode('utf-8', 'replace') if len(fields) >= 4 else C.DEFAULT_VAULT_IDENTITY
        self.header_size = len(header)
        matchers = [vault_id] if vault_id else []
        if not C.DEFAULT_VAULT_ID_MATCH:
            matchers.extend(other for other, _secret in secrets if other != vault_id)
        candidates = match_secrets(secrets, matchers)
        if not candidates:
            raise AnsibleVaultError('Decryption failed (no vault secrets were found that could decrypt).')
        self.keys = self._verified_keys(candidates)

    def _verified_keys(self, candidates):
        """``(key, HMAC key, iv)`` of the first secret whose HMAC of the ciphertext is the file's."""
        ciphertext = self._ciphertext()
        self.salt, crypted_hmac = next(ciphertext)
        salt = self.salt
        hmacs = []
        for _vault_id, secret in candidates:
            keys = VaultAES256._gen_key_initctr(secret.bytes, salt)
            hmacs.append((keys, HMAC(keys[1], hashes.SHA256())))
        for block in ciphertext:
            for _keys, hmac in hmacs:
                hmac.update(block)
        for keys, hmac in hmacs:
            try:
                hmac.verify(crypted_hmac)
            except InvalidSignature:
                continue
            return keys
        raise AnsibleVaultError('Decryption failed (no vault secrets were found that could decrypt).')

    def chunks(self):
        """The plain text, in pieces of about a quarter of ``_BLOCK``. The file is read again, so
        its HMAC is checked again: AnsibleVaultError if it changed in between (at the end, or
        where its text stops being UTF-8)."""
        key, hmac_key, iv = self.keys
        decryptor = Cipher(algorithms.AES(key), modes.CTR(iv)).decryptor()
        unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
        decoder = codecs.getincrementaldecoder('utf-8')('strict')
        digest, hmac = hashlib.sha256(), HMAC(hmac_key, hashes.SHA256())
        ciphertext = self._ciphertext()
        salt, crypted_hmac = next(ciphertext, (None, None))
        if salt != self.salt:
            raise _changed()
        for block in ciphertext:
            hmac.update(block)
            plain = unpadder.update(decryptor.update(block))
            digest.update(plain)
            try:
                text = decoder.decode(plain)
            except UnicodeDecodeError:
                for rest in ciphertext:  # not UTF-8, or changed since it was verified?
                    hmac.update(rest)
                _verify(hmac, crypted_hmac)
                raise
            yield text
        _verify(hmac, crypted_hmac)
        try:
            plain = unpadder.update(decryptor.finalize()) + unpadder.finalize()
        except ValueError:  # bad padding, as VaultLib lets it through from cryptography
            raise AnsibleVaultError('Vault format error: the padding is not PKCS7.')
        digest.update(plain)
        yield decoder.decode(plain, final=True)
        self.sha256 = digest.hexdigest()

    def _ciphertext(self):
        """``(salt, HMAC)`` first, then the ciphertext in blocks. The vault text is hex of three
        lines (the salt, the HMAC and the ciphertext, each in hex): it is decoded twice."""
        with open(self.path, 'rb') as handle:
            handle.seek(self.header_size)
            inner = _unhexlified(_text_blocks(handle))
            start = b''
            for block in inner:
                start += block
                if start.count(b'\n') >= 2:
                    break
            salt, crypted_hmac, rest = (start.split(b'\n', 2) + [b'', b''])[:3]
            yield _unhexlify(salt), _unhexlify(crypted_hmac)
            yield from _unhexlified(itertools.chain([rest], inner))


def _text_blocks(handle):
    """The vault text's hex after the header, its line breaks left out, in blocks."""
    while True:
        block = handle.read(_BLOCK)
        if not block:
            return
        yield block.replace(b'\r', b'').replace(b'\n', b'')


def _unhexlified(blocks):
    """The bytes of hex given in blocks of any length: each block decoded up to an even length."""
    odd = b''
    for block in blocks:
        block = odd + block
        whole = len(block) - len(block) % 2
        odd = block[whole:]
        if whole:
            yield _unhexlify(block[:whole])
    if odd:
        raise AnsibleVaultError('Vault format unhexlify error: an odd number of hex digits.')


def _unhexlify(data):
    try:
        return binascii.unhexlify(data)
    except (binascii.Error, TypeError):
        raise AnsibleVaultError('Vault format unhexlify error.')


def _verify(hmac, crypted_hmac):
    try:
        hmac.verify(crypted_hmac)
    except InvalidSignature:
        raise _changed()


def _changed():
    return AnsibleVaultError('HMAC verification failed: the file changed while it was read.')
