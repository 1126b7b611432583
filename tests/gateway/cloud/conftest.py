"""A simulator with its cloud routes, served over loopback, and its identities."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.serving import ServerThread
from gateway.simulator import SimulatorConfig, create_simulator_app
from gateway.simulator.app import SimulatorApp
from gateway.simulator.cloud_auth import CloudAuthConfig

AUTH = CloudAuthConfig()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def cloud_sim() -> Iterator[tuple[str, SimulatorApp]]:
    """(base URL, app) of one simulator per module."""
    app = create_simulator_app(SimulatorConfig(api_key="sk-sim", cloud_auth=AUTH))
    assert isinstance(app, SimulatorApp)
    with ServerThread([(app, "127.0.0.1", 0)]) as st:
        yield f"http://127.0.0.1:{st.ports[0]}", app


@pytest.fixture
def sim_url(cloud_sim: tuple[str, SimulatorApp]) -> str:
    return cloud_sim[0]
