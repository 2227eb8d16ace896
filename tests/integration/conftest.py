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
