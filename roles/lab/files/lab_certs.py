"""A throwaway CA and a server certificate for 127.0.0.1 / localhost.

The one implementation of the lab's TLS material, used two ways:
- the `lab` role runs it as a script (`lab_certs.py DIR --days N`) with the
  controller's Python (cryptography is a dependency of ansible-core): it keeps
  valid files and prints {"changed": false}, or writes new ones and prints
  {"changed": true};
- tests/harness/certs.py imports make_certs() for the throwaway test servers.
"""

import argparse
import datetime
import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_VALIDITY = datetime.timedelta(days=2)
# A certificate closer than this to its end is replaced when the lab starts.
RENEW_BEFORE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class CertPaths:
    ca: Path
    cert: Path
    key: Path


def cert_paths(directory):
    directory = Path(directory)
    return CertPaths(directory / "ca.pem", directory / "server.pem", directory / "server.key")


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject, issuer, public_key, validity):
    # Backdated a little so a skewed clock does not make it "not yet valid".
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + validity)
    )


def make_certs(directory, validity=DEFAULT_VALIDITY):
    """Write ca.pem, server.pem and server.key (mode 0600) into directory."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("mailops lab CA")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False,
                key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        _builder(_name("localhost"), ca_name, server_key.public_key(), validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            ]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    paths = cert_paths(directory)
    paths.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    paths.key.touch(mode=0o600)
    paths.key.chmod(0o600)
    paths.key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _not_valid_after(cert):
    try:
        return cert.not_valid_after_utc
    except AttributeError:  # cryptography < 42
        return cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)


def certs_usable(directory):
    """True if all three files exist, the server certificate was issued by the CA
    in ca.pem, matches server.key, and stays valid for at least RENEW_BEFORE."""
    paths = cert_paths(directory)
    try:
        ca = x509.load_pem_x509_certificate(paths.ca.read_bytes())
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
        key = serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
    except (OSError, ValueError):
        return False
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(serialization.Encoding.DER, spki) != \
            key.public_key().public_bytes(serialization.Encoding.DER, spki):
        return False
    if cert.issuer != ca.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca)
    except AttributeError:  # cryptography < 40: the issuer name check above has to do
        pass
    except (ValueError, TypeError, InvalidSignature):
        return False
    now = datetime.datetime.now(datetime.timezone.utc)
    return all(_not_valid_after(c) - now >= RENEW_BEFORE for c in (ca, cert))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--days", type=int, default=DEFAULT_VALIDITY.days,
                        help="validity of new certificates (default: %(default)s)")
    args = parser.parse_args(argv)
    changed = not certs_usable(args.directory)
    if changed:
        make_certs(args.directory, datetime.timedelta(days=args.days))
    print(json.dumps({"changed": changed}))


if __name__ == "__main__":
    main()
