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
from tests.integration.playbook import connection_defaults
from tests.integration.test_users import apply, make_roster


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
