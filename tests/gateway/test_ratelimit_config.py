"""Compiling rate limits and quotas, counters, and the warnings for what is not served locally."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.models import BackendTrafficPolicy, ObjectMeta, QuotaPolicy, parse_resource
from gateway.config import ConfigError, compile_config
from gateway.ratelimit import MemoryCounters, request_info
from gateway.ratelimit.counters import Hit
from tests.gateway.gw_helpers import Stack, provider, route, rule

CLI = Path(sys.executable).with_name("aigw-sdk")

MCP_ROUTE = {
    "apiVersion": "aigateway.envoyproxy.io/v1beta1",
    "kind": "MCPRoute",
    "metadata": {"name": "tools", "namespace": "default"},
    "spec": {
        "parentRefs": [{"name": "gw", "kind": "Gateway", "group": "gateway.networking.k8s.io"}],
        "backendRefs": [{"name": "github", "kind": "Backend", "group": "gateway.envoyproxy.io"}],
    },
}
GATEWAY_CONFIG = {
    "apiVersion": "aigateway.envoyproxy.io/v1beta1",
    "kind": "GatewayConfig",
    "metadata": {"name": "cfg", "namespace": "default"},
    "spec": {"extProc": {"kubernetes": {"env": [{"name": "LOG_LEVEL", "value": "debug"}]}}},
}


def _base(port: int = 9) -> Bundle:
    return Bundle(
        [*provider("gpt", "OpenAI", port), route("models", [rule("gpt-4o-mini", ["gpt"])])]
    )


def _policy(rate_limit: dict[str, Any], **spec: Any) -> BackendTrafficPolicy:
    return BackendTrafficPolicy(
        metadata=ObjectMeta(name="limits", namespace="default"),
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "models"}
            ],
            "rateLimit": rate_limit,
            **spec,
        },
    )


def _global(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Global", "global": {"rules": list(rules)}}


def test_unserved_kinds_and_fields_are_warnings_naming_object_and_field() -> None:
    bundle = _base()
    bundle.add(
        parse_resource(MCP_ROUTE),
        parse_resource(GATEWAY_CONFIG),
        parse_resource(
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}, "spec": {}}
        ),
        _policy(
            {"type": "Local", "local": {"rules": [{"limit": {"requests": 1, "unit": "Second"}}]}},
            timeout={"http": {"requestTimeout": "1s"}},
        ),
        presets.quota_policy("q", "gpt", "gpt-4o-mini", 10),
    )
    quota = bundle.named("QuotaPolicy", "q")
    assert isinstance(quota, QuotaPolicy) and quota.spec is not None
    quota.spec = type(quota.spec).model_validate(
        {**quota.spec.to_dict(), "serviceQuota": {"quota": {"limit": 5, "duration": "1m"}}}
    )
    warnings = compile_config(bundle).warnings
    assert any(w.startswith("MCPRoute default/tools:") and "MCP" in w for w in warnings)
    assert any(w.startswith("GatewayConfig default/cfg (spec.extProc)") for w in warnings), warnings
    assert "Service default/svc: kind Service (v1) is not served by the local gateway; ignored" in (
        warnings
    )
    assert (
        "BackendTrafficPolicy default/limits: spec.timeout is not served by the local gateway; "
        "ignored" in warnings
    )
    assert any(
        w.startswith("BackendTrafficPolicy default/limits: spec.rateLimit.local:") for w in warnings
    )
    assert any(
        w.startswith("QuotaPolicy default/q: spec.serviceQuota: not enforced") for w in warnings
    )


def test_quota_selectors_other_than_headers_are_warned() -> None:
    quota = presets.quota_policy("q", "gpt", "gpt-4o-mini", 10, tenant_header="x-t")
    data = quota.to_dict()
    data["spec"]["perModelQuotas"][0]["quota"]["bucketRules"][0]["clientSelectors"][0][
        "methods"
    ] = [{"value": "POST"}]
    warnings = compile_config(Bundle([*_base(), parse_resource(data)])).warnings
    assert (
        "QuotaPolicy default/q: spec.perModelQuotas[0].quota.bucketRules[0].clientSelectors[0]: "
        "methods not honoured for quota buckets (upstream applies only headers)" in warnings
    )


def test_bad_regex_and_cost_expression_are_problems() -> None:
    bundle = _base()
    bundle.add(
        _policy(
            _global(
                {
                    "clientSelectors": [
                        {"headers": [{"name": "x-u", "type": "RegularExpression", "value": "("}]}
                    ],
                    "limit": {"requests": 1, "unit": "Hour"},
                }
            )
        ),
        presets.quota_policy("q", "gpt", "gpt-4o-mini", 10, cost_expression="input_token * 2u"),
    )
    with pytest.raises(ConfigError) as caught:
        compile_config(bundle)
    problems = caught.value.problems
    assert any(
        p.startswith(
            "BackendTrafficPolicy default/limits: spec.rateLimit.global.rules[0]"
            ".clientSelectors[0].headers[0].value: invalid regular expression"
        )
        for p in problems
    ), problems
    assert any(
        p.startswith("QuotaPolicy default/q: spec.perModelQuotas[0].quota.costExpression")
        and "input_token" in p
        for p in problems
    ), problems


def test_descriptors_of_selectors() -> None:
    policy = _policy(
        _global(
            {
                "clientSelectors": [
                    {
                        "headers": [
                            {"name": "X-Tenant", "type": "Distinct"},
                            {"name": "x-plan", "value": "free", "invert": True},
                        ],
                        "methods": [{"value": "POST"}],
                        "path": {"value": "/v1"},
                        "sourceCIDR": {"type": "Distinct", "value": "127.0.0.0/8"},
                    }
                ],
                "limit": {"requests": 5, "unit": "Minute"},
            }
        )
    )
    (limit,) = compile_config(Bundle([*_base(), policy])).ratelimits.rules_for("default/models")

    def key(headers: dict[str, str], method: str = "POST", client: str = "127.0.0.9") -> Any:
        scope = {"method": method, "path": "/v1/chat/completions", "client": (client, 1)}
        return limit.descriptor(request_info(scope, headers))

    assert key({"x-tenant": "a"}) == (
        "btp/default/limits/0:header x-tenant=a|header x-plan|method|path|source=127.0.0.9"
    )
    assert key({"x-tenant": "a", "x-plan": "free"}) is None  # inverted match
    assert key({"x-plan": "paid"}) is None  # Distinct header absent: the rule does not apply
    assert key({"x-tenant": "a"}, method="GET") is None
    assert key({"x-tenant": "a"}, client="10.0.0.1") is None
    assert limit.window == 60


def test_memory_counters_use_aligned_fixed_windows() -> None:
    async def run() -> list[list[int]]:
        counters = MemoryCounters()
        out = [await counters.add([Hit("k", 60, 3), Hit("j", 60, 0)], 120.0)]
        out.append(await counters.add([Hit("k", 60, 2)], 179.9))
        out.append(await counters.add([Hit("k", 60, 1)], 180.0))  # a new window
        snapshot = await counters.snapshot(181.0)
        assert snapshot == {"k:180": 1}
        return out

    assert anyio.run(run) == [[3, 0], [5], [1]]


def test_put_config_reports_unserved_warnings(stack: Stack) -> None:
    stack.serve(_base(stack.sim_port))
    bundle = _base(stack.sim_port)
    bundle.add(parse_resource(MCP_ROUTE))
    with stack.admin() as admin:
        response = admin.put("/config", content=bundle.to_yaml().encode())
    assert response.status_code == 200
    messages = [w["message"] for w in response.json()["warnings"]]
    assert any(m.startswith("MCPRoute default/tools:") for m in messages), messages


def test_cli_run_prints_warnings_at_load(tmp_path: Path) -> None:
    path = tmp_path / "bundle.yaml"
    bundle = _base()
    bundle.add(parse_resource(MCP_ROUTE))
    path.write_text(bundle.to_yaml())
    assert load_yaml(str(path))  # the file is a valid bundle
    process = subprocess.Popen(
        [str(CLI), "run", str(path), "--port", "0", "--admin-port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "listening on" in line:
                admin = line.split()[-1].rstrip(")")
                break
        assert httpx.get(f"{admin}/health").status_code == 200
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    assert "warning: MCPRoute default/tools: MCP routing is not served" in stderr


def test_unreachable_redis_lets_requests_through_uncounted(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]  # nothing listens there once the socket is closed
    policy = _policy(_global({"limit": {"requests": 1, "unit": "Hour"}}))
    stack.serve(_base(stack.sim_port), policy, ratelimit_redis=f"redis://127.0.0.1:{closed}/0")
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]}
    with caplog.at_level("WARNING", logger="gateway.ratelimit"):
        for _ in range(2):
            response = httpx.post(f"{stack.url}/v1/chat/completions", json=body, timeout=10)
            assert response.status_code == 200
            assert "x-ratelimit-limit" not in response.headers
    assert "rate limits not applied (requests pass uncounted): Redis:" in caplog.text
    with stack.admin() as admin:
        snapshot = admin.get("/ratelimits")
    assert snapshot.status_code == 503
    assert snapshot.json()["error"].startswith("Redis: ")


def test_second_policy_on_one_target_is_ignored_with_a_warning() -> None:
    first = _policy(_global({"limit": {"requests": 1, "unit": "Hour"}}))
    second = _policy(_global({"limit": {"requests": 99, "unit": "Hour"}}))
    second.metadata.name = "later"
    config = compile_config(Bundle([*_base(), first, second]))
    (rule_,) = config.ratelimits.rules_for("default/models")
    assert rule_.limit == 1
    assert (
        "BackendTrafficPolicy default/later: spec.targetRefs[0] HTTPRoute/models is already "
        "targeted by BackendTrafficPolicy default/limits; as in Envoy Gateway only one policy "
        "applies: this one is ignored for it" in config.warnings
    )
