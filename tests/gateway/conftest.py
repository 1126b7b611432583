"""Fixtures of the local-gateway tests: a simulator on 127.0.0.1 and gateways in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.app import BackgroundLoop
from tests.gateway.gw_helpers import SDK_CLIENTS, SIM_KEY, Stack


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def stack() -> Iterator[Stack]:
    """A background loop running the simulator; `stack.serve(...)` adds a gateway. Stopped after."""
    loop = BackgroundLoop()
    try:
        port = loop.start_simulator(SIM_KEY)
        yield Stack(loop, port)
    finally:
        loop.stop()


@pytest.fixture(autouse=True)
def _close_sdk_clients() -> Iterator[None]:
    yield
    while SDK_CLIENTS:
        SDK_CLIENTS.pop().close()
