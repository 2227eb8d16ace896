# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ansible-vault file decrypted as it is read, in pieces.

``VaultLib.decrypt`` takes the whole vault text and holds it several times over (its lines, their
join, the hex decoded twice, the ciphertext, the plain text): about 100 MB at once for the 24 MB
passwords file of 100,000 users. ``VaultFileReader`` gives the same plain text from the file in
blocks, with the same choice of secret and the same checks: the file is read once to verify the
HMAC of each secret that may open it (nothing is decrypted before it is verified), then again to
decrypt with the first one that does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import codecs
import hashlib
import itertools

from ansible import constants as C
from ansible.parsing.vault import AnsibleVaultError, VaultAES256, b_HEADER, match_secrets

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
        with open(path, 'rb') as handle:
            header = handle.readline()
        fields = header.strip().split(b';')
        if not header.startswith(b_HEADER) or len(fields) < 3:
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

    def text(self):
        return ''.join(self.chunks())

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
