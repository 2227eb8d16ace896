"""Session-wide lab servers (real slapd + Dovecot on 127.0.0.1): one pair per pytest-xdist worker,
since session fixtures are per worker, each in its own temp dir on its own ports."""

import atexit

import pytest

from tests.harness.servers import LabServers


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
