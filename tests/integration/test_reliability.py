# -*- coding: utf-8 -*-
"""Faults, hostile input, secrets and guards (issue 8), through real ansible-playbook against the
real slapd and Dovecot of the harness. Every address used is 127.0.0.1, except 192.0.2.1 (TEST-NET),
which the module refuses before it opens any connection."""

import base64
import collections
import csv
import json
import re
import secrets
import socket
import subprocess
import threading
import time

import ldap
import ldap.dn
import ldap.modlist
from hypothesis import given, settings
from hypothesis import strategies as st
from passlib.hash import sha512_crypt

# WINDOW: at most this many writes are in flight, so sent but not yet confirmed when a connection is lost.
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap_connection import WINDOW, equality_filter
from tests.harness.servers import HOST, WRITE_OP_LINE, crypt_password, free_ports
from tests.integration.playbook import REPO, connection_defaults, run_playbook, run_playbook_file
from tests.integration.test_users import apply, entry, make_roster, users_task

USER_ATTRIBUTES = ("objectClass", "uid", "mail", "cn", "displayName", "sn", "ou", "title", "employeeNumber",
                   "mobile", "userPassword")


def directory_users(lab):
    """``{uid: {attr: [str]}}`` of every entry one level below users_dn, read as the rootdn."""
    conn = lab.slapd.connect()
    try:
        found = conn.search_s(lab.slapd.users_dn, ldap.SCOPE_ONELEVEL, "(objectClass=*)")
    finally:
        conn.unbind_s()
    return dict((attrs["uid"][0].decode(), dict((k, [v.decode() for v in vals]) for k, vals in attrs.items()))
                for _dn, attrs in found)


def add_as_root(lab, dn, attrs):
    conn = lab.slapd.connect()
    try:
        conn.add_s(dn, ldap.modlist.addModlist(
            dict((k, [v.encode() for v in (vals if isinstance(vals, list) else [vals])]) for k, vals in attrs.items())))
    finally:
        conn.unbind_s()


class WriteWatcher:
    """Counts the write requests slapd logs from now on, reading only what the log gained."""

    def __init__(self, slapd):
        self.path = slapd.log_path
        self.offset = self.path.stat().st_size
        self.rest = ""
        self.count = 0

    def poll(self):
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            data = log.read()
        self.offset += len(data)
        lines = (self.rest + data.decode(errors="replace")).split("\n")
        self.rest = lines.pop()
        self.count += sum(1 for line in lines if WRITE_OP_LINE.search(line))
        return self.count


def assert_whole_entry(entry_attrs, user, password):
    """An entry is whole: every attribute the roster gives it, and a {CRYPT} hash of the password."""
    for name in USER_ATTRIBUTES:
        assert entry_attrs.get(name), (user["email"], name)
    assert entry_attrs["mail"] == [user["email"]] and entry_attrs["cn"] == [user["name"]]
    assert entry_attrs["ou"] == [user["department"]] and entry_attrs["employeeNumber"] == [user["employee_id"]]
    stored, = entry_attrs["userPassword"]
    assert stored.startswith("{CRYPT}$6$") and sha512_crypt.verify(password, stored[len("{CRYPT}"):]), user["email"]


# 1. Crash mid-apply ---------------------------------------------------------------------------------

def test_slapd_killed_mid_apply_fails_clearly_and_a_rerun_converges(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    # 1000 users, slapd killed at the 250th write: the apply is well under way and far from done.
    users, passwords = make_roster(1000)
    by_uid = dict((u["email"].split("@")[0], u) for u in users)
    watcher = WriteWatcher(slapd)
    finished = threading.Event()
    killed_at = []

    def kill_at_250_writes():
        while not finished.is_set():
            if watcher.poll() >= 250:
                slapd.kill()
                killed_at.append(watcher.count)
                return
            time.sleep(0.002)

    killer = threading.Thread(target=kill_at_250_writes, daemon=True)
    killer.start()
    try:
        crashed = apply(tmp_path, clean_lab, users, passwords, timeout=120)
    finally:
        finished.set()
        killer.join()
        if killed_at:
            slapd.restart()
    assert killed_at, "the apply ended before slapd was killed"
    assert crashed.rc != 0
    result = crashed.result("apply")
    message = result["msg"]
    # e.g. "lost the connection to ldap://127.0.0.1:40311: Can't contact LDAP server (64 writes sent before
    # that were not confirmed: each was applied in full or not at all). 186 of 1000 changes were applied. ..."
    assert message.startswith("lost the connection to %s" % slapd.uri), message
    applied = int(re.search(r"(\d+) of 1000 changes were applied", message).group(1))
    unconfirmed = int(re.search(r"\((\d+) writes? sent before that w\w+ not confirmed", message).group(1))
    assert "A re-run applies the rest" in message
    assert 0 < applied < 1000 and 0 < unconfirmed <= WINDOW
    assert result["summary"]["created"] == applied == len(result["created"])

    present = directory_users(clean_lab)
    # Every change reported as applied is there; at most the unconfirmed ones are there on top.
    assert set(e.split("@")[0] for e in result["created"]) <= set(present)
    assert applied <= len(present) <= applied + unconfirmed
    # No half-written entry: each one is whole, with the hash of its own password.
    for uid, attrs in present.items():
        assert_whole_entry(attrs, by_uid[uid], passwords[by_uid[uid]["email"]])

    rerun = apply(tmp_path, clean_lab, users, passwords, timeout=120)
    assert rerun.rc == 0, rerun.text
    summary = rerun.result("apply")["summary"]
    assert summary == dict(created=1000 - len(present), updated=0, disabled=0, deleted=0, unchanged=len(present))
    assert len(directory_users(clean_lab)) == 1000
    sample = sorted(present)[:10] + sorted(set(by_uid) - set(present))[:10]
    for uid in sample:
        email = by_uid[uid]["email"]
        assert clean_lab.dovecot.imap_login(email, passwords[email]), email


# 2. Unreachable or slow server ------------------------------------------------------------------------

class BlackHole:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte."""

    def __init__(self):
        self.sock = socket.create_server((HOST, 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class SlowProxy:
    """A TCP proxy on 127.0.0.1 to the real slapd that holds back every answer after the first
    ``prompt_answers`` by ``delay`` seconds (requests go through at once)."""

    def __init__(self, upstream_port, delay, prompt_answers=0):
        self.upstream_port = upstream_port
        self.delay = delay
        self.prompt_answers = prompt_answers
        self.sock = socket.create_server((HOST, 0))
        self.port = self.sock.getsockname()[1]
        self.sockets = [self.sock]
        self.closed = threading.Event()
        self.answers = collections.Counter()  # answers passed on at once ("prompt") or "held"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, dummy = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection((HOST, self.upstream_port))
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source, target, answers):
        passed = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if answers:
                    self.answers["prompt" if passed < self.prompt_answers else "held"] += 1
                if answers and passed >= self.prompt_answers and self.closed.wait(self.delay):
                    break
                passed += 1
                target.sendall(data)
        except OSError:
            pass

    def close(self):
        self.closed.set()
        for sock in self.sockets:
            sock.close()


# A users task that fails on its options, before any connection: what starting the module costs right
# now. Under parallel tests on a busy machine that is seconds, not the fraction of a second it is on an
# idle one, so bounds on a task's time add the slower of two such tasks run in the same play.
STARTUP_PROBES = ("start-up probe before", "start-up probe after")


def startup_probe(name):
    return dict(users_task(name=name, update_password="sometimes"), ignore_errors=True)


def startup_seconds(run):
    probes = [run.result(name) for name in STARTUP_PROBES]
    assert all(probe["failed"] and "update_password" in probe["msg"] for probe in probes), probes
    return max(probe["_seconds"] for probe in probes)


def test_unreachable_and_slow_servers_fail_within_the_timeout(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    timeout = 2
    closed_port, = free_ports(1)
    hole = BlackHole()
    # Answers held back twice the timeout's margin below: a timeout that did not fire shows as a task
    # longer than the bound, not one the machine's load could explain (4.57 s against 4.36 s was seen).
    slow = SlowProxy(slapd.port, delay=timeout + 4)
    slow_reads = SlowProxy(slapd.port, delay=timeout + 4, prompt_answers=1)  # the bind answer comes at once
    cases = [
        ("closed port", "ldap://%s:%d" % (HOST, closed_port), {}, "cannot reach ldap://%s:%d" % (HOST, closed_port)),
        ("black hole", "ldap://%s:%d" % (HOST, hole.port), {}, "did not answer within timeout=2s"),
        ("black hole, StartTLS", "ldap://%s:%d" % (HOST, hole.port), dict(start_tls=True),
         "did not answer within timeout=2s"),
        # libldap (GnuTLS) would spin in this TLS handshake for ever: the provider's own deadline ends it.
        ("black hole, ldaps", "ldaps://%s:%d" % (HOST, hole.port), {},
         "did not complete the connection (TCP, TLS handshake and bind) within timeout=2s"),
        ("slow server", "ldap://%s:%d" % (HOST, slow.port), {}, "did not answer within timeout=2s"),
        ("slow reads after a prompt bind", "ldap://%s:%d" % (HOST, slow_reads.port), {},
         "did not answer within timeout=2s"),
    ]
    tasks = [startup_probe(STARTUP_PROBES[0])]
    for name, uri, extra, _message in cases:
        options = connection_defaults(clean_lab, server_uri=uri, timeout=timeout, ca_path=str(slapd.ca_path), **extra)
        task = users_task(name=name, ldap=options)
        tasks.append(dict(task, ignore_errors=True))
    tasks.append(startup_probe(STARTUP_PROBES[1]))
    try:
        run = run_playbook(tmp_path, tasks, extra_vars=dict(roster_users=[dict(email="a@example.org", name="A")],
                                                            roster_passwords={}), timeout=120)
    finally:
        for server in (hole, slow, slow_reads):
            server.close()
    startup = startup_seconds(run)
    for name, _uri, _extra, expected in cases:
        result = run.result(name)
        assert result["failed"] and expected in result["msg"], (name, result["msg"])
        assert "Traceback" not in json.dumps(result)
        assert result["_seconds"] < startup + timeout + 2, (name, result["_seconds"], startup)
    assert hole.accepted and slow.answers["held"] and not slow.answers["prompt"]
    # The bind was answered at once and the read after it was held back past the timeout.
    assert slow_reads.answers["prompt"] == 1 and slow_reads.answers["held"] >= 1
    assert entry(clean_lab, "a@example.org") is None


# 3. Secrets: nothing secret in any output, result, diff, report, listing or exception -------------------

def stored_hashes(lab):
    """Every userPassword below users_dn, and the pieces of each (hash, salt, digest) worth searching for."""
    pieces = set()
    for attrs in directory_users(lab).values():
        for value in attrs.get("userPassword", []):
            crypt_form = value[len("{CRYPT}"):].lstrip("!")
            pieces.update([value, crypt_form] + [part for part in crypt_form.split("$") if len(part) >= 16])
    return pieces


def test_no_password_hash_or_bind_password_in_any_output(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    users, passwords = make_roster(12)
    backup_dir, report_dir = tmp_path / "backups", tmp_path / "reports"
    site_vars = dict(mailbox_ldap=connection_defaults(clean_lab), mailbox_backup_dir=str(backup_dir),
                     mailbox_report_dir=str(report_dir),
                     mailbox_roster=dict(domain="example.org", departments=[{"name": "Finance"}], users=users),
                     mailbox_initial_passwords=passwords)
    secrets_used = set(passwords.values()) | {slapd.service_pw, slapd.root_pw, slapd.lookup_pw}
    outputs = []  # (what, text)
    hashes = set()

    def record(what, run):
        outputs.append((what, run.text))
        outputs.append((what + " results", json.dumps(run.output, ensure_ascii=False)))
        hashes.update(stored_hashes(clean_lab))

    # A site run (backup, departments, users, report) that creates users with their initial passwords.
    first = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=site_vars, verbosity=3, diff=True)
    assert first.rc == 0, first.text
    record("site.yml", first)

    # New passwords with update_password: always.
    changed = dict((u["email"], "New-" + secrets.token_urlsafe(12)) for u in users[:5])
    secrets_used.update(changed.values())
    always = apply(tmp_path, clean_lab, users, dict(passwords, **changed), verbosity=3, diff=True,
                   options=dict(update_password="always"))
    assert always.rc == 0 and always.result("apply")["summary"]["updated"] == 5, always.text
    assert "password: \"******** (new)\"" in always.text  # the --diff was shown, the password redacted
    record("update_password always", always)

    # A check-mode site run that would change a title and two passwords.
    planned = dict(passwords, **changed)
    planned.update((u["email"], "Planned-" + secrets.token_urlsafe(12)) for u in users[6:8])
    secrets_used.update(planned.values())
    check_vars = dict(site_vars, mailbox_initial_passwords=planned, mailbox_update_password="always",
                      mailbox_roster=dict(site_vars["mailbox_roster"], users=[dict(users[0], title="CFO")] + users[1:]))
    checked = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=check_vars, verbosity=3,
                                diff=True, check=True)
    assert checked.rc == 0 and checked.result("Ensure the users")["summary"]["updated"] == 3, checked.text
    record("site.yml --check", checked)

    # Bad input with passwords where they do not belong (inline in the items, which the module refuses):
    # a problem in the items, and an option Ansible itself refuses before the module's code runs.
    bad_items = [dict(u, password="Inline-" + secrets.token_urlsafe(12)) for u in users[:3]]
    bad_items.append(dict(email="broken@@example.org", name="Broken", password="Inline-" + secrets.token_urlsafe(12)))
    secrets_used.update(i["password"] for i in bad_items)
    bad = apply(tmp_path, clean_lab, bad_items, {}, verbosity=3, diff=True)
    assert bad.rc != 0 and bad.result("apply")["problems"], bad.text
    record("bad item", bad)
    refused = apply(tmp_path, clean_lab, bad_items[:3], {}, verbosity=3, diff=True,
                    options=dict(update_password="sometimes"))
    assert refused.rc != 0 and "update_password" in refused.result("apply")["msg"], refused.text
    record("bad option", refused)

    # A wrong bind password.
    wrong_pw = "Wrong-Bind-" + secrets.token_urlsafe(12)
    secrets_used.add(wrong_pw)
    wrong = apply(tmp_path, clean_lab, users, passwords, verbosity=3, diff=True,
                  ldap=connection_defaults(clean_lab, bind_pw=wrong_pw))
    assert wrong.rc != 0 and "invalid credentials" in wrong.result("apply")["msg"], wrong.text
    record("wrong bind_pw", wrong)

    # The backup directory's listing, the rosters beside the snapshots, and the run reports.
    listing = subprocess.run(["ls", "-l", str(backup_dir)], capture_output=True, text=True, check=True).stdout
    outputs.append(("ls -l backups", listing))
    assert ".ldif" in listing
    outputs.extend((path.name, path.read_text()) for path in sorted(backup_dir.glob("*.roster.yml")))
    reports = sorted(report_dir.iterdir())
    assert len(reports) == 2  # JSON and Markdown of the first site run (check mode writes none)
    outputs.extend((path.name, path.read_text()) for path in reports)

    assert len(hashes) >= 3 * 17  # 12 users, 5 of them with a second hash, each hash in pieces
    leaks = [(what, secret) for what, text in outputs for secret in secrets_used | hashes if secret in text]
    assert leaks == []


# 4. on_error: stop | continue ------------------------------------------------------------------------

def test_a_refused_entry_stops_the_run_or_is_reported_with_continue(clean_lab, tmp_path):
    users, passwords = make_roster(300)
    refused = users[10]["email"]
    # An entry of another class that already holds the address, where ours would go (as a legacy tool
    # may have left it): our add finds it, and the modify that completes it is refused by the schema,
    # since a pilotPerson may not hold displayName, title and the rest.
    add_as_root(clean_lab, "uid=user10,%s" % clean_lab.slapd.users_dn,
                dict(objectClass="pilotPerson", uid="user10", cn="Legacy", sn="Legacy", mail=refused))

    stopped = apply(tmp_path, clean_lab, users, passwords)  # on_error: stop is the default
    assert stopped.rc != 0
    result = stopped.result("apply")
    message = result["msg"]
    assert message.startswith("create %s refused: Object class violation" % refused), message
    applied = int(re.search(r"(\d+) of 300 changes were applied", message).group(1))
    # Nothing is sent after the refusal; what was in flight (at most a window) still completes.
    assert 10 <= applied <= 10 + WINDOW and result["summary"]["created"] == applied
    assert result["failures"] == [dict(email=refused, action="create", message=result["failures"][0]["message"])]
    people = [uid for uid, attrs in directory_users(clean_lab).items() if "inetOrgPerson" in attrs["objectClass"]]
    assert sorted(people) == sorted(e.split("@")[0] for e in result["created"])

    continued = apply(tmp_path, clean_lab, users, passwords, options=dict(on_error="continue"))
    assert continued.rc == 0, continued.text
    result = continued.result("apply")
    assert result["summary"]["created"] == 299 - applied and result["summary"]["unchanged"] == applied
    failure, = result["failures"]
    assert failure["email"] == refused and failure["action"] == "create"
    # the server's own words: "Object class violation (attribute 'cn' not allowed)"
    assert re.match(r"Object class violation \(attribute '\w+' not allowed\)$", failure["message"]), failure
    assert any(refused in warning and "Object class violation" in warning for warning in result["warnings"])
    assert len(directory_users(clean_lab)) == 300  # 299 people and the foreign entry, untouched
    assert directory_users(clean_lab)["user10"]["cn"] == ["Legacy"]


def test_an_entry_that_is_not_ours_is_never_taken_over(clean_lab, tmp_path):
    """The add that finds its entry already there completes it only when it is this user's entry (the
    other run's, or a re-run's): a person without that address, made by another tool, is left alone."""
    users, passwords = make_roster(5)
    theirs = "uid=user03," + clean_lab.slapd.users_dn
    add_as_root(clean_lab, theirs, dict(objectClass="inetOrgPerson", uid="user03", cn="Someone Else", sn="Else",
                                        userPassword=crypt_password("Theirs-1")))
    before = [block for block in clean_lab.slapd.export().split("\n\n") if block.startswith("dn: " + theirs)]
    run = apply(tmp_path, clean_lab, users, passwords, options=dict(on_error="continue"))
    assert run.rc == 0, run.text
    result = run.result("apply")
    assert result["summary"]["created"] == 4 and [f["email"] for f in result["failures"]] == ["user03@example.org"]
    assert result["failures"][0]["message"].startswith("Already exists"), result["failures"]
    after = [block for block in clean_lab.slapd.export().split("\n\n") if block.startswith("dn: " + theirs)]
    assert after == before
    clean_lab.slapd.connect(theirs, "Theirs-1").unbind_s()  # its own password still works


# 5. Two runs at once -----------------------------------------------------------------------------------

def test_two_runs_at_once_converge_without_duplicates_or_losses(clean_lab, tmp_path):
    """No lock: every write is safe to repeat (LdapProvider._settle). Both runs read an empty directory
    and plan the same 500 creates; whichever add comes second finds the entry and turns into a modify
    that sets the same values (and a hash of the same password), so the end state is the roster's."""
    users, passwords = make_roster(500)
    ready = dict((name, tmp_path / ("ready-" + name)) for name in ("a", "b"))
    runs = {}

    def run(name, other):
        workdir = tmp_path / name
        workdir.mkdir()
        # Each run waits for the other at the start line, so both plan against the same empty directory.
        tasks = [{"name": "ready",
                  "ansible.builtin.file": {"path": str(ready[name]), "state": "touch", "mode": "0600"}},
                 {"name": "set", "ansible.builtin.wait_for": {"path": str(ready[other]), "timeout": 60}},
                 users_task()]
        runs[name] = run_playbook(workdir, tasks, lab=clean_lab, timeout=120,
                                  extra_vars={"roster_users": users, "roster_passwords": passwords})

    threads = [threading.Thread(target=run, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = [runs[name].result("apply") for name in ("a", "b")]
    assert [runs[name].rc for name in ("a", "b")] == [0, 0], runs["a"].text + runs["b"].text
    # Each run carried out its whole plan, and both created (or completed) entries the other one created
    # too: they did overlap.
    assert [r["summary"]["created"] + r["summary"]["unchanged"] for r in results] == [500, 500]
    assert sum(r["summary"]["created"] for r in results) > 500 and not any(r.get("failures") for r in results)
    present = directory_users(clean_lab)
    assert sorted(present) == sorted(u["email"].split("@")[0] for u in users)
    by_uid = dict((u["email"].split("@")[0], u) for u in users)
    for uid, attrs in present.items():
        assert_whole_entry(attrs, by_uid[uid], passwords[by_uid[uid]["email"]])
    for user in users[::50]:
        assert clean_lab.dovecot.imap_login(user["email"], passwords[user["email"]])
    before = clean_lab.slapd.write_ops()
    third = apply(tmp_path, clean_lab, users, passwords)
    assert third.rc == 0 and third.result("apply")["changed"] is False
    assert clean_lab.slapd.write_ops() == before


# 6. Hostile input against the real server (the property tests are in tests/unit) -------------------------

def entries_outside(lab, subtree_dn):
    """The full export minus the entries at or below ``subtree_dn``: what a run there must never touch."""
    blocks = lab.slapd.export().strip().split("\n\n")
    suffix = ldap.dn.str2dn(subtree_dn)

    def dn_of(block):
        first = block.split("\n", 1)[0]
        dn = base64.b64decode(first[len("dn:: "):]).decode() if first.startswith("dn:: ") else first[len("dn: "):]
        return ldap.dn.str2dn(dn)

    return [b for b in blocks if dn_of(b)[-len(suffix):] != suffix]


# Local parts an email may legally have that are special in a DN (leading #, +, =) or in a filter (*);
# test_users.py covers names such as '*)(uid=*' and the local part o'brien+x=y#z.
HOSTILE_EMAILS = ["*@example.org", "#lead@example.org", "x=y+z@example.org", "a*@example.org", "*a*@example.org",
                  "=@example.org", "+@example.org"]


def test_crafted_addresses_never_reach_an_entry_outside_users_dn(clean_lab, tmp_path):
    users, passwords = make_roster(5)
    users += [dict(email=email, name=u"*)(uid=*", department=u"*)(ou=*", title="x)(|(objectClass=*")
              for email in HOSTILE_EMAILS]
    outside = entries_outside(clean_lab, clean_lab.slapd.users_dn)
    run = apply(tmp_path, clean_lab, users, passwords)
    assert run.rc == 0 and run.result("apply")["summary"]["created"] == len(users), run.text
    present = directory_users(clean_lab)
    assert sorted(present) == sorted(u["email"].split("@")[0] for u in users)
    for email in HOSTILE_EMAILS:
        assert present[email.split("@", 1)[0]]["mail"] == [email]
    # The single-user module looks the user up with an escaped filter: "*@example.org" absent deletes
    # exactly the entry uid=*, not every address that the unescaped pattern would match.
    tasks = [{"name": "delete star", "mailops.mailbox.user": {"email": "*@example.org", "state": "absent"}},
             {"name": "again", "mailops.mailbox.user": {"email": "*@example.org", "state": "absent"}},
             {"name": "retitle",
              "mailops.mailbox.user": {"email": "*a*@example.org", "name": u"*)(uid=*", "title": "Only me"}}]
    single = run_playbook(tmp_path, tasks, lab=clean_lab)
    assert single.rc == 0, single.text
    assert single.result("delete star")["deleted"] == ["*@example.org"]
    assert single.result("again")["changed"] is False
    assert single.result("retitle")["updated"] == ["*a*@example.org"]
    after = directory_users(clean_lab)
    assert sorted(after) == sorted(set(present) - {"*"})
    assert [uid for uid, attrs in after.items() if attrs.get("title") == ["Only me"]] == ["*a*"]
    # The roster again (without the deleted one) puts back that one title and touches nothing else.
    again = apply(tmp_path, clean_lab, [u for u in users if u["email"] != "*@example.org"], passwords)
    assert again.result("apply")["updated"] == ["*a*@example.org"] and again.result("apply")["summary"]["created"] == 0
    assert entries_outside(clean_lab, clean_lab.slapd.users_dn) == outside


def test_any_filter_value_matches_exactly_its_own_address_on_the_real_server(clean_lab, record_property):
    """Property (hypothesis) against slapd itself: the provider's escaped equality filter finds the one
    entry with that address, or none, whatever the value holds; slapd never sees a pattern."""
    # Addresses with filter specials, as another tool may have stored them (our validator would refuse some).
    mails = ["victim@example.org", "*@example.org", "a*@example.org", "x)(uid=*@example.org", "back\\slash@example.org"]
    for index, mail in enumerate(mails):
        clean_lab.slapd.add_user("m%d" % index, mail, "Pw-%d" % index)
    conn = clean_lab.slapd.connect(clean_lab.slapd.service_dn, clean_lab.slapd.service_pw)
    seen = collections.Counter()
    value = st.one_of(st.sampled_from(mails), st.sampled_from(mails).map(str.upper),
                      st.sampled_from(["*", "*@example.org", "*)(mail=*", "victim@example.org)(|(mail=*",
                                       "\\2a", "v*m@example.org"]),
                      # No NUL: slapd ignores a trailing NUL in this assertion ("victim@example.org\0" finds
                      # victim). The module never sends one (a control character fails validation) and
                      # read_users keeps only exact matches anyway.
                      st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                              min_size=1))

    @settings(max_examples=150, deadline=None)
    @given(value=value)
    def check(value):
        found = conn.search_s(clean_lab.slapd.users_dn, ldap.SCOPE_ONELEVEL, equality_filter("mail", [value]), ["mail"])
        got = sorted(attrs["mail"][0].decode() for _dn, attrs in found)
        assert got == [m for m in mails if m.lower() == value.lower()], (value, got)
        seen["examples"] += 1
        seen["matched one" if got else "matched none"] += 1

    try:
        check()
    finally:
        conn.unbind_s()
    record_property("hypothesis_examples", dict(seen))
    print("filter values on slapd: %s" % dict(seen))
    assert seen["examples"] >= 150 and seen["matched one"] >= len(mails)


# 7. Mass-removal guard ----------------------------------------------------------------------------------

def test_empty_mistyped_or_truncated_roster_with_purge_fails_before_any_write(clean_lab, tmp_path):
    users, passwords = make_roster(50)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    mistyped = [dict(u, email=u["email"].replace("example.org", "exmaple.org")) for u in users]
    removals = ("refusing to apply: the plan %s, more than max_removals=10. Nothing was changed. A truncated roster "
                "or a wrong domain looks like this; if the removals are intended, raise max_removals for this run.")
    cases = [("empty roster", [], "example.org", "disable",
              removals % "disables 50 and deletes 0 users (50 removals)"),
             # Caught even before the removals are counted: each new address would take over an entry.
             ("mistyped domain", mistyped, "exmaple.org", "disable",
              "50 problems in the users list, nothing was changed:\n- users[0] (user00@exmaple.org): email: the "
              "directory entry uid=user00 already belongs to user00@example.org\n"),
             ("truncated roster", users[:20], "example.org", "disable",
              removals % "disables 30 and deletes 0 users (30 removals)"),
             ("truncated roster, delete", users[:20], "example.org", "delete",
              removals % "disables 0 and deletes 30 users (30 removals)")]
    tasks = [dict(users_task(name=name, users=roster, domain=domain, purge=True, purge_action=action),
                  ignore_errors=True)
             for name, roster, domain, action, _message in cases]
    export, writes = clean_lab.slapd.export(), clean_lab.slapd.write_ops()
    run = run_playbook(tmp_path, tasks, lab=clean_lab, extra_vars=dict(roster_passwords=passwords))
    for name, _roster, _domain, _action, expected in cases:
        result = run.result(name)
        assert result["failed"] and result["msg"].startswith(expected), (name, result["msg"])
    assert clean_lab.slapd.write_ops() == writes
    assert clean_lab.slapd.export() == export


# 8. Transport -----------------------------------------------------------------------------------------

def test_plain_ldap_to_the_network_is_refused_before_connecting_unless_allowed(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    listener = BlackHole()
    # "2130706433" is 127.0.0.1 written as one number: the resolver takes it to 127.0.0.1, while the
    # module sees a host name that is not loopback, as it would see ldap.example.org. So a refusal can
    # be shown to open no connection at all (the listener accepts none), and allow_plaintext to work,
    # without a packet leaving this machine. 192.0.2.1 (TEST-NET-1) is refused as well, before connecting.
    tasks = [startup_probe(STARTUP_PROBES[0]),
             dict(users_task(name="TEST-NET", ldap=connection_defaults(clean_lab, server_uri="ldap://192.0.2.1")),
                  ignore_errors=True),
             dict(users_task(name="network name", ldap=connection_defaults(
                 clean_lab, server_uri="ldap://2130706433:%d" % listener.port)), ignore_errors=True),
             # libldap tries each URI of a list in turn: the second would get the bind password in clear.
             dict(users_task(name="list", ldap=connection_defaults(
                 clean_lab, server_uri="ldaps://127.0.0.1:1 ldap://2130706433:%d" % listener.port)), ignore_errors=True),
             users_task(name="allowed", ldap=connection_defaults(
                 clean_lab, server_uri="ldap://2130706433:%d" % slapd.port, allow_plaintext=True)),
             startup_probe(STARTUP_PROBES[1])]
    try:
        run = run_playbook(tmp_path, tasks, extra_vars=dict(roster_users=[dict(email="plain@example.org", name="P")],
                                                            roster_passwords={}), timeout=120)
    finally:
        listener.close()
    for name, uri in (("TEST-NET", "ldap://192.0.2.1"), ("network name", "ldap://2130706433:%d" % listener.port)):
        result = run.result(name)
        assert result["failed"] and result["msg"].startswith(
            "ldap.server_uri %s would send the bind password and every user password in clear over the network"
            % uri), result["msg"]
        # Refused before connecting: no slower than a task that fails on its options, give or take a second.
        assert result["_seconds"] < startup_seconds(run) + 1, (name, result["_seconds"])
    assert run.result("list")["msg"].startswith(
        'ldap.server_uri "ldap://2130706433:%d" (in ldaps://127.0.0.1:1 ldap://2130706433:%d) would send the bind '
        'password and every user password in clear' % (listener.port, listener.port)), run.result("list")["msg"]
    assert listener.accepted == []
    assert run.result("allowed")["created"] == ["plain@example.org"]
    assert entry(clean_lab, "plain@example.org")["cn"] == ["P"]


# 9. Exports ---------------------------------------------------------------------------------------------

def test_csv_export_of_directory_info_is_safe_to_open_in_a_spreadsheet(clean_lab, tmp_path):
    users, passwords = make_roster(6)
    users[1] = dict(users[1], title="=HYPERLINK(\"http://evil.example\",\"x\")", aliases=["=cmd@example.org"])
    users[2] = dict(users[2], name="+SUM(1;2)", department="-Ops, East")
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    # A title with a tab (which the users module refuses, but another tool may write) straight into slapd.
    clean_lab.slapd.add_user("tabbed", "tabbed@example.org", "Tabbed-1", title="\t=1+1")
    export = tmp_path / "export.csv"
    tasks = [{"name": "read", "mailops.mailbox.directory_info": {}, "register": "info"},
             {"name": "export", "ansible.builtin.copy": {
                 "content": "{{ info.users | mailops.mailbox.roster_csv }}", "dest": str(export), "mode": "0600"}}]
    run = run_playbook(tmp_path, tasks, lab=clean_lab)
    assert run.rc == 0, run.text
    directory = run.result("read")["users"]
    with open(str(export), newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == ["email", "name", "department", "title", "employee_id", "mobile", "aliases", "state"]
    assert [row[0] for row in rows] == [u["email"] for u in directory] and len(rows) == 7
    for row, user in zip(rows, directory):
        for cell, key in zip(row, header):
            value = ",".join(user[key]) if key == "aliases" else (user[key] or "")
            assert cell == ("'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value), (key, cell)
    cells = dict((row[0], dict(zip(header, row))) for row in rows)
    assert cells["user01@example.org"]["title"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert cells["user01@example.org"]["aliases"] == "'=cmd@example.org"
    assert cells["user02@example.org"]["name"] == "'+SUM(1;2)"
    assert cells["user02@example.org"]["department"] == "'-Ops, East"
    assert cells["tabbed@example.org"]["title"] == "'\t=1+1"
    assert cells["user00@example.org"]["mobile"] == "'+8613800000000"
    assert "CRYPT" not in export.read_text() and not any(p in export.read_text() for p in passwords.values())


# 10. Least privilege ------------------------------------------------------------------------------------

def test_the_provisioning_account_cannot_write_outside_its_subtrees(clean_lab, tmp_path):
    elsewhere = "ou=elsewhere," + clean_lab.slapd.base_dn
    add_as_root(clean_lab, elsewhere, dict(objectClass="organizationalUnit", ou="elsewhere"))
    try:
        outside = dict(users_dn=elsewhere, departments_dn=elsewhere)
        missing = "ou=nowhere," + clean_lab.slapd.base_dn
        tasks = [dict(users_task(name="users elsewhere", ldap=connection_defaults(clean_lab, **outside)),
                      ignore_errors=True),
                 dict({"name": "department elsewhere", "mailops.mailbox.department": {
                     "name": "Finance", "ldap": connection_defaults(clean_lab, **outside)}}, ignore_errors=True),
                 dict(users_task(name="users in a new container",
                                 ldap=connection_defaults(clean_lab, users_dn=missing, create_containers=True)),
                      ignore_errors=True)]
        export = clean_lab.slapd.export()
        run = run_playbook(tmp_path, tasks, extra_vars=dict(
            roster_users=[dict(email="intruder@example.org", name="I")], roster_passwords={}))
        assert run.result("users elsewhere")["msg"].startswith(
            "create intruder@example.org refused: Insufficient access"), run.result("users elsewhere")["msg"]
        assert run.result("users elsewhere")["summary"]["created"] == 0
        assert run.result("department elsewhere")["msg"].startswith(
            'create department "Finance" failed: Insufficient access'), run.result("department elsewhere")["msg"]
        assert run.result("users in a new container")["msg"].startswith(
            'cannot create the container "%s": Insufficient access' % missing), run.result("users in a new container")
        assert clean_lab.slapd.export() == export
    finally:
        conn = clean_lab.slapd.connect()
        conn.delete_s(elsewhere)
        conn.unbind_s()
