# -*- coding: utf-8 -*-
"""backend: google through real ansible-playbook runs against the stateful fake of the Google Directory API."""

import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

from passlib.hash import sha512_crypt

from tests.integration.hosted import DEPARTMENTS, apply_tasks, make_roster, roster_vars, run_hosted
from tests.integration.playbook import connection_defaults
from tests.integration.test_ad import UnsafeTagLoader


def google_connection(api, tmp_path, **overrides):
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(api.service_account()))
    key_file.chmod(0o600)
    options = dict(admin_subject=api.admin, service_account_file=str(key_file),
                   api_url=api.url + "/admin/directory/v1", timeout=10)
    options.update(overrides)
    return options


def info(tmp_path, backend, connection):
    run = run_hosted(tmp_path, backend, connection, [{"name": "info", "mailops.mailbox.directory_info": {}}])
    assert run.rc == 0, run.text
    return run.result("info")


def comparable(result):
    users = [dict((k, u[k]) for k in ("email", "name", "department", "title", "employee_id", "mobile", "aliases",
                                      "state")) for u in result["users"]]
    departments = sorted((d["name"], d.get("parent")) for d in result["departments"])
    return users, departments


def test_same_roster_as_ldap_then_rerun_writes_nothing(clean_lab, google_api, tmp_path):
    """Acceptance 2: the LDAP tests' roster gives the same users, departments and titles; a re-run writes nothing;
    the clear password never leaves the controller."""
    users, passwords = make_roster(24)
    users[3]["aliases"] = ["alias.three@example.org"]
    connection = google_connection(google_api, tmp_path)
    run = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 24
    ldap_run = run_hosted(tmp_path, "ldap", connection_defaults(clean_lab), apply_tasks(),
                          extra_vars=roster_vars(users, passwords))
    assert ldap_run.rc == 0, ldap_run.text
    assert comparable(info(tmp_path, "google", connection)) == comparable(info(tmp_path, "ldap",
                                                                               connection_defaults(clean_lab)))
    stored = google_api.by_email("user0001@example.org")
    assert stored["hashFunction"] == "crypt" and stored["password"].startswith("$6$")
    assert sha512_crypt.verify(passwords["user0001@example.org"], stored["password"])
    assert stored["changePasswordAtNextLogin"] is True and stored["suspended"] is False
    assert stored["orgUnitPath"] == u"/总部/%s" % users[1]["department"]
    assert stored["organizations"] == [{"primary": True, "type": "work", "department": users[1]["department"],
                                        "title": users[1]["title"]}]
    assert stored["externalIds"] == [{"type": "organization", "value": "E0001"}]
    assert stored["phones"] == [{"type": "mobile", "value": users[1]["mobile"]}]
    assert google_api.by_email("user0003@example.org")["aliases"] == ["alias.three@example.org"]
    claims = google_api.assertions[0]
    assert claims["sub"] == google_api.admin and set(claims["scope"].split()) == {
        "https://www.googleapis.com/auth/admin.directory.user",
        "https://www.googleapis.com/auth/admin.directory.orgunit"}
    for body in google_api.bodies:
        for password in passwords.values():
            assert password.encode() not in body
    google_api.reset_counters()
    again = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert again.rc == 0 and not again.result("apply")["changed"], again.text
    assert google_api.writes == 0
    key = google_api.service_account()["private_key"]
    for secret in list(passwords.values()) + [key.splitlines()[1]]:
        assert secret not in run.text and secret not in again.text


def test_update_move_disable_delete(google_api, tmp_path):
    users, passwords = make_roster(8)
    connection = google_connection(google_api, tmp_path)
    first = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert first.rc == 0, first.text
    users[0].update(department="Finance", title="Controller", mobile=None, aliases=["boss@example.org"])
    users[1]["state"] = "disabled"
    users[2]["state"] = "absent"
    run = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    result = run.result("apply")
    assert result["updated"] == ["user0000@example.org"] and result["disabled"] == ["user0001@example.org"]
    assert result["deleted"] == ["user0002@example.org"]
    moved = google_api.by_email("user0000@example.org")
    assert moved["orgUnitPath"] == "/Finance" and moved["organizations"][0]["title"] == "Controller"
    assert moved["phones"] == [] and moved["aliases"] == ["boss@example.org"]
    assert google_api.by_email("user0001@example.org")["suspended"] is True
    assert google_api.by_email("user0002@example.org") is None
    google_api.reset_counters()
    again = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert again.rc == 0 and not again.result("apply")["changed"] and google_api.writes == 0, again.text


def test_throttling_and_an_expired_token_are_survived(google_api, tmp_path):
    """Acceptance 2: 30 % of the API requests throttled (403 userRateLimitExceeded), the token expiring mid-run."""
    users, passwords = make_roster(40)
    connection = google_connection(google_api, tmp_path)
    google_api.throttle(0.3)
    google_api.expire_at_request = 10
    started = time.monotonic()
    run = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 40 and len(google_api.users) == 40
    # One token per task (department, users) and one more after the expiry.
    assert google_api.throttled > 0 and google_api.tokens_issued == 3
    assert time.monotonic() - started < 120
    for kind in ("429", "503"):
        google_api.throttle_answer = kind
        users[0]["title"] = "Title after %s" % kind
        run = run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
        assert run.rc == 0, run.text
    assert google_api.by_email("user0000@example.org")["organizations"][0]["title"] == "Title after 503"


def test_backup_change_restore_and_purge_guards(google_api, tmp_path):
    """Acceptance 3 on Google."""
    users, passwords = make_roster(10)
    connection = google_connection(google_api, tmp_path)
    assert run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords)).rc == 0
    before = comparable(info(tmp_path, "google", connection))
    path = tmp_path / "google-snapshot.json"
    snap = run_hosted(tmp_path, "google", connection, [{"name": "snap", "mailops.mailbox.snapshot": {"path": str(path)}}])
    assert snap.rc == 0 and snap.result("snap")["verified"], snap.text
    users[0].update(department="Finance", title="Controller")
    users[1]["state"] = "disabled"
    users[2]["state"] = "absent"
    assert run_hosted(tmp_path, "google", connection, apply_tasks(), extra_vars=roster_vars(users, passwords)).rc == 0
    assert comparable(info(tmp_path, "google", connection)) != before
    vault_password = tmp_path / "vault-password.txt"
    vault_password.write_text("google-restore-vault-password\n")
    dest = tmp_path / "new-passwords.yml"
    restored = run_hosted(tmp_path, "google", connection, [{"name": "restore", "mailops.mailbox.restore": {
        "src": str(path), "passwords_dest": str(dest)}}], extra_args=["--vault-password-file", str(vault_password)])
    assert restored.rc == 0, restored.text
    assert restored.result("restore")["recreated"] == ["user0002@example.org"]
    assert comparable(info(tmp_path, "google", connection)) == before
    plain = subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "view", "--vault-password-file",
                            str(vault_password), str(dest)], capture_output=True, text=True, check=True).stdout
    new_password = yaml.load(plain, Loader=UnsafeTagLoader)["mailbox_initial_passwords"]["user0002@example.org"]
    recreated = google_api.by_email("user0002@example.org")
    assert sha512_crypt.verify(new_password, recreated["password"]) and recreated["changePasswordAtNextLogin"]
    users[2]["state"] = "present"
    users[1]["state"] = "present"  # as restored
    users[0].update(department=before[0][0]["department"], title=before[0][0]["title"])
    google_api.reset_counters()
    refused = run_hosted(tmp_path, "google", connection, apply_tasks(purge=True, max_removals=2),
                         extra_vars=roster_vars(users[:5], passwords))
    assert refused.rc != 0 and "max_removals=2" in refused.result("apply")["msg"]
    assert google_api.writes == 0
    protected = [u["email"] for u in users[5:8]]
    run = run_hosted(tmp_path, "google", connection, apply_tasks(purge=True, max_removals=2, protected=protected),
                     extra_vars=roster_vars(users[:5], passwords))
    assert run.rc == 0, run.text
    assert sorted(run.result("apply")["disabled"]) == sorted(u["email"] for u in users[8:])
    assert all(not google_api.by_email(e)["suspended"] for e in protected)
    assert DEPARTMENTS  # the departments of the roster stayed as they were
    assert sorted(u["orgUnitPath"] for u in google_api.units.values()) == sorted(
        ["/" + d["name"] if not d.get("parent") else "/%s/%s" % (d["parent"], d["name"]) for d in DEPARTMENTS])
