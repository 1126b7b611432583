"""A whole local test cluster outside pytest: etcd, kube-apiserver, every CRD, status controller.

Used by the notebook "apply to a cluster" and by scripts; the pytest fixtures in
``kube_fixtures.py`` assemble the same parts with session scope.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from tests.support.kube import (
    APIServer,
    Etcd,
    aigateway_crds,
    envoy_gateway_crds,
    gateway_api_crds,
    v1alpha1_only,
)
from tests.support.status_controller import StatusController


def start_apiserver(etcd: Etcd, workdir: Path, prefix: str, aigw: str | None) -> APIServer:
    """A started kube-apiserver with Gateway API and Envoy Gateway CRDs, plus the AI Gateway CRDs
    as ``aigw`` says: ``"v1beta1"`` (the release's own), ``"v1alpha1"`` (only v1alpha1), None."""
    server = APIServer(etcd, workdir, prefix).start()
    crds = gateway_api_crds() + envoy_gateway_crds()
    if aigw == "v1beta1":
        crds += aigateway_crds()
    elif aigw == "v1alpha1":
        crds += v1alpha1_only(aigateway_crds())
    try:
        server.install_crds(crds)
    except Exception:
        server.stop()
        raise
    return server


class LocalCluster:
    """etcd + kube-apiserver on 127.0.0.1 with every CRD and the status controller running."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="aigw-sdk-cluster-"))
        self.etcd = Etcd(self.workdir / "etcd")
        self.server: APIServer | None = None

    def start(self) -> LocalCluster:
        self.etcd.start()
        try:
            self.server = start_apiserver(
                self.etcd, self.workdir / "kube-apiserver", "/registry", "v1beta1"
            )
        except Exception:
            self.etcd.stop()
            raise
        self.server.controller = StatusController(self.server).start()
        return self

    def kubeconfig_path(self) -> Path:
        """A kubeconfig for the cluster (written in the cluster's own temporary directory)."""
        assert self.server is not None, "cluster not started"
        return self.server.kubeconfig_path(self.workdir)

    def stop(self) -> None:
        """Stop everything and remove the cluster's files."""
        if self.server is not None:
            if self.server.controller is not None:
                self.server.controller.stop()
            self.server.stop()
        self.etcd.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
