"""Fault injection by request header, stats, and routing errors."""

from __future__ import annotations

import time
from typing import Any

import anthropic
import httpx
import httpx2
import openai
import pytest

from tests.gateway.simulator.support import API_KEY, CLAUDE, GPT

USER: Any = [{"role": "user", "content": "Hello there"}]
BODY = {"model": CLAUDE, "max_tokens": 100, "messages": USER}


@pytest.mark.parametrize(
    ("status", "error_type", "exception"),
    [
        (400, "invalid_request_error", anthropic.BadRequestError),
        (401, "authentication_error", anthropic.AuthenticationError),
        (403, "permission_error", anthropic.PermissionDeniedError),
        (404, "not_found_error", anthropic.NotFoundError),
        (413, "request_too_large", anthropic.APIStatusError),
        (429, "rate_limit_error", anthropic.RateLimitError),
        (500, "api_error", anthropic.InternalServerError),
        (503, "overloaded_error", anthropic.InternalServerError),
        (529, "overloaded_error", anthropic.InternalServerError),
    ],
)
def test_injected_anthropic_status(
    claude: anthropic.Anthropic, status: int, error_type: str, exception: type[Exception]
) -> None:
    with pytest.raises(exception) as info:
        claude.messages.create(
            model=CLAUDE, max_tokens=10, messages=USER, extra_headers={"x-sim-status": str(status)}
        )
    error = info.value
    assert isinstance(error, anthropic.APIStatusError)
    assert error.status_code == status
    body = error.response.json()
    assert body["type"] == "error" and body["error"]["type"] == error_type
    assert error.response.headers["x-sim-model"] == CLAUDE
    if status == 429:
        assert error.response.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("status", "error_type", "code"),
    [
        (400, "invalid_request_error", None),
        (401, "invalid_request_error", "invalid_api_key"),
        (429, "requests", "rate_limit_exceeded"),
        (500, "server_error", None),
        (503, "server_error", None),
    ],
)
def test_injected_openai_status(
    gpt: openai.OpenAI, status: int, error_type: str, code: str | None
) -> None:
    headers = {"x-sim-status": str(status), "x-sim-retry-after": "7"}
    with pytest.raises(openai.APIStatusError) as info:
        gpt.chat.completions.create(model=GPT, messages=USER, extra_headers=headers)
    assert info.value.status_code == status
    error = info.value.response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (error_type, code, None)
    if status == 429:
        assert info.value.response.headers["retry-after"] == "7"


def test_non_json_error_body(http: httpx.Client) -> None:
    response = http.post(
        "/v1/messages", json=BODY, headers={"x-sim-status": "502", "x-sim-non-json-error": "1"}
    )
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("502 Bad Gateway")


def _frames(response: httpx.Response) -> tuple[list[str], Exception | None]:
    buffer = ""
    failure = None
    try:
        for text in response.iter_text():
            buffer += text
    except httpx.HTTPError as exc:
        failure = exc
    return [f for f in buffer.split("\n\n") if f], failure


def test_anthropic_stream_cut_with_error_event(
    http: httpx.Client, claude: anthropic.Anthropic
) -> None:
    headers = {"x-sim-fail-after-events": "4", "x-sim-fail-mode": "error"}
    with http.stream("POST", "/v1/messages", json={**BODY, "stream": True}, headers=headers) as r:
        frames, failure = _frames(r)
    assert failure is None
    assert [f.split("\n")[0] for f in frames] == [
        "event: message_start",
        "event: content_block_start",
        "event: ping",
        "event: content_block_delta",
        "event: error",
    ]
    assert '"type":"overloaded_error"' in frames[-1]
    with (
        pytest.raises(anthropic.APIStatusError, match="Overloaded"),
        claude.messages.stream(
            model=CLAUDE, max_tokens=100, messages=USER, extra_headers=headers
        ) as stream,
    ):
        for _ in stream:
            pass


def test_anthropic_stream_dropped(http: httpx.Client, claude: anthropic.Anthropic) -> None:
    headers = {"x-sim-fail-after-events": "3", "x-sim-fail-mode": "drop"}
    with http.stream("POST", "/v1/messages", json={**BODY, "stream": True}, headers=headers) as r:
        frames, failure = _frames(r)
    assert isinstance(failure, httpx.RemoteProtocolError)
    assert len(frames) == 3 and frames[-1].startswith("event: ping")
    with (
        pytest.raises(httpx2.RemoteProtocolError, match="incomplete chunked read"),
        claude.messages.stream(
            model=CLAUDE, max_tokens=100, messages=USER, extra_headers=headers
        ) as stream,
    ):
        for _ in stream:
            pass
    assert http.post("/v1/messages", json=BODY).status_code == 200


def test_openai_stream_cut_both_modes(sim_url: str) -> None:
    body = {"model": GPT, "messages": USER, "stream": True}
    auth = {"authorization": f"Bearer {API_KEY}"}
    with httpx.Client(base_url=sim_url, headers=auth) as client:
        error_headers = {"x-sim-fail-after-events": "2"}
        with client.stream("POST", "/v1/chat/completions", json=body, headers=error_headers) as r:
            frames, failure = _frames(r)
        assert failure is None and len(frames) == 3
        assert frames[-1].startswith('data: {"error":{')
        drop_headers = {**error_headers, "x-sim-fail-mode": "drop"}
        with client.stream("POST", "/v1/chat/completions", json=body, headers=drop_headers) as r:
            frames, failure = _frames(r)
        assert isinstance(failure, httpx.RemoteProtocolError) and len(frames) == 2


def test_latency_and_chunk_delay_headers(http: httpx.Client) -> None:
    started = time.monotonic()
    assert http.post("/v1/messages", json=BODY, headers={"x-sim-latency-ms": "300"}).is_success
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    stream_body = {**BODY, "max_tokens": 5, "stream": True}
    response = http.post("/v1/messages", json=stream_body, headers={"x-sim-chunk-delay-ms": "40"})
    events = response.text.count("event: ")
    assert events == 8
    assert time.monotonic() - started >= events * 0.04


def test_bad_fault_header_is_named(http: httpx.Client) -> None:
    response = http.post("/v1/messages", json=BODY, headers={"x-sim-status": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("x-sim-status:")


def test_stats_count_paths_and_redact_credentials(
    http: httpx.Client, gpt: openai.OpenAI, sim_url: str
) -> None:
    http.post("/v1/messages", json=BODY)
    http.post("/v1/messages", json=BODY)
    gpt.chat.completions.create(model=GPT, messages=USER)
    stats = httpx.get(f"{sim_url}/_sim/stats").json()
    assert stats["requests"] == {"/v1/messages": 2, "/v1/chat/completions": 1}
    assert stats["total"] == 3
    last = stats["last_request"]
    assert last["path"] == "/v1/chat/completions" and last["body"]["model"] == GPT
    assert last["headers"]["authorization"] == "[redacted]"
    http.post("/v1/messages", json=BODY)
    assert httpx.get(f"{sim_url}/_sim/stats").json()["last_request"]["headers"]["x-api-key"] == (
        "[redacted]"
    )
    assert API_KEY not in httpx.get(f"{sim_url}/_sim/stats").text


def test_unknown_path_and_method(http: httpx.Client) -> None:
    assert http.post("/v1/nothing", json={}).status_code == 404
    wrong_method = http.get("/v1/messages")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["type"] == "error"
