# -*- coding: utf-8 -*-
"""playbooks/site.yml, restore.yml and drift.yml with the backup, provision and restore roles,
against the real slapd and Dovecot."""

import calendar
import json
import os
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import ldap
import yaml

from tests.integration.playbook import REPO, run_playbook_file
from tests.integration.site_playbooks import DEPARTMENTS
from tests.integration.test_snapshot_restore import managed_export


def create_timestamp(lab, uid):
    conn = lab.slapd.connect()
    found = conn.search_s("uid=%s,%s" % (uid, lab.slapd.users_dn), ldap.SCOPE_BASE, attrlist=["createTimestamp"])
    stamp = found[0][1]["createTimestamp"][0].decode()
    return calendar.timegm(time.strptime(stamp, "%Y%m%d%H%M%SZ"))


def test_site_backs_up_first_reports_and_reruns_clean(site, clean_lab):
    first = site.run()
    assert first.rc == 0, first.text
    users_result = first.result("Ensure the users")
    assert users_result["summary"]["created"] == 30
    snapshot, = site.snapshots()
    # The snapshot was written before the first entry was created (createTimestamp has whole seconds).
    assert int(os.stat(snapshot).st_mtime) <= create_timestamp(clean_lab, "user00")
    assert "# entries: 2" in snapshot.read_text()  # only the two empty containers existed then
    report = json.loads(site.reports()[0].read_text())
    assert report["summary"] == users_result["summary"] and report["backup"] == str(snapshot)
    assert report["by_department"][u"销售部"]["created"] == 8
    assert sorted(report["created"]) == sorted(u["email"] for u in site.users)
    markdown = site.reports()[0].with_suffix(".md").read_text()
    assert u"| 销售部 | 8 | 0 | 0 | 0 |" in markdown
    # the report's counts are the directory's real state
    conn = clean_lab.slapd.connect()
    people = conn.search_s(clean_lab.slapd.users_dn, ldap.SCOPE_ONELEVEL, "(objectClass=inetOrgPerson)", ["ou"])
    assert len(people) == report["summary"]["created"]
    assert sum(1 for _dn, a in people if a["ou"] == [u"销售部".encode()]) == 8

    before = clean_lab.slapd.write_ops()
    second = site.run()
    assert second.rc == 0
    assert second.stats["changed"] == 0, [r["_task"] for r in second.results() if r.get("changed")]
    assert second.result("Ensure the users")["summary"]["unchanged"] == 30
    assert clean_lab.slapd.write_ops() == before
    assert len(site.snapshots()) == 2


def test_unwritable_backup_target_fails_before_any_write(site, clean_lab):
    blocker = site.tmp_path / "not-a-directory"
    blocker.write_text("a file where the backup directory should be")
    before = clean_lab.slapd.write_ops()
    run = site.run(mailbox_backup_dir=str(blocker / "backups"))
    assert run.rc != 0
    assert not [r for r in run.results() if r["_task"].endswith("Ensure the users")]
    assert clean_lab.slapd.write_ops() == before


def test_provision_refuses_without_a_backup_unless_skipped(site, clean_lab, tmp_path):
    playbook = tmp_path / "provision-only.yml"
    playbook.write_text("- hosts: localhost\n  connection: local\n  gather_facts: false\n  roles: [mailops.mailbox.provision]\n")
    run = run_playbook_file(tmp_path, playbook, extra_vars=dict(site.settings, mailbox_roster=dict(users=site.users)))
    assert run.rc != 0 and "No backup was taken in this run" in run.text
    skipped = run_playbook_file(tmp_path, playbook, extra_vars=dict(site.settings, mailbox_backup_skip=True,
                                                                    mailbox_roster=dict(users=site.users)))
    assert skipped.rc == 0 and "WITHOUT a backup" in skipped.text


def test_round_trip_restore_and_old_password(site, clean_lab):
    assert site.run().rc == 0
    original = managed_export(clean_lab)
    assert site.run().rc == 0
    reference = site.snapshots()[-1]
    leaver = site.users[0]
    changed = [dict(u) for u in site.users[1:]]
    changed[0]["title"] = "Changed"
    changed[1]["state"] = "disabled"
    changed.append(dict(email="newcomer@example.org", name="New Comer", department="Finance"))
    run = site.run(users=changed, mailbox_purge=True, mailbox_purge_action="delete", mailbox_archive_skip=True)
    assert run.rc == 0, run.text
    assert run.result("Ensure the users")["summary"] == dict(created=1, updated=1, disabled=1, deleted=1, unchanged=27)
    assert not clean_lab.dovecot.imap_login(leaver["email"], site.passwords[leaver["email"]])
    planned = site.run("restore.yml", mailbox_restore_snapshot=str(reference), check=True, diff=True)
    assert planned.rc == 0, planned.text
    assert planned.result("Put the directory back as the snapshot was")["changed"]
    assert site.passwords[leaver["email"]] not in planned.text and "$6$" not in planned.text
    restored = site.run("restore.yml")  # latest = the backup taken before the purge run
    assert restored.rc == 0, restored.text
    assert managed_export(clean_lab) == original
    assert clean_lab.dovecot.imap_login(leaver["email"], site.passwords[leaver["email"]])
    # two site runs, the purge run, the restore's own backup of the state it replaced (check mode writes none)
    assert len(site.snapshots()) == 4


def test_retention_keeps_n_private_snapshots(site, tmp_path):
    playbook = tmp_path / "backup-only.yml"
    playbook.write_text("- hosts: localhost\n  connection: local\n  gather_facts: false\n  roles: [mailops.mailbox.backup]\n")
    for dummy in range(5):
        run = run_playbook_file(tmp_path, playbook, extra_vars=dict(site.settings, mailbox_backup_keep=3))
        assert run.rc == 0, run.text
    assert len(site.snapshots()) == 3 and len(list(site.backup_dir.glob("*.roster.yml"))) == 3
    assert stat.S_IMODE(os.stat(site.backup_dir).st_mode) == 0o700
    for path in site.backup_dir.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_drift_reports_a_change_behind_our_back_then_clean(site, clean_lab):
    assert site.run().rc == 0
    target = site.users[3]
    subprocess.run(["ldapmodify", "-x", "-H", clean_lab.slapd.uri, "-D", clean_lab.slapd.root_dn,
                    "-w", clean_lab.slapd.root_pw],
                   input="dn: uid=%s,%s\nchangetype: modify\nreplace: title\ntitle: Changed by hand\n"
                   % (target["email"].split("@")[0], clean_lab.slapd.users_dn), text=True, check=True,
                   capture_output=True)
    drift = site.run("drift.yml", mailbox_drift_fail=True)
    assert drift.rc != 0 and "1 differ" in drift.text
    assert drift.result("Report the drift")["msg"]["differ"] == [target["email"]]
    assert site.run().rc == 0
    assert site.run("drift.yml", mailbox_drift_fail=True).rc == 0


def test_deleted_users_mail_is_archived_and_imports_back(site, clean_lab):
    assert site.run().rc == 0
    leaver = site.users[4]
    clean_lab.dovecot.deliver(leaver["email"], "Keep me", "the body of a message worth keeping")
    gone = [dict(u) for u in site.users]
    gone[4]["state"] = "absent"
    refused = site.run(users=gone)
    assert refused.rc != 0 and "set mailbox_archive_dir" in refused.text
    archive_dir = site.tmp_path / "archive"
    run = site.run(users=gone, mailbox_archive_dir=str(archive_dir),
                   mailbox_dovecot_config=str(clean_lab.dovecot.conf_path))
    assert run.rc == 0, run.text
    assert run.result("Ensure the users")["deleted"] == [leaver["email"]]
    archive, = archive_dir.glob(leaver["email"] + ".*.tar.gz")
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600
    report = json.loads(site.reports()[-1].read_text())
    assert report["archives"] == [str(archive)]
    # re-create the user with a fresh mailbox, then import the archive
    home = subprocess.run(["doveadm", "-c", str(clean_lab.dovecot.conf_path), "user", "-f", "home",
                           leaver["email"]], capture_output=True, text=True, check=False).stdout.strip()
    subprocess.run(["rm", "-rf", home], check=True)
    assert site.run().rc == 0
    extracted = site.tmp_path / "extracted"
    with tarfile.open(archive) as tar:
        tar.extractall(extracted)
    subprocess.run(["chown", "-R", "%d:%d" % (clean_lab.dovecot.mail_uid, clean_lab.dovecot.mail_gid), str(extracted)],
                   check=True)
    os.chmod(site.tmp_path, 0o755)
    subprocess.run(["doveadm", "-c", str(clean_lab.dovecot.conf_path), "import", "-u", leaver["email"], "-s",
                    "maildir:%s/Maildir" % extracted, "", "all"], check=True)
    subjects = [m["Subject"] for m in clean_lab.dovecot.inbox(leaver["email"], site.passwords[leaver["email"]])]
    assert subjects == ["Keep me"]


def test_vault_encrypted_snapshot_restores_with_the_plays_secret(site, clean_lab, tmp_path):
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("backup-secret\n")
    encrypt = dict(mailbox_backup_vault_password_file=str(vault_pass))
    first = site.run(**encrypt)
    assert first.rc == 0, first.text
    original = managed_export(clean_lab)
    assert site.run(users=site.users[:25], mailbox_purge=True, **encrypt).rc == 0
    snapshots = site.snapshots()
    assert all(path.read_text().startswith("$ANSIBLE_VAULT;") for path in snapshots)
    restored = run_playbook_file(tmp_path, REPO / "playbooks" / "restore.yml",
                                 extra_vars=dict(site.settings, mailbox_restore_snapshot=str(snapshots[-1])),
                                 extra_args=["--vault-password-file", str(vault_pass)])
    assert restored.rc == 0, restored.text
    assert managed_export(clean_lab) == original
    decrypted = restored.result("Make a private temporary file beside the snapshot (a directory only its owner reads)")["path"]
    assert decrypted.endswith(".ldif") and not os.path.exists(decrypted)  # the decrypted copy is gone


def test_site_from_roster_and_vault_files(site, clean_lab, tmp_path):
    """mailbox_roster_file / mailbox_initial_passwords_file: the modules read the files themselves."""
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("files-secret\n")
    roster = tmp_path / "roster.yml"
    roster.write_text(yaml.safe_dump({"mailbox_roster": dict(domain="example.org", departments=DEPARTMENTS,
                                                             users=site.users)}, allow_unicode=True))
    passwords = tmp_path / "passwords.yml"
    passwords.write_text(yaml.safe_dump({"mailbox_initial_passwords": site.passwords}))
    subprocess.run([str(Path(sys.executable).with_name("ansible-vault")), "encrypt", "--vault-password-file",
                    str(vault_pass), str(passwords)], check=True, capture_output=True)
    settings = dict(site.settings, mailbox_roster_file=str(roster), mailbox_initial_passwords_file=str(passwords))
    vault = ["--vault-password-file", str(vault_pass)]
    first = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=settings, extra_args=vault)
    assert first.rc == 0, first.text
    assert first.result("Ensure the users")["summary"]["created"] == 30
    assert sorted(first.result("Ensure the departments, parents first")["created"]) == sorted(d["name"] for d in DEPARTMENTS)
    for user in site.users[:3]:
        assert clean_lab.dovecot.imap_login(user["email"], site.passwords[user["email"]])
    again = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=settings, extra_args=vault)
    assert again.rc == 0 and again.stats["changed"] == 0
    for secret in site.passwords.values():
        assert secret not in first.text and secret not in json.dumps(first.output)
