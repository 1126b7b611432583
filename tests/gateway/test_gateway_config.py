"""gateway.config: what a bundle compiles to, and the clear errors for what cannot be served."""

from __future__ import annotations

import pytest

from aigw_sdk.models import Backend, BackendTLSPolicy, ObjectMeta, Secret
from gateway.config import ConfigError, compile_config, parse_duration
from tests.gateway.gw_helpers import SIM_KEY, provider, retry_policy, route, rule


def _rule_of(config_resources: list[object]) -> object:
    config = compile_config(config_resources)  # type: ignore[arg-type]
    return config.default_scope.entries[0].rule


def test_durations() -> None:
    assert parse_duration("1h30m", "x") == 5400
    assert parse_duration("250ms", "x") == 0.25
    with pytest.raises(ValueError, match="x: invalid duration"):
        parse_duration("10", "x")


def test_timeouts_default_and_explicit() -> None:
    base = provider("a", "Anthropic", 9)
    default = _rule_of([*base, route("r", [rule("m", ["a"])])])
    assert default.request_timeout == 60.0  # type: ignore[attr-defined]
    explicit = _rule_of(
        [
            *base,
            route(
                "r",
                [rule("m", ["a"], timeouts={"request": "2m", "backendRequest": "30s"},
                      streamIdleTimeout="5s")],
            ),
        ]
    )  # fmt: skip
    assert (explicit.request_timeout, explicit.backend_request_timeout) == (120.0, 30.0)  # type: ignore[attr-defined]
    assert explicit.stream_idle_timeout == 5.0  # type: ignore[attr-defined]


def test_tls_policy_makes_the_backend_https_with_sni() -> None:
    resources = provider("a", "Anthropic", 443)
    resources.append(
        BackendTLSPolicy(
            metadata=ObjectMeta(name="tls", namespace="default"),
            spec={
                "targetRefs": [{"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "a"}],
                "validation": {"wellKnownCACertificates": "System", "hostname": "api.example.com"},
            },
        )
    )
    compiled = _rule_of([*resources, route("r", [rule("m", ["a"])])])
    target = compiled.priorities[0][0].target  # type: ignore[attr-defined]
    assert target.base_url == "https://127.0.0.1:443"
    assert target.server_hostname == "api.example.com" and target.ssl is not False
    assert target.prefix == "/v1"


def test_credentials_are_secret_and_typed() -> None:
    compiled = _rule_of([*provider("a", "OpenAI", 9, key="s3cr3t"), route("r", [rule("m", ["a"])])])
    credential = compiled.priorities[0][0].target.credential  # type: ignore[attr-defined]
    assert credential.header == "authorization"
    assert credential.header_value() == "Bearer s3cr3t"
    assert "s3cr3t" not in repr(credential) and "s3cr3t" not in repr(compiled)


def test_base64_secret_data_is_decoded() -> None:
    resources = [r for r in provider("a", "Anthropic", 9) if not isinstance(r, Secret)]
    resources.append(
        Secret(metadata=ObjectMeta(name="a-apikey", namespace="default"), data={"apiKey": "a2V5"})
    )
    compiled = _rule_of([*resources, route("r", [rule("m", ["a"])])])
    assert compiled.priorities[0][0].target.credential.header_value() == "key"  # type: ignore[attr-defined]


def test_every_problem_is_reported_naming_its_object() -> None:
    resources = [r for r in provider("a", "Anthropic", 9) if not isinstance(r, Secret | Backend)]
    with pytest.raises(ConfigError) as info:
        compile_config([*resources, route("r", [rule("m", ["a", "missing"])])])
    problems = "\n".join(info.value.problems)
    assert "Backend default/a not found" in problems
    assert "AIServiceBackend default/missing not found" in problems
    assert "spec.rules[0].backendRefs[1]" in problems


def test_retry_policy_defaults_follow_envoy() -> None:
    compiled = _rule_of(
        [*provider("a", "Anthropic", 9), route("r", [rule("m", ["a"])]), retry_policy("r")]
    )
    retry = compiled.retry  # type: ignore[attr-defined]
    assert retry.num_retries == 2
    assert retry.retries_status(503) and not retry.retries_status(500)
    assert retry.retries_connect_failure()


def test_invalid_cost_expression_is_a_config_error() -> None:
    costs = [{"metadataKey": "c", "type": "CEL", "cel": "input_tokens + 1.5"}]
    with pytest.raises(ConfigError, match=r"llmRequestCosts: \[0\] \(c\): invalid CEL expression"):
        compile_config(
            [*provider("a", "Anthropic", 9), route("r", [rule("m", ["a"])], llmRequestCosts=costs)]
        )


def test_invalid_timestamps_are_config_errors_naming_the_field() -> None:
    bad_rule = rule("m", ["a"], modelsCreatedAt="yesterday")
    with pytest.raises(ConfigError) as info:
        compile_config([*provider("a", "Anthropic", 9), route("r", [bad_rule], created="soon")])
    assert info.value.problems == [
        "AIGatewayRoute default/r: metadata.creationTimestamp: invalid RFC 3339 timestamp 'soon'",
        "AIGatewayRoute default/r: spec.rules[0].modelsCreatedAt: "
        "invalid RFC 3339 timestamp 'yesterday'",
    ]


def test_weights_are_summed_once_at_compile_time() -> None:
    refs = [{"name": "a", "weight": 1}, {"name": "b", "weight": 3}, {"name": "c", "priority": 1}]
    resources = [*provider("a", "Anthropic", 9), *provider("b", "Anthropic", 9)]
    compiled = _rule_of([*resources, *provider("c", "Anthropic", 9), route("r", [rule("m", refs)])])
    assert compiled.cumulative_weights == ((1, 4), (1,))  # type: ignore[attr-defined]


def test_config_documents_mask_credential_header_values() -> None:
    resources = provider(
        "a", "Anthropic", 9, header_set={"Authorization": "Bearer hdr-secret", "x-team": "blue"}
    )
    ref = {"name": "a", "headerMutation": {"set": [{"name": "x-api-key", "value": "ref-secret"}]}}
    config = compile_config([*resources, route("r", [rule("m", [ref])])])
    text = repr(config.documents)
    assert "hdr-secret" not in text and "ref-secret" not in text and SIM_KEY not in text
    assert "'value': 'blue'" in text  # other headers are shown as written
    # Only the documents are masked: the compiled mutation still sends the value.
    rule_ = config.default_scope.entries[0].rule
    assert ("x-api-key", "ref-secret") in rule_.priorities[0][0].header_mutation.set
