"""Fixtures: the in-repo test API server over real HTTP, and Clusters configured for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import aigw_sdk as aigw
from aigw_sdk.apply import Cluster
from aigw_sdk.presets import Provider
from tests.kube_apiserver import KubeAPIServer


@pytest.fixture
def anyio_backend() -> str:
    """Run anyio tests on asyncio."""
    return "asyncio"


@pytest.fixture
def server() -> Iterator[KubeAPIServer]:
    """A started test API server with every CRD and the controller stand-in."""
    with KubeAPIServer() as srv:
        yield srv


@pytest.fixture
def kubeconfig(server: KubeAPIServer, tmp_path: Path) -> Path:
    """A kubeconfig file pointing at ``server``."""
    return server.kubeconfig_path(tmp_path)


@pytest.fixture
def cluster(kubeconfig: Path) -> Iterator[Cluster]:
    """A Cluster connected to ``server`` (closed afterwards)."""
    with Cluster(kubeconfig=kubeconfig) as c:
        yield c


@pytest.fixture
def seed() -> aigw.Bundle:
    """The seed guide's Anthropic bundle."""
    return aigw.presets.anthropic(api_key="sk-test")


@pytest.fixture
def fallback() -> aigw.Bundle:
    """Two providers with priorities and the retry policy."""
    return aigw.presets.provider_fallback(
        Provider("primary", "Anthropic", "api.anthropic.com", "sk-primary"),
        Provider("secondary", "OpenAI", "api.openai.com", "sk-secondary"),
        ["claude-sonnet-4-5"],
    )
