"""Fixtures: simulators served over loopback by `ServerThread`, and SDK clients pointed at them."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import httpx
import openai
import pytest

from gateway.serving import ServerThread
from gateway.simulator import SimulatorConfig, create_simulator_app
from tests.gateway.simulator.support import API_KEY


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def sim_server() -> Iterator[str]:
    """One simulator per test module (requires API_KEY); yields its base URL."""
    with ServerThread(
        [(create_simulator_app(SimulatorConfig(api_key=API_KEY)), "127.0.0.1", 0)]
    ) as st:
        yield f"http://127.0.0.1:{st.ports[0]}"


@pytest.fixture
def sim_url(sim_server: str) -> str:
    """The module's simulator with counters and cache reset."""
    httpx.post(f"{sim_server}/_sim/reset").raise_for_status()
    return sim_server


@pytest.fixture
def claude(sim_url: str) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(api_key=API_KEY, base_url=sim_url, max_retries=0) as client:
        yield client


@pytest.fixture
def gpt(sim_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(api_key=API_KEY, base_url=f"{sim_url}/v1", max_retries=0) as client:
        yield client


@pytest.fixture
def http(sim_url: str) -> Iterator[httpx.Client]:
    """A raw client with the Anthropic credentials, for exact wire checks."""
    headers = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=sim_url, headers=headers) as client:
        yield client
