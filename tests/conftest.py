"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.upstream import Upstream, require_upstream_root

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def upstream() -> Upstream:
    """The pinned upstream release (Envoy AI Gateway's Go module); skips when unavailable."""
    return Upstream(require_upstream_root())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
