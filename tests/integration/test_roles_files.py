# -*- coding: utf-8 -*-
"""The roles' files against the real slapd: what the backup directory holds and how it is read
(roster copies that are never templated, snapshot order, rotation), the decrypted copy a restore
makes, check mode on a fresh machine, and the documented flow with roster and vault files."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.integration.playbook import REPO, run_playbook_file
from tests.integration.site_playbooks import DEPARTMENTS

VAULT = str(Path(sys.executable).with_name("ansible-vault"))
SNAPSHOT_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}Z\.ldif$")
BACKUP_ONLY = "- hosts: localhost\n  connection: local\n  gather_facts: false\n  roles: [mailops.mailbox.backup]\n"


def ldapmodify(lab, dn, attribute, value):
    change = "dn: %s\nchangetype: modify\nreplace: %s\n%s: %s\n" % (dn, attribute, attribute, value)
    subprocess.run(["ldapmodify", "-x", "-H", lab.slapd.uri, "-D", lab.slapd.root_dn, "-w", lab.slapd.root_pw],
                   input=change, text=True, check=True, capture_output=True)


def encrypt(path, vault_pass):
    subprocess.run([VAULT, "encrypt", "--vault-password-file", str(vault_pass), str(path)], check=True,
                   capture_output=True)


def backup_only(site, **extra):
    playbook = site.tmp_path / "backup-only.yml"
    playbook.write_text(BACKUP_ONLY)
    run = run_playbook_file(site.tmp_path, playbook, extra_vars=dict(site.settings, **extra))
    assert run.rc == 0, run.text
    return run


def write_files(site, tmp_path, vault_pass):
    """The roster and the vault file of passwords, as generate_roster.yml writes them."""
    roster = tmp_path / "roster.yml"
    roster.write_text(yaml.safe_dump({"mailbox_roster": dict(domain="example.org", departments=DEPARTMENTS,
                                                             users=site.users)}, allow_unicode=True))
    passwords = tmp_path / "passwords.yml"
    passwords.write_text(yaml.safe_dump({"mailbox_initial_passwords": site.passwords}))
    encrypt(passwords, vault_pass)
    return roster, passwords


def test_a_template_in_a_directory_value_survives_backup_copy_drift_and_restore(site, clean_lab, tmp_path):
    """A value an attacker put in the directory reaches the roster copy, drift, site and restore as text."""
    marker = tmp_path / "pwned"
    hostile = "{{ lookup('pipe', 'touch %s') }}" % marker
    assert site.run().rc == 0
    target = site.users[2]
    dn = "uid=%s,%s" % (target["email"].split("@")[0], clean_lab.slapd.users_dn)
    ldapmodify(clean_lab, dn, "title", hostile)
    ldapmodify(clean_lab, dn, "cn", "{%% if true %%}%s{%% endif %%}" % marker)
    backup_only(site)
    copy = sorted(site.backup_dir.glob("*.roster.yml"))[-1]
    assert "!unsafe" in copy.read_text() and oct(os.stat(copy).st_mode & 0o777) == "0o600"
    users = yaml.safe_load(copy.read_text().replace("!unsafe ", ""))["mailbox_roster"]["users"]
    changed = next(u for u in users if u["email"] == target["email"])
    assert changed["title"] == hostile and changed["name"].startswith("{% if true %}")

    # The copy as the roster: read by the module, and loaded as variables (-e @file); no drift either way.
    settings = dict(site.settings, mailbox_drift_fail=True)
    for extra_args, extra in (([], dict(mailbox_roster_file=str(copy))), (["-e", "@%s" % copy], {})):
        drift = run_playbook_file(tmp_path, REPO / "playbooks" / "drift.yml", extra_vars=dict(settings, **extra),
                                  extra_args=extra_args)
        assert drift.rc == 0, drift.text
        assert not marker.exists()
    # site.yml from the copy changes nothing: the values are already what the directory holds.
    again = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml",
                              extra_vars=dict(site.settings, mailbox_roster_file=str(copy)))
    assert again.rc == 0 and again.stats["changed"] == 0, again.text
    restored = site.run("restore.yml")
    assert restored.rc == 0, restored.text
    assert not marker.exists()
    conn = clean_lab.slapd.connect()
    assert conn.search_s(dn, 0, attrlist=["title"])[0][1]["title"] == [hostile.encode()]


def test_restore_never_leaves_a_decrypted_snapshot(site, clean_lab, tmp_path):
    """Check mode, a failed restore and a successful one each remove the decrypted copy."""
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("backup-secret\n")
    encrypted = dict(mailbox_backup_vault_password_file=str(vault_pass))
    assert site.run(**encrypted).rc == 0
    snapshot = site.snapshots()[-1]
    # A snapshot of another subtree: the restore module refuses it after the copy was decrypted.
    foreign = tmp_path / "elsewhere" / "foreign.ldif"
    foreign.parent.mkdir(mode=0o700)
    decrypted = subprocess.run([VAULT, "view", "--vault-password-file", str(vault_pass), str(snapshot)],
                               check=True, capture_output=True, text=True).stdout
    foreign.write_text(decrypted.replace("# users_dn: ou=people,", "# users_dn: ou=others,"))
    encrypt(foreign, vault_pass)
    vault = ["--vault-password-file", str(vault_pass)]

    def restore(source, **kwargs):
        return run_playbook_file(tmp_path, REPO / "playbooks" / "restore.yml",
                                 extra_vars=dict(site.settings, mailbox_restore_snapshot=str(source)),
                                 extra_args=vault, env=dict(TMPDIR=str(scratch)), **kwargs)

    def decrypted_copies():
        """Plain snapshots anywhere a decrypted copy could be left, except the backup role's own."""
        places = [scratch, site.backup_dir, foreign.parent]
        return [path for place in places for path in place.rglob("*") if path.is_file()
                and not SNAPSHOT_NAME.match(path.name) and path.read_bytes().startswith(b"# mailops.mailbox snapshot")]

    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    for source, kwargs, succeeds in ((snapshot, dict(check=True, diff=True), True), (foreign, {}, False),
                                     (snapshot, {}, True)):
        run = restore(source, **kwargs)
        assert (run.rc == 0) == succeeds, run.text
        assert run.result("Put the directory back as the snapshot was")["failed"] != succeeds
        assert not decrypted_copies(), kwargs
        assert "$6$" not in run.text
    assert "refusing to restore it here" in restore(foreign).text


def test_latest_and_rotation_go_by_the_snapshots_stamp_and_ignore_other_files(site, clean_lab):
    assert site.run().rc == 0
    first, = site.snapshots()
    # Files an operator keeps beside the snapshots: both sort after every stamp by name.
    shutil.copy(first, site.backup_dir / "pre-migration.ldif")
    (site.backup_dir / "zz-notes.ldif").write_text("not a snapshot\n")
    for dummy in range(3):
        backup_only(site, mailbox_backup_keep=2)
    stamped = sorted(p.name for p in site.backup_dir.glob("2*.ldif"))
    assert len(stamped) == 2 and first.name not in stamped
    assert sorted(p.name[:-len(".roster.yml")] for p in site.backup_dir.glob("2*.roster.yml")) == \
        [name[:-len(".ldif")] for name in stamped]
    assert (site.backup_dir / "pre-migration.ldif").exists() and (site.backup_dir / "zz-notes.ldif").exists()
    # The directory changes; "latest" is the newest stamped snapshot, not pre-migration.ldif (the state before it).
    assert site.run(users=site.users[:25], mailbox_purge=True).rc == 0
    newest = max(p.name for p in site.backup_dir.glob("2*.ldif"))
    planned = site.run("restore.yml", check=True)
    assert planned.rc == 0, planned.text
    assert planned.result("Choose the snapshot to restore")["ansible_facts"]["mailbox_restore_source"] == \
        str(site.backup_dir / newest)
    assert planned.result("Put the directory back as the snapshot was")["summary"] == {"user_modify": 5}


def test_check_diff_on_a_fresh_machine_plans_and_writes_nothing(site, clean_lab, tmp_path):
    fresh = tmp_path / "fresh-runner"
    settings = dict(site.settings, mailbox_backup_dir=str(fresh / "backups"), mailbox_report_dir=str(fresh / "reports"))
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("files-secret\n")
    roster, passwords = write_files(site, tmp_path, vault_pass)
    before = clean_lab.slapd.write_ops()
    run = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", check=True, diff=True,
                            extra_vars=dict(settings, mailbox_roster_file=str(roster),
                                            mailbox_initial_passwords_file=str(passwords)),
                            extra_args=["--vault-password-file", str(vault_pass)])
    assert run.rc == 0, run.text
    assert run.result("Ensure the users")["summary"]["created"] == 30
    assert "+title: \"Engineer\"" in run.stdout
    assert not fresh.exists() and clean_lab.slapd.write_ops() == before


def test_documented_flow_relative_files_one_users_run_and_a_quick_report(site, clean_lab, tmp_path):
    """-e mailbox_roster_file=roster.yml, as typed in the directory that holds it; no look-ahead run."""
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("files-secret\n")
    write_files(site, tmp_path, vault_pass)
    args = ["--vault-password-file", str(vault_pass), "-e", "mailbox_roster_file=roster.yml",
            "-e", "mailbox_initial_passwords_file=passwords.yml"]
    first = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=site.settings, extra_args=args)
    assert first.rc == 0, first.text
    users_runs = [r for r in first.results() if r["_task"].endswith("Ensure the users")]
    assert len(users_runs) == 1 and users_runs[0]["summary"]["created"] == 30
    assert clean_lab.dovecot.imap_login(site.users[0]["email"], site.passwords[site.users[0]["email"]])
    report = first.result("Write the run report")
    assert Path(report["markdown"]).exists()
    assert site.users[0]["email"] not in str(report["invocation"])
    again = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=site.settings, extra_args=args)
    assert again.rc == 0 and again.stats["changed"] == 0
    modules = [r["_task"] for r in again.results() if r.get("invocation") and not r.get("skipped")]
    assert len(modules) <= 4, modules
    # The departments were planned from the roster copy of this run's snapshot: no module run, no second read.
    departments = again.result("Ensure the departments, parents first")
    assert departments["planned_from"] == str(site.snapshots()[-1]).replace(".ldif", ".roster.yml")
    assert "invocation" not in departments


def test_a_department_changed_in_the_directory_is_put_back_although_the_play_plans_from_its_backup(
        site, clean_lab, tmp_path):
    """The snapshot's roster copy keeps a department's description: a description added in the
    directory is a change to make, so the module runs and clears it; then nothing is left to do."""
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("files-secret\n")
    write_files(site, tmp_path, vault_pass)
    args = ["--vault-password-file", str(vault_pass), "-e", "mailbox_roster_file=roster.yml",
            "-e", "mailbox_initial_passwords_file=passwords.yml"]

    def site_run():
        run = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=site.settings, extra_args=args)
        assert run.rc == 0, run.text
        return run, run.result("Ensure the departments, parents first")

    _first, departments = site_run()
    assert sorted(departments["created"]) == sorted(d["name"] for d in DEPARTMENTS)
    ldapmodify(clean_lab, u"ou=研发部,ou=总部,%s" % clean_lab.slapd.departments_dn, "description", "moved to Shenzhen")
    changed, departments = site_run()
    assert departments["updated"] == [u"研发部"] and "planned_from" not in departments
    copy = yaml.safe_load(Path(str(site.snapshots()[-1]).replace(".ldif", ".roster.yml")).read_text().replace("!unsafe ", ""))
    assert {"name": u"研发部", "parent": u"总部", "description": "moved to Shenzhen"} in \
        copy["mailbox_roster"]["departments"]
    again, departments = site_run()
    assert again.stats["changed"] == 0 and departments["planned_from"].endswith(".roster.yml")


def test_a_bad_row_in_the_roster_file_applies_nothing_not_even_its_new_department(site, clean_lab, tmp_path):
    """The departments step comes first: it must refuse the roster a users row makes invalid too."""
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("files-secret\n")
    users = [dict(user, department="Legal") for user in site.users[:3]]
    users.append(dict(users[0], name="Copy of the first row"))  # users[3]: the email of users[0] again
    site.users = users
    write_files(site, tmp_path, vault_pass)
    roster = tmp_path / "roster.yml"
    data = yaml.safe_load(roster.read_text())
    data["mailbox_roster"]["departments"].append({"name": "Legal"})
    roster.write_text(yaml.safe_dump(data, allow_unicode=True))
    before = clean_lab.slapd.export()
    args = ["--vault-password-file", str(vault_pass), "-e", "mailbox_roster_file=roster.yml",
            "-e", "mailbox_initial_passwords_file=passwords.yml"]
    run = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=site.settings, extra_args=args)
    assert run.rc != 0
    assert "users[3]" in run.text and users[0]["email"] in run.text, run.text[-3000:]
    assert clean_lab.slapd.export() == before
