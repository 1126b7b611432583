"""Error envelopes (envoy-ai-gateway.md §6, translation.md §4), TokenUsage and NameMap."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.translation import (
    TokenUsage,
    TranslationError,
    anthropic_error_to_openai,
    openai_error_to_anthropic,
)
from gateway.translation.ids import NameMap


def oai(error_type: str, code: str, message: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": error_type, "code": code, "message": message, "param": None},
    }


def anth_body(error_type: str, message: str) -> bytes:
    return json.dumps(
        {"type": "error", "error": {"type": error_type, "message": message}, "request_id": "req_1"}
    ).encode()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "want"),
    [
        (
            400,
            anth_body("invalid_request_error", "bad"),
            "application/json",
            oai("invalid_request_error", "400", "bad"),
        ),
        (
            401,
            anth_body("authentication_error", "no"),
            "application/json",
            oai("authentication_error", "401", "no"),
        ),
        (
            429,
            anth_body("rate_limit_error", "slow"),
            "application/json",
            oai("rate_limit_error", "429", "slow"),
        ),
        (
            "49 529",
            anth_body("overloaded_error", "Overloaded"),
            None,
            oai("overloaded_error", "529", "Overloaded"),
        ),
        (
            "49 413 html",
            b"<html>413 Request Entity Too Large</html>",
            "text/html",
            oai("AnthropicBackendError", "413", "<html>413 Request Entity Too Large</html>"),
        ),
        (500, b"not json", "application/json", oai("AnthropicBackendError", "500", "not json")),
        (
            502,
            b'{"error": "plain"}',
            "application/json",
            oai("AnthropicBackendError", "502", '{"error": "plain"}'),
        ),
        (
            503,
            b'{"error": {"message": "down"}}',
            "application/json",
            oai("service_unavailable_error", "503", "down"),
        ),
    ],
)
def test_anthropic_error_to_openai(
    status: Any, body: bytes, content_type: str | None, want: dict[str, Any]
) -> None:
    code = int(status.split()[1]) if isinstance(status, str) else status
    assert json.loads(anthropic_error_to_openai(code, body, content_type)) == want


def anth(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": ""}


def oai_body(error_type: str | None, message: str) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": error_type, "param": None, "code": None}}
    ).encode()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "want"),
    [
        (
            404,
            oai_body("invalid_request_error", "Model not found"),
            "application/json",
            anth("invalid_request_error", "Model not found"),
        ),
        (
            429,
            oai_body("requests", "Rate limit"),
            "application/json",
            anth("rate_limit_error", "Rate limit"),
        ),
        (
            500,
            oai_body("server_error", "boom"),
            "application/json",
            anth("internal_server_error", "boom"),
        ),
        (401, b"Unauthorized", "text/plain", anth("authentication_error", "Unauthorized")),
        (403, b"x", "text/plain", anth("permission_error", "x")),
        (413, b"x", None, anth("request_too_large", "x")),
        (503, b"x", None, anth("service_unavailable_error", "x")),
        (529, b"x", None, anth("overloaded_error", "x")),
        (502, b"x", None, anth("internal_server_error", "x")),
        (
            400,
            b'{"error": "plain string"}',
            "application/json",
            anth("invalid_request_error", "plain string"),
        ),
    ],
)
def test_openai_error_to_anthropic(
    status: int, body: bytes, content_type: str | None, want: dict[str, Any]
) -> None:
    assert json.loads(openai_error_to_anthropic(status, body, content_type)) == want


def test_translation_error_bodies() -> None:
    error = TranslationError(400, "temperature must be between 0 and 1", "temperature")
    assert json.loads(error.to_openai()) == {
        "error": {
            "type": "invalid_request_error",
            "code": "400",
            "message": "temperature must be between 0 and 1",
            "param": "temperature",
        },
    }
    assert json.loads(error.to_anthropic()) == anth(
        "invalid_request_error", "temperature must be between 0 and 1"
    )
    assert json.loads(TranslationError(400, "must be an array", "tools").to_anthropic()) == anth(
        "invalid_request_error", "tools: must be an array"
    )
    assert json.loads(TranslationError(502, "bad upstream").to_anthropic()) == anth(
        "api_error", "bad upstream"
    )
    assert (
        json.loads(TranslationError(502, "bad upstream").to_openai())["error"]["type"]
        == "server_error"
    )


@pytest.mark.parametrize(
    ("source", "usage", "want"),
    [
        (
            "anthropic",
            {
                "input_tokens": 10,
                "cache_read_input_tokens": 5,
                "cache_creation_input_tokens": 3,
                "output_tokens": 7,
            },
            TokenUsage(18, 5, 3, 7, 0),
        ),
        (
            "anthropic",
            {"output_tokens": 4, "output_tokens_details": {"thinking_tokens": 2}},
            TokenUsage(0, 0, 0, 4, 2),
        ),
        ("anthropic", None, TokenUsage()),
        (
            "openai",
            {
                "prompt_tokens": 9,
                "completion_tokens": 3,
                "prompt_tokens_details": {"cached_tokens": 4},
                "completion_tokens_details": {"reasoning_tokens": 1},
            },
            TokenUsage(9, 4, 0, 3, 1),
        ),
        ("openai", {"prompt_tokens": True, "completion_tokens": "3"}, TokenUsage()),
    ],
)
def test_token_usage(source: str, usage: dict[str, Any] | None, want: TokenUsage) -> None:
    parse = TokenUsage.from_anthropic if source == "anthropic" else TokenUsage.from_openai
    assert parse(usage) == want


def test_token_usage_conversions() -> None:
    usage = TokenUsage(18, 5, 3, 7, 2)
    assert usage.total_tokens == 25
    assert usage.to_openai() == {
        "prompt_tokens": 18,
        "completion_tokens": 7,
        "total_tokens": 25,
        "prompt_tokens_details": {"cached_tokens": 5, "cache_creation_input_tokens": 3},
        "completion_tokens_details": {"reasoning_tokens": 2},
    }
    assert usage.to_anthropic() == {
        "input_tokens": 10,
        "cache_creation_input_tokens": 3,
        "cache_read_input_tokens": 5,
        "output_tokens": 7,
    }
    assert TokenUsage.from_openai(usage.to_openai()) == usage


@pytest.mark.parametrize(
    ("max_len", "names", "backend"),
    [
        (None, ["call_1", "call.1:x", "call_1_x"], ["call_1", "call_1_x", "call_1_x_2"]),
        (None, ["", "héllo"], ["_", "h_llo"]),
        (5, ["abcdefgh", "abcdexyz", "abcde"], ["abcde", "abc_2", "abc_3"]),
    ],
)
def test_name_map(max_len: int | None, names: list[str], backend: list[str]) -> None:
    mapping = NameMap(max_len)
    assert [mapping.to_backend(n) for n in names] == backend
    assert [mapping.to_backend(n) for n in names] == backend
    assert [mapping.to_client(b) for b in backend] == names
    assert mapping.to_client("unknown") == "unknown"
