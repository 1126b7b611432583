"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference material beside the checkout (upstream CRDs, examples, celtests)."""
    if not SHARED.is_dir():
        pytest.fail(f"reference material not found at {SHARED}: clone the repo beside shared/")
    return SHARED


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
