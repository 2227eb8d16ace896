# -*- coding: utf-8 -*-
"""The whole job: the HR template becomes a roster, site.yml applies it, and every user logs in."""

import subprocess
import sys
from pathlib import Path

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import load_yaml
from tests.integration.playbook import REPO, connection_defaults, run_playbook_file


def test_generated_roster_gives_every_user_an_imap_login(clean_lab, tmp_path):
    vault_pass = tmp_path / "vault-pass"
    vault_pass.write_text("roster-apply-test\n")
    roster, passwords = tmp_path / "roster.yml", tmp_path / "passwords.yml"
    vault = ["--vault-password-file", str(vault_pass)]
    generated = run_playbook_file(tmp_path, REPO / "playbooks" / "generate_roster.yml", extra_args=vault + [
        "-e", "mailbox_template=%s" % (REPO / "examples" / "staff.xlsx"), "-e", "mailbox_roster_dest=%s" % roster,
        "-e", "mailbox_passwords_dest=%s" % passwords])
    assert generated.rc == 0, generated.text
    settings = dict(mailbox_ldap=connection_defaults(clean_lab), mailbox_backup_dir=str(tmp_path / "backups"),
                    mailbox_report_dir=str(tmp_path / "reports"))
    applied = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=settings,
                                extra_args=vault + ["-e", "@%s" % roster, "-e", "@%s" % passwords])
    assert applied.rc == 0, applied.text
    users = load_yaml(roster.read_text())["mailbox_roster"]["users"]
    view = subprocess.run([str(Path(sys.executable).with_name("ansible-vault")), "view"] + vault + [str(passwords)],
                          capture_output=True, text=True, check=True)
    secrets = load_yaml(view.stdout)["mailbox_initial_passwords"]
    present = [u for u in users if u["state"] == "present"]
    assert len(present) >= 30
    assert applied.result("Ensure the users")["summary"]["created"] == len([u for u in users if u["state"] != "absent"])
    for user in present:
        assert clean_lab.dovecot.imap_login(user["email"], secrets[user["email"]]), user["email"]
    for user in users:
        if user["state"] == "disabled":
            assert not clean_lab.dovecot.imap_login(user["email"], secrets[user["email"]]), user["email"]
    for secret in secrets.values():
        assert secret not in applied.text and secret not in roster.read_text()
