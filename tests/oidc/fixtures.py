"""Fixtures around the test provider, for the web tests and the browser tests (imported by
their conftest files): one provider per session, its client registered for the test client's
origin and for a live server's port chosen up front."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.oidc.provider import Provider, running_provider

TEST_CLIENT_ORIGIN = "http://testserver"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def proconnect_port() -> int:
    """The port of the live server that signs in with the provider (browser tests)."""
    return free_port()


@pytest.fixture(scope="session")
def oidc_provider(
    tmp_path_factory: pytest.TempPathFactory, proconnect_port: int
) -> Iterator[Provider]:
    origins = [TEST_CLIENT_ORIGIN, f"http://localhost:{proconnect_port}"]
    with running_provider(tmp_path_factory.mktemp("oidc"), origins) as provider:
        yield provider
