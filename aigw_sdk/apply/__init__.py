"""Apply bundles to a Kubernetes cluster: server-side apply, dry-run, diff, wait, prune, delete.

Example::

    import aigw_sdk as aigw

    bundle = aigw.presets.anthropic(api_key=key)
    with aigw.Cluster(context="prod") as cluster:
        print(cluster.apply(bundle))
        cluster.wait(bundle, timeout=120)
"""

from aigw_sdk.apply.async_cluster import AsyncCluster
from aigw_sdk.apply.cluster import Cluster
from aigw_sdk.apply.diff import DiffReport, ObjectDiff
from aigw_sdk.apply.discovery import CRDStatus
from aigw_sdk.apply.errors import (
    APIError,
    ApplyFailedError,
    ClusterError,
    CRDsMissingError,
    FieldManagerConflictError,
    WaitTimeoutError,
)
from aigw_sdk.apply.plan import BUNDLE_LABEL, MANAGED_BY_LABEL
from aigw_sdk.apply.results import ApplyReport, ObjectRef, ObjectResult
from aigw_sdk.apply.secrets import secret_from_env
from aigw_sdk.apply.wait import ObjectCondition, WaitEvent

__all__ = [
    "BUNDLE_LABEL",
    "MANAGED_BY_LABEL",
    "APIError",
    "ApplyFailedError",
    "ApplyReport",
    "AsyncCluster",
    "CRDStatus",
    "CRDsMissingError",
    "Cluster",
    "ClusterError",
    "DiffReport",
    "FieldManagerConflictError",
    "ObjectCondition",
    "ObjectDiff",
    "ObjectRef",
    "ObjectResult",
    "WaitEvent",
    "WaitTimeoutError",
    "secret_from_env",
]
