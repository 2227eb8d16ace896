"""A real Samba Active Directory domain controller on 127.0.0.1, for the `profile: ad` tests.

Debian's `samba samba-ad-dc samba-ad-provision` (bindep.txt, profile `test`): `samba-tool domain
provision` writes the whole domain into a temp dir (~10 s on 2 cores), then `samba -F` serves LDAP
and LDAPS from it, in the foreground in its own process group, output to a file.

What differs from the slapd harness, and why:
- Samba listens on the fixed ports 389 and 636 (no option moves them), so one DC at a time may
  run on a machine: ``SambaDC.start`` holds an exclusive lock (LOCK_PATH) until ``stop``; another
  test run (or pytest-xdist worker) waits for it. The AD tests are one xdist group as well.
- Its own self-signed certificate names the host, with no 127.0.0.1 SAN: smb.conf gets the
  harness's CA-signed certificate for 127.0.0.1, so clients keep ``validate_certs`` on.
- It refuses simple binds on plain LDAP unless smb.conf says ``ldap server require strong auth =
  no`` (samba-tool drops that --option, so the file is edited): the tests need plain LDAP to show
  that the collection, not the server, refuses to send passwords in clear.
- Writes are counted by the domain's ``highestCommittedUSN`` (rootDSE), which every write raises.
"""

import fcntl
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import ldap
import ldap.dn

from .certs import make_certs
from .servers import _start_daemon, _stop_daemon, _tail

HOST = "127.0.0.1"
LDAP_PORT, LDAPS_PORT = 389, 636
LOCK_PATH = Path(tempfile.gettempdir()) / "mailops-samba-dc.lock"
LOCK_TIMEOUT = 900.0
START_TIMEOUT = 60.0
PACKAGES = "samba samba-ad-dc samba-ad-provision"


def unavailable_reason():
    """Why a Samba DC cannot run here, or None."""
    for tool in ("samba", "samba-tool"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian packages {PACKAGES}: make system-deps)"
    if not Path("/usr/share/samba/setup/ad-schema").is_dir():
        return "the AD schema files are not installed (Debian package samba-ad-provision: make system-deps)"
    if os.geteuid() != 0:
        return "a Samba AD DC must run as root (it opens ports 389/636 and owns its databases)"
    return None


def bind_error(uri, ca_path, who, password):
    """None when ``who`` binds with ``password``, else AD's reason code from the error text:
    ``773`` (right password, must change it), ``52e`` (wrong password), ``533`` (disabled)..."""
    conn = ldap.initialize(uri)
    conn.set_option(ldap.OPT_REFERRALS, 0)
    conn.set_option(ldap.OPT_X_TLS_CACERTFILE, str(ca_path))
    conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
    conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
    try:
        conn.simple_bind_s(who, password)
        return None
    except ldap.INVALID_CREDENTIALS as exc:
        info = exc.args[0].get("info", "")
        return info.split("data ", 1)[1].split(",", 1)[0] if "data " in info else info
    finally:
        conn.unbind_s()


class SambaDC:
    realm = "MAILOPS.TEST"
    workgroup = "MAILOPS"
    base_dn = "DC=mailops,DC=test"
    # Everything the collection manages lies below this OU, which reset() empties.
    managed_dn = "OU=mailops,DC=mailops,DC=test"
    users_dn = "OU=people,OU=mailops,DC=mailops,DC=test"
    departments_dn = "OU=departments,OU=mailops,DC=mailops,DC=test"
    admin_dn = "CN=Administrator,CN=Users,DC=mailops,DC=test"
    uri = f"ldap://{HOST}:{LDAP_PORT}"
    ldaps_uri = f"ldaps://{HOST}:{LDAPS_PORT}"

    def __init__(self):
        self.state_dir = None
        # AD's default policy wants three of: upper, lower, digit, symbol; at least 7 characters.
        self.admin_pw = "Adm-" + secrets.token_urlsafe(12) + "9z"
        self.certs = None
        self.ca_path = None
        self.log_path = None
        self._proc = None
        self._lock = None

    # Lifecycle ---------------------------------------------------------------------------------

    def start(self):
        self._acquire_lock()
        try:
            self.state_dir = Path(tempfile.mkdtemp(prefix="mailops-samba-"))
            self.log_path = self.state_dir / "samba.log"
            self._provision()
            self._serve()
            self.reset()
        except BaseException:
            self.stop()
            raise
        return self

    def _acquire_lock(self):
        self._lock = open(LOCK_PATH, "a")
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"another Samba DC held {LOCK_PATH} (ports 389/636) for {LOCK_TIMEOUT:.0f}s")
                time.sleep(0.5)

    def _provision(self):
        run_dir = self.state_dir / "run"
        run_dir.mkdir()
        certs_dir = self.state_dir / "certs"
        certs_dir.mkdir()
        self.certs = make_certs(certs_dir)
        self.ca_path = self.certs.ca
        argv = ["samba-tool", "domain", "provision", "--server-role=dc", "--dns-backend=NONE",
                f"--targetdir={self.state_dir}", f"--realm={self.realm}", f"--domain={self.workgroup}",
                f"--adminpass={self.admin_pw}",
                "--option=interfaces=lo", "--option=bind interfaces only=yes", "--option=server services=ldap",
                f"--option=pid directory={run_dir}", f"--option=log file={self.state_dir / 'log.%m'}"]
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            # The output names paths and settings, never the admin password (it is only in argv).
            raise RuntimeError(f"samba-tool domain provision exited with {done.returncode}:\n"
                               + "\n".join((done.stdout + done.stderr).splitlines()[-20:]))
        conf = self.state_dir / "etc" / "smb.conf"
        extra = (f"\ttls enabled = yes\n\ttls certfile = {self.certs.cert}\n\ttls keyfile = {self.certs.key}\n"
                 f"\ttls cafile = {self.certs.ca}\n\tldap server require strong auth = no\n")
        conf.write_text(conf.read_text().replace("[global]\n", "[global]\n" + extra, 1))
        self.conf_path = conf

    def _serve(self):
        self._proc = _start_daemon(["samba", "-s", str(self.conf_path), "-F", "--debug-stdout"], self.log_path)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"samba exited with {self._proc.returncode}:\n{_tail(self.log_path)}")
            try:
                self.connect().unbind_s()
                return
            except ldap.LDAPError:
                time.sleep(0.1)
        raise RuntimeError(f"samba not ready after {START_TIMEOUT}s:\n{_tail(self.log_path)}")

    def stop(self):
        _stop_daemon(self._proc)
        self._proc = None
        if self.state_dir is not None:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            self.state_dir = None
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    # Looking at the directory -------------------------------------------------------------------

    def connect(self, uri=None):
        """A python-ldap connection bound as the domain administrator (LDAPS, certificate verified)."""
        conn = ldap.initialize(uri or self.ldaps_uri)
        conn.set_option(ldap.OPT_REFERRALS, 0)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        conn.set_option(ldap.OPT_X_TLS_CACERTFILE, str(self.ca_path))
        conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
        conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
        conn.simple_bind_s(self.admin_dn, self.admin_pw)
        return conn

    def connection_options(self, **overrides):
        """The module's ``ldap:`` dict for this DC with ``profile: ad``."""
        options = dict(server_uri=self.ldaps_uri, bind_dn=self.admin_dn, bind_pw=self.admin_pw, base_dn=self.base_dn,
                       users_dn=self.users_dn, departments_dn=self.departments_dn, ca_path=str(self.ca_path),
                       profile="ad", timeout=20)
        options.update(overrides)
        return options

    def reset(self):
        """Delete everything below managed_dn and recreate it with empty users and departments OUs."""
        conn = self.connect()
        try:
            try:
                found = conn.search_s(self.managed_dn, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
            except ldap.NO_SUCH_OBJECT:
                found = []
            # Leaves first: a DC refuses to delete an entry with children.
            for dn in sorted((dn for dn, _a in found), key=lambda d: -len(ldap.dn.str2dn(d))):
                conn.delete_s(dn)
            conn.add_s(self.managed_dn, [("objectClass", [b"organizationalUnit"]), ("ou", [b"mailops"])])
            # The users and departments containers exist, as in the slapd harness's base entries: the
            # collection creates a missing container only when told to (ldap.create_containers).
            for dn in (self.users_dn, self.departments_dn):
                name = ldap.dn.str2dn(dn)[0][0][1]
                conn.add_s(dn, [("objectClass", [b"organizationalUnit"]), ("ou", [name.encode()])])
        finally:
            conn.unbind_s()

    def users(self):
        """``{mail (lower-case): (dn, {attribute: [text]})}`` of the user objects below managed_dn;
        binary attributes (objectSid, objectGUID) left out."""
        conn = self.connect()
        try:
            found = conn.search_s(self.managed_dn, ldap.SCOPE_SUBTREE, "(objectClass=user)")
        finally:
            conn.unbind_s()
        result = {}
        for dn, attrs in found:
            text = {}
            for name, values in attrs.items():
                try:
                    text[name] = [v.decode("utf-8") for v in values]
                except UnicodeDecodeError:
                    continue
            result[text.get("mail", [dn])[0].lower()] = (dn, text)
        return result

    def highest_usn(self):
        """The domain's highestCommittedUSN: every write to the directory raises it."""
        conn = self.connect()
        try:
            root = conn.search_s("", ldap.SCOPE_BASE, "(objectClass=*)", ["highestCommittedUSN"])
        finally:
            conn.unbind_s()
        return int(root[0][1]["highestCommittedUSN"][0])

    def bind_error(self, who, password):
        return bind_error(self.ldaps_uri, self.ca_path, who, password)
