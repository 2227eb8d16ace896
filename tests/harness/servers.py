"""A real OpenLDAP slapd and a real Dovecot on 127.0.0.1, for integration tests.

Everything lives in one temp dir: config rendered from roles/lab/templates
(the same templates the `lab` role uses), TLS material, databases, mail and
logs.  Daemons run in the foreground in their own process group, with output
to a file (a daemon holding a pipe of ours would make the caller hang).
"""

import email
import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import time
from contextlib import ExitStack
from email.message import EmailMessage
from pathlib import Path

import jinja2
import ldap
import ldap.modlist
from passlib.hash import ldap_salted_sha1, sha512_crypt

from .certs import make_certs

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "roles" / "lab" / "templates"
HOST = "127.0.0.1"
START_TIMEOUT = 10.0
# Dovecot normally stops in ~1.1 s; SIGTERMed mid-startup it can take ~6 s.
STOP_TIMEOUT = 5.0
# Starts of a LabServers, each on fresh ports, before a failure counts.
START_ATTEMPTS = 3

# slapd's stats log has one "conn=N op=M <OP> dn=..." line per write request
# (a MOD adds "MOD attr=..." lines, which do not match).
WRITE_OP_LINE = re.compile(r"conn=\d+ op=\d+ (?:ADD|MOD|DEL|MODRDN) dn=")


def free_ports(count):
    """count distinct free TCP ports on 127.0.0.1 (held together while picked)."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for dummy in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]


def port_is_free(port):
    """True if a server could listen on 127.0.0.1:port now.

    SO_REUSEADDR, as slapd and Dovecot use it: a TIME-WAIT left by a closed
    connection does not make the port busy, a listening socket does.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def render(template_name, destination, variables, mode=0o644):
    # trim_blocks matches Ansible's template module, so both render alike.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    destination = Path(destination)
    destination.write_text(env.get_template(template_name).render(variables))
    destination.chmod(mode)


def crypt_password(password):
    """userPassword value as the provisioning code writes it: {CRYPT} + SHA-512-crypt."""
    return "{CRYPT}" + sha512_crypt.using(rounds=5000).hash(password)


def process_group_members(pgid):
    """Live (non-zombie) pids in process group pgid."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:  # exited meanwhile
            continue
        # Fields after "(comm)": state ppid pgrp ...
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(stat_file.parent.name))
    return members


def _start_daemon(argv, log_path):
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stoppable as a whole, no stray Ctrl-C
        )


def _stop_daemon(proc):
    """SIGTERM, wait for the whole process group to go, SIGKILL what is left."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None and not process_group_members(proc.pid):
            return
        time.sleep(0.01)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _wait_until(ready, proc, log_path, what):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{_tail(log_path)}")
        if ready() and proc.poll() is None:
            return
        time.sleep(0.01)
    raise RuntimeError(f"{what} not ready after {START_TIMEOUT}s:\n{_tail(log_path)}")


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _ldap_entry(attrs):
    return ldap.modlist.addModlist(
        {name: [v.encode() for v in (values if isinstance(values, list) else [values])]
         for name, values in attrs.items()}
    )


class Slapd:
    base_dn = "dc=example,dc=org"
    root_dn = "cn=admin,dc=example,dc=org"
    users_dn = "ou=people,dc=example,dc=org"
    departments_dn = "ou=departments,dc=example,dc=org"
    # May write only below users_dn and departments_dn, reads the rest.
    service_dn = "cn=provisioner,dc=example,dc=org"
    # Read-only; Dovecot's passdb uses it to find a user's DN.
    lookup_dn = "cn=dovecot,dc=example,dc=org"

    def __init__(self, state_dir, certs, port, ldaps_port):
        self.state_dir = Path(state_dir)
        self.certs = certs
        self.ca_path = certs.ca
        self.port = port
        self.ldaps_port = ldaps_port
        self.uri = f"ldap://{HOST}:{port}"
        self.ldaps_uri = f"ldaps://{HOST}:{ldaps_port}"
        self.root_pw = secrets.token_urlsafe(16)
        self.root_pw_hash = ldap_salted_sha1.hash(self.root_pw)
        self.service_pw = secrets.token_urlsafe(16)
        self.lookup_pw = secrets.token_urlsafe(16)
        self.service_pw_hash = ldap_salted_sha1.hash(self.service_pw)
        self.lookup_pw_hash = ldap_salted_sha1.hash(self.lookup_pw)
        self.conf_path = self.state_dir / "slapd.conf"
        self.db_dir = self.state_dir / "ldap-db"
        self.log_path = self.state_dir / "slapd.log"
        self._proc = None

    def template_vars(self):
        return {
            "lab_state_dir": str(self.state_dir),
            "lab_ldap_port": self.port,
            "lab_ldaps_port": self.ldaps_port,
            "lab_ldap_db_dir": str(self.db_dir),
            "lab_ldap_db_maxsize": 1 << 30,
            "lab_base_dn": self.base_dn,
            "lab_organization": "Example",
            "lab_root_dn": self.root_dn,
            "lab_root_pw_hash": self.root_pw_hash,
            "lab_users_dn": self.users_dn,
            "lab_departments_dn": self.departments_dn,
            "lab_provisioner_dn": self.service_dn,
            "lab_lookup_dn": self.lookup_dn,
            "lab_lookup_pw": self.lookup_pw,
            "lab_provisioner_pw_hash": self.service_pw_hash,
            "lab_lookup_pw_hash": self.lookup_pw_hash,
            "lab_tls_cert": str(self.certs.cert),
            "lab_tls_key": str(self.certs.key),
            "lab_tls_ca": str(self.certs.ca),
        }

    def start(self):
        variables = self.template_vars()
        render("slapd.conf.j2", self.conf_path, variables, mode=0o600)
        self.db_dir.mkdir(mode=0o700)
        # The base entries and service accounts, as the lab role loads them.
        base_ldif = self.state_dir / "base.ldif"
        render("base.ldif.j2", base_ldif, variables, mode=0o600)
        loaded = subprocess.run(["slapadd", "-f", str(self.conf_path), "-l", str(base_ldif)],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        if loaded.returncode != 0:
            raise RuntimeError(f"slapadd exited with {loaded.returncode}:\n{loaded.stderr}")
        self._serve()

    def _serve(self):
        # -d 256 (stats): stay in the foreground and log every operation.
        self._proc = _start_daemon(
            ["slapd", "-d", "256", "-f", str(self.conf_path),
             "-h", f"{self.uri}/ {self.ldaps_uri}/"],
            self.log_path,
        )
        _wait_until(self._answers_bind, self._proc, self.log_path, "slapd")

    def stop(self):
        _stop_daemon(self._proc)

    def kill(self):
        """SIGKILL slapd, as a crash or an OOM kill would: no shutdown, no flush; returns once it is gone."""
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._proc.wait()

    def restart(self):
        """Start slapd again on the same configuration, database and ports (after kill() or stop())."""
        if self._proc is not None and self._proc.poll() is None:
            raise RuntimeError("slapd is still running (pid %d)" % self._proc.pid)
        self._serve()

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def connect(self, dn=None, password=None, uri=None):
        """python-ldap connection trusting the lab CA, bound as dn (default: the rootdn)."""
        conn = ldap.initialize(uri or self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        conn.set_option(ldap.OPT_X_TLS_CACERTFILE, str(self.ca_path))
        conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
        conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
        if dn is None:
            dn, password = self.root_dn, self.root_pw
        conn.simple_bind_s(dn, password)
        return conn

    def write_ops(self):
        """ADD/MOD/DEL/MODRDN requests slapd has logged so far, refused ones included."""
        return len(WRITE_OP_LINE.findall(self.log_path.read_text(errors="replace")))

    def export(self):
        """The whole DIT, user and operational attributes, as LDIF in entry-id order.

        slapcat reads the mdb database directly (safe while slapd runs), so the
        output holds exactly what is stored: same data, same bytes.
        """
        result = subprocess.run(
            ["slapcat", "-f", str(self.conf_path), "-b", self.base_dn, "-o", "ldif_wrap=no"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, check=True,
        )
        return result.stdout

    def reset(self):
        """Delete everything below users_dn and departments_dn (keeping both OUs)."""
        conn = self.connect()
        try:
            for ou_dn in (self.users_dn, self.departments_dn):
                try:
                    found = conn.search_s(ou_dn, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
                except ldap.NO_SUCH_OBJECT:
                    conn.add_s(ou_dn, self._ou_entry(ou_dn))
                    continue
                below = [dn for dn, dummy in found if dn.lower() != ou_dn.lower()]
                # Leaves first: slapd refuses to delete an entry that has children. One depth at a
                # time, many deletes in flight: thousands of users go in a second or two.
                depths = {}
                for dn in below:
                    depths.setdefault(len(ldap.dn.str2dn(dn)), []).append(dn)
                for depth in sorted(depths, reverse=True):
                    for start in range(0, len(depths[depth]), 200):
                        for msgid in [conn.delete_ext(dn) for dn in depths[depth][start:start + 200]]:
                            conn.result3(msgid)
        finally:
            conn.unbind_s()

    def add_user(self, uid, mail, password, **attrs):
        """Add an inetOrgPerson below users_dn with a {CRYPT} SHA-512 password; returns its DN."""
        dn = f"uid={uid},{self.users_dn}"
        entry = {
            "objectClass": ["inetOrgPerson"],
            "uid": uid,
            "cn": uid,
            "sn": uid,
            "mail": mail,
            "userPassword": crypt_password(password),
            **attrs,
        }
        conn = self.connect()
        try:
            conn.add_s(dn, _ldap_entry(entry))
        finally:
            conn.unbind_s()
        return dn

    def _answers_bind(self):
        """Our slapd answers a bind as its rootdn. Anything else on the port (a server that picked
        it at the same time) answers wrongly or not at all: not ready yet, and our slapd's exit,
        which _wait_until watches, ends the wait."""
        conn = ldap.initialize(self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)
        conn.set_option(ldap.OPT_TIMEOUT, 1)
        try:
            conn.simple_bind_s(self.root_dn, self.root_pw)
            return True
        except (ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.INVALID_CREDENTIALS):
            return False
        finally:
            try:
                conn.unbind_s()
            except ldap.LDAPError:
                pass

    @staticmethod
    def _ou_entry(dn):
        return _ldap_entry({"objectClass": "organizationalUnit",
                            "ou": ldap.dn.str2dn(dn)[0][0][1]})


class Dovecot:
    def __init__(self, state_dir, slapd, imap_port, lmtp_port):
        self.state_dir = Path(state_dir)
        self.slapd = slapd
        self.imap_port = imap_port
        self.lmtp_port = lmtp_port
        self.mail_dir = self.state_dir / "mail"
        self.conf_path = self.state_dir / "dovecot.conf"
        self.log_path = self.state_dir / "dovecot.log"
        self.output_path = self.state_dir / "dovecot.out"  # stderr before log_path is open
        self._proc = None
        if os.geteuid() == 0:
            # Mail must not belong to root (Dovecot refuses uid 0 by default).
            nobody = pwd.getpwnam("nobody")
            self.mail_uid, self.mail_gid = nobody.pw_uid, nobody.pw_gid
            self.internal_user, self.internal_group = "dovecot", "dovecot"
            self.login_user = "dovenull"
        else:
            me = pwd.getpwuid(os.geteuid())
            self.mail_uid, self.mail_gid = me.pw_uid, me.pw_gid
            self.internal_user = self.login_user = me.pw_name
            self.internal_group = grp.getgrgid(me.pw_gid).gr_name

    def template_vars(self):
        return {
            **self.slapd.template_vars(),
            "lab_imap_port": self.imap_port,
            "lab_lmtp_port": self.lmtp_port,
            "lab_mail_dir": str(self.mail_dir),
            "lab_mail_uid": self.mail_uid,
            "lab_mail_gid": self.mail_gid,
            "lab_dovecot_internal_user": self.internal_user,
            "lab_dovecot_internal_group": self.internal_group,
            "lab_dovecot_login_user": self.login_user,
        }

    def start(self):
        variables = self.template_vars()
        render("dovecot.conf.j2", self.conf_path, variables)
        render("dovecot-ldap.conf.ext.j2", self.state_dir / "dovecot-ldap.conf.ext",
               variables, mode=0o600)
        self.mail_dir.mkdir(mode=0o700)
        os.chown(self.mail_dir, self.mail_uid, self.mail_gid)
        self._proc = _start_daemon(["dovecot", "-F", "-c", str(self.conf_path)], self.output_path)
        _wait_until(self._greets, self._proc, self.output_path, "dovecot")

    def stop(self):
        _stop_daemon(self._proc)

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def imap_login(self, user, password):
        """True if LOGIN and SELECT INBOX succeed, False if the login is refused."""
        imap = imaplib.IMAP4(HOST, self.imap_port, timeout=10)
        try:
            try:
                imap.login(user, password)
            except imaplib.IMAP4.error:
                return False
            status, dummy = imap.select("INBOX")
            return status == "OK"
        finally:
            imap.logout()

    def inbox(self, user, password):
        """The messages in user's INBOX, oldest first, as email.message.Message."""
        imap = imaplib.IMAP4(HOST, self.imap_port, timeout=10)
        try:
            imap.login(user, password)
            imap.select("INBOX", readonly=True)
            dummy, data = imap.search(None, "ALL")
            messages = []
            for number in data[0].split():
                dummy, fetched = imap.fetch(number, "(RFC822)")
                messages.append(email.message_from_bytes(fetched[0][1]))
            return messages
        finally:
            imap.logout()

    def deliver(self, recipient, subject, body, sender="lab-sender@example.org"):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.LMTP(HOST, self.lmtp_port, timeout=10) as lmtp:
            lmtp.send_message(message, sender, [recipient])

    def _greets(self):
        try:
            with socket.create_connection((HOST, self.imap_port), timeout=1) as sock:
                return sock.recv(256).startswith(b"* OK")
        except OSError:
            return False


class LabServers:
    """CA + certs, Slapd and Dovecot in one temp dir; stop() removes it all."""

    def __init__(self):
        self.state_dir = None
        self.slapd = None
        self.dovecot = None

    @property
    def ca_path(self):
        return self.slapd.ca_path

    def start(self):
        """Start both servers; a free port taken by someone else before a server bound it (other
        test workers pick ports at the same time) costs a retry on fresh ports, not the run."""
        for attempt in range(START_ATTEMPTS):
            try:
                return self._start_once()
            except RuntimeError:
                if attempt == START_ATTEMPTS - 1:
                    raise
        return self  # not reached

    def _start_once(self):
        # One temp dir per instance: under pytest-xdist each worker has its own servers.
        self.slapd = self.dovecot = None
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.state_dir = Path(tempfile.mkdtemp(prefix="mailops-lab-%s" % (worker + "-" if worker else "")))
        # Dovecot's mail processes run as the mail uid and must reach mail/.
        self.state_dir.chmod(0o711)
        try:
            certs = make_certs(self.state_dir)
            ldap_port, ldaps_port, imap_port, lmtp_port = free_ports(4)
            self.slapd = Slapd(self.state_dir, certs, ldap_port, ldaps_port)
            self.slapd.start()
            self.dovecot = Dovecot(self.state_dir, self.slapd, imap_port, lmtp_port)
            self.dovecot.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Idempotent: safe from a fixture finalizer and from atexit alike."""
        for server in (self.dovecot, self.slapd):
            if server is not None:
                server.stop()
        if self.state_dir is not None:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            self.state_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
