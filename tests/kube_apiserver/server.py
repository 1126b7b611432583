"""``KubeAPIServer``: the test API server on 127.0.0.1 with an ephemeral port."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

from ..support.upstream import Upstream, require_upstream_root
from .controller import Controller
from .handler import Handler, ServerState
from .operations import ObjectAPI, WriteOptions
from .resources import BUILTIN_TYPES, CRDMode, Registry, load_crds
from .store import Store

JSON = dict[str, Any]

DEFAULT_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


class KubeAPIServer:
    """A Kubernetes API server stand-in for tests, served over real HTTP.

    ``crds`` picks the AI Gateway CRDs served (``"all"``, ``"missing"``, ``"v1alpha1-only"``);
    ``controller`` runs the condition-setting controller stand-in after ``controller_delay``
    seconds per change; ``token`` makes a bearer token mandatory (401 otherwise).
    """

    def __init__(
        self,
        crd_dir: Path | None = None,
        *,
        crds: CRDMode | str = CRDMode.ALL,
        controller: bool = True,
        controller_delay: float = 0.0,
        token: str | None = None,
    ) -> None:
        types = list(BUILTIN_TYPES) + load_crds(
            crd_dir or Upstream(require_upstream_root()).crds, CRDMode(crds)
        )
        self.registry = Registry(types)
        self.store = Store()
        self.api = ObjectAPI(self.store)
        self.token = token
        self._stopping = threading.Event()
        self.controller = (
            Controller(self.api, self.registry, controller_delay) if controller else None
        )
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        namespaces = self.registry.lookup("", "v1", "namespaces")
        assert namespaces is not None
        for name in DEFAULT_NAMESPACES:
            body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            self.api.create(namespaces, "", body, WriteOptions(manager="kube-apiserver"))

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> KubeAPIServer:
        """Bind 127.0.0.1:0 and serve in a background thread."""
        state = ServerState(self.registry, self.store, self.api, self.token, self._stopping)
        handler = type("BoundHandler", (Handler,), {"state": state})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="kube-test-apiserver", daemon=True
        )
        self._thread.start()
        if self.controller is not None:
            self.controller.start()
        return self

    def stop(self) -> None:
        """Stop serving (open watches end) and stop the controller."""
        self._stopping.set()
        if self.controller is not None:
            self.controller.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> KubeAPIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- client configuration ------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def kubeconfig(self, namespace: str = "default", token: str | None = None) -> JSON:
        """A kubeconfig dict with one context (``test``) using bearer-token auth."""
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "test", "cluster": {"server": self.url}}],
            "users": [{"name": "test", "user": {"token": token or self.token or "test-token"}}],
            "contexts": [
                {
                    "name": "test",
                    "context": {"cluster": "test", "user": "test", "namespace": namespace},
                }
            ],
            "current-context": "test",
        }

    def kubeconfig_path(
        self, directory: Path, namespace: str = "default", token: str | None = None
    ) -> Path:
        """Write :meth:`kubeconfig` to ``directory/kubeconfig`` and return the path."""
        path = Path(directory) / "kubeconfig"
        path.write_text(yaml.safe_dump(self.kubeconfig(namespace, token)), encoding="utf-8")
        return path

    # -- test helpers --------------------------------------------------------------------
    def get_object(self, group: str, plural: str, namespace: str, name: str) -> JSON | None:
        """The stored object (as last written), bypassing HTTP."""
        return self.store.get((group, plural, namespace, name))

    def set_controller(self, enabled: bool) -> None:
        """Switch the controller stand-in on or off (off: conditions are never set)."""
        if self.controller is not None:
            self.controller.enabled = enabled
