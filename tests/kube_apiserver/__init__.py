"""A faithful Kubernetes API server stand-in for tests of the cluster path (test code only).

Usage::

    with KubeAPIServer(controller=True) as server:
        kubeconfig = server.kubeconfig_path(tmp_path)   # token auth, http://127.0.0.1:<port>
        api = kubernetes.config.new_client_from_config(config_file=str(kubeconfig))

It serves discovery, core v1 / Envoy Gateway / Gateway API kinds and the AI Gateway CRDs
(validated with their structural schemas and CEL rules), server-side apply with managed
fields, the status subresource, watches, and a controller stand-in that sets conditions.
"""

from .resources import CRDMode
from .server import KubeAPIServer

__all__ = ["CRDMode", "KubeAPIServer"]
