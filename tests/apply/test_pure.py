"""Pure parts: ordering, diff rendering, labels, condition evaluation, secrets helpers."""

from __future__ import annotations

import pytest

import aigw_sdk as aigw
from aigw_sdk.apply.diff import object_diff
from aigw_sdk.apply.ordering import apply_order, delete_order, rank
from aigw_sdk.apply.plan import bundle_name_of, comparable, is_subset, label_value
from aigw_sdk.apply.results import ObjectRef
from aigw_sdk.apply.secrets import Redactor, secret_from_env
from aigw_sdk.apply.wait import evaluate
from aigw_sdk.errors import AIGWError
from aigw_sdk.models import GenericResource

REF = ObjectRef("v1", "Secret", "key", "default")


def test_apply_order_puts_dependencies_first(fallback: aigw.Bundle) -> None:
    namespace = GenericResource.from_wire(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ai"}}
    )
    deployment = GenericResource.from_wire(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}
    )
    kinds = [r.kind for r in apply_order([deployment, *fallback, namespace])]
    assert kinds == [
        "Namespace",
        "Secret",
        "Secret",
        "Backend",
        "Backend",
        "BackendTLSPolicy",
        "BackendTLSPolicy",
        "AIServiceBackend",
        "AIServiceBackend",
        "BackendSecurityPolicy",
        "BackendSecurityPolicy",
        "AIGatewayRoute",
        "BackendTrafficPolicy",
        "Deployment",
    ]
    # Document order is kept within a rank; deletion is the exact reverse.
    assert [r.name for r in apply_order(fallback) if r.kind == "Secret"] == [
        "primary-apikey",
        "secondary-apikey",
    ]
    assert delete_order(fallback) == list(reversed(apply_order(fallback)))
    assert rank("Deployment") > rank("BackendTrafficPolicy")


def test_diff_ignores_server_fields_and_masks_secrets() -> None:
    live = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "key", "resourceVersion": "1", "uid": "u", "managedFields": [{}]},
        "data": {"apiKey": "b2xk", "same": "c2FtZQ=="},
        "status": {"x": 1},
    }
    after = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "key", "resourceVersion": "2", "uid": "u"},
        "data": {"apiKey": "bmV3", "same": "c2FtZQ=="},
    }
    diff = object_diff(REF, live, after)
    assert diff.action == "configured"
    assert "-  apiKey: '***'" in diff.diff and "+  apiKey: '*** (changed)'" in diff.diff
    for hidden in ("b2xk", "bmV3", "c2FtZQ==", "resourceVersion", "managedFields", "status"):
        assert hidden not in diff.diff
    unchanged = object_diff(REF, live, {**live, "metadata": {"name": "key", "generation": 9}})
    assert unchanged.action == "unchanged" and unchanged.diff == ""
    created = object_diff(REF, None, after)
    assert created.action == "created" and "--- /dev/null" in created.diff
    assert "(changed)" not in created.diff


def test_labels_and_subset() -> None:
    assert label_value("a" * 70 + "-") == "a" * 63
    assert label_value("my route/x.") == "my-route-x"
    assert bundle_name_of(aigw.presets.anthropic(api_key="k")) == (
        "envoy-ai-gateway-basic-anthropic"
    )
    assert is_subset({"a": {"b": [1, {"c": 2}]}}, {"a": {"b": [1, {"c": 2, "d": 3}]}, "e": 4})
    assert not is_subset({"a": [1]}, {"a": [1, 2]})
    assert not is_subset({"a": 1}, {"b": 1})
    secret = {"kind": "Secret", "stringData": {"k": "v"}, "data": {"o": "eA=="}}
    assert comparable(secret) == {"kind": "Secret", "data": {"o": "eA==", "k": "dg=="}}


def test_evaluate_conditions() -> None:
    route = ObjectRef("aigateway.envoyproxy.io/v1beta1", "AIGatewayRoute", "r", "default")
    accepted = {
        "metadata": {"generation": 2},
        "status": {"conditions": [{"type": "Accepted", "status": "True", "observedGeneration": 2}]},
    }
    assert evaluate(route, accepted, "Accepted").ready
    stale = {**accepted, "metadata": {"generation": 3}}
    assert not evaluate(route, stale, "Accepted").ready
    rejected = {
        "metadata": {},
        "status": {"conditions": [{"type": "NotAccepted", "status": "False", "message": "boom"}]},
    }
    state = evaluate(route, rejected, "Accepted")
    assert (state.ready, state.reported, state.message) == (False, "NotAccepted", "boom")
    assert "NotAccepted (boom)" in str(state)
    assert not evaluate(route, None, "Accepted").exists


def test_secret_from_env_and_redactor() -> None:
    secret = secret_from_env("key", "apiKey", "MY_KEY", "ns", environ={"MY_KEY": "sk-live-123"})
    assert secret.value("apiKey") == "sk-live-123" and secret.namespace == "ns"
    assert "sk-live-123" not in repr(secret)
    with pytest.raises(AIGWError, match="MY_KEY is not set") as info:
        secret_from_env("key", "apiKey", "MY_KEY", environ={})
    assert "sk-" not in str(info.value)
    redact = Redactor([secret, aigw.Secret(metadata={"name": "b"}, data={"k": "c2VjcmV0LXZhbA=="})])
    text = redact("bad sk-live-123 and secret-val and c2VjcmV0LXZhbA==")
    assert text == "bad *** and *** and ***"
