"""GatewayClient over loopback against the simulator (at the gateway's paths)."""

from __future__ import annotations

import pytest

from aigw_sdk.client import (
    AuthenticationError,
    BadRequestError,
    ChatChunk,
    GatewayClient,
    GatewayConnectionError,
    GatewayError,
    InternalServerError,
    MessageEvent,
    RateLimitError,
    ServiceUnavailableError,
)

HELLO = [{"role": "user", "content": "Hello, Claude!"}]
MODEL = "claude-sonnet-4-5"


def test_messages_returns_a_typed_message(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        reply = client.messages(model=MODEL, max_tokens=100, messages=HELLO)
    assert reply.text.startswith("Simulated reply to: Hello, Claude!")
    assert reply.model == MODEL
    assert reply.stop_reason == "end_turn"
    assert reply.usage.input_tokens == 4
    assert reply.usage.output_tokens > 0
    assert reply.timings is not None and reply.timings.ttft is None
    assert reply.timings.output_tokens == reply.usage.output_tokens


def test_message_stream_accumulates_what_the_plain_call_returns(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        plain = client.messages(model=MODEL, max_tokens=100, messages=HELLO)
        stream = client.messages(model=MODEL, max_tokens=100, messages=HELLO, stream=True)
        with pytest.raises(RuntimeError, match="not finished"):
            _ = stream.final
        events = list(stream)
    assert all(isinstance(e, MessageEvent) for e in events)
    assert [e.type for e in events][:2] == ["message_start", "content_block_start"]
    assert events[-1].type == "message_stop"
    assert "".join(e.text for e in events) == plain.text
    assert stream.final.text == plain.text
    assert stream.final.stop_reason == "end_turn"
    assert stream.usage == plain.usage
    timings = stream.timings
    assert timings.ttft is not None and 0 <= timings.ttft <= timings.total
    assert timings.output_tokens == plain.usage.output_tokens


def test_chat_and_its_stream_agree(sim_url: str) -> None:
    with GatewayClient(sim_url) as client:
        plain = client.chat(model=MODEL, messages=HELLO)
        stream = client.chat(model=MODEL, messages=HELLO, stream=True)
        final = stream.until_done()
    assert plain.text.startswith("Simulated reply to: Hello, Claude!")
    assert plain.finish_reason == "stop"
    assert final.text == plain.text
    assert final.finish_reason == "stop"
    assert stream.usage == plain.usage
    assert plain.usage.input_tokens > 0 and plain.usage.output_tokens > 0


def test_chunks_are_typed(sim_url: str) -> None:
    with (
        GatewayClient(sim_url) as client,
        client.chat(model=MODEL, messages=HELLO, stream=True) as stream,
    ):
        chunks = list(stream)
    assert all(isinstance(c, ChatChunk) for c in chunks)
    assert chunks[-1].usage is not None


def test_missing_max_tokens_is_a_bad_request(sim_url: str) -> None:
    with GatewayClient(sim_url) as client, pytest.raises(BadRequestError) as info:
        client.messages(model=MODEL, max_tokens=None, messages=HELLO)
    assert info.value.status == 400
    assert info.value.error_type == "invalid_request_error"
    assert info.value.message == "max_tokens: Field required"
    assert "max_tokens" in info.value.hint


@pytest.mark.parametrize(
    ("status", "error", "error_type"),
    [
        (401, AuthenticationError, "authentication_error"),
        (429, RateLimitError, "rate_limit_error"),
        (503, ServiceUnavailableError, "overloaded_error"),
        (529, ServiceUnavailableError, "overloaded_error"),
        (500, InternalServerError, "api_error"),
    ],
)
def test_provider_errors_are_typed(
    sim_url: str, status: int, error: type[Exception], error_type: str
) -> None:
    with GatewayClient(sim_url) as client, pytest.raises(GatewayError) as info:
        client.messages(
            model=MODEL, max_tokens=10, messages=HELLO, extra_headers={"x-sim-status": str(status)}
        )
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.error_type == error_type
    assert info.value.request_id is not None and info.value.request_id.startswith("req_")


def test_rate_limit_carries_retry_after(sim_url: str) -> None:
    headers = {"x-sim-status": "429", "x-sim-retry-after": "7"}
    with GatewayClient(sim_url) as client, pytest.raises(RateLimitError) as info:
        client.chat(model=MODEL, messages=HELLO, extra_headers=headers)
    assert info.value.retry_after == 7
    assert info.value.error_type == "requests"


def test_streamed_errors_raise_before_iteration(sim_url: str) -> None:
    with GatewayClient(sim_url) as client, pytest.raises(ServiceUnavailableError):
        client.messages(
            model=MODEL,
            max_tokens=10,
            messages=HELLO,
            stream=True,
            extra_headers={"x-sim-status": "503"},
        )


def test_mid_stream_error_event_raises(sim_url: str) -> None:
    headers = {"x-sim-fail-after-events": "4"}
    with GatewayClient(sim_url) as client:
        stream = client.messages(
            model=MODEL, max_tokens=50, messages=HELLO, stream=True, extra_headers=headers
        )
        seen = []
        with pytest.raises(ServiceUnavailableError) as info:
            for event in stream:
                seen.append(event.type)
    assert len(seen) == 4
    assert info.value.error_type == "overloaded_error"
    assert not stream.done


def test_plain_text_errors_keep_their_text(sim_url: str) -> None:
    headers = {"x-sim-status": "502", "x-sim-non-json-error": "1"}
    with GatewayClient(sim_url) as client, pytest.raises(InternalServerError) as info:
        client.chat(model=MODEL, messages=HELLO, extra_headers=headers)
    assert info.value.status == 502
    assert info.value.error_type is None
    assert info.value.message == "502 Bad Gateway: simulated upstream failure"


def test_unreachable_gateway() -> None:
    with (
        GatewayClient("http://127.0.0.1:9", timeout=2.0) as client,
        pytest.raises(GatewayConnectionError) as info,
    ):
        client.list_models()
    assert info.value.status is None


def test_key_is_sent_and_masked(keyed_sim_url: str) -> None:
    with GatewayClient(keyed_sim_url, api_key="sk-secret-123") as client:
        assert "sk-secret-123" not in repr(client)
        assert "***" in repr(client)
        assert client.chat(model=MODEL, messages=HELLO).text
        official = client.anthropic_client()
        assert str(official.base_url).rstrip("/") == f"{keyed_sim_url}/anthropic"
        assert str(client.openai_client().base_url).rstrip("/") == f"{keyed_sim_url}/v1"
    with (
        GatewayClient(keyed_sim_url, api_key="wrong") as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.messages(model=MODEL, max_tokens=5, messages=HELLO)
    assert "wrong" not in str(info.value)


@pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")
def test_official_clients_reach_the_paths(sim_url: str) -> None:
    with (
        GatewayClient(sim_url) as client,
        client.anthropic_client() as claude,
        client.openai_client() as gpt,
    ):
        reply = claude.messages.create(
            model=MODEL, max_tokens=100, messages=[{"role": "user", "content": "Hello, Claude!"}]
        )
        completion = gpt.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Hello, Claude!"}]
        )
        ours = client.messages(model=MODEL, max_tokens=100, messages=HELLO)
    assert reply.content[0].type == "text"
    assert reply.content[0].text == ours.text
    assert completion.choices[0].message.content == ours.text


def test_admin_calls_need_an_admin_url(sim_url: str) -> None:
    with GatewayClient(sim_url) as client, pytest.raises(ValueError, match="admin_url"):
        client.health()


def test_bad_base_url_is_named() -> None:
    with pytest.raises(ValueError, match="base_url"):
        GatewayClient("localhost:1975")
