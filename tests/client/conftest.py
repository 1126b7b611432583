"""Fixtures: the simulator on loopback, behind a path shim that mounts it as the gateway does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.serving import ASGIApp, Receive, Scope, Send, ServerThread
from gateway.simulator.app import create_simulator_app
from gateway.simulator.config import SimulatorConfig


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _AnthropicPrefix:
    """Serve the simulator under the gateway's ``/anthropic`` and ``/cohere`` prefixes."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        for prefix in ("/anthropic/", "/cohere/"):
            if isinstance(path, str) and path.startswith(prefix):
                scope = {**scope, "path": path.removeprefix(prefix.rstrip("/"))}
        await self._app(scope, receive, send)


def _serve(api_key: str | None) -> Iterator[str]:
    app: Any = _AnthropicPrefix(create_simulator_app(SimulatorConfig(api_key=api_key)))
    with ServerThread([(app, "127.0.0.1", 0)]) as server:
        yield f"http://127.0.0.1:{server.ports[0]}"


@pytest.fixture
def sim_url() -> Iterator[str]:
    """Base URL of a simulator that answers both API styles at the gateway's paths."""
    yield from _serve(None)


@pytest.fixture
def keyed_sim_url() -> Iterator[str]:
    """The same, accepting only the key ``sk-secret-123``."""
    yield from _serve("sk-secret-123")
