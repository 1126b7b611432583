"""GatewayMetrics: the Prometheus text format and the gen_ai helpers."""

# ruff: noqa: E501

from __future__ import annotations

import math

import pytest

from aigw_sdk.client import GatewayMetrics

TEXT = r"""
# HELP gen_ai_server_request_duration_seconds Time spent on requests.
# TYPE gen_ai_server_request_duration_seconds histogram
gen_ai_server_request_duration_seconds_bucket{gen_ai_request_model="m1",le="+Inf"} 3
gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_request_model="m1"} 2
gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_request_model="m1",error_type="_OTHER"} 1
gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="messages",gen_ai_request_model="m2"} 4 1700000000
gen_ai_client_token_usage_sum{gen_ai_request_model="m1",gen_ai_token_type="input"} 30
gen_ai_client_token_usage_sum{gen_ai_request_model="m1",gen_ai_token_type="output"} 12
gen_ai_client_token_usage_sum{gen_ai_request_model="m2",gen_ai_token_type="cached_input"} 1.5e3
odd_metric{path="a \"quoted\" \\ value\nnext"} NaN
"""


def test_parse_and_select() -> None:
    metrics = GatewayMetrics.parse(TEXT)
    assert metrics.requests() == 7
    assert metrics.requests(**{"gen_ai.request.model": "m1"}) == 3
    assert metrics.errors() == 1
    assert metrics.tokens("input") == 30
    assert metrics.tokens("cached_input", gen_ai_request_model="m2") == 1500
    assert metrics.models == ["m1", "m2"]
    odd = metrics.select("odd_metric")[0]
    assert odd.labels == {"path": 'a "quoted" \\ value\nnext'}
    assert math.isnan(odd.value)
    assert str(metrics).splitlines() == [
        "m1: requests=3 errors=1 input=30 output=12 cached=0 cache_write=0",
        "m2: requests=4 errors=0 input=0 output=0 cached=1500 cache_write=0",
    ]


def test_empty_and_bad_input() -> None:
    assert str(GatewayMetrics.parse("")) == "no gen_ai requests recorded"
    with pytest.raises(ValueError, match="line 2"):
        GatewayMetrics.parse("ok 1\nnot a sample line at all")
    with pytest.raises(ValueError, match="line 1: 'x 12abc'"):
        GatewayMetrics.parse("x 12abc")
