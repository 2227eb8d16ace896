# -*- coding: utf-8 -*-
"""The directory-side guards of a hostile review (issue 12): passwords no hash can hold, exact
reporting of a run that fails while writing, connection secrets under -vvv, option errors, address
uniqueness across the directory, explicit containers, purge scope, foreign locks and tampered
snapshots. Through real ansible-playbook against the harness's slapd and Dovecot, except where a
test drives the provider directly to reach a state validation no longer lets a run reach."""

import secrets

import ldap
import ldap.modlist

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import LDAP_OPTIONS, ldap_options
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.apply import apply_changes
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.plan import PlanOptions, plan
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.validate import validate_users
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.ldap import LdapProvider
from tests.integration.playbook import connection_defaults, run_playbook
from tests.integration.test_users import apply, make_roster, users_task


def provider_for(lab, **overrides):
    """The LDAP provider with the module's defaults, bound as the provisioning account."""
    params = dict((key, spec.get('default')) for key, spec in LDAP_OPTIONS.items())
    params.update(connection_defaults(lab, **overrides))
    return LdapProvider(ldap_options(params))


def user_uids(lab, scope=ldap.SCOPE_ONELEVEL):
    conn = lab.slapd.connect()
    try:
        found = conn.search_s(lab.slapd.users_dn, scope, "(objectClass=inetOrgPerson)", ["uid"])
    finally:
        conn.unbind_s()
    return set(attrs["uid"][0].decode() for _dn, attrs in found)


def add_as_root(lab, dn, attrs):
    conn = lab.slapd.connect()
    try:
        conn.add_s(dn, ldap.modlist.addModlist(
            dict((k, [v.encode() for v in (vals if isinstance(vals, list) else [vals])]) for k, vals in attrs.items())))
    finally:
        conn.unbind_s()


# Passwords and exact reporting ---------------------------------------------------------------------------

def test_a_password_no_hash_can_hold_is_refused_before_any_write(clean_lab, tmp_path):
    users, passwords = make_roster(100)
    bad = users[70]["email"]
    passwords[bad] = "Nul\x00Password-" + secrets.token_urlsafe(8)
    export, writes = clean_lab.slapd.export(), clean_lab.slapd.write_ops()
    run = apply(tmp_path, clean_lab, users, passwords)
    result = run.result("apply")
    assert run.rc != 0 and result["changed"] is False, run.text
    assert result["problems"] == [dict(row=70, column="passwords", email=bad, value=None, message=(
        "the password of %s contains a NUL character, which no password hash can hold" % bad))]
    assert clean_lab.slapd.export() == export and clean_lab.slapd.write_ops() == writes
    assert passwords[bad].split("\x00")[1] not in run.text


def test_a_failure_while_writing_reports_exactly_the_users_written(clean_lab):
    """A password that fails while it is hashed, mid-stream, with writes in flight (validation now
    refuses it, so the provider is driven directly): every user written is reported, no other."""
    users, passwords = make_roster(300)
    desired, problems = validate_users(users, passwords=passwords)
    assert problems == []
    desired[200].password = Secret("x\x00y")
    changes = plan(desired, [], PlanOptions()).changes
    with provider_for(clean_lab) as provider:
        outcome = apply_changes(changes, provider.apply_users)
    assert outcome.aborted and "NUL" in outcome.aborted.upper(), outcome.aborted
    written = user_uids(clean_lab)
    assert written and set(c.email.split("@")[0] for c in outcome.done) == written
    assert "user200" not in written


# Connection secrets and option errors --------------------------------------------------------------------

def test_bind_pw_stays_masked_under_vvv_when_a_user_password_equals_it(clean_lab, tmp_path):
    users, passwords = make_roster(3)
    passwords[users[1]["email"]] = clean_lab.slapd.service_pw
    run = apply(tmp_path, clean_lab, users, passwords, verbosity=3)
    assert run.rc == 0, run.text
    assert clean_lab.slapd.service_pw not in run.text
    assert clean_lab.dovecot.imap_login(users[1]["email"], clean_lab.slapd.service_pw)


def test_a_negative_max_removals_is_an_option_error(clean_lab, tmp_path):
    users, passwords = make_roster(2)
    run = apply(tmp_path, clean_lab, users, passwords, options=dict(max_removals=-1, purge=True))
    result = run.result("apply")
    assert run.rc != 0 and result["msg"].startswith("max_removals must be 0 or more (it is -1)"), result
    assert "Traceback" not in run.text and "ValueError" not in str(result)
    assert user_uids(clean_lab) == set()


# An address belongs to one entry --------------------------------------------------------------------------

def test_an_address_another_entry_holds_is_refused_naming_both_before_any_write(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    ceo_pw = "Ceo-" + secrets.token_urlsafe(10)
    ceo_dn = slapd.add_user("ceo", ["ceo@example.org", "postmaster@example.org"], ceo_pw)
    # A shared mailbox outside users_dn (anywhere below base_dn counts).
    shared_dn = "cn=sales," + slapd.departments_dn
    add_as_root(clean_lab, shared_dn, dict(objectClass="inetOrgPerson", cn="sales", sn="sales", mail="sales@example.org"))
    users = [dict(email="postmaster@example.org", name="Post Master"),
             dict(email="li.si@example.org", name="Li Si", aliases=["ceo@example.org", "sales@example.org"]),
             dict(email="fine@example.org", name="Fine")]
    export, writes = slapd.export(), slapd.write_ops()
    run = apply(tmp_path, clean_lab, users, {})
    result = run.result("apply")
    assert run.rc != 0 and result["changed"] is False
    assert [(p["row"], p["column"], p["email"], p["message"]) for p in result["problems"]] == [
        (0, "email", "postmaster@example.org",
         'email "postmaster@example.org" already belongs to %s: an address belongs to one entry' % ceo_dn),
        (1, "aliases", "li.si@example.org",
         'alias "ceo@example.org" already belongs to %s: an address belongs to one entry' % ceo_dn),
        (1, "aliases", "li.si@example.org",
         'alias "sales@example.org" already belongs to %s: an address belongs to one entry' % shared_dn)]
    assert "users[0] (postmaster@example.org): email: " in result["msg"]
    assert slapd.export() == export and slapd.write_ops() == writes
    assert clean_lab.dovecot.imap_login("postmaster@example.org", ceo_pw)
    # The single-user module asks the same question.
    single = run_playbook(tmp_path, [{"name": "one", "mailops.mailbox.user": {
        "email": "boss@example.org", "name": "Boss", "aliases": ["ceo@example.org"]}}], lab=clean_lab).result("one")
    assert single["failed"] and single["problems"][0]["message"].startswith(
        'alias "ceo@example.org" already belongs to %s' % ceo_dn), single
    # Once the roster takes the alias off its entry, it may move to another user in the same run.
    moved = apply(tmp_path, clean_lab, [dict(email="ceo@example.org", name="ceo", aliases=[]),
                                        dict(email="postmaster@example.org", name="Post Master")], {})
    assert moved.rc == 0 and moved.result("apply")["created"] == ["postmaster@example.org"], moved.text
    assert clean_lab.dovecot.imap_login("ceo@example.org", ceo_pw)


def test_a_wrong_base_dn_duplicates_nobody(clean_lab, tmp_path):
    users, passwords = make_roster(3)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    export, writes = clean_lab.slapd.export(), clean_lab.slapd.write_ops()
    wrong = connection_defaults(clean_lab, base_dn=clean_lab.slapd.users_dn, users_dn=None, departments_dn=None)
    run = apply(tmp_path, clean_lab, users, passwords, ldap=wrong, options=dict(purge=True))
    result = run.result("apply")
    assert run.rc != 0 and result["changed"] is False
    assert [p["message"] for p in result["problems"]] == [
        'email "%s" already belongs to uid=%s,%s: an address belongs to one entry'
        % (u["email"], u["email"].split("@")[0], clean_lab.slapd.users_dn) for u in users]
    assert clean_lab.slapd.export() == export and clean_lab.slapd.write_ops() == writes


def test_a_missing_container_is_an_error_unless_create_containers(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    staff = "ou=staff," + slapd.base_dn
    teams = "ou=teams," + slapd.base_dn
    missing = connection_defaults(clean_lab, users_dn=staff, departments_dn=teams)
    tasks = [dict(users_task(name="users", ldap=missing), ignore_errors=True),
             dict({"name": "department", "mailops.mailbox.department": {"name": "Finance", "ldap": missing}},
                  ignore_errors=True)]
    extra = dict(roster_users=[dict(email="new.hire@example.org", name="New Hire")], roster_passwords={})
    export, writes = slapd.export(), slapd.write_ops()
    for check in (True, False):
        run = run_playbook(tmp_path, tasks, extra_vars=extra, check=check)
        assert run.result("users")["msg"] == (
            'the container users_dn "%s" does not exist, so nothing was changed: check base_dn (and users_dn), or '
            'set create_containers: true to create it' % staff), run.result("users")
        assert run.result("department")["msg"].startswith('the container departments_dn "%s" does not exist' % teams)
    assert slapd.export() == export and slapd.write_ops() == writes
    # Asked for, they are created (by an account that may write there).
    allowed = connection_defaults(clean_lab, users_dn=staff, departments_dn=teams, create_containers=True,
                                  bind_dn=slapd.root_dn, bind_pw=slapd.root_pw)
    tasks = [users_task(name="users", ldap=allowed),
             {"name": "department", "mailops.mailbox.department": {"name": "Finance", "ldap": allowed}}]
    try:
        run = run_playbook(tmp_path, tasks, extra_vars=extra)
        assert run.rc == 0 and run.result("users")["created"] == ["new.hire@example.org"], run.text
        assert run.result("department")["created"] == ["Finance"]
    finally:
        conn = slapd.connect()
        for dn in ("uid=new.hire," + staff, staff, "ou=Finance," + teams, teams):
            try:
                conn.delete_s(dn)
            except ldap.NO_SUCH_OBJECT:
                pass
        conn.unbind_s()


# Purge touches only what the roster can own ---------------------------------------------------------------

def test_purge_acts_only_on_entries_the_roster_could_own(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    users, passwords = make_roster(3)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    nested_ou = "ou=contractors," + slapd.users_dn
    add_as_root(clean_lab, nested_ou, dict(objectClass="organizationalUnit", ou="contractors"))
    add_as_root(clean_lab, "uid=nested," + nested_ou, dict(
        objectClass="inetOrgPerson", uid="nested", cn="Nested", sn="Nested", mail="nested@example.org"))
    slapd.add_user("other", "other@example.net", "Other-Pw-1")
    slapd.add_user("boss", ["boss@example.org", "postmaster@example.org"], "Boss-Pw-1")
    slapd.add_user("leaver", "leaver@example.org", "Leaver-Pw-1")
    options = dict(purge=True, protected=["postmaster@example.org"])
    run = apply(tmp_path, clean_lab, users, passwords, options=options)
    result = run.result("apply")
    assert run.rc == 0 and result["disabled"] == ["leaver@example.org"], run.text
    # The roster's users and the protected boss; the others are not the roster's to judge.
    assert result["summary"]["unchanged"] == 4
    for email, password in (("other@example.net", "Other-Pw-1"), ("postmaster@example.org", "Boss-Pw-1")):
        assert clean_lab.dovecot.imap_login(email, password), email
    deleted = apply(tmp_path, clean_lab, users, passwords, options=dict(options, purge_action="delete"))
    assert deleted.result("apply")["deleted"] == ["leaver@example.org"], deleted.text
    assert user_uids(clean_lab, ldap.SCOPE_SUBTREE) == set(["user00", "user01", "user02", "other", "boss", "nested"])
    # A protected alias protects its user from the roster's own state too.
    refused = apply(tmp_path, clean_lab, [dict(email="boss@example.org", name="Boss", state="disabled")], {},
                    options=dict(protected=["postmaster@example.org"]))
    assert refused.result("apply")["problems"][0]["message"] == "is disabled, but postmaster@example.org is protected"


# Restore writes only the managed subtrees ----------------------------------------------------------------

def test_a_tampered_snapshot_is_refused_before_any_write(clean_lab, tmp_path):
    slapd = clean_lab.slapd
    users, passwords = make_roster(3)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    path = tmp_path / "snap.ldif"
    taken = run_playbook(tmp_path, [{"name": "snap", "mailops.mailbox.snapshot": {"path": str(path)}}],
                         lab=clean_lab).result("snap")
    entries = taken["entries"]
    text = path.read_text().replace("# entries: %d" % entries, "# entries: %d" % (entries + 2))
    text += ("\ndn: cn=evil,%s\nobjectClass: organizationalRole\ncn: evil\n\n"
             "dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Taken Over\n"
             % (slapd.base_dn, slapd.base_dn))
    path.write_text(text)
    export, writes = slapd.export(), slapd.write_ops()
    # As the rootdn, which the server would let write anywhere: the refusal is the module's.
    root = connection_defaults(clean_lab, bind_dn=slapd.root_dn, bind_pw=slapd.root_pw)
    for check in (True, False):
        run = run_playbook(tmp_path, [{"name": "restore", "mailops.mailbox.restore": {"src": str(path)}}],
                           ldap=root, check=check)
        result = run.result("restore")
        assert run.rc != 0 and result["changed"] is False
        assert result["msg"] == (
            "refusing to restore %s: the snapshot holds 2 entries outside users_dn and departments_dn, which a "
            "restore never writes: cn=evil,%s, %s. A snapshot of this collection holds none: it was altered, or taken "
            "with other options. Nothing was changed." % (path, slapd.base_dn, slapd.base_dn)), result["msg"]
    assert slapd.export() == export and slapd.write_ops() == writes


# Locks the collection did not set --------------------------------------------------------------------------

def lock_time(lab, uid):
    conn = lab.slapd.connect()
    try:
        found = conn.search_s("uid=%s,%s" % (uid, lab.slapd.users_dn), ldap.SCOPE_BASE, "(objectClass=*)",
                              ["pwdAccountLockedTime"])
    finally:
        conn.unbind_s()
    values = found[0][1].get("pwdAccountLockedTime")
    return values[0].decode() if values else None


def set_as_root(lab, dn, attribute, value):
    conn = lab.slapd.connect()
    try:
        conn.modify_s(dn, [(ldap.MOD_REPLACE, attribute, [value.encode()])])
    finally:
        conn.unbind_s()


def test_a_lock_the_collection_did_not_set_is_reported_and_never_removed(clean_lab, tmp_path):
    """The harness's slapd runs the ppolicy overlay; a lockout policy is switched on here: two failed
    IMAP logins lock user00 (pwdAccountLockedTime, a timestamp), and an administrator locks user01."""
    slapd = clean_lab.slapd
    users, passwords = make_roster(4)
    assert apply(tmp_path, clean_lab, users, passwords).rc == 0
    policy = "cn=lockout," + slapd.base_dn
    add_as_root(clean_lab, policy, dict(objectClass=["organizationalRole", "pwdPolicy"], cn="lockout",
                                        pwdAttribute="userPassword", pwdLockout="TRUE", pwdMaxFailure="2"))
    try:
        for _attempt in range(3):
            assert not clean_lab.dovecot.imap_login(users[0]["email"], "wrong-password")
        assert lock_time(clean_lab, "user00") not in (None, "000001010000Z")
        assert not clean_lab.dovecot.imap_login(users[0]["email"], passwords[users[0]["email"]])
        set_as_root(clean_lab, "uid=user01," + slapd.users_dn, "pwdAccountLockedTime", "000001010000Z")
        set_as_root(clean_lab, "uid=user03," + slapd.users_dn, "pwdAccountLockedTime", "20260101000000Z")

        # An unchanged roster: nothing written, both locks reported and kept.
        writes = slapd.write_ops()
        run = apply(tmp_path, clean_lab, users, passwords)
        result = run.result("apply")
        assert run.rc == 0 and result["changed"] is False, run.text
        assert result["foreign_locks"] == ["user00@example.org", "user01@example.org", "user03@example.org"]
        assert "3 users of the list are locked by something other than this collection" in run.text
        assert slapd.write_ops() == writes
        assert lock_time(clean_lab, "user00") and lock_time(clean_lab, "user01") == "000001010000Z"

        # The collection's own disable is undone by enabling; an administrator's lock outlives both.
        for state in ("disabled", "present"):
            users[2] = dict(users[2], state=state)
            users[3] = dict(users[3], state=state)
            assert apply(tmp_path, clean_lab, users, passwords).rc == 0
        assert lock_time(clean_lab, "user02") is None
        assert clean_lab.dovecot.imap_login(users[2]["email"], passwords[users[2]["email"]])
        assert lock_time(clean_lab, "user03") == "20260101000000Z"
        assert not clean_lab.dovecot.imap_login(users[3]["email"], passwords[users[3]["email"]])
    finally:
        conn = slapd.connect()
        conn.delete_s(policy)
        conn.unbind_s()
