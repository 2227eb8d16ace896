# -*- coding: utf-8 -*-
"""Acceptance of the hosted backends (exmail, graph) beside ldap, through real ansible-playbook runs
against the stateful fakes of the vendors' APIs and the harness's real slapd."""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.integration.hosted import (
    DEPARTMENTS, apply_tasks, exmail_connection, graph_connection, make_roster, roster_vars, run_hosted,
)
from tests.integration.playbook import REPO, connection_defaults, run_playbook_file

BACKENDS = ("exmail", "graph")


class UnsafeTextLoader(yaml.SafeLoader):
    """Reads the vault files the collection writes, whose strings are tagged !unsafe."""


UnsafeTextLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


@pytest.fixture
def hosted(request, tmp_path):
    """``(backend, api, connection(**overrides))`` for the backend named by the test's parameter."""
    backend = request.param
    api = request.getfixturevalue(backend + "_api")
    connect = exmail_connection if backend == "exmail" else graph_connection
    return backend, api, lambda **overrides: connect(api, **overrides)


def apply(tmp_path, hosted, users, passwords, tasks=None, **kwargs):
    backend, _api, connection = hosted
    return run_hosted(tmp_path, backend, kwargs.pop("connection", None) or connection(), tasks or apply_tasks(),
                      extra_vars=roster_vars(users, passwords), **kwargs)


def info(tmp_path, backend, connection):
    run = run_hosted(tmp_path, backend, connection, [{"name": "info", "mailops.mailbox.directory_info": {}}])
    assert run.rc == 0, run.text
    return run.result("info")


def comparable(result):
    users = [dict((k, u[k]) for k in ("email", "name", "department", "title", "employee_id", "mobile", "state"))
             for u in result["users"]]
    return users, sorted(set(u["department"] for u in result["users"]))


def test_same_roster_same_directory_on_ldap_exmail_graph(clean_lab, exmail_api, graph_api, tmp_path):
    """Acceptance 1: one roster, three backends, the same users, departments and titles."""
    users, passwords = make_roster(24)
    backends = dict(ldap=connection_defaults(clean_lab), exmail=exmail_connection(exmail_api),
                    graph=graph_connection(graph_api))
    seen = {}
    for backend, connection in backends.items():
        run = run_hosted(tmp_path, backend, connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
        assert run.rc == 0, run.text
        seen[backend] = comparable(info(tmp_path, backend, connection))
        for api in (exmail_api, graph_api):
            api.reset_counters()
        again = run_hosted(tmp_path, backend, connection, apply_tasks(), extra_vars=roster_vars(users, passwords))
        assert again.rc == 0 and not again.result("apply")["changed"], again.text
        assert exmail_api.writes == 0 and graph_api.writes == 0
    assert seen["ldap"] == seen["exmail"] == seen["graph"]
    assert seen["ldap"][1] == sorted(set(d["name"] for d in DEPARTMENTS))


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_token_expired_mid_run_is_fetched_again_once(hosted, tmp_path):
    """Acceptance 3: the token expires in the middle of the writes; one new token, the run completes."""
    backend, api, connection = hosted
    users, passwords = make_roster(60)
    for user in users:
        user["department"] = None
    api.expire_at_request = 3
    run = apply(tmp_path, hosted, users, passwords, tasks=apply_tasks()[1:])
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 60 and len(api.users) == 60
    assert api.tokens_issued == 2


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_throttling_on_30_percent_of_requests_completes_in_bounded_time(hosted, tmp_path):
    """Acceptance 3: 30 % throttled; the run completes, Retry-After is honoured, within bounded time."""
    backend, api, connection = hosted
    users, passwords = make_roster(60)
    api.throttle(0.3, retry_after=1)
    started = time.monotonic()
    run = apply(tmp_path, hosted, users, passwords)
    elapsed = time.monotonic() - started
    assert run.rc == 0, run.text
    assert len(api.users) == 60 and api.throttled > 3
    assert elapsed < 90
    if backend == "graph":
        # Every throttled $batch (or sub-request) is followed by the next $batch no sooner than Retry-After.
        for throttled_at in api.throttle_times:
            later = [t for t in api.batch_times if t > throttled_at + 0.01]
            if later:
                assert later[0] - throttled_at >= 0.95


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_disable_purge_protected_and_check_diff(hosted, tmp_path):
    """Acceptance 4: disable, purge with max_removals, protected, --check --diff redacted."""
    backend, api, connection = hosted
    users, passwords = make_roster(12)
    assert apply(tmp_path, hosted, users, passwords).rc == 0
    users[0]["state"] = "disabled"
    kept, leavers = users[:6], users[6:]
    tasks = apply_tasks(purge=True, max_removals=3, protected=[users[7]["email"]])
    refused = apply(tmp_path, hosted, kept, passwords, tasks=tasks)
    assert refused.rc != 0 and "max_removals=3" in refused.text
    api.reset_counters()
    tasks = apply_tasks(purge=True, max_removals=6, protected=[users[7]["email"]])
    check = apply(tmp_path, hosted, kept, passwords, tasks=tasks, check=True, diff=True)
    assert check.rc == 0, check.text
    assert api.writes == 0
    planned = check.result("apply")
    assert sorted(planned["disabled"]) == sorted([users[0]["email"]] + [u["email"] for u in leavers
                                                                        if u["email"] != users[7]["email"]])
    assert "state: \"disabled\"" in check.stdout
    done = apply(tmp_path, hosted, kept, passwords, tasks=tasks)
    assert done.rc == 0, done.text
    directory = dict((u["email"], u["state"]) for u in info(tmp_path, backend, connection())["users"])
    assert directory[users[0]["email"]] == "disabled" and directory[users[7]["email"]] == "present"
    assert directory[users[8]["email"]] == "disabled" and directory[users[1]["email"]] == "present"
    for secret in passwords.values():
        assert secret not in check.text and secret not in done.text


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_bad_credentials_clear_error_secret_never_echoed(hosted, tmp_path):
    """Acceptance 4: a wrong secret fails clearly, and the secret is not in the output even at -vvv."""
    backend, api, connection = hosted
    secret_key = "corp_secret" if backend == "exmail" else "client_secret"
    wrong = "Wrong-Secret-%s-7731" % backend
    users, passwords = make_roster(2)
    run = apply(tmp_path, hosted, users, passwords, connection=connection(**{secret_key: wrong}), verbosity=3)
    assert run.rc != 0
    assert "refused the credentials" in run.text
    assert wrong not in run.text and api.writes == 0
    for secret in passwords.values():
        assert secret not in run.text


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_unreachable_api_fails_within_timeout(hosted, tmp_path):
    """Acceptance 4: nobody listens at the API's address: a clear error, quickly."""
    backend, api, connection = hosted
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = "http://127.0.0.1:%d" % port
    overrides = dict(api_url=dead + "/cgi-bin") if backend == "exmail" else dict(token_url=dead + "/t", api_url=dead)
    started = time.monotonic()
    run = apply(tmp_path, hosted, *make_roster(2), connection=connection(timeout=5, **overrides))
    assert run.rc != 0 and "cannot reach" in run.text and "127.0.0.1:%d" % port in run.text
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_update_password_always_is_refused_before_any_write(hosted, tmp_path):
    backend, api, connection = hosted
    users, passwords = make_roster(3)
    run = apply(tmp_path, hosted, users, passwords, tasks=apply_tasks(update_password="always")[1:])
    assert run.rc != 0 and "backend %s cannot read back or verify a stored password" % backend in run.text
    assert api.writes == 0 and not api.users


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_plaintext_api_url_to_the_network_refused(hosted, tmp_path):
    backend, api, connection = hosted
    run = apply(tmp_path, hosted, *make_roster(1), connection=connection(api_url="http://mail-api.example.org/x"))
    assert run.rc != 0 and "in clear" in run.text and api.calls.get("gettoken", 0) + api.calls.get("token", 0) == 0


def test_exmail_more_than_five_aliases_refused(exmail_api, tmp_path):
    users, passwords = make_roster(2)
    users[0]["aliases"] = ["a%d@example.org" % i for i in range(6)]
    run = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks(),
                     extra_vars=roster_vars(users, passwords))
    assert run.rc != 0 and "backend exmail allows at most 5 aliases" in run.text
    assert not exmail_api.users


def test_exmail_aliases_written_as_slaves(exmail_api, tmp_path):
    users, passwords = make_roster(2)
    users[0]["aliases"] = ["sales@example.org"]
    run = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks(),
                     extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert exmail_api.users["user0000@example.org"]["slaves"] == ["sales@example.org"]
    users[1]["aliases"] = ["sales@example.org"]
    taken = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks()[1:],
                       extra_vars=roster_vars([users[1]], passwords))
    assert taken.rc != 0 and "already belongs to user0000@example.org" in taken.text


def test_graph_aliases_are_read_only_one_warning(graph_api, tmp_path):
    users, passwords = make_roster(3)
    assert run_hosted(tmp_path, "graph", graph_connection(graph_api), apply_tasks(),
                      extra_vars=roster_vars(users, passwords)).rc == 0
    users[0]["aliases"] = ["sales@example.org"]
    users[1]["aliases"] = ["support@example.org"]
    graph_api.reset_counters()
    run = run_hosted(tmp_path, "graph", graph_connection(graph_api), apply_tasks()[1:],
                     extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    result = run.result("apply")
    assert not result["changed"] and graph_api.writes == 0
    warnings = [w for w in result.get("warnings", []) if "cannot write aliases" in w]
    assert len(warnings) == 1 and "user0000@example.org" in warnings[0] and "user0001@example.org" in warnings[0]


def test_graph_1000_users_first_apply_at_most_55_batches(graph_api, tmp_path):
    """Acceptance 5 (Graph)."""
    users, passwords = make_roster(1000)
    run = run_hosted(tmp_path, "graph", graph_connection(graph_api), apply_tasks()[1:],
                     extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert len(graph_api.users) == 1000
    assert graph_api.calls["$batch"] <= 55, graph_api.calls


def test_exmail_1000_users_rerun_reads_in_three_calls(exmail_api, tmp_path):
    """Acceptance 5 (Exmail)."""
    users, passwords = make_roster(1000)
    first = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks(),
                       extra_vars=roster_vars(users, passwords))
    assert first.rc == 0, first.text
    exmail_api.reset_counters()
    again = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks()[1:],
                       extra_vars=roster_vars(users, passwords))
    assert again.rc == 0 and not again.result("apply")["changed"], again.text
    assert sum(exmail_api.calls.values()) <= 3, exmail_api.calls
    assert exmail_api.writes == 0


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_backup_change_restore_round_trip(hosted, tmp_path):
    """Acceptance 2: snapshot, change (a user deleted, one edited, one added), restore; the deleted user comes
    back with a new initial password written to an ansible-vault file, the only thing not restored as it was."""
    backend, api, connection = hosted
    users, passwords = make_roster(6)
    assert apply(tmp_path, hosted, users, passwords).rc == 0
    snapshot = tmp_path / "snapshot.json"
    taken = run_hosted(tmp_path, backend, connection(), [{"name": "snap", "mailops.mailbox.snapshot": {"path": str(snapshot)}}])
    assert taken.rc == 0 and taken.result("snap")["verified"], taken.text
    before = info(tmp_path, backend, connection())
    changed = [dict(u) for u in users if u["email"] != "user0001@example.org"] + [
        dict(users[0], email="added@example.org", name="Added Person", employee_id="E9")]
    changed[1]["title"] = "Changed"
    passwords["added@example.org"] = "Pw-added-123456"
    assert apply(tmp_path, hosted, changed, passwords, tasks=apply_tasks(purge=True, purge_action="delete")).rc == 0
    assert info(tmp_path, backend, connection())["users"] != before["users"]
    vault_password = tmp_path / "vault-password.txt"
    vault_password.write_text("restore-test-vault-password\n")
    dest = tmp_path / "new-passwords.yml"
    task = {"name": "restore", "mailops.mailbox.restore": {"src": str(snapshot), "passwords_dest": str(dest)}}
    restored = run_hosted(tmp_path, backend, connection(), [task],
                          extra_args=["--vault-password-file", str(vault_password)])
    assert restored.rc == 0, restored.text
    result = restored.result("restore")
    assert result["recreated"] == ["user0001@example.org"] and result["passwords_dest"] == str(dest)
    assert info(tmp_path, backend, connection())["users"] == before["users"]
    assert dest.read_text().startswith("$ANSIBLE_VAULT;1.1;AES256") and (dest.stat().st_mode & 0o777) == 0o600
    plain = subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "view", "--vault-password-file",
                            str(vault_password), str(dest)], capture_output=True, text=True, check=True).stdout
    written = yaml.load(plain, Loader=UnsafeTextLoader)["mailbox_initial_passwords"]
    new_password = written["user0001@example.org"]
    assert list(written) == ["user0001@example.org"]
    assert new_password not in restored.text
    if backend == "exmail":
        stored = api.users["user0001@example.org"]
        assert stored["password"] == new_password and stored["cpwd_login"] == 1
    else:
        assert api.by_upn("user0001@example.org")["passwordProfile"] == {
            "password": new_password, "forceChangePasswordNextSignIn": True}
    api.reset_counters()
    again = run_hosted(tmp_path, backend, connection(), [dict(task, **{"mailops.mailbox.restore": {"src": str(snapshot)}})])
    assert again.rc == 0 and not again.result("restore")["changed"] and api.writes == 0, again.text


@pytest.mark.parametrize("hosted", BACKENDS, indirect=True)
def test_roles_site_and_restore_on_hosted_backend(hosted, tmp_path):
    """The backup, provision and restore roles with mailbox_backend and mailbox_<backend>, no ldap anywhere."""
    backend, api, connection = hosted
    users, passwords = make_roster(8)
    backups = tmp_path / "backups"
    settings = {"mailbox_backend": backend, "mailbox_" + backend: connection(), "mailbox_backup_dir": str(backups),
                "mailbox_report_dir": str(tmp_path / "reports"),
                "mailbox_roster": {"domain": "example.org", "departments": DEPARTMENTS, "users": users},
                "mailbox_initial_passwords": passwords}
    first = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=settings)
    assert first.rc == 0, first.text
    assert first.result("Ensure the users")["summary"]["created"] == 8 and len(api.users) == 8
    snapshot, = sorted(backups.glob("*.json"))
    assert json.loads(snapshot.read_text())["users"] == []
    api.reset_counters()
    again = run_playbook_file(tmp_path, REPO / "playbooks" / "site.yml", extra_vars=settings)
    assert again.rc == 0 and not again.result("Ensure the users")["changed"], again.text
    assert api.writes == 0
    vault_password = tmp_path / "vault-password.txt"
    vault_password.write_text("roles-restore-vault-password\n")
    dest = tmp_path / "restored-passwords.yml"
    newest = sorted(backups.glob("*.json"))[-1]
    restored = run_playbook_file(tmp_path, REPO / "playbooks" / "restore.yml", extra_args=[
        "--vault-password-file", str(vault_password)], extra_vars=dict(
            settings, mailbox_restore_snapshot=str(snapshot), mailbox_restore_passwords_dest=str(dest)))
    assert restored.rc == 0, restored.text
    assert not api.users and not dest.exists()  # back to the empty organisation; nobody re-created
    assert len(sorted(backups.glob("*.json"))) == 3 and newest.exists()


def test_tls_verified_by_default_and_with_ca_path(tmp_path):
    """An https API with a certificate from a CA the system does not trust: refused by default, named as a TLS
    failure; accepted with that CA in ca_path."""
    from tests.harness.certs import make_certs
    from tests.harness.fake_exmail import FakeExmail
    (tmp_path / "tls").mkdir()
    certs = make_certs(tmp_path / "tls")
    api = FakeExmail().start(certs=certs)
    try:
        users, passwords = make_roster(2)
        for user in users:
            user["department"] = None
        refused = run_hosted(tmp_path, "exmail", exmail_connection(api), apply_tasks()[1:],
                             extra_vars=roster_vars(users, passwords))
        assert refused.rc != 0 and "TLS verification failed" in refused.text and not api.users
        trusted = run_hosted(tmp_path, "exmail", exmail_connection(api, ca_path=str(certs.ca)), apply_tasks()[1:],
                             extra_vars=roster_vars(users, passwords))
        assert trusted.rc == 0, trusted.text
        assert len(api.users) == 2
    finally:
        api.stop()
