"""gen_ai metrics on prometheus_client: names, buckets, header labels, bounded cardinality."""

from __future__ import annotations

import httpx
import pytest

from aigw_sdk.client import GatewayMetrics
from gateway.header_attributes import HeaderAttributes, HeaderAttributesError, parse_mapping
from gateway.metrics import OTHER, GenAIMetrics, RequestAttributes
from gateway.observation import Telemetry
from gateway.translation.usage import TokenUsage
from tests.gateway.gw_helpers import ANTHROPIC_HEADERS, Stack, anthropic_body, provider, route, rule


def _attrs(model: str, *headers: str) -> RequestAttributes:
    return RequestAttributes("messages", "anthropic", model, model, model, headers)


def test_families_keep_upstreams_names_buckets_and_labels() -> None:
    metrics = GenAIMetrics()
    usage = TokenUsage(input_tokens=10, output_tokens=5)
    metrics.record(_attrs("m"), duration=0.5, success=True, usage=usage, ttft=0.1)
    metrics.record(_attrs("m"), duration=0.2, success=False, usage=None, ttft=None)
    text = metrics.render().decode()
    assert "_created" not in text
    parsed = GatewayMetrics.parse(text)
    assert parsed.requests() == 2 and parsed.errors() == 1
    assert parsed.tokens("input") == 10 and parsed.tokens("output") == 5
    buckets = [
        float(s.labels["le"])
        for s in parsed.select("gen_ai_client_token_usage_bucket", gen_ai_token_type="input")
    ]
    assert buckets[:-1] == [float(4**i) for i in range(14)]
    durations = parsed.select("gen_ai_server_request_duration_seconds_bucket")
    assert {float(s.labels["le"]) for s in durations} >= {0.01, 81.92}
    sample = parsed.select("gen_ai_server_time_per_output_token_seconds_count")[0]
    assert sample.labels == {
        "gen_ai_operation_name": "messages",
        "gen_ai_provider_name": "anthropic",
        "gen_ai_original_model": "m",
        "gen_ai_request_model": "m",
        "gen_ai_response_model": "m",
    }
    assert sample.value == 1
    assert "# TYPE gen_ai_server_time_to_first_token_seconds histogram" in text


def test_label_values_beyond_the_cap_fold_into_other() -> None:
    metrics = GenAIMetrics(label_value_limit=3)
    for i in range(10):
        metrics.record(_attrs(f"model-{i}"), duration=0.1, success=True, usage=None, ttft=None)
    parsed = GatewayMetrics.parse(metrics.render().decode())
    assert parsed.models == [OTHER, "model-0", "model-1", "model-2"]
    assert parsed.requests(gen_ai_request_model=OTHER) == 7
    assert metrics.request_duration.series == 4


def test_series_cap_folds_every_client_chosen_label() -> None:
    metrics = GenAIMetrics(header_labels={"x-tenant-id": "tenant.id"}, series_limit=5)
    for i in range(50):
        metrics.record(
            RequestAttributes("chat", "openai", f"a{i}", f"b{i}", f"c{i}", (f"t{i}",)),
            duration=0.1,
            success=True,
            usage=None,
            ttft=None,
        )
    assert metrics.request_duration.series == 6
    parsed = GatewayMetrics.parse(metrics.render().decode())
    assert parsed.requests(tenant_id=OTHER, gen_ai_original_model=OTHER) == 45


def test_header_mapping_parses_like_upstream() -> None:
    assert parse_mapping("x-tenant-id:tenant.id, X-User:user.id") == {
        "x-tenant-id": "tenant.id",
        "x-user": "user.id",
    }
    with pytest.raises(HeaderAttributesError, match=r"position 1.*expected format"):
        parse_mapping("x-session-id")
    with pytest.raises(HeaderAttributesError, match="empty header or attribute at position 2"):
        parse_mapping("a:b,:session.id")
    mappings = HeaderAttributes.from_env(
        {
            "OTEL_AIGW_REQUEST_HEADER_ATTRIBUTES": "x-tenant-id:tenant.id",
            "OTEL_AIGW_LOG_REQUEST_HEADER_ATTRIBUTES": "",
        }
    )
    assert mappings.metrics == {"x-tenant-id": "tenant.id"}
    assert mappings.spans == {"x-tenant-id": "tenant.id", "agent-session-id": "session.id"}
    assert mappings.logs == {"x-tenant-id": "tenant.id"}
    with pytest.raises(ValueError, match="AIGW_METRICS_MAX_LABEL_VALUES"):
        Telemetry.from_env({"AIGW_METRICS_MAX_LABEL_VALUES": "many"})


def _catch_all(stack: Stack, limit: str = "50") -> None:
    env = {
        "OTEL_AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES": "x-tenant-id:tenant.id",
        "AIGW_METRICS_MAX_LABEL_VALUES": limit,
    }
    stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        route("r", [rule(".*", ["claude"], regex=True)]),
        telemetry=Telemetry.from_env(env),
    )


def test_request_headers_become_labels(stack: Stack) -> None:
    _catch_all(stack)
    for tenant in ("acme", "acme", "globex"):
        response = httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(),
            headers={**ANTHROPIC_HEADERS, "x-tenant-id": tenant},
        )
        assert response.status_code == 200
    with stack.admin() as admin:
        parsed = GatewayMetrics.parse(admin.get("/metrics").text)
    assert parsed.requests(**{"tenant.id": "acme"}) == 2
    assert parsed.requests(tenant_id="globex") == 1


def test_five_thousand_model_names_keep_metrics_small() -> None:
    """Issue 10 item 3: client-chosen model names no longer grow /metrics without bound."""
    metrics = GenAIMetrics()
    usage = TokenUsage(input_tokens=10, output_tokens=5)
    for i in range(5000):
        metrics.record(_attrs(f"model-{i:05d}"), duration=0.1, success=True, usage=usage, ttft=0.05)
    text = metrics.render().decode()
    parsed = GatewayMetrics.parse(text)
    assert parsed.requests() == 5000
    assert len(parsed.models) == 51  # the first 50 names, then _OTHER
    assert parsed.requests(gen_ai_request_model=OTHER) == 4950
    assert len(text) < 2_000_000, len(text)


def test_catch_all_route_folds_model_names_end_to_end(stack: Stack) -> None:
    _catch_all(stack, limit="20")
    with httpx.Client(headers=ANTHROPIC_HEADERS) as client:
        for i in range(60):
            response = client.post(
                f"{stack.url}/anthropic/v1/messages", json=anthropic_body(f"model-{i:03d}")
            )
            assert response.status_code == 200
    with stack.admin() as admin:
        parsed = GatewayMetrics.parse(admin.get("/metrics").text)
    assert parsed.requests() == 60
    assert len(parsed.models) == 21
    assert parsed.requests(gen_ai_request_model=OTHER) == 40
