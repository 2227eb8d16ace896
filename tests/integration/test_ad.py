# -*- coding: utf-8 -*-
"""LDAP ``profile: ad`` against a real Samba AD DC (tests/harness/samba.py), through ansible-playbook."""

import secrets
import subprocess
import sys
from pathlib import Path

import ldap
import pytest
import yaml

from tests.integration.playbook import run_playbook

# One DC per machine (fixed ports): under pytest-xdist these tests run in one worker.
pytestmark = pytest.mark.xdist_group("samba_dc")


def test_harness_dc_verifies_its_certificate_and_counts_writes(ad):
    conn = ad.connect()  # LDAPS to 127.0.0.1 with the certificate checked against the harness CA
    before = ad.highest_usn()
    dn = "CN=probe,%s" % ad.managed_dn
    conn.add_s(dn, [("objectClass", [b"user"]), ("sAMAccountName", [b"probe"]),
                    ("unicodePwd", ['"Probe-Pass-1x"'.encode("utf-16-le")]), ("userAccountControl", [b"512"])])
    assert ad.highest_usn() > before
    assert ad.bind_error("probe@" + ad.realm, "Probe-Pass-1x") is None
    assert ad.bind_error("probe@" + ad.realm, "wrong") == "52e"
    conn.modify_s(dn, [(ldap.MOD_REPLACE, "userAccountControl", [b"514"])])
    assert ad.bind_error("probe@" + ad.realm, "Probe-Pass-1x") == "533"
    conn.unbind_s()


class UnsafeTagLoader(yaml.SafeLoader):
    """Reads the ``!unsafe`` tags the collection writes as the plain strings they are."""


UnsafeTagLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))

DEPARTMENTS = [{"name": u"总部"}, {"name": u"销售部", "parent": u"总部"}, {"name": "Finance"}]


def ad_roster():
    users = [
        dict(email="zhang.san@example.org", name=u"张三", department=u"销售部", title=u"销售经理", employee_id="E1001",
             mobile="+8613800000001", aliases=["sales@example.org"], state="present"),
        dict(email="ouyang.nana@example.org", name=u"欧阳娜娜", department="Finance", title="Accountant",
             employee_id="E1002", mobile="+8613800000002", aliases=[], state="present"),
        dict(email="jose.muller@example.org", name=u"José Müller", department=u"总部", title="CEO",
             employee_id="E1003", mobile=None, aliases=[], state="present"),
    ]
    passwords = dict((u["email"], "Init-" + secrets.token_urlsafe(10) + "9a") for u in users)
    return users, passwords


def ad_apply(tmp_path, dc, users, passwords, connection=None, **options):
    args = {"users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}
    args.update(options)
    tasks = [{"name": "departments", "mailops.mailbox.department": {"departments": DEPARTMENTS}},
             {"name": "apply", "mailops.mailbox.users": args}]
    return run_playbook(tmp_path, tasks, ldap=connection or dc.connection_options(ou_per_department=True),
                        extra_vars={"roster_users": users, "roster_passwords": passwords})


def department_ou(dc, *path):
    return ",".join(["OU=%s" % name for name in reversed(path)] + [dc.departments_dn])


def test_ad_lifecycle_through_ansible_playbook(ad, tmp_path):
    users, passwords = ad_roster()
    run = ad_apply(tmp_path, ad, users, passwords)
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 3
    stored = ad.users()
    dn, zhang = stored["zhang.san@example.org"]
    assert dn.lower() == ("CN=zhang.san," + department_ou(ad, u"总部", u"销售部")).lower()
    assert zhang["sAMAccountName"] == ["zhang.san"] and zhang["userPrincipalName"] == ["zhang.san@example.org"]
    assert sorted(zhang["proxyAddresses"]) == ["SMTP:zhang.san@example.org", "smtp:sales@example.org"]
    assert zhang["displayName"] == [u"张三"] and zhang["sn"] == [u"张"] and zhang["givenName"] == [u"三"]
    assert zhang["department"] == [u"销售部"] and zhang["title"] == [u"销售经理"]
    assert zhang["employeeID"] == ["E1001"] and zhang["mobile"] == ["+8613800000001"]
    assert zhang["userAccountControl"] == ["512"] and zhang["pwdLastSet"] == ["0"]
    jose = stored["jose.muller@example.org"][1]
    assert jose["givenName"] == [u"José"] and jose["sn"] == [u"Müller"] and "mobile" not in jose
    # The initial password is right (773: it must be changed at the first login); a wrong one is 52e.
    principal = "zhang.san@" + ad.realm
    assert ad.bind_error(principal, passwords["zhang.san@example.org"]) == "773"
    assert ad.bind_error("zhang.san@example.org", passwords["zhang.san@example.org"]) == "773"
    assert ad.bind_error(principal, "Wrong-Pass-1x") == "52e"
    conn = ad.connect()
    conn.modify_s(dn, [(ldap.MOD_REPLACE, "pwdLastSet", [b"-1"])])  # as if the user had changed it
    conn.unbind_s()
    assert ad.bind_error(principal, passwords["zhang.san@example.org"]) is None

    # A re-run writes nothing at all.
    usn = ad.highest_usn()
    again = ad_apply(tmp_path, ad, users, passwords)
    assert again.rc == 0, again.text
    assert not again.result("apply")["changed"] and not again.result("departments")["changed"]
    assert ad.highest_usn() == usn

    # Department and title change: the user moves to the department's OU.
    users[0].update(department="Finance", title="Controller")
    moved = ad_apply(tmp_path, ad, users, passwords)
    assert moved.rc == 0, moved.text
    assert moved.result("apply")["updated"] == ["zhang.san@example.org"]
    dn, zhang = ad.users()["zhang.san@example.org"]
    assert dn.lower() == ("CN=zhang.san," + department_ou(ad, "Finance")).lower()
    assert zhang["department"] == ["Finance"] and zhang["title"] == ["Controller"]
    assert ad.bind_error(principal, passwords["zhang.san@example.org"]) is None  # same account, same password

    # Disable: the bind is refused (533); enable: it works again.
    users[0]["state"] = "disabled"
    disabled = ad_apply(tmp_path, ad, users, passwords)
    assert disabled.rc == 0 and disabled.result("apply")["disabled"] == ["zhang.san@example.org"], disabled.text
    assert ad.users()["zhang.san@example.org"][1]["userAccountControl"] == ["514"]
    assert ad.bind_error(principal, passwords["zhang.san@example.org"]) == "533"
    users[0]["state"] = "present"
    enabled = ad_apply(tmp_path, ad, users, passwords)
    assert enabled.rc == 0 and enabled.result("apply")["updated"] == ["zhang.san@example.org"], enabled.text
    assert ad.bind_error(principal, passwords["zhang.san@example.org"]) is None

    # Delete.
    users[1]["state"] = "absent"
    deleted = ad_apply(tmp_path, ad, users, passwords)
    assert deleted.rc == 0 and deleted.result("apply")["deleted"] == ["ouyang.nana@example.org"], deleted.text
    assert "ouyang.nana@example.org" not in ad.users()
    usn = ad.highest_usn()
    assert not ad_apply(tmp_path, ad, users, passwords).result("apply")["changed"]
    assert ad.highest_usn() == usn
    for secret in list(passwords.values()) + [ad.admin_pw]:
        for each in (run, again, moved, disabled, enabled, deleted):
            assert secret not in each.text


def test_plain_ldap_with_passwords_to_set_is_refused_before_any_write(ad, tmp_path):
    users, passwords = ad_roster()
    usn = ad.highest_usn()
    plain = ad.connection_options(server_uri=ad.uri)  # ldap:// to 127.0.0.1, no StartTLS
    run = run_playbook(tmp_path, [{"name": "apply", "mailops.mailbox.users": {
        "users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}}],
        ldap=plain, extra_vars={"roster_users": users, "roster_passwords": passwords})
    assert run.rc != 0
    message = run.result("apply")["msg"]
    assert "unicodePwd" in message and "refusing to send 3 passwords in clear" in message and "start_tls" in message
    assert ad.highest_usn() == usn and ad.users() == {}
    # Over StartTLS on the same port, the same run goes through.
    tls = ad.connection_options(server_uri=ad.uri, start_tls=True)
    run = run_playbook(tmp_path, [{"name": "apply", "mailops.mailbox.users": {
        "users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}}],
        ldap=tls, extra_vars={"roster_users": users, "roster_passwords": passwords})
    assert run.rc == 0, run.text
    assert ad.bind_error("ouyang.nana@example.org", passwords["ouyang.nana@example.org"]) == "773"


def test_sam_account_names_are_at_most_20_characters_unique_and_stable(ad, tmp_path):
    long_a, long_b = "alexandra.konstantinopoulou", "alexandra.konstantinopoulos"
    users = [dict(email="%s@example.org" % local, name="Alexandra K", department=None, title=None, employee_id=None,
                  mobile=None, aliases=[], state="present") for local in (long_a, long_b, "administrator")]
    passwords = dict((u["email"], "Init-" + secrets.token_urlsafe(10) + "9a") for u in users)
    connection = ad.connection_options()
    run = run_playbook(tmp_path, [{"name": "apply", "mailops.mailbox.users": {
        "users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}}],
        ldap=connection, extra_vars={"roster_users": users, "roster_passwords": passwords})
    assert run.rc == 0, run.text
    names = dict((mail, attrs["sAMAccountName"][0]) for mail, (_dn, attrs) in ad.users().items())
    # The domain's own Administrator account keeps its name; ours gets the next free one.
    assert names == {long_a + "@example.org": "alexandra.konstantin", long_b + "@example.org": "alexandra.konstanti2",
                     "administrator@example.org": "administrator2"}
    assert all(len(name) <= 20 for name in names.values())
    assert ad.bind_error("alexandra.konstanti2@" + ad.realm, passwords[long_b + "@example.org"]) == "773"
    usn = ad.highest_usn()
    again = run_playbook(tmp_path, [{"name": "apply", "mailops.mailbox.users": {
        "users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}}],
        ldap=connection, extra_vars={"roster_users": users, "roster_passwords": passwords})
    assert again.rc == 0 and not again.result("apply")["changed"], again.text
    assert ad.highest_usn() == usn


def test_backup_change_restore_round_trip(ad, tmp_path):
    users, passwords = ad_roster()
    assert ad_apply(tmp_path, ad, users, passwords).rc == 0
    before = dict((mail, (dn.lower(), attrs)) for mail, (dn, attrs) in ad.users().items())
    path = tmp_path / "ad-snapshot.json"
    connection = ad.connection_options(ou_per_department=True)
    taken = run_playbook(tmp_path, [{"name": "snap", "mailops.mailbox.snapshot": {"path": str(path)}}], ldap=connection)
    assert taken.rc == 0, taken.text
    snap = taken.result("snap")
    assert snap["verified"] and snap["users"] == 3
    assert "not included" in path.read_text()  # it says what AD cannot give back: no password is in it
    for secret in passwords.values():
        assert secret not in path.read_text()

    # Change: a move and a new title, a disable, a deletion, a new user.
    users[0].update(department="Finance", title="Controller")
    users[1]["state"] = "disabled"
    users[2]["state"] = "absent"
    extra = dict(email="new.hire@example.org", name="New Hire", department=u"总部", title=None, employee_id=None,
                 mobile=None, aliases=[], state="present")
    passwords[extra["email"]] = "Init-" + secrets.token_urlsafe(10) + "9a"
    assert ad_apply(tmp_path, ad, users + [extra], passwords).rc == 0
    assert ad.users() != {}

    vault_password = tmp_path / "vault-password.txt"
    vault_password.write_text("ad-restore-vault-password\n")
    dest = tmp_path / "new-passwords.yml"
    restored = run_playbook(tmp_path, [{"name": "restore", "mailops.mailbox.restore": {
        "src": str(path), "passwords_dest": str(dest)}}], ldap=connection,
        extra_args=["--vault-password-file", str(vault_password)])
    assert restored.rc == 0, restored.text
    assert restored.result("restore")["recreated"] == ["jose.muller@example.org"]
    # unicodePwd is write-only: the re-created user has a new initial password, kept in the vault file.
    plain = subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "view", "--vault-password-file",
                            str(vault_password), str(dest)], capture_output=True, text=True, check=True).stdout
    new_password = yaml.load(plain, Loader=UnsafeTagLoader)["mailbox_initial_passwords"]["jose.muller@example.org"]
    assert new_password != passwords["jose.muller@example.org"] and new_password not in restored.text
    assert ad.bind_error("jose.muller@example.org", new_password) == "773"
    assert ad.bind_error("jose.muller@example.org", passwords["jose.muller@example.org"]) == "52e"
    after = dict((mail, (dn.lower(), attrs)) for mail, (dn, attrs) in ad.users().items())
    assert set(after) == set(before)
    for mail, (dn, attrs) in before.items():
        assert after[mail][0] == dn
        for name in ("department", "title", "userAccountControl", "proxyAddresses", "displayName", "sAMAccountName"):
            assert after[mail][1].get(name) == attrs.get(name), (mail, name)
    usn = ad.highest_usn()
    again = run_playbook(tmp_path, [{"name": "restore", "mailops.mailbox.restore": {"src": str(path)}}],
                         ldap=connection)
    assert again.rc == 0 and not again.result("restore")["changed"], again.text
    assert ad.highest_usn() == usn


def test_purge_guards(ad, tmp_path):
    users, passwords = ad_roster()
    assert ad_apply(tmp_path, ad, users, passwords).rc == 0
    usn = ad.highest_usn()
    refused = ad_apply(tmp_path, ad, users[:1], passwords, purge=True, max_removals=1)
    assert refused.rc != 0 and "max_removals=1" in refused.result("apply")["msg"]
    assert ad.highest_usn() == usn
    protected = ad_apply(tmp_path, ad, users[:1], passwords, purge=True, max_removals=1,
                         protected=["jose.muller@example.org"])
    assert protected.rc == 0, protected.text
    assert protected.result("apply")["disabled"] == ["ouyang.nana@example.org"]
    stored = ad.users()
    assert stored["ouyang.nana@example.org"][1]["userAccountControl"] == ["514"]
    assert stored["jose.muller@example.org"][1]["userAccountControl"] == ["512"]
    assert ad.bind_error("ouyang.nana@example.org", passwords["ouyang.nana@example.org"]) == "533"
