# -*- coding: utf-8 -*-
"""LDAP ``profile: ad`` against a real Samba AD DC (tests/harness/samba.py), through ansible-playbook."""

import ldap
import pytest

# One DC per machine (fixed ports): under pytest-xdist these tests run in one worker.
pytestmark = pytest.mark.xdist_group("samba_dc")


def test_harness_dc_verifies_its_certificate_and_counts_writes(ad):
    conn = ad.connect()  # LDAPS to 127.0.0.1 with the certificate checked against the harness CA
    before = ad.highest_usn()
    dn = "CN=probe,%s" % ad.managed_dn
    conn.add_s(dn, [("objectClass", [b"user"]), ("sAMAccountName", [b"probe"]),
                    ("unicodePwd", ['"Probe-Pass-1x"'.encode("utf-16-le")]), ("userAccountControl", [b"512"])])
    assert ad.highest_usn() > before
    assert ad.bind_error("probe@" + ad.realm, "Probe-Pass-1x") is None
    assert ad.bind_error("probe@" + ad.realm, "wrong") == "52e"
    conn.modify_s(dn, [(ldap.MOD_REPLACE, "userAccountControl", [b"514"])])
    assert ad.bind_error("probe@" + ad.realm, "Probe-Pass-1x") == "533"
    conn.unbind_s()
