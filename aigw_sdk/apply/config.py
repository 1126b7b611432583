"""Connection settings: a kubeconfig file and context, or the pod's service account."""

from __future__ import annotations

import os
from pathlib import Path

from kubernetes import client, config
from kubernetes.config.config_exception import ConfigException

from aigw_sdk.apply.errors import ClusterError

_SA_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


def in_pod() -> bool:
    """True inside a Kubernetes pod with no kubeconfig to prefer."""
    has_kubeconfig = "KUBECONFIG" in os.environ or Path("~/.kube/config").expanduser().exists()
    return "KUBERNETES_SERVICE_HOST" in os.environ and not has_kubeconfig


def load_configuration(
    kubeconfig: str | os.PathLike[str] | None, context: str | None
) -> tuple[client.Configuration, str]:
    """The client configuration and the default namespace (context's, pod's, or ``default``)."""
    configuration = client.Configuration()
    if kubeconfig is None and context is None and in_pod():
        config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
        namespace = _SA_NAMESPACE.read_text().strip() if _SA_NAMESPACE.exists() else "default"
        return configuration, namespace
    path = str(kubeconfig) if kubeconfig is not None else None
    try:
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=path,
            context=context,
            client_configuration=configuration,
            persist_config=False,
        )
        contexts, current = config.list_kube_config_contexts(  # type: ignore[no-untyped-call]
            config_file=path
        )
    except (ConfigException, OSError) as exc:
        where = path or os.environ.get("KUBECONFIG", "~/.kube/config")
        raise ClusterError(f"cannot load kubeconfig {where}: {exc}") from exc
    chosen = next((c for c in contexts if c.get("name") == context), None) if context else current
    namespace = ((chosen or {}).get("context") or {}).get("namespace") or "default"
    return configuration, str(namespace)
