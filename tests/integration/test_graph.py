# -*- coding: utf-8 -*-
"""backend: graph through real ansible-playbook runs against the stateful fake of Microsoft Graph."""

from tests.integration.hosted import apply_tasks, graph_connection, make_roster, roster_vars, run_hosted


def test_apply_then_rerun_writes_nothing(graph_api, tmp_path):
    users, passwords = make_roster(30)
    run = run_hosted(tmp_path, "graph", graph_connection(graph_api, license_sku="sku-e3"), apply_tasks(),
                     extra_vars=roster_vars(users, passwords))
    assert run.rc == 0, run.text
    assert run.result("apply")["summary"]["created"] == 30
    stored = graph_api.by_upn("user0001@example.org")
    assert stored["passwordProfile"] == {"password": passwords["user0001@example.org"],
                                         "forceChangePasswordNextSignIn": True}
    assert stored["department"] == users[1]["department"] and stored["jobTitle"] == users[1]["title"]
    assert stored["accountEnabled"] is True and stored["usageLocation"] == "CN"
    assert stored["assignedLicenses"] == [{"skuId": "sku-e3", "disabledPlans": []}]
    assert stored["mailNickname"] == "user0001" and stored["employeeId"] == "E0001"
    assert "warnings" in run.result("departments")
    tokens = list(graph_api.tokens)
    graph_api.reset_counters()
    again = run_hosted(tmp_path, "graph", graph_connection(graph_api), apply_tasks(),
                       extra_vars=roster_vars(users, passwords))
    assert again.rc == 0, again.text
    assert not again.result("apply")["changed"]
    assert graph_api.writes == 0 and graph_api.calls["$batch"] == 0
    for secret in (graph_api.client_secret,) + tuple(passwords.values()) + tuple(tokens):
        assert secret not in again.text and secret not in run.text
