"""Fixtures for the test API server's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kubernetes import client, config

from .server import KubeAPIServer


@pytest.fixture
def anyio_backend() -> str:
    """Run anyio tests on asyncio."""
    return "asyncio"


@pytest.fixture
def kube_server() -> Iterator[KubeAPIServer]:
    """A started server with all CRDs and the controller stand-in (no delay)."""
    with KubeAPIServer() as server:
        yield server


@pytest.fixture
def api_client(kube_server: KubeAPIServer, tmp_path: Path) -> Iterator[client.ApiClient]:
    """An official-client ``ApiClient`` configured from the server's kubeconfig file."""
    path = kube_server.kubeconfig_path(tmp_path)
    api: client.ApiClient = config.new_client_from_config(  # type: ignore[no-untyped-call]
        config_file=str(path)
    )
    with api:
        yield api


@pytest.fixture
def custom(api_client: client.ApiClient) -> client.CustomObjectsApi:
    """``CustomObjectsApi`` bound to the test server."""
    return client.CustomObjectsApi(api_client)


@pytest.fixture
def core(api_client: client.ApiClient) -> client.CoreV1Api:
    """``CoreV1Api`` bound to the test server."""
    return client.CoreV1Api(api_client)


@pytest.fixture
def http(kube_server: KubeAPIServer) -> Iterator[httpx.Client]:
    """A plain httpx client with the server as base URL."""
    with httpx.Client(base_url=kube_server.url, timeout=30) as session:
        yield session
