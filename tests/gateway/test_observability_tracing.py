"""OpenTelemetry spans of model requests: attributes per convention, redaction, context, streams."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import orjson
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from gateway.header_attributes import HeaderAttributes
from gateway.metrics import GenAIMetrics
from gateway.observation import Telemetry
from gateway.serving import ServerThread
from gateway.tracing import REDACTED, Tracing, TracingConfigError
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    RecordingUpstream,
    Stack,
    anthropic_body,
    provider,
    route,
    rule,
    sdk_anthropic,
    sdk_openai,
)

CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c"
CLIENT_SPAN = "b7ad6b7169203331"
TRACEPARENT = f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"


class Traced:
    """A stack's gateway with tracing into memory."""

    def __init__(self, stack: Stack, env: Mapping[str, str] | None = None) -> None:
        env = {"OTEL_TRACES_EXPORTER": "otlp", **(env or {})}
        self.exporter = InMemorySpanExporter()
        tracing = Tracing.from_env(
            env, span_headers=HeaderAttributes.from_env(env).spans, exporter=self.exporter
        )
        assert tracing is not None
        self.tracing = tracing
        self.stack = stack
        self.telemetry = Telemetry(GenAIMetrics(), tracing=tracing)

    def serve(self, port: int | None = None) -> Traced:
        port = self.stack.sim_port if port is None else port
        self.stack.serve(
            provider("claude", "Anthropic", port),
            provider("gpt", "OpenAI", port),
            route(
                "r",
                [rule("claude-sonnet-4-5", ["claude"]), rule("gpt-4o-mini", ["gpt"])],
            ),
            telemetry=self.telemetry,
        )
        return self

    def spans(self) -> list[ReadableSpan]:
        self.tracing.force_flush()
        return list(self.exporter.get_finished_spans())

    def span(self) -> tuple[ReadableSpan, dict[str, Any]]:
        [span] = self.spans()
        return span, dict(span.attributes or {})


def test_off_unless_the_otel_variables_turn_it_on() -> None:
    assert Tracing.from_env({}) is None
    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}
    assert Tracing.from_env({**endpoint, "OTEL_SDK_DISABLED": "true"}) is None
    assert Tracing.from_env({**endpoint, "OTEL_TRACES_EXPORTER": "none"}) is None
    tracing = Tracing.from_env(endpoint)
    assert tracing is not None and tracing.semconv == "openinference"
    tracing.shutdown()
    with pytest.raises(TracingConfigError, match="AI_GATEWAY_TRACING_SEMCONV='otel'"):
        Tracing.from_env({**endpoint, "AI_GATEWAY_TRACING_SEMCONV": "otel"})
    with pytest.raises(TracingConfigError, match="OTEL_TRACES_EXPORTER='zipkin'"):
        Tracing.from_env({"OTEL_TRACES_EXPORTER": "zipkin"})
    with pytest.raises(TracingConfigError, match="OTEL_PROPAGATORS"):
        Tracing.from_env({**endpoint, "OTEL_PROPAGATORS": "nonesuch"})


def test_messages_span_has_openinference_attributes(stack: Stack) -> None:
    traced = Traced(stack).serve()
    raw = orjson.dumps(anthropic_body(text="What is 2+2?", temperature=0.5))
    headers = {**ANTHROPIC_HEADERS, "traceparent": TRACEPARENT, "agent-session-id": "s-1"}
    response = httpx.post(f"{stack.url}/anthropic/v1/messages", content=raw, headers=headers)
    assert response.status_code == 200
    message = response.json()
    span, attrs = traced.span()
    assert (span.name, span.kind) == ("Message", SpanKind.INTERNAL)
    assert span.parent is not None and span.parent.span_id == int(CLIENT_SPAN, 16)
    assert span.context.trace_id == int(CLIENT_TRACE, 16)
    assert span.status.status_code is StatusCode.OK
    assert span.resource.attributes["service.name"] == "ai-gateway"
    assert attrs["openinference.span.kind"] == "LLM"
    assert attrs["llm.system"] == "anthropic"
    assert attrs["llm.model_name"] == "claude-sonnet-4-5"
    assert attrs["input.value"] == raw.decode() and attrs["input.mime_type"] == "application/json"
    assert orjson.loads(attrs["llm.invocation_parameters"]) == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 64,
        "temperature": 0.5,
    }
    assert attrs["llm.input_messages.0.message.role"] == "user"
    assert attrs["llm.input_messages.0.message.content"] == "What is 2+2?"
    assert attrs["llm.output_messages.0.message.role"] == "assistant"
    assert attrs["llm.output_messages.0.message.content"] == message["content"][0]["text"]
    assert orjson.loads(attrs["output.value"]) == message
    assert attrs["llm.token_count.prompt"] == message["usage"]["input_tokens"]
    assert attrs["llm.token_count.completion"] == message["usage"]["output_tokens"]
    assert attrs["session.id"] == "s-1"
    assert attrs["http.request.header.x-request-id"] == (response.headers["x-request-id"],)


def test_streamed_translated_chat_span_closes_with_the_stream(stack: Stack) -> None:
    """openai SDK -> gateway -> simulator Anthropic, streamed: one ChatCompletion span."""
    traced = Traced(stack).serve()
    client = sdk_openai(stack)
    stream = client.chat.completions.create(
        model="claude-sonnet-4-5",
        messages=[{"role": "user", "content": "Tell me a story"}],
        stream=True,
        stream_options={"include_usage": True},
        extra_headers={"traceparent": TRACEPARENT, "x-sim-chunk-delay-ms": "30"},
    )
    first = next(iter(stream))
    assert traced.spans() == []  # still streaming
    chunks = [first, *stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    span, attrs = traced.span()
    assert (span.name, span.parent.span_id if span.parent else None) == (
        "ChatCompletion",
        int(CLIENT_SPAN, 16),
    )
    assert attrs["llm.system"] == "openai"
    assert attrs["llm.input_messages.0.message.content"] == "Tell me a story"
    assert attrs["llm.output_messages.0.message.content"] == text
    usage = chunks[-1].usage
    assert usage is not None
    assert attrs["llm.token_count.completion"] == usage.completion_tokens
    assert [event.name for event in span.events] == ["First Token Stream Event"]
    assert span.end_time is not None and span.start_time is not None


def test_trace_context_and_request_id_go_upstream(stack: Stack) -> None:
    traced = Traced(stack)
    upstream = RecordingUpstream([orjson.dumps({"type": "message", "content": []})])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        traced.serve(server.ports[0])
        response = httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(),
            headers={**ANTHROPIC_HEADERS, "traceparent": TRACEPARENT, "x-request-id": "req-42"},
        )
    span, _ = traced.span()
    sent = upstream.requests[0][1]
    assert sent["traceparent"] == f"00-{CLIENT_TRACE}-{span.context.span_id:016x}-01"
    assert sent["x-request-id"] == response.headers["x-request-id"] == "req-42"


@pytest.mark.parametrize(
    ("env", "hidden_input", "hidden_output"),
    [
        ({"OPENINFERENCE_HIDE_INPUTS": "true"}, True, False),
        ({"OPENINFERENCE_HIDE_OUTPUTS": "1"}, False, True),
        ({"OPENINFERENCE_HIDE_INPUT_TEXT": "true", "OPENINFERENCE_HIDE_OUTPUT_TEXT": "t"}, 0, 0),
    ],
)
def test_openinference_redaction(
    stack: Stack, env: dict[str, str], hidden_input: bool, hidden_output: bool
) -> None:
    traced = Traced(stack, env).serve()
    sdk_anthropic(stack).messages.create(
        model="claude-sonnet-4-5", max_tokens=32, messages=[{"role": "user", "content": "secret"}]
    )
    _, attrs = traced.span()
    assert attrs["llm.token_count.prompt"] > 0  # token counts are metadata: always kept
    if hidden_input:
        assert attrs["input.value"] == REDACTED
        assert "llm.input_messages.0.message.content" not in attrs
    elif hidden_output:
        assert attrs["output.value"] == REDACTED
        assert not any(k.startswith("llm.output_messages") for k in attrs)
        assert "output.mime_type" not in attrs
    else:  # text hidden, structure kept
        assert attrs["llm.input_messages.0.message.content"] == REDACTED
        assert attrs["llm.output_messages.0.message.content"] == REDACTED
        assert attrs["llm.input_messages.0.message.role"] == "user"
    assert "secret" not in attrs["input.value"] or not hidden_input


def test_gen_ai_semantic_conventions(stack: Stack) -> None:
    traced = Traced(stack, {"AI_GATEWAY_TRACING_SEMCONV": "gen_ai"}).serve()
    message = sdk_anthropic(stack).messages.create(
        model="claude-sonnet-4-5", max_tokens=32, messages=[{"role": "user", "content": "hi"}]
    )
    span, attrs = traced.span()
    assert (span.name, span.kind) == ("chat claude-sonnet-4-5", SpanKind.CLIENT)
    assert attrs["gen_ai.operation.name"] == "chat"
    assert attrs["gen_ai.request.model"] == "claude-sonnet-4-5"
    assert attrs["gen_ai.request.max_tokens"] == 32
    assert attrs["gen_ai.provider.name"] == "anthropic"
    assert attrs["gen_ai.response.id"] == message.id
    assert attrs["gen_ai.response.model"] == message.model
    assert attrs["gen_ai.usage.input_tokens"] == message.usage.input_tokens
    assert attrs["gen_ai.usage.output_tokens"] == message.usage.output_tokens
    assert attrs["gen_ai.response.finish_reasons"] == (message.stop_reason,)
    assert "gen_ai.input.messages" not in attrs and "gen_ai.output.messages" not in attrs


def test_gen_ai_message_content_is_opt_in(stack: Stack) -> None:
    env = {
        "AI_GATEWAY_TRACING_SEMCONV": "gen_ai",
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true",
    }
    traced = Traced(stack, env).serve()
    completion = sdk_openai(stack).chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
    )
    _, attrs = traced.span()
    assert orjson.loads(attrs["gen_ai.input.messages"]) == [
        {"role": "user", "parts": [{"type": "text", "content": "hi"}]}
    ]
    assert orjson.loads(attrs["gen_ai.system_instructions"]) == [
        {"type": "text", "content": "Be brief."}
    ]
    [output] = orjson.loads(attrs["gen_ai.output.messages"])
    assert output["parts"] == [{"type": "text", "content": completion.choices[0].message.content}]


@pytest.mark.parametrize(("semconv", "expected"), [("openinference", None), ("gen_ai", "500")])
def test_upstream_error_is_recorded(stack: Stack, semconv: str, expected: str | None) -> None:
    traced = Traced(stack, {"AI_GATEWAY_TRACING_SEMCONV": semconv}).serve()
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(),
        headers={**ANTHROPIC_HEADERS, "x-sim-status": "500"},
    )
    assert response.status_code == 500
    span, attrs = traced.span()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is not None
    assert span.status.description.startswith("Error code: 500")
    if expected is None:
        [event] = span.events
        assert event.name == "exception"
        assert dict(event.attributes or {})["exception.type"] == "InternalServerError"
    else:
        assert attrs["error.type"] == expected


def test_no_route_is_a_not_found_span(stack: Stack) -> None:
    traced = Traced(stack).serve()
    response = httpx.post(f"{stack.url}/v1/chat/completions", json={"model": "nope"})
    assert response.status_code == 404
    span, _ = traced.span()
    [event] = span.events
    assert dict(event.attributes or {})["exception.type"] == "NotFoundError"


def test_count_tokens_span(stack: Stack) -> None:
    traced = Traced(stack).serve()
    counted = sdk_anthropic(stack).messages.count_tokens(
        model="claude-sonnet-4-5", messages=[{"role": "user", "content": "count me"}]
    )
    span, attrs = traced.span()
    assert span.name == "CountTokens"
    assert attrs["openinference.span.kind"] == "TOKEN_COUNTER"
    assert attrs["llm.token_count.prompt"] == counted.input_tokens


def test_tracing_off_leaves_a_client_traceparent_untouched(stack: Stack) -> None:
    upstream = RecordingUpstream([orjson.dumps({"type": "message", "content": []})])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        stack.serve(
            provider("claude", "Anthropic", server.ports[0]),
            route("r", [rule("claude-sonnet-4-5", ["claude"])]),
            telemetry=Telemetry(GenAIMetrics()),
        )
        httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(),
            headers={**ANTHROPIC_HEADERS, "traceparent": TRACEPARENT},
        )
    assert upstream.requests[0][1]["traceparent"] == TRACEPARENT


def test_own_provider_is_not_global() -> None:
    """Each gateway has its own tracer provider: embedding one never changes the process's."""
    from opentelemetry import trace

    tracing = Tracing(InMemorySpanExporter())
    assert trace.get_tracer_provider() is not tracing.provider
    assert isinstance(tracing.provider, TracerProvider)
    tracing.shutdown()


def test_a_stream_cut_upstream_ends_its_span_in_error(stack: Stack) -> None:
    traced = Traced(stack).serve()
    with httpx.stream(
        "POST",
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(stream=True),
        headers={**ANTHROPIC_HEADERS, "x-sim-fail-after-events": "3", "x-sim-fail-mode": "drop"},
    ) as response:
        body = response.read()
    assert b"event: error" in body
    span, _ = traced.span()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is not None and "stream" in span.status.description
