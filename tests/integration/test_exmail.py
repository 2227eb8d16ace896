# -*- coding: utf-8 -*-
"""backend: exmail through real ansible-playbook runs against the stateful fake of the Exmail API."""

from tests.integration.hosted import apply_tasks, exmail_connection, make_roster, roster_vars, run_hosted


def test_apply_then_rerun_reads_three_calls_and_writes_nothing(exmail_api, tmp_path):
    users, passwords = make_roster(20)
    exmail_api.latency = 0.05
    run = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks(),
                     extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 20
    stored = exmail_api.users["user0001@example.org"]
    assert stored["cpwd_login"] == 1 and stored["password"] == passwords["user0001@example.org"]
    assert exmail_api.department_name(stored["department"][0]) == users[1]["department"]
    assert 1 < exmail_api.max_active <= 4  # writes in flight, bounded by exmail.max_in_flight
    tokens = list(exmail_api.tokens)
    assert stored["position"] == users[1]["title"] and stored["extid"] == users[1]["employee_id"]
    exmail_api.reset_counters()
    again = run_hosted(tmp_path, "exmail", exmail_connection(exmail_api), apply_tasks(),
                       extra_vars=roster_vars(users, passwords))
    assert again.rc == 0, again.text
    assert not again.result("apply")["changed"] and not again.result("departments")["changed"]
    assert exmail_api.writes == 0
    # users: gettoken + department/list + user/list
    assert exmail_api.calls["gettoken"] == 2 and exmail_api.calls["user/list"] == 1
    for secret in (exmail_api.corp_secret,) + tuple(passwords.values()) + tuple(tokens):
        assert secret not in again.text and secret not in run.text
