"""The `lab` role through the real playbooks/lab.yml: started, again (changed=0), a user logs in
over IMAP, stopped (no process, ports free), absent (state directory gone)."""

import imaplib
import os
import shutil
import signal
import tempfile
from pathlib import Path

import ldap
import ldap.modlist
import pytest
import yaml

from tests.harness.servers import crypt_password, free_ports, port_is_free
from tests.integration.playbook import REPO, run_playbook_file

PASSWORD = "Lab-Role-Pass-7"
USER = "dana@example.org"


def run_lab(work_dir, state, lab_vars):
    """ansible-playbook -i inventory/lab playbooks/lab.yml -e lab_state=<state> (as `make lab-start`
    does, plus the test's state dir and ports); returns the PlaybookRun, which must have succeeded."""
    run = run_playbook_file(work_dir, REPO / "playbooks" / "lab.yml", extra_vars=dict(lab_vars, lab_state=state),
                            extra_args=["-i", str(REPO / "inventory" / "lab")])
    assert run.rc == 0, f"lab_state={state} failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    return run


def live(pid):
    """True if pid is a process that has not exited (a zombie waiting for its reaper has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def session_members(sid):
    """Live pids of session sid (start.yml runs each daemon in its own session)."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(stat_file.parent.name))
    return members


def listening_addresses(ports):
    """{(address, port)} of the TCP sockets listening on any of ports, IPv4 and IPv6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, _remote, state = line.split()[1:4]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) in ports:  # 0A: LISTEN
                if len(address) == 8:  # IPv4, little-endian hex
                    address = ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0))
                found.add((address, int(port, 16)))
    return found


def read_pids(state_dir):
    """The daemons' pids from the pid files they wrote, for those that exist."""
    files = {"slapd": state_dir / "slapd.pid", "dovecot": state_dir / "dovecot-run" / "master.pid"}
    return {name: int(path.read_text()) for name, path in files.items() if path.exists()}


def starttls_connection(mailbox_ldap):
    conn = ldap.initialize(mailbox_ldap["server_uri"])
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
    conn.set_option(ldap.OPT_X_TLS_CACERTFILE, mailbox_ldap["ca_path"])
    conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
    conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
    conn.start_tls_s()
    conn.simple_bind_s(mailbox_ldap["bind_dn"], mailbox_ldap["bind_pw"])
    return conn


@pytest.fixture
def lab_dirs():
    """A work dir for the runs, and a state dir below a 0711 parent (the mail owner, nobody when
    run as root, must get through every directory above the mailboxes; pytest's tmp_path is 0700)."""
    parent = Path(tempfile.mkdtemp(prefix="mailops-lab-role-"))
    parent.chmod(0o711)
    (parent / "work").mkdir()
    try:
        yield parent / "work", parent / "lab"
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_lab_starts_is_idempotent_serves_imap_stops_and_goes(lab_dirs):
    work_dir, state_dir = lab_dirs
    ldap_port, ldaps_port, imap_port, lmtp_port = free_ports(4)
    ports = [ldap_port, ldaps_port, imap_port, lmtp_port]
    lab_vars = dict(lab_state_dir=str(state_dir), lab_ldap_port=ldap_port, lab_ldaps_port=ldaps_port,
                    lab_imap_port=imap_port, lab_lmtp_port=lmtp_port)
    pids = {}
    try:
        run = run_lab(work_dir, "started", lab_vars)
        assert run.stats["changed"] > 0

        connection_file = state_dir / "connection.yml"
        assert connection_file.stat().st_mode & 0o777 == 0o600
        connection = yaml.safe_load(connection_file.read_text())
        mailbox_ldap, mailbox_lab = connection["mailbox_ldap"], connection["mailbox_lab"]
        assert mailbox_ldap["server_uri"] == f"ldap://127.0.0.1:{ldap_port}"
        assert mailbox_ldap["start_tls"] is True and mailbox_ldap["validate_certs"] is True
        assert mailbox_ldap["ca_path"] == str(state_dir / "ca.pem")
        assert mailbox_ldap["bind_dn"] == "cn=provisioner,dc=example,dc=org"
        assert (mailbox_ldap["users_dn"], mailbox_ldap["departments_dn"]) == (
            "ou=people,dc=example,dc=org", "ou=departments,dc=example,dc=org")
        assert mailbox_lab == dict(mailbox_lab, imap_port=imap_port, lmtp_port=lmtp_port, state_dir=str(state_dir))
        # Generated secrets: 0600 files in a 0700 directory, never printed.
        secrets_dir = state_dir / "secrets"
        assert secrets_dir.stat().st_mode & 0o777 == 0o700
        secret_files = sorted(secrets_dir.iterdir())
        assert {f.name for f in secret_files} >= {"root_pw", "provisioner_pw", "lookup_pw"}
        assert all(f.stat().st_mode & 0o777 == 0o600 for f in secret_files)
        for secret_file in secret_files:
            secret = secret_file.read_text().split()[0]
            assert secret not in run.text, f"{secret_file.name} was printed"

        # Only on 127.0.0.1, each daemon in its own session (pid from its pid file).
        pids = read_pids(state_dir)
        assert sorted(pids) == ["dovecot", "slapd"]
        assert all(live(pid) and pid in session_members(pid) for pid in pids.values())
        assert [port for port in ports if port_is_free(port)] == []
        assert listening_addresses(ports) == {("127.0.0.1", port) for port in ports}

        # StartTLS bind as the provisioner, exactly as connection.yml says.
        conn = starttls_connection(mailbox_ldap)
        assert conn.whoami_s() == f"dn:{mailbox_ldap['bind_dn']}"
        found = conn.search_s(mailbox_ldap["base_dn"], ldap.SCOPE_ONELEVEL, "(objectClass=*)", ["1.1"])
        assert {dn for dn, dummy in found} >= {mailbox_ldap["users_dn"], mailbox_ldap["departments_dn"]}

        # Dovecot greets on the IMAP port, and a user written with python-ldap logs in.
        conn.add_s(f"uid=dana,{mailbox_ldap['users_dn']}", ldap.modlist.addModlist({
            "objectClass": [b"inetOrgPerson"], "uid": [b"dana"], "cn": [b"Dana"], "sn": [b"Dana"],
            "mail": [USER.encode()], "userPassword": [crypt_password(PASSWORD).encode()]}))
        conn.unbind_s()
        imap = imaplib.IMAP4("127.0.0.1", imap_port, timeout=10)
        try:
            assert imap.welcome.startswith(b"* OK")
            imap.login(USER, PASSWORD)
            assert imap.select("INBOX")[0] == "OK"
        finally:
            imap.logout()

        # Running and unchanged: nothing to do, same processes.
        assert run_lab(work_dir, "started", lab_vars).stats["changed"] == 0
        assert all(live(pid) for pid in pids.values())

        assert run_lab(work_dir, "stopped", lab_vars).stats["changed"] > 0
        assert [name for name, pid in pids.items() if live(pid) or session_members(pid)] == []
        assert [port for port in ports if not port_is_free(port)] == []
        assert not (state_dir / "slapd.pid").exists()
        assert (state_dir / "connection.yml").exists()  # stopped keeps the data

        run_lab(work_dir, "absent", lab_vars)
        assert not state_dir.exists()
    finally:
        # A failed run or assertion must not leave daemons behind.
        for pid in (pids or read_pids(state_dir)).values():
            if live(pid):
                os.kill(pid, signal.SIGTERM)
