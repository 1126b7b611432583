"""Session fixtures: one etcd, and real kube-apiservers with the CRDs installed.

``kube`` is the cluster every cluster test shares: every CRD installed and the status controller
running; the function-scoped wrappers in ``tests/apply/conftest.py`` clear its objects after each
test. ``kube_without_aigw_crds`` and ``kube_v1alpha1`` are separate clusters (their own etcd
prefix) for the CRD-missing and v1alpha1-only cases. The first use builds etcd and
kube-apiserver (minutes; cached afterwards). Without the pinned upstream module the AI Gateway
CRDs are rebuilt from the SDK's models (see :func:`tests.support.kube.aigateway_crds`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.kube import APIServer, Etcd
from tests.support.local_cluster import start_apiserver
from tests.support.status_controller import StatusController


@pytest.fixture(scope="session")
def kube_etcd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Etcd]:
    """One etcd for every API server of the session."""
    etcd = Etcd(tmp_path_factory.mktemp("etcd")).start()
    yield etcd
    etcd.stop()


@pytest.fixture(scope="session")
def kube(kube_etcd: Etcd, tmp_path_factory: pytest.TempPathFactory) -> Iterator[APIServer]:
    """The shared real cluster: every CRD, and the status controller writing conditions."""
    server = start_apiserver(kube_etcd, tmp_path_factory.mktemp("kube"), "/registry", "v1beta1")
    server.controller = StatusController(server).start()
    yield server
    server.controller.stop()
    server.stop()


@pytest.fixture(scope="session")
def kube_without_aigw_crds(
    kube_etcd: Etcd, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[APIServer]:
    """A cluster with Gateway API and Envoy Gateway but no Envoy AI Gateway CRDs."""
    server = start_apiserver(kube_etcd, tmp_path_factory.mktemp("kube"), "/no-aigw", None)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def kube_v1alpha1(kube_etcd: Etcd, tmp_path_factory: pytest.TempPathFactory) -> Iterator[APIServer]:
    """A cluster whose AI Gateway CRDs serve only v1alpha1 (an older release), with a controller."""
    server = start_apiserver(kube_etcd, tmp_path_factory.mktemp("kube"), "/v1alpha1", "v1alpha1")
    server.controller = StatusController(server).start()
    yield server
    server.controller.stop()
    server.stop()
