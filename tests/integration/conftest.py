"""Session-wide lab servers (real slapd + Dovecot on 127.0.0.1): one pair per pytest-xdist worker,
since session fixtures are per worker, each in its own temp dir on its own ports."""

import atexit
import os
from pathlib import Path

import pytest

from tests.harness.servers import LabServers
from tests.harness.xdist_groups import ungrouped

# The integration modules, longest per test first (means of `pytest -n 2 --durations=0`): pytest-xdist
# (--dist loadgroup) hands out tests in collection order, one or two at a time per worker, so with the
# long ones first a long test never starts last while the other worker has run out of work, and the
# unit tests (a tenth of a second each) go last and fill the ends. A module not named here runs after
# these; the tests of a module stay together and in their order (module-scoped fixtures).
LONGEST_FIRST = (
    "test_demo", "test_lab_role", "test_roles_files", "test_roles", "test_built_collection", "test_google",
    "test_snapshot_restore", "test_reliability", "test_roster_apply", "test_ad", "test_roster_template_injection",
    "test_hosted_acceptance", "test_users", "test_exmail", "test_directory_guards", "test_graph", "test_roster",
    "test_roster_sources", "test_gitops_examples", "test_harness",
)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: three workers for every two CPUs. The integration tests wait a sixth of their time
    (ansible-playbook processes starting, servers answering, the hosted fakes' Retry-After): with a
    worker per CPU the two cores of CI were busy 1.64 of 2 on average, with three 1.93 (the whole
    suite: 15.3 minutes with two workers, 10.9 with three an hour later; part of that gap was the
    machine's own speed, the busy cores are not). A number in PYTEST_XDIST_AUTO_NUM_WORKERS wins, as
    it does in pytest-xdist's own rule."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus + (cpus + 1) // 2


# The items of an xdist worker that --dist loadgroup should have grouped and did not (xdist_groups.py).
UNGROUPED = pytest.StashKey[frozenset]()


# trylast: after pytest-xdist's own hook, which gives the grouped items their group in a worker.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Integration tests longest first, then the rest (the unit tests), each group in its own order."""
    if getattr(config.option, "loadgroup", False):
        config.stash[UNGROUPED] = frozenset(ungrouped(items))
    rank = dict((name, index) for index, name in enumerate(LONGEST_FIRST))
    here = Path(__file__).resolve().parent

    def order(item):
        path = Path(str(item.fspath)).resolve()
        if path.parent != here:
            return len(rank) + 1
        return rank.get(path.stem, len(rank))

    items.sort(key=order)


# tryfirst: before the runner sets up the test's fixtures (a Samba DC of its own, say). An error
# raised while collecting in a worker would reach the user as pytest-xdist's own INTERNALERROR.
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.nodeid in item.config.stash.get(UNGROUPED, frozenset()):
        pytest.fail("--dist loadgroup did not keep this test's xdist_group with this pytest and pytest-xdist "
                    "(pytest-dev/pytest-xdist#1386; requirements-test.txt pins pytest below 9.2)", pytrace=False)


@pytest.fixture(scope="session")
def lab():
    servers = LabServers()
    # The finalizer below covers failures and Ctrl-C; atexit covers an
    # interpreter exit that skips fixture teardown. stop() is idempotent.
    atexit.register(servers.stop)
    servers.start()
    try:
        yield servers
    finally:
        servers.stop()
        atexit.unregister(servers.stop)


@pytest.fixture
def clean_lab(lab):
    """The session lab with nothing below ou=people and ou=departments."""
    lab.slapd.reset()
    return lab


@pytest.fixture
def site(clean_lab, tmp_path):
    """The collection's playbooks against the clean lab (tests/integration/site_playbooks.py)."""
    from tests.integration.site_playbooks import Site
    return Site(clean_lab, tmp_path)


@pytest.fixture(scope="session")
def exmail_server():
    from tests.harness.fake_exmail import FakeExmail
    server = FakeExmail().start()
    yield server
    server.stop()


@pytest.fixture
def exmail_api(exmail_server):
    """The session's fake Exmail API, empty, counters at zero."""
    exmail_server.reset()
    return exmail_server


@pytest.fixture(scope="session")
def graph_server():
    from tests.harness.fake_graph import FakeGraph
    server = FakeGraph().start()
    yield server
    server.stop()


@pytest.fixture
def graph_api(graph_server):
    """The session's fake Microsoft Graph API (and token endpoint), empty, counters at zero."""
    graph_server.reset()
    return graph_server


# Samba AD DC (tests/harness/samba.py): fixed ports 389/636, so one DC per machine, held under a
# file lock. The AD tests are one xdist group (xdist_group "samba_dc") and all in one module; the DC
# lives for that module only, so should the group ever be split across workers, the other worker
# waits for the module to end, not for this worker's whole session.
@pytest.fixture(scope="module")
def samba_dc():
    from tests.harness.samba import SambaDC, unavailable_reason
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    dc = SambaDC()
    atexit.register(dc.stop)
    dc.start()
    try:
        yield dc
    finally:
        dc.stop()
        atexit.unregister(dc.stop)


@pytest.fixture
def ad(samba_dc):
    """The session's Samba DC with nothing below its managed OU."""
    samba_dc.reset()
    return samba_dc


@pytest.fixture(scope="session")
def google_server():
    from tests.harness.fake_google import FakeGoogle
    server = FakeGoogle().start()
    yield server
    server.stop()


@pytest.fixture
def google_api(google_server):
    """The session's fake Google Directory API (and token endpoint), empty, counters at zero."""
    google_server.reset()
    return google_server
