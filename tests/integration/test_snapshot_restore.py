# -*- coding: utf-8 -*-
"""snapshot and restore modules against the real slapd, with logins checked on the real Dovecot."""

import os
import stat

from tests.integration.playbook import run_playbook
from tests.integration.test_users import apply, make_roster


def snapshot(tmp_path, lab, path, **kwargs):
    return run_playbook(tmp_path, [{"name": "snap", "mailops.mailbox.snapshot": {"path": str(path)}}], lab=lab,
                        **kwargs)


def restore(tmp_path, lab, path, **kwargs):
    return run_playbook(tmp_path, [{"name": "restore", "mailops.mailbox.restore": {"src": str(path)}}], lab=lab,
                        **kwargs)


def managed_export(lab):
    """The export without the server-maintained operational lines, which a re-created entry changes
    (pwdChangedTime: ppolicy stamps every password write)."""
    skip = ("entryUUID:", "entryCSN:", "createTimestamp:", "modifyTimestamp:", "creatorsName:", "modifiersName:",
            "pwdChangedTime:")
    blocks = lab.slapd.export().strip().split("\n\n")
    return sorted("\n".join(sorted(line for line in block.splitlines() if not line.startswith(skip)))
                  for block in blocks)


def test_snapshot_then_restore_puts_everything_back(clean_lab, tmp_path):
    users, passwords = make_roster(20)
    departments = [{"name": u"总部"}, {"name": u"销售部", "parent": u"总部"}]
    run_playbook(tmp_path, [{"name": "deps", "mailops.mailbox.department": {"departments": departments}}],
                 lab=clean_lab)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    before = managed_export(clean_lab)
    path = tmp_path / "snap.ldif"
    taken = snapshot(tmp_path, clean_lab, path).result("snap")
    assert taken["verified"] and taken["users"] == 20 and taken["entries"] == 20 + 2 + 2
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(taken["roster"]["users"]) == 20 and "{CRYPT}" not in str(taken)
    assert "userPassword: {CRYPT}$6$" in path.read_text()  # full fidelity: the hashes are in the file

    # Damage: new users, a changed title, a reset password, a disabled user, deletions, a new department.
    changed = [dict(u) for u in users[5:]]
    changed[0]["title"] = "Changed"
    changed[1]["state"] = "disabled"
    extra, extra_passwords = make_roster(25)
    new_passwords = dict(passwords, **{changed[2]["email"]: "Reset-Password-1"})
    new_passwords.update((u["email"], extra_passwords[u["email"]]) for u in extra[20:])
    apply(tmp_path, clean_lab, changed + extra[20:], new_passwords,
          options=dict(update_password="always", purge=True, purge_action="delete"))
    run_playbook(tmp_path, [{"name": "dep", "mailops.mailbox.department": {"name": "New"}}], lab=clean_lab)
    assert not clean_lab.dovecot.imap_login(users[0]["email"], passwords[users[0]["email"]])
    damaged = clean_lab.slapd.export()

    planned = restore(tmp_path, clean_lab, path, check=True, diff=True).result("restore")
    assert planned["changed"] and clean_lab.slapd.export() == damaged
    assert planned["summary"] == {"user_add": 5, "user_modify": 3, "user_delete": 5, "department_delete": 1}
    assert "$6$" not in str(planned["diff"]) and "Reset-Password-1" not in str(planned)

    done = restore(tmp_path, clean_lab, path).result("restore")
    assert done["changed"] and done["applied"] == 14
    assert managed_export(clean_lab) == before
    for user in users:  # old passwords log in again, re-created users included
        assert clean_lab.dovecot.imap_login(user["email"], passwords[user["email"]]), user["email"]
    assert restore(tmp_path, clean_lab, path).result("restore")["changed"] is False


def test_restore_refuses_what_is_not_a_snapshot(clean_lab, tmp_path):
    bogus = tmp_path / "bogus.ldif"
    bogus.write_text("dn: uid=x,ou=people,dc=example,dc=org\nuid: x\n")
    result = restore(tmp_path, clean_lab, bogus).result("restore")
    assert result["failed"] and "is not a mailops.mailbox snapshot" in result["msg"]
