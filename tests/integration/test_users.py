# -*- coding: utf-8 -*-
"""The users, user and directory_info modules through real ansible-playbook, against real slapd and Dovecot."""

import secrets

import ldap
import ldap.dn
import ldap.filter
import pytest
import yaml
from passlib.hash import sha512_crypt

from tests.integration.playbook import connection_defaults, run_playbook

SURNAMES = u"张王李赵刘陈杨黄周吴"
DEPARTMENTS = [u"销售部", u"研发部", "Finance", "Operations"]


def make_roster(count=50):
    users, passwords = [], {}
    for i in range(count):
        name = SURNAMES[i % 10] + u"小" + u"明红刚丽"[i % 4] if i % 2 else "Person %02d Smith" % i
        email = "user%02d@example.org" % i
        users.append(dict(email=email, name=name, department=DEPARTMENTS[i % 4], title="Engineer",
                          employee_id="E%04d" % i, mobile="+86138%08d" % i, aliases=[], state="present"))
        passwords[email] = "Pw-" + secrets.token_urlsafe(12)
    return users, passwords


def users_task(name="apply", **options):
    args = {"users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}
    args.update(options)
    return {"name": name, "mailops.mailbox.users": args}


def apply(tmp_path, lab, users, passwords, **kwargs):
    options = kwargs.pop("options", {})
    return run_playbook(tmp_path, [users_task(**options)], lab=lab,
                        extra_vars={"roster_users": users, "roster_passwords": passwords}, **kwargs)


def entry(lab, email):
    conn = lab.slapd.connect()
    uid = email.split("@")[0]
    found = conn.search_s(lab.slapd.users_dn, ldap.SCOPE_ONELEVEL, "(uid=%s)" % ldap.filter.escape_filter_chars(uid))
    return dict((k, [v.decode() for v in vals]) for k, vals in found[0][1].items()) if found else None


@pytest.fixture
def applied(clean_lab, tmp_path):
    """50 users applied once; returns (users, passwords)."""
    users, passwords = make_roster()
    run = apply(tmp_path, clean_lab, users, passwords)
    assert run.rc == 0, run.text
    result = run.result("apply")
    assert result["changed"] and result["summary"]["created"] == 50
    return users, passwords


def test_create_50_users_and_each_logs_in_over_imap(applied, clean_lab):
    users, passwords = applied
    for user in users:
        assert clean_lab.dovecot.imap_login(user["email"], passwords[user["email"]]), user["email"]
    assert not clean_lab.dovecot.imap_login(users[0]["email"], "wrong-password")
    stored = entry(clean_lab, users[1]["email"])
    assert stored["cn"] == [users[1]["name"]] and stored["ou"] == [users[1]["department"]]
    assert stored["userPassword"][0].startswith("{CRYPT}$6$")


def test_rerun_changes_nothing_and_writes_nothing(applied, clean_lab, tmp_path):
    users, passwords = applied
    before = clean_lab.slapd.write_ops()
    export = clean_lab.slapd.export()
    run = apply(tmp_path, clean_lab, users, passwords)
    result = run.result("apply")
    assert run.rc == 0 and result["changed"] is False
    assert result["summary"] == dict(created=0, updated=0, disabled=0, deleted=0, unchanged=50)
    assert run.stats["changed"] == 0
    assert clean_lab.slapd.write_ops() == before
    assert clean_lab.slapd.export() == export


def test_changing_one_user_updates_exactly_that_user(applied, clean_lab, tmp_path):
    users, passwords = applied
    users[7] = dict(users[7], title="Head of Sales", department=u"销售部")
    before = clean_lab.slapd.write_ops()
    run = apply(tmp_path, clean_lab, users, passwords)
    result = run.result("apply")
    assert result["summary"]["updated"] == 1 and result["updated"] == [users[7]["email"]]
    assert result["summary"]["unchanged"] == 49
    assert clean_lab.slapd.write_ops() == before + 1
    stored = entry(clean_lab, users[7]["email"])
    assert stored["title"] == ["Head of Sales"] and stored["ou"] == [u"销售部"]


def test_check_diff_plans_without_writing_and_shows_no_secret(applied, clean_lab, tmp_path):
    users, passwords = applied
    users[3] = dict(users[3], title="CTO")
    users.append(dict(email="new.hire@example.org", name="New Hire", department="Finance", state="present"))
    passwords["new.hire@example.org"] = "Brand-New-" + secrets.token_urlsafe(8)
    export = clean_lab.slapd.export()
    checked = apply(tmp_path, clean_lab, users, passwords, check=True, diff=True)
    planned = checked.result("apply")
    assert checked.rc == 0 and planned["changed"]
    assert clean_lab.slapd.export() == export
    diffs = dict((d["before_header"], dict(before=yaml.safe_load(d["before"]) or {}, after=yaml.safe_load(d["after"])))
                 for d in planned["diff"])
    assert diffs[users[3]["email"]]["before"]["title"] == "Engineer"
    assert diffs[users[3]["email"]]["after"]["title"] == "CTO"
    assert diffs["new.hire@example.org"]["after"]["password"] == "******** (new)"
    real = apply(tmp_path, clean_lab, users, passwords, verbosity=3, diff=True)
    assert real.rc == 0, real.text
    applied_result = apply(tmp_path, clean_lab, users, passwords).result("apply")
    assert applied_result["changed"] is False  # the -vvv run applied exactly the plan
    for key in ("created", "updated", "disabled", "deleted"):
        assert planned[key] == (["new.hire@example.org"] if key == "created" else
                                [users[3]["email"]] if key == "updated" else [])
    secrets_used = list(passwords.values()) + [clean_lab.slapd.service_pw]
    hashes = [entry(clean_lab, u["email"])["userPassword"][0] for u in users[:5]]
    for text in (checked.text, real.text, str(planned)):
        for secret in secrets_used + hashes + [h.split("$")[-1] for h in hashes]:
            assert secret not in text


def test_disable_and_enable_keep_the_entry_and_the_password(applied, clean_lab, tmp_path):
    users, passwords = applied
    email = users[5]["email"]
    users[5] = dict(users[5], state="disabled")
    result = apply(tmp_path, clean_lab, users, passwords).result("apply")
    assert result["disabled"] == [email] and result["summary"]["disabled"] == 1
    assert entry(clean_lab, email) is not None
    assert not clean_lab.dovecot.imap_login(email, passwords[email])
    users[5] = dict(users[5], state="present")
    result = apply(tmp_path, clean_lab, users, passwords).result("apply")
    assert result["updated"] == [email]
    assert clean_lab.dovecot.imap_login(email, passwords[email])


def test_purge_disable_delete_and_protected(applied, clean_lab, tmp_path):
    users, passwords = applied
    kept, leavers = users[:45], [u["email"] for u in users[45:]]
    protected = leavers[0]
    options = dict(purge=True, protected=[protected])
    result = apply(tmp_path, clean_lab, kept, passwords, options=options).result("apply")
    assert sorted(result["disabled"]) == sorted(leavers[1:]) and result["summary"]["unchanged"] == 46
    for email in leavers[1:]:
        assert not clean_lab.dovecot.imap_login(email, passwords[email])
    assert clean_lab.dovecot.imap_login(protected, passwords[protected])
    options = dict(purge=True, purge_action="delete", protected=[protected])
    result = apply(tmp_path, clean_lab, kept, passwords, options=options).result("apply")
    assert sorted(result["deleted"]) == sorted(leavers[1:])
    assert [entry(clean_lab, e) for e in leavers[1:]] == [None] * 4
    assert entry(clean_lab, protected) is not None


def test_max_removals_refuses_before_any_write(applied, clean_lab, tmp_path):
    users, passwords = applied
    export = clean_lab.slapd.export()
    run = apply(tmp_path, clean_lab, users[:10], passwords, options=dict(purge=True, max_removals=10))
    result = run.result("apply")
    assert run.rc != 0 and result["failed"]
    assert "disables 40 and deletes 0 users (40 removals), more than max_removals=10" in result["msg"]
    assert clean_lab.slapd.export() == export


def test_bad_items_list_every_problem_and_write_nothing(applied, clean_lab, tmp_path):
    users, passwords = applied
    bad = users[:3] + [
        dict(email="noname@example.org"),
        dict(email="zhang@@example.org", name="Z"),
        dict(email="x@wrong-domain.org", name="X"),
        dict(users[0], name="Duplicate"),
        dict(email="a1@example.org", name="A", aliases=["shared@example.org"]),
        dict(email="a2@example.org", name="B", aliases=["shared@example.org"]),
        dict(email="s@example.org", name="S", state="gone"),
        dict(email="k@example.org", name="K", colour="blue"),
    ]
    export = clean_lab.slapd.export()
    run = apply(tmp_path, clean_lab, bad + [dict(users[4], title="changed too")], passwords)
    result = run.result("apply")
    assert run.rc != 0 and clean_lab.slapd.export() == export
    found = [(p["row"], p["email"], p["column"]) for p in result["problems"]]
    assert found == [(3, "noname@example.org", "name"), (4, "zhang@@example.org", "email"),
                     (5, "x@wrong-domain.org", "email"), (6, "user00@example.org", "email"),
                     (8, "a2@example.org", "aliases"), (9, "s@example.org", "state"), (10, "k@example.org", "colour")]
    assert result["msg"].startswith("7 problems in the users list, nothing was changed")
    assert 'users[6] (user00@example.org): email: duplicate email "user00@example.org": already used by users[0]' \
        in result["msg"]


SPECIAL_NAMES = [u' Lead,Space', u'Trail+Space ', u'Quote"Back\\slash', u'#Hash=Eq<Lt>Gt;Semi',
                 u'Star*Paren(s)', u'*)(uid=*', u'欧阳娜娜', u'José Müller']


def test_special_names_round_trip_and_cannot_escape_users_dn(clean_lab, tmp_path):
    users = [dict(email="special%d@example.org" % i, name=name, department=name, title=name)
             for i, name in enumerate(SPECIAL_NAMES)]
    users.append(dict(email="o'brien+x=y#z@example.org", name="Crafted local part"))
    run = apply(tmp_path, clean_lab, users, {})
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == len(users)
    info = run_playbook(tmp_path, [{"name": "read", "mailops.mailbox.directory_info": {}, "register": "info"}],
                        lab=clean_lab).result("read")
    by_email = dict((u["email"], u) for u in info["users"])
    for user in users:
        got = by_email[user["email"]]
        assert (got["name"], got["department"], got["title"]) == (user["name"], user.get("department"),
                                                                  user.get("title"))
    # every entry is a direct child of users_dn, whatever the name or local part held
    conn = clean_lab.slapd.connect()
    everything = conn.search_s(clean_lab.slapd.base_dn, ldap.SCOPE_SUBTREE, "(objectClass=inetOrgPerson)", ["1.1"])
    for dn, _attrs in everything:
        assert ldap.dn.str2dn(dn)[1:] == ldap.dn.str2dn(clean_lab.slapd.users_dn), dn
    # the single-user module searches by mail with the value escaped: a crafted filter matches nothing
    single = run_playbook(tmp_path, [{"name": "one", "mailops.mailbox.user": {
        "email": "special5@example.org", "name": u"*)(uid=*", "state": "present"}}], lab=clean_lab).result("one")
    assert single["changed"] is False and single["summary"]["unchanged"] == 1
    assert apply(tmp_path, clean_lab, users, {}).result("apply")["changed"] is False


@pytest.mark.parametrize("scheme, rounds, start", [("sha512_crypt", 5000, "{CRYPT}$6$"),
                                                   ("sha256_crypt", 6000, "{CRYPT}$5$rounds=6000$")])
def test_hashes_log_in_and_both_spellings_of_5000_rounds_stay_unchanged(clean_lab, tmp_path, scheme, rounds, start):
    users, passwords = make_roster(3)
    options = dict(update_password="always")
    ldap_options = connection_defaults(clean_lab, password_scheme=scheme, password_rounds=rounds)
    created = apply(tmp_path, clean_lab, users, passwords, options=options, ldap=ldap_options)
    assert created.rc == 0 and created.result("apply")["summary"]["created"] == 3, created.text
    for user in users:
        stored = entry(clean_lab, user["email"])["userPassword"][0]
        assert stored.startswith(start) and ("rounds=" in stored) == (rounds != 5000)
        assert clean_lab.dovecot.imap_login(user["email"], passwords[user["email"]]), user["email"]
        clean_lab.slapd.connect("uid=%s,%s" % (user["email"].split("@")[0], clean_lab.slapd.users_dn),
                                passwords[user["email"]]).unbind_s()
    # Other tools write the default rounds out: "$6$rounds=5000$salt$..." is the same hash as "$6$salt$...".
    spelled_out = "{CRYPT}" + sha512_crypt.using(rounds=5000).hash(passwords[users[0]["email"]]).replace("$6$", "$6$rounds=5000$", 1)
    conn = clean_lab.slapd.connect()
    conn.modify_s("uid=user00,%s" % clean_lab.slapd.users_dn, [(ldap.MOD_REPLACE, "userPassword", [spelled_out.encode()])])
    conn.unbind_s()
    assert clean_lab.dovecot.imap_login(users[0]["email"], passwords[users[0]["email"]])
    before = clean_lab.slapd.write_ops()
    rerun = apply(tmp_path, clean_lab, users, passwords, options=options, ldap=ldap_options)
    assert rerun.rc == 0 and rerun.result("apply")["changed"] is False, rerun.text
    assert clean_lab.slapd.write_ops() == before
    assert entry(clean_lab, users[0]["email"])["userPassword"] == [spelled_out]


@pytest.mark.parametrize("transport", ["start_tls", "ldaps"])
def test_tls_with_ca_and_refusal_without(clean_lab, tmp_path, transport):
    users = [dict(email="tls@example.org", name="TLS")]
    slapd = clean_lab.slapd
    secure = dict(server_uri=slapd.ldaps_uri) if transport == "ldaps" else dict(start_tls=True)
    run = apply(tmp_path, clean_lab, users, {}, ldap=connection_defaults(clean_lab, ca_path=str(slapd.ca_path), **secure))
    assert run.rc == 0 and run.result("apply")["changed"], run.text
    refused = apply(tmp_path, clean_lab, users, {}, ldap=connection_defaults(clean_lab, **secure))
    message = refused.result("apply")["msg"]
    assert refused.rc != 0 and "server certificate must verify against ca_path" in message, message
    unverified = apply(tmp_path, clean_lab, users, {}, ldap=connection_defaults(clean_lab, validate_certs=False, **secure))
    assert unverified.rc == 0 and unverified.result("apply")["changed"] is False


def test_wrong_bind_password_does_not_echo_it(clean_lab, tmp_path):
    wrong = "Wrong-" + secrets.token_urlsafe(10)
    run = apply(tmp_path, clean_lab, [dict(email="a@example.org", name="A")], {}, verbosity=3,
                ldap=connection_defaults(clean_lab, bind_pw=wrong))
    assert run.rc != 0 and "invalid credentials" in run.text
    assert wrong not in run.text


def test_directory_info_feeds_back_as_zero_changes(applied, clean_lab, tmp_path):
    users, passwords = applied
    users[2] = dict(users[2], state="disabled", aliases=["alias.two@example.org"])
    apply(tmp_path, clean_lab, users, passwords)
    tasks = [
        {"name": "read", "mailops.mailbox.directory_info": {}, "register": "info"},
        {"name": "feed back", "mailops.mailbox.users": {"users": "{{ info.users }}"}},
    ]
    run = run_playbook(tmp_path, tasks, lab=clean_lab)
    info = run.result("read")
    assert len(info["users"]) == 50 and info["roster"]["domain"] == "example.org"
    assert info["users"][2] == dict(users[2])
    text = str(info)
    assert "userPassword" not in text and "{CRYPT}" not in text and "$6$" not in text
    assert run.result("feed back")["changed"] is False


def test_department_create_keep_remove(clean_lab, tmp_path):
    tree = [{"name": u"总部"}, {"name": u"华东", "parent": u"销售部"},
            {"name": u"销售部", "parent": u"总部", "description": "Sales"}]

    def run_departments(departments, **kwargs):
        return run_playbook(tmp_path, [{"name": "deps", "mailops.mailbox.department": {"departments": departments}}],
                            lab=clean_lab, **kwargs)

    first = run_departments(tree).result("deps")
    assert first["created"] == [u"总部", u"销售部", u"华东"]
    assert run_departments(tree).result("deps")["changed"] is False
    conn = clean_lab.slapd.connect()
    dn = u"ou=华东,ou=销售部,ou=总部," + clean_lab.slapd.departments_dn
    assert conn.search_s(dn, ldap.SCOPE_BASE)
    apply(tmp_path, clean_lab, [dict(email="east@example.org", name="East", department=u"华东")], {})
    refused = run_departments([{"name": u"华东", "state": "absent"}])
    assert refused.rc != 0 and u"is not empty (1 members)" in refused.result("deps")["msg"]
    refused = run_departments([{"name": u"销售部", "state": "absent"}])
    assert u"1 departments" in refused.result("deps")["msg"]
    apply(tmp_path, clean_lab, [dict(email="east@example.org", state="absent")], {})
    gone = run_departments([{"name": u"华东", "state": "absent"}, {"name": u"销售部", "state": "absent"}])
    assert gone.result("deps")["deleted"] == [u"华东", u"销售部"]
    assert run_departments([{"name": u"华东", "state": "absent"}]).result("deps")["changed"] is False
    single = run_playbook(tmp_path, [{"name": "one", "mailops.mailbox.department": {"name": "IT", "parent": u"总部"}}],
                          lab=clean_lab, check=True, diff=True).result("one")
    assert single["changed"] and single["created"] == ["IT"]
    assert yaml.safe_load(single["diff"][0]["after"])["parent"] == u"总部"
