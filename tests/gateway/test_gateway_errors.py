"""Error behaviour of the data plane (§6) and credential handling."""

from __future__ import annotations

import anthropic
import httpx
import openai
import orjson
import pytest

from gateway.serving import ServerThread
from gateway.upstream import PreparedRequest
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    RecordingUpstream,
    Stack,
    access_line,
    access_lines,
    anthropic_body,
    provider,
    route,
    rule,
    sdk_anthropic,
    sdk_openai,
)

NO_ROUTE = (
    "No matching route found. It is likely because the model specified in your request is not "
    "configured in the Gateway."
)


def _serve(stack: Stack, **kwargs: object) -> Stack:
    return stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        provider("gpt", "OpenAI", stack.sim_port),
        route("r", [rule("claude-sonnet-4-5", ["claude"]), rule("gpt-4o-mini", ["gpt"])]),
        **kwargs,
    )


def _openai_error(status: int, message: str, param: str | None = None) -> dict[str, object]:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "param": param, "code": str(status)}}


def _anthropic_error(kind: str, message: str) -> dict[str, object]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": ""}


def test_unknown_path_is_upstreams_404_text_as_json(stack: Stack) -> None:
    url = _serve(stack).url
    response = httpx.post(f"{url}/v1/fine_tuning/jobs", json={"model": "x"})
    assert response.status_code == 404
    assert response.json() == _openai_error(404, "unsupported path: /v1/fine_tuning/jobs")
    response = httpx.post(f"{url}/anthropic/v1/complete", json={"model": "x"})
    assert response.json() == _anthropic_error(
        "not_found_error", "unsupported path: /anthropic/v1/complete"
    )


def test_no_matching_route_is_upstreams_404_text_as_json(stack: Stack) -> None:
    url = _serve(stack).url
    response = httpx.post(f"{url}/v1/chat/completions", json={"model": "unknown", "messages": []})
    assert (response.status_code, response.json()) == (404, _openai_error(404, NO_ROUTE))
    assert response.headers["content-type"] == "application/json"
    response = httpx.post(
        f"{url}/anthropic/v1/messages",
        json=anthropic_body(model="unknown"),
        headers=ANTHROPIC_HEADERS,
    )
    assert (response.status_code, response.json()) == (
        404,
        _anthropic_error("not_found_error", NO_ROUTE),
    )


def test_official_sdks_show_the_gateways_message(stack: Stack) -> None:
    """The openai SDK used to show only `Error code: 404` for the plain-text body."""
    _serve(stack)
    with pytest.raises(openai.NotFoundError) as openai_error:
        sdk_openai(stack).chat.completions.create(
            model="unknown", messages=[{"role": "user", "content": "x"}]
        )
    assert NO_ROUTE in str(openai_error.value)
    with pytest.raises(anthropic.NotFoundError) as anthropic_error:
        sdk_anthropic(stack).messages.create(
            model="unknown", max_tokens=5, messages=[{"role": "user", "content": "x"}]
        )
    assert NO_ROUTE in str(anthropic_error.value)


def test_client_model_header_is_overwritten_by_the_body(stack: Stack) -> None:
    response = httpx.post(
        f"{_serve(stack).url}/v1/chat/completions",
        json={"model": "unknown", "messages": [{"role": "user", "content": "x"}]},
        headers={"x-ai-eg-model": "gpt-4o-mini"},
    )
    assert response.status_code == 404


def test_malformed_json_is_a_400_envelope(stack: Stack) -> None:
    response = httpx.post(f"{_serve(stack).url}/v1/chat/completions", content=b"{not json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["type"] == "invalid_request_error" and body["error"]["code"] == "400"
    assert body["error"]["message"].startswith(
        "malformed request: failed to parse JSON for /v1/chat/completions: "
    )


def test_missing_model_on_anthropic_path_is_a_400(stack: Stack) -> None:
    response = httpx.post(
        f"{_serve(stack).url}/anthropic/v1/messages",
        json={"max_tokens": 5, "messages": []},
        headers=ANTHROPIC_HEADERS,
    )
    assert response.status_code == 400
    assert response.json() == _anthropic_error(
        "invalid_request_error", "invalid request body: model field is required"
    )


def test_body_over_the_limit_is_a_413(stack: Stack) -> None:
    _serve(stack, body_limit=1000)
    body = anthropic_body(text="x" * 2000)
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=body, headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 413
    assert response.json() == _anthropic_error(
        "request_too_large", "request body exceeds 1000 bytes"
    )
    assert stack.sim_stats()["total"] == 0


def test_json_upstream_error_passes_through_unchanged(stack: Stack) -> None:
    _serve(stack)
    headers = {**ANTHROPIC_HEADERS, "x-sim-status": "429"}
    direct = httpx.post(
        f"{stack.sim_url}/v1/messages",
        json=anthropic_body(),
        headers={**headers, "x-api-key": "sim-test-key-0123"},
    )
    via = httpx.post(f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=headers)
    assert via.status_code == direct.status_code == 429
    via_body, direct_body = orjson.loads(via.content), orjson.loads(direct.content)
    via_body.pop("request_id"), direct_body.pop("request_id")
    assert via_body == direct_body
    assert via.json()["error"]["type"] == "rate_limit_error"


def test_non_json_upstream_error_is_wrapped_anthropic(stack: Stack) -> None:
    headers = {**ANTHROPIC_HEADERS, "x-sim-status": "503", "x-sim-non-json-error": "1"}
    response = httpx.post(
        f"{_serve(stack).url}/anthropic/v1/messages", json=anthropic_body(), headers=headers
    )
    assert response.status_code == 503
    body = response.json()
    assert body["type"] == "error" and body["request_id"] == ""
    assert body["error"]["type"] == "service_unavailable_error"
    assert "503" in body["error"]["message"]


def test_non_json_upstream_error_is_wrapped_openai(stack: Stack) -> None:
    response = httpx.post(
        f"{_serve(stack).url}/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]},
        headers={"x-sim-status": "500", "x-sim-non-json-error": "1"},
    )
    assert response.status_code == 500
    body = response.json()
    assert body["type"] == "error"
    assert body["error"]["type"] == "OpenAIBackendError" and body["error"]["code"] == "500"


def test_missing_credential_policy_gets_the_simulators_401(stack: Stack) -> None:
    """Without the BackendSecurityPolicy the simulator refuses: injection is what makes it work."""
    resources = [
        r for r in provider("claude", "Anthropic", stack.sim_port)
        if r.kind not in ("BackendSecurityPolicy", "Secret")
    ]  # fmt: skip
    stack.serve(*resources, route("r", [rule("claude-sonnet-4-5", ["claude"])]))
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "authentication_error"


def test_client_credentials_are_never_forwarded(stack: Stack) -> None:
    upstream = RecordingUpstream([b'{"id":"x","usage":{"input_tokens":1,"output_tokens":2}}'])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        stack.serve(
            provider("up", "Anthropic", server.ports[0], key="injected-key"),
            route("r", [rule("claude-sonnet-4-5", ["up"])]),
        )
        response = httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(),
            headers={**ANTHROPIC_HEADERS, "authorization": "Bearer client-secret"},
        )
    assert response.status_code == 200
    _, headers, _ = upstream.requests[0]
    assert headers["x-api-key"] == "injected-key"
    assert "authorization" not in headers
    assert headers["x-ai-eg-model"] == "claude-sonnet-4-5"
    assert headers["anthropic-version"] == "2023-06-01"


def test_unreachable_backend_without_retry_is_envoys_503(stack: Stack) -> None:
    with ServerThread([(RecordingUpstream([]), "127.0.0.1", 0)]) as server:
        closed_port = server.ports[0]
    stack.serve(
        provider("dead", "Anthropic", closed_port),
        route("r", [rule("claude-sonnet-4-5", ["dead"])]),
    )
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 503
    assert response.json() == _anthropic_error(
        "overloaded_error",
        "upstream connect error or disconnect/reset before headers. reset reason: "
        "connection failure",
    )


@pytest.mark.parametrize(
    ("path", "content", "status"),
    [
        ("/v1/chat/completions", b"{not json", 400),
        ("/v1/chat/completions", b'{"model":"unknown","messages":[]}', 404),
        (
            "/anthropic/v1/messages",
            b'{"model":"claude-sonnet-4-5","pad":"' + b"x" * 2000 + b'"}',
            413,
        ),
    ],
)
def test_replies_before_routing_log_one_complete_line(
    stack: Stack, path: str, content: bytes, status: int
) -> None:
    _serve(stack, body_limit=1000)
    response = httpx.post(f"{stack.url}{path}", content=content)
    line = access_line(stack)
    assert response.status_code == status
    assert len(access_lines(stack)) == 1
    assert (line["response_code"], line["request.path"], line["route"]) == (status, path, None)
    assert isinstance(line["duration"], int) and line["duration"] >= 0
    assert line["x-request-id"] == response.headers["x-request-id"]


def test_prepared_request_repr_hides_the_injected_credential() -> None:
    prepared = PreparedRequest("/v1/messages", {"x-api-key": "sk-injected"}, b"{}")
    assert "sk-injected" not in repr(prepared) and "x-api-key" in repr(prepared)
