"""Fixtures: the real API server (tests/support/kube_fixtures.py) and Clusters configured for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import aigw_sdk as aigw
from aigw_sdk.apply import Cluster
from aigw_sdk.presets import Provider
from tests.support.kube import APIServer

TEST_GROUPS = ("aigateway.envoyproxy.io", "gateway.envoyproxy.io", "gateway.networking.k8s.io")


@pytest.fixture
def anyio_backend() -> str:
    """Run anyio tests on asyncio."""
    return "asyncio"


def _reset(server: APIServer) -> None:
    if server.controller is not None:
        server.controller.enabled = True
    server.delete_test_objects(TEST_GROUPS)


@pytest.fixture
def server(kube: APIServer) -> Iterator[APIServer]:
    """The shared real cluster, emptied of the test's objects afterwards."""
    yield kube
    _reset(kube)


@pytest.fixture
def server_v1alpha1(kube_v1alpha1: APIServer) -> Iterator[APIServer]:
    """The v1alpha1-only cluster, emptied afterwards."""
    yield kube_v1alpha1
    _reset(kube_v1alpha1)


@pytest.fixture
def server_without_crds(kube_without_aigw_crds: APIServer) -> Iterator[APIServer]:
    """The cluster without AI Gateway CRDs, emptied afterwards."""
    yield kube_without_aigw_crds
    _reset(kube_without_aigw_crds)


@pytest.fixture
def kubeconfig(server: APIServer, tmp_path: Path) -> Path:
    """A kubeconfig file pointing at ``server``."""
    return server.kubeconfig_path(tmp_path)


@pytest.fixture
def cluster(kubeconfig: Path) -> Iterator[Cluster]:
    """A Cluster connected to ``server`` (closed afterwards)."""
    with Cluster(kubeconfig=kubeconfig) as c:
        yield c


@pytest.fixture
def no_controller(server: APIServer) -> APIServer:
    """``server`` with its status controller paused: conditions are never written."""
    assert server.controller is not None
    server.controller.enabled = False
    return server


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


# An AIGatewayRoute that breaks one CEL rule of the CRD (rule names must be unique).
DUPLICATE_RULE_NAMES = """\
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata:
  name: twice-named
  namespace: default
spec:
  parentRefs: [{name: gw, kind: Gateway, group: gateway.networking.k8s.io}]
  rules:
    - name: chat
      matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: model-a}]}]
      backendRefs: [{name: backend-a}]
    - name: chat
      matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: model-b}]}]
      backendRefs: [{name: backend-a}]
"""
