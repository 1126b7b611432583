"""Cluster against a real kube-apiserver: apply, diff, conflicts, wait, prune, delete, CRDs."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

import aigw_sdk as aigw
from aigw_sdk.apply import (
    BUNDLE_LABEL,
    MANAGED_BY_LABEL,
    APIError,
    ApplyFailedError,
    Cluster,
    CRDsMissingError,
    FieldManagerConflictError,
    WaitEvent,
    WaitTimeoutError,
)
from aigw_sdk.errors import APIDeprecationWarning, BundleInvalidError
from aigw_sdk.models import AIGatewayRoute, Backend, GenericResource
from tests.apply.conftest import DUPLICATE_RULE_NAMES
from tests.support.kube import APIServer

GROUP = "aigateway.envoyproxy.io"
ROUTE = "envoy-ai-gateway-basic-anthropic"


def _stored(server: APIServer, group: str, plural: str, name: str) -> dict[str, Any] | None:
    return server.get_object(group, plural, "default", name)


def _invalid_route() -> aigw.Bundle:
    return aigw.load_yaml(DUPLICATE_RULE_NAMES)


def _with_hostname(bundle: aigw.Bundle, hostname: str) -> aigw.Bundle:
    backend = bundle.of_kind(Backend)[0]
    data = backend.to_dict()
    data["spec"]["endpoints"][0]["fqdn"]["hostname"] = hostname
    return aigw.Bundle(bundle.resources).add(Backend.model_validate(data))


def test_apply_seed_bundle_then_reapply_is_unchanged(
    cluster: Cluster, server: APIServer, seed: aigw.Bundle
) -> None:
    report = cluster.apply(seed)
    assert [r.action for r in report.results] == ["created"] * 6
    assert [r.ref.kind for r in report.results] == [
        "Secret",
        "Backend",
        "BackendTLSPolicy",
        "AIServiceBackend",
        "BackendSecurityPolicy",
        "AIGatewayRoute",
    ]
    stored = _stored(server, GROUP, "aigatewayroutes", ROUTE)
    assert stored is not None
    assert stored["metadata"]["labels"] == {MANAGED_BY_LABEL: "aigw-sdk", BUNDLE_LABEL: ROUTE}
    assert stored["metadata"]["managedFields"][0]["manager"] == "aigw-sdk"
    again = cluster.apply(seed)
    assert [r.action for r in again.results] == ["unchanged"] * 6
    changed = cluster.apply(_with_hostname(seed, "anthropic.internal"))
    assert changed.action_of("Backend", ROUTE) == "configured"
    assert changed.counts() == {"configured": 1, "unchanged": 5}


def test_apply_fallback_bundle_and_wait(cluster: Cluster, fallback: aigw.Bundle) -> None:
    report = cluster.apply(fallback)
    assert report.counts() == {"created": 12}
    events: list[WaitEvent] = []
    states = cluster.wait(fallback, timeout=30, on_progress=events.append, progress=False)
    assert len(states) == 5 and all(s.ready and s.reported == "Accepted" for s in states)
    assert events[-1].done == events[-1].total == 5
    assert {s.ref.kind for s in states} == {
        "AIGatewayRoute",
        "AIServiceBackend",
        "BackendSecurityPolicy",
    }


def test_server_dry_run_and_diff_change_nothing(
    cluster: Cluster, server: APIServer, seed: aigw.Bundle
) -> None:
    report = cluster.apply(seed, dry_run="server")
    assert report.dry_run == "server" and report.counts() == {"created": 6}
    assert _stored(server, GROUP, "aigatewayroutes", ROUTE) is None
    diff = cluster.diff(seed)
    assert [d.action for d in diff.objects] == ["created"] * 6
    cluster.apply(seed)
    assert cluster.diff(seed).changed == []
    assert str(cluster.diff(seed)) == "no changes"
    changed = cluster.diff(_with_hostname(seed, "anthropic.internal"))
    (only,) = changed.changed
    assert only.ref.kind == "Backend"
    assert "-      hostname: api.anthropic.com" in only.diff
    assert "+      hostname: anthropic.internal" in only.diff
    assert "managedFields" not in only.diff and "resourceVersion" not in only.diff
    # The Secret's value never shows, even when it changes.
    rotated = aigw.presets.anthropic(api_key="sk-rotated")
    secret_diff = next(d for d in cluster.diff(rotated).changed if d.ref.kind == "Secret")
    assert "(changed)" in secret_diff.diff
    assert "sk-rotated" not in secret_diff.diff and "c2stcm90YXRlZA" not in secret_diff.diff


def test_client_dry_run_compares_with_live(cluster: Cluster, seed: aigw.Bundle) -> None:
    assert cluster.apply(seed, dry_run="client").counts() == {"created": 6}
    cluster.apply(seed)
    assert cluster.apply(seed, dry_run="client").counts() == {"unchanged": 6}
    moved = cluster.apply(_with_hostname(seed, "x.example"), dry_run="client")
    assert moved.action_of("Backend", ROUTE) == "configured"


def test_server_dry_run_returns_the_servers_verdict(cluster: Cluster, server: APIServer) -> None:
    bundle = _invalid_route()
    offline = [i.message for i in bundle.errors()]
    assert offline
    with pytest.raises(BundleInvalidError):
        cluster.apply(bundle, dry_run="server")
    with pytest.raises(ApplyFailedError, match="nothing was applied") as info:
        cluster.apply(bundle, dry_run="server", validate=False)
    (failed,) = info.value.report.failed
    assert failed.ref.kind == "AIGatewayRoute"
    assert "rule name must be unique" in failed.message
    # The rule's message, as offline validation words it (the value-type prefix before it,
    # `Invalid value: "array": `, was dropped by kube-apiserver 1.34+).
    assert any(message.rsplit(": ", 1)[-1] in failed.message for message in offline)
    assert _stored(server, GROUP, "aigatewayroutes", "twice-named") is None


def test_invalid_bundle_applies_nothing(cluster: Cluster, server: APIServer) -> None:
    bundle = aigw.presets.anthropic(api_key="sk-test") + _invalid_route()
    with pytest.raises(BundleInvalidError, match="rule name must be unique"):
        cluster.apply(bundle)
    assert _stored(server, "", "secrets", f"{ROUTE}-apikey") is None


def test_conflicts_are_reported_and_force_takes_ownership(
    cluster: Cluster, server: APIServer, seed: aigw.Bundle
) -> None:
    cluster.apply(seed)
    moved = _with_hostname(seed, "other.example")
    with pytest.raises(FieldManagerConflictError, match="force=True") as info:
        cluster.apply(moved, field_manager="ci-pipeline")
    failed = {r.ref.kind: r.message for r in info.value.report.failed}
    assert 'conflict with "aigw-sdk"' in failed["Backend"]  # the owning manager is named
    assert "sk-test" not in str(info.value)
    backend = _stored(server, "gateway.envoyproxy.io", "backends", ROUTE)
    assert backend is not None
    assert backend["spec"]["endpoints"][0]["fqdn"]["hostname"] == "api.anthropic.com"
    forced = cluster.apply(moved, field_manager="ci-pipeline", force=True)
    assert forced.action_of("Backend", ROUTE) == "configured"
    backend = _stored(server, "gateway.envoyproxy.io", "backends", ROUTE)
    assert backend is not None
    assert backend["spec"]["endpoints"][0]["fqdn"]["hostname"] == "other.example"


def test_partial_failure_reports_applied_failed_and_skipped(
    cluster: Cluster, server: APIServer
) -> None:
    # Objects in a namespace the bundle creates cannot be dry-run before it exists, so an
    # invalid one there is only refused during the real apply.
    team = f"team-{uuid.uuid4().hex[:8]}"  # namespaces outlive tests: nothing finalizes them here
    namespace = GenericResource.from_wire(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": team}}
    )
    seed = aigw.presets.anthropic(api_key="sk-partial-secret", namespace=team)
    route = _invalid_route()[0].to_dict()
    route["metadata"]["namespace"] = team
    bundle = aigw.Bundle([namespace, aigw.models.parse_resource(route)]) + seed
    with pytest.raises(ApplyFailedError) as info:
        cluster.apply(bundle, validate=False)
    report = info.value.report
    assert report.action_of("Namespace", team) == "created"
    assert report.action_of("AIServiceBackend", ROUTE) == "created"
    assert [r.ref.kind for r in report.failed] == ["AIGatewayRoute"]
    assert [r.ref.name for r in report.skipped] == [ROUTE]  # the other route, after the failure
    message = str(info.value)
    assert f"apply stopped at AIGatewayRoute {team}/twice-named" in message
    assert "applied before it (6)" in message and "not attempted (1)" in message
    assert "sk-partial-secret" not in message


def test_wait_times_out_with_the_controllers_message(cluster: Cluster, seed: aigw.Bundle) -> None:
    without_backend = aigw.Bundle(r for r in seed if r.kind != "Backend")
    cluster.apply(without_backend)
    with pytest.raises(WaitTimeoutError, match="not found") as info:
        cluster.wait(without_backend, timeout=2, progress=False)
    assert f"AIServiceBackend default/{ROUTE}" in info.value.pending
    assert "NotAccepted" in str(info.value)


def test_wait_times_out_when_never_accepted(
    no_controller: APIServer, cluster: Cluster, seed: aigw.Bundle
) -> None:
    cluster.apply(seed)
    with pytest.raises(WaitTimeoutError, match="no condition yet") as info:
        cluster.wait(seed, timeout=1, progress=False)
    assert len(info.value.pending) == 3


def test_prune_deletes_what_left_the_bundle(
    cluster: Cluster, server: APIServer, fallback: aigw.Bundle
) -> None:
    cluster.apply(fallback)
    unmanaged = aigw.Secret(metadata={"name": "hand-made", "namespace": "default"})
    cluster.apply(aigw.Bundle([unmanaged]), bundle_name="other")
    smaller = aigw.Bundle(r for r in fallback if not r.name.startswith("secondary"))
    preview = cluster.prune(smaller, dry_run="client")
    assert sorted(r.ref.kind for r in preview.results) == [
        "AIServiceBackend",
        "Backend",
        "BackendSecurityPolicy",
        "BackendTLSPolicy",
        "Secret",
    ]
    assert _stored(server, "", "secrets", "secondary-apikey") is not None
    report = cluster.apply(smaller, prune=True)
    assert report.counts() == {"unchanged": 7, "pruned": 5}
    assert _stored(server, "", "secrets", "secondary-apikey") is None
    assert _stored(server, "", "secrets", "primary-apikey") is not None
    assert _stored(server, "", "secrets", "hand-made") is not None  # another bundle's


def test_delete_bundle(cluster: Cluster, server: APIServer, seed: aigw.Bundle) -> None:
    cluster.apply(seed)
    assert cluster.delete(seed, dry_run=True).counts() == {"deleted": 6}
    assert _stored(server, GROUP, "aigatewayroutes", ROUTE) is not None
    report = cluster.delete(seed)
    assert report.results[0].ref.kind == "AIGatewayRoute"
    assert report.counts() == {"deleted": 6}
    assert cluster.delete(seed).counts() == {"not found": 6}


def test_get_list_status(cluster: Cluster, seed: aigw.Bundle) -> None:
    cluster.apply(seed)
    route = cluster.get("AIGatewayRoute", ROUTE)
    assert isinstance(route, AIGatewayRoute) and route.metadata.resource_version
    assert cluster.get(AIGatewayRoute, ROUTE).name == ROUTE
    assert cluster.get("aigatewayroutes", ROUTE).name == ROUTE
    secrets = cluster.list("Secret", label_selector=f"{BUNDLE_LABEL}={ROUTE}")
    assert [s.name for s in secrets] == [f"{ROUTE}-apikey"]
    assert isinstance(secrets[0], aigw.Secret)
    namespaces = cluster.list("Namespace")
    assert {"default", "kube-system"} <= {n.name for n in namespaces}
    with pytest.raises(APIError) as info:
        cluster.get("AIGatewayRoute", "absent")
    assert info.value.status == 404
    cluster.wait(seed, timeout=30, progress=False)
    states = cluster.status(seed)
    assert all(s.exists and s.ready for s in states)
    assert [s.reported for s in states if s.ref.kind == "AIGatewayRoute"] == ["Accepted"]


def test_missing_crds(server_without_crds: APIServer, tmp_path: Path, seed: aigw.Bundle) -> None:
    server = server_without_crds
    with Cluster(kubeconfig=server.kubeconfig_path(tmp_path)) as cluster:
        with pytest.raises(CRDsMissingError, match=r"AIGatewayRoute.*helm"):
            cluster.check_crds()
        with pytest.raises(CRDsMissingError):
            cluster.apply(seed)
        assert server.get_object("", "secrets", "default", f"{ROUTE}-apikey") is None


def test_v1alpha1_only_cluster_converts_with_a_warning(
    server_v1alpha1: APIServer, tmp_path: Path, seed: aigw.Bundle
) -> None:
    server = server_v1alpha1
    with Cluster(kubeconfig=server.kubeconfig_path(tmp_path)) as cluster:
        with pytest.warns(APIDeprecationWarning, match="only aigateway.envoyproxy.io/v1alpha1"):
            status = cluster.check_crds()
        assert status.version_for("AIGatewayRoute") == "v1alpha1"
        with pytest.warns(APIDeprecationWarning, match="converted to v1alpha1"):
            report = cluster.apply(seed)
        assert report.warnings and report.counts() == {"created": 6}
        route = report.results[-1]
        assert route.ref.api_version == "aigateway.envoyproxy.io/v1alpha1"
        stored = server.get_object(GROUP, "aigatewayroutes", "default", ROUTE)
        assert stored is not None and stored["apiVersion"].endswith("/v1alpha1")
        assert cluster.wait(seed, timeout=30, progress=False)[0].ready
        assert cluster.delete(seed).counts() == {"deleted": 6}
