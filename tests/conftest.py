"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

# The real Kubernetes control plane (etcd + kube-apiserver), shared by the session.
from tests.support.kube_fixtures import kube, kube_etcd, kube_v1alpha1, kube_without_aigw_crds
from tests.support.upstream import Upstream, require_upstream_root

REPO = Path(__file__).resolve().parents[1]
KUBE_FIXTURES = frozenset({"kube", "kube_etcd", "kube_v1alpha1", "kube_without_aigw_crds"})
__all__ = ["kube", "kube_etcd", "kube_v1alpha1", "kube_without_aigw_crds"]


@pytest.fixture(scope="session")
def upstream() -> Upstream:
    """The pinned upstream release (Envoy AI Gateway's Go module); skips when unavailable."""
    return Upstream(require_upstream_root())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the real control plane may start it first (minutes on a busy machine)."""
    for item in items:
        if KUBE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.timeout(900))
