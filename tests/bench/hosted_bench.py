"""The hosted section of `make bench`: 1,000 users applied with backend exmail and graph against the
stateful fakes of their APIs (tests/harness), beside the LDAP figures.

    PYTHONPATH=.build/collections:. python tests/bench/hosted_bench.py [--users 1000]

Per backend: the first apply and a re-run with nothing to change (departments, then users), each
with the users task's time, the HTTP requests the fake received (all, per user), the write
operations (a $batch's sub-requests each) and the calls by endpoint. The fakes
answer at once, so the times are this collection's own cost (plus Ansible's); a real API adds its
round trips, which the request counts let you estimate.
"""

import argparse
import json
import sys
import tempfile
import time

from tests.harness.fake_exmail import FakeExmail
from tests.harness.fake_graph import FakeGraph
from tests.integration.hosted import DEPARTMENTS, exmail_connection, graph_connection, make_roster, run_hosted


def _tasks():
    return [{"name": "departments", "mailops.mailbox.department": {"departments": "{{ bench_departments }}"}},
            {"name": "users", "mailops.mailbox.users": {"users": "{{ bench_users }}", "passwords": "{{ bench_passwords }}",
                                                        "domain": "example.org"}}]


def _run(workdir, backend, api, connection, users, passwords):
    api.reset_counters()
    started = time.monotonic()
    run = run_hosted(workdir, backend, connection, _tasks(), extra_vars=dict(
        bench_users=users, bench_passwords=passwords, bench_departments=DEPARTMENTS))
    wall = time.monotonic() - started
    if run.rc != 0:
        raise RuntimeError("%s run failed:\n%s" % (backend, run.text[-3000:]))
    requests = api.http_requests
    return dict(users_task_seconds=run.result("users")["_seconds"], playbook_seconds=round(wall, 2), requests=requests,
                requests_per_user=round(requests / float(len(users)), 3), writes=api.writes, reads=api.reads,
                calls=dict(api.calls))


def measure(size, workdir):
    """``{backend: {first: {...}, rerun: {...}}}`` for ``size`` users on each fake."""
    users, passwords = make_roster(size)
    report = {}
    for backend, fake, connect in (("exmail", FakeExmail, exmail_connection), ("graph", FakeGraph, graph_connection)):
        api = fake().start()
        try:
            connection = connect(api)
            print("measuring %s with %d users ..." % (backend, size), file=sys.stderr, flush=True)
            report[backend] = dict(users=size, first=_run(workdir, backend, api, connection, users, passwords),
                                   rerun=_run(workdir, backend, api, connection, users, passwords))
        finally:
            api.stop()
    return report


def table(report, ldap_sizes=()):
    """Rows per backend and phase; the LDAP users-module times of the same size beside them."""
    lines = ["hosted backends (fake APIs on 127.0.0.1)",
             "%-7s %-7s %10s %10s %9s %7s  %s" % ("backend", "phase", "task s", "requests", "req/user", "writes",
                                                  "calls")]
    for backend, phases in sorted(report.items()):
        for phase in ("first", "rerun"):
            row = phases[phase]
            calls = ", ".join("%s %d" % item for item in sorted(row["calls"].items(), key=lambda kv: -kv[1])[:4])
            figures = (backend, phase, row["users_task_seconds"], row["requests"], row["requests_per_user"],
                       row["writes"], calls)
            lines.append("%-7s %-7s %10.2f %10d %9.3f %7d  %s" % figures)
    for size in ldap_sizes:
        if size.get("users") == next(iter(report.values()))["users"]:
            lines.append("%-7s %-7s %10.2f  (users module, same size, from the LDAP section)"
                         % ("ldap", "first", size["first_apply_module_s"]))
            lines.append("%-7s %-7s %10.2f" % ("ldap", "rerun", size["rerun_module_s"]))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mailops-hosted-bench-") as workdir:
        report = measure(args.users, workdir)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)
    print(table(report))


if __name__ == "__main__":
    main()
