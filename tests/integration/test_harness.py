"""The lab harness behaves like the real thing it stands in for."""

import socket
import subprocess
import time
from pathlib import Path

import ldap
import pytest

from tests.harness import servers as servers_module
from tests.harness.servers import HOST, LabServers, crypt_password, free_ports, port_is_free, process_group_members
from tests.harness.xdist_groups import ungrouped

PASSWORD = "Correct-Horse-7"
ALICE = "alice@example.org"


def can_bind(slapd, dn, password):
    try:
        slapd.connect(dn, password).unbind_s()
    except ldap.INVALID_CREDENTIALS:
        return False
    return True


def set_user_password(slapd, dn, value):
    conn = slapd.connect()
    conn.modify_s(dn, [(ldap.MOD_REPLACE, "userPassword", [value.encode()])])
    conn.unbind_s()


def tls_connection(uri, ca_path=None):
    conn = ldap.initialize(uri)
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
    if ca_path is not None:
        conn.set_option(ldap.OPT_X_TLS_CACERTFILE, str(ca_path))
    conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
    conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
    return conn


def test_crypt_sha512_user_binds_and_logs_in_over_imap(clean_lab):
    dn = clean_lab.slapd.add_user("alice", ALICE, PASSWORD)

    assert can_bind(clean_lab.slapd, dn, PASSWORD)
    assert not can_bind(clean_lab.slapd, dn, "wrong")
    assert clean_lab.dovecot.imap_login(ALICE, PASSWORD)
    assert not clean_lab.dovecot.imap_login(ALICE, "wrong")


def test_locked_crypt_password_is_refused_until_unlocked(clean_lab):
    slapd, dovecot = clean_lab.slapd, clean_lab.dovecot
    dn = slapd.add_user("alice", ALICE, PASSWORD)
    hashed = crypt_password(PASSWORD).removeprefix("{CRYPT}")

    set_user_password(slapd, dn, "{CRYPT}!" + hashed)
    assert not can_bind(slapd, dn, PASSWORD)
    assert not dovecot.imap_login(ALICE, PASSWORD)

    set_user_password(slapd, dn, "{CRYPT}" + hashed)
    assert can_bind(slapd, dn, PASSWORD)
    assert dovecot.imap_login(ALICE, PASSWORD)


def test_lmtp_delivery_lands_in_inbox(clean_lab):
    clean_lab.slapd.add_user("alice", ALICE, PASSWORD)

    clean_lab.dovecot.deliver(ALICE, "Welcome", "Hello Alice")

    [message] = clean_lab.dovecot.inbox(ALICE, PASSWORD)
    assert message["Subject"] == "Welcome"
    assert message.get_payload().strip() == "Hello Alice"


def test_provisioner_writes_only_below_people_and_departments(clean_lab):
    slapd = clean_lab.slapd
    conn = slapd.connect(slapd.service_dn, slapd.service_pw)
    person = [
        ("objectClass", [b"inetOrgPerson"]), ("uid", [b"bob"]), ("cn", [b"Bob"]),
        ("sn", [b"Bob"]), ("mail", [b"bob@example.org"]),
        ("userPassword", [crypt_password(PASSWORD).encode()]),
    ]
    conn.add_s(f"uid=bob,{slapd.users_dn}", person)
    conn.add_s(f"ou=sales,{slapd.departments_dn}",
               [("objectClass", [b"organizationalUnit"]), ("ou", [b"sales"])])
    assert conn.search_s(slapd.base_dn, ldap.SCOPE_BASE)  # reads the rest

    with pytest.raises(ldap.INSUFFICIENT_ACCESS):
        conn.add_s(f"ou=rogue,{slapd.base_dn}",
                   [("objectClass", [b"organizationalUnit"]), ("ou", [b"rogue"])])
    with pytest.raises(ldap.INSUFFICIENT_ACCESS):
        conn.modify_s(slapd.lookup_dn, [(ldap.MOD_REPLACE, "description", [b"x"])])
    conn.unbind_s()
    assert can_bind(slapd, f"uid=bob,{slapd.users_dn}", PASSWORD)


def test_users_read_only_themselves_and_lookup_account_cannot_read_passwords(clean_lab):
    slapd = clean_lab.slapd
    alice_dn = slapd.add_user("alice", ALICE, PASSWORD)
    carol_dn = slapd.add_user("carol", "carol@example.org", PASSWORD)

    alice = slapd.connect(alice_dn, PASSWORD)
    [(dummy, own_entry)] = alice.search_s(alice_dn, ldap.SCOPE_BASE)
    assert own_entry["mail"] == [ALICE.encode()]
    with pytest.raises(ldap.NO_SUCH_OBJECT):  # others are not even disclosed
        alice.search_s(carol_dn, ldap.SCOPE_BASE)

    lookup = slapd.connect(slapd.lookup_dn, slapd.lookup_pw)
    found = lookup.search_s(slapd.users_dn, ldap.SCOPE_SUBTREE, f"(mail={ALICE})")
    assert [dn for dn, dummy in found] == [alice_dn]
    assert "mail" in found[0][1] and "userPassword" not in found[0][1]

    anonymous = ldap.initialize(slapd.uri)
    with pytest.raises(ldap.NO_SUCH_OBJECT):  # slapd does not even disclose the OU
        anonymous.search_s(slapd.users_dn, ldap.SCOPE_SUBTREE)


def test_write_ops_counts_one_ldapmodify_and_export_sees_it(clean_lab):
    slapd = clean_lab.slapd
    dn = slapd.add_user("alice", ALICE, PASSWORD)
    before_ops, before_export = slapd.write_ops(), slapd.export()
    assert slapd.export() == before_export  # deterministic when nothing changed

    subprocess.run(
        ["ldapmodify", "-x", "-H", slapd.uri, "-D", slapd.root_dn, "-w", slapd.root_pw],
        input=f"dn: {dn}\nchangetype: modify\nreplace: title\ntitle: Engineer\n",
        text=True, check=True, capture_output=True,
    )

    assert slapd.write_ops() == before_ops + 1
    after_export = slapd.export()
    assert after_export != before_export
    assert "title: Engineer" in after_export


def test_reset_empties_people_and_departments_but_keeps_them(clean_lab):
    slapd = clean_lab.slapd
    slapd.add_user("alice", ALICE, PASSWORD)
    conn = slapd.connect()
    conn.add_s(f"ou=sales,{slapd.departments_dn}",
               [("objectClass", [b"organizationalUnit"]), ("ou", [b"sales"])])
    conn.add_s(f"ou=emea,ou=sales,{slapd.departments_dn}",
               [("objectClass", [b"organizationalUnit"]), ("ou", [b"emea"])])

    slapd.reset()

    for ou_dn in (slapd.users_dn, slapd.departments_dn):
        assert conn.search_s(ou_dn, ldap.SCOPE_ONELEVEL) == []
        assert conn.search_s(ou_dn, ldap.SCOPE_BASE)
    conn.unbind_s()


# 127.0.0.1, not localhost: libldap checks a "localhost" URI against the
# reverse-resolved name of the peer (e.g. the machine's hostname) instead.
@pytest.mark.parametrize("use_starttls", [True, False], ids=["starttls", "ldaps"])
def test_tls_verifies_with_lab_ca_only(lab, use_starttls):
    slapd = lab.slapd
    uri = slapd.uri if use_starttls else slapd.ldaps_uri

    conn = tls_connection(uri, lab.ca_path)
    if use_starttls:
        conn.start_tls_s()
    conn.simple_bind_s(slapd.root_dn, slapd.root_pw)
    assert conn.whoami_s() == f"dn:{slapd.root_dn}"
    conn.unbind_s()

    untrusting = tls_connection(uri)  # system CAs only
    with pytest.raises((ldap.CONNECT_ERROR, ldap.SERVER_DOWN)):
        if use_starttls:
            untrusting.start_tls_s()
        untrusting.simple_bind_s(slapd.root_dn, slapd.root_pw)


def test_stop_leaves_no_process_and_frees_ports():
    servers = LabServers()
    try:
        started = time.monotonic()
        servers.start()
        slapd, dovecot = servers.slapd, servers.dovecot
        state_dir = servers.state_dir
        ports = [slapd.port, slapd.ldaps_port, dovecot.imap_port, dovecot.lmtp_port]
        assert [port for port in ports if port_is_free(port)] == []
        assert process_group_members(slapd.pid) == [slapd.pid]
        assert dovecot.pid in process_group_members(dovecot.pid)

        servers.stop()
        elapsed = time.monotonic() - started
    finally:
        servers.stop()  # idempotent; cleans up if an assertion or Ctrl-C came first

    assert process_group_members(slapd.pid) == []
    assert process_group_members(dovecot.pid) == []
    assert [port for port in ports if not port_is_free(port)] == []
    assert not Path(state_dir).exists()
    assert elapsed < 15, f"start+stop took {elapsed:.1f}s"


def test_a_port_taken_before_the_server_binds_it_costs_a_retry_not_the_run(monkeypatch):
    """Parallel test workers pick free ports at the same time: one may take a port another picked."""
    picks = []

    def first_pick_taken(count):
        ports = free_ports(count)
        if not picks:
            ports[0] = squatter.getsockname()[1]
        picks.append(ports)
        return ports

    with socket.socket() as squatter:
        squatter.bind((HOST, 0))
        squatter.listen()
        monkeypatch.setattr(servers_module, "free_ports", first_pick_taken)
        with LabServers() as servers:
            assert len(picks) == 2 and servers.slapd.port == picks[1][0] != picks[0][0]
            servers.slapd.connect().unbind_s()
            assert servers.dovecot.imap_login("nobody@example.org", "wrong") is False


class _Item:
    """What ungrouped() reads of a pytest item: its node id and its xdist_group mark."""

    def __init__(self, nodeid, group=None):
        self.nodeid = nodeid
        self.group = group

    def get_closest_marker(self, name):
        return pytest.mark.xdist_group(self.group).mark if name == "xdist_group" and self.group else None


def test_ungrouped_names_the_group_items_that_lost_their_group():
    kept = [_Item("tests/integration/test_ad.py::test_a@samba_dc", "samba_dc"), _Item("tests/test_x.py::test_b")]
    assert ungrouped(kept) == []
    lost = [_Item("tests/integration/test_ad.py::test_a", "samba_dc"), _Item("tests/test_x.py::test_b[a@b]"),
            _Item("tests/integration/test_ad.py::test_c[a@b]", "samba_dc"),
            _Item("tests/integration/test_ad.py::test_d[a@b]@samba_dc", "samba_dc")]
    assert ungrouped(lost) == ["tests/integration/test_ad.py::test_a", "tests/integration/test_ad.py::test_c[a@b]"]
