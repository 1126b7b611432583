"""OpenTelemetry tracing of model requests, configured by the `OTEL_*` variables as `aigw run`.

Off unless `OTEL_TRACES_EXPORTER` is set (`otlp`, `console`) or an OTLP endpoint is
(`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); `OTEL_SDK_DISABLED=true`
or `OTEL_TRACES_EXPORTER=none` turn it off. The OTLP exporter, batch processor and resource read
their own standard variables (`OTEL_EXPORTER_OTLP_*`, `OTEL_BSP_*`, `OTEL_SERVICE_NAME`,
`OTEL_RESOURCE_ATTRIBUTES`; the service name defaults to `ai-gateway`), `OTEL_PROPAGATORS`
chooses the propagators (W3C trace context and baggage by default).

One span per model request, a child of the client's trace context; that context (the span's) is
sent upstream. Attributes follow upstream's recorders: OpenInference by default (`ChatCompletion`,
`Message`, `CountTokens`; INTERNAL; `llm.*`, `input.*`, `output.*`; redaction by the
`OPENINFERENCE_HIDE_*` variables), or the OpenTelemetry GenAI conventions with
`AI_GATEWAY_TRACING_SEMCONV=gen_ai` (`chat {model}`; CLIENT; `gen_ai.*`; message content only with
`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`). The span records what the client
sent and received (after translation); a streamed response is folded at the end of the stream,
which is when the span ends.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib.metadata import entry_points
from typing import Any, Final, Literal

import orjson
from opentelemetry.context import Context
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.propagators.textmap import TextMapPropagator
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, set_span_in_context

from aigw_sdk.client.accumulate import ChatAccumulator, MessageAccumulator
from aigw_sdk.client.errors import GatewayError
from aigw_sdk.client.types import Timings
from aigw_sdk.sse import SSEParser
from gateway.accesslog import AccessRecord
from gateway.translation.usage import TokenUsage

__all__ = [
    "REDACTED",
    "SEMCONV_VARIABLE",
    "OpenInferenceConfig",
    "RequestSpan",
    "Semconv",
    "Tracing",
    "TracingConfigError",
]

SEMCONV_VARIABLE: Final = "AI_GATEWAY_TRACING_SEMCONV"
REDACTED: Final = "__REDACTED__"
Semconv = Literal["openinference", "gen_ai"]
Kind = Literal["messages", "count_tokens", "chat"]
_STREAM_CAPTURE_LIMIT: Final = 4 * 1024 * 1024  # bytes of a streamed response folded into a span
_JSON: Final = "application/json"
_TRUE: Final = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE: Final = frozenset({"0", "f", "F", "FALSE", "false", "False"})


class TracingConfigError(ValueError):
    """A tracing variable with a value the gateway cannot honour (it refuses to start)."""


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """Go's strconv.ParseBool, as upstream: an unparsable value keeps the default."""
    value = env.get(name, "")
    return True if value in _TRUE else False if value in _FALSE else default


@dataclass(frozen=True, slots=True)
class OpenInferenceConfig:
    """OpenInference's redaction settings (the `OPENINFERENCE_*` variables)."""

    hide_llm_invocation_parameters: bool = False
    hide_inputs: bool = False
    hide_outputs: bool = False
    hide_input_messages: bool = False
    hide_output_messages: bool = False
    hide_input_images: bool = False
    hide_input_text: bool = False
    hide_output_text: bool = False
    base64_image_max_length: int = 32000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OpenInferenceConfig:
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = "OPENINFERENCE_" + f.name.upper()
            if f.name == "base64_image_max_length":
                raw = env.get(name, "")
                values[f.name] = int(raw) if raw.lstrip("-").isdigit() else f.default
            else:
                values[f.name] = _bool(env, name)
        return cls(**values)


def _propagator(env: Mapping[str, str]) -> TextMapPropagator:
    """The propagators named by `OTEL_PROPAGATORS` (default `tracecontext,baggage`)."""
    names = [n.strip() for n in env.get("OTEL_PROPAGATORS", "tracecontext,baggage").split(",")]
    found: list[TextMapPropagator] = []
    for name in names:
        if not name or name == "none":
            continue
        matches = list(entry_points(group="opentelemetry_propagator", name=name))
        if not matches:
            raise TracingConfigError(f"OTEL_PROPAGATORS: no propagator named {name!r} is installed")
        found.append(matches[0].load()())
    return CompositePropagator(found)


def _exporter(env: Mapping[str, str], kind: str) -> SpanExporter:
    if kind == "console":
        return ConsoleSpanExporter(out=sys.stdout)
    protocol = env.get(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")
    )
    # The exporters read their other settings (headers, timeout, TLS) from the process environment.
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or None
    base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if protocol in ("", "http/protobuf"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        if endpoint is None and base:
            endpoint = base.rstrip("/") + "/v1/traces"
        return OTLPSpanExporter(endpoint=endpoint)
    if protocol == "grpc":
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
                OTLPSpanExporter as GrpcExporter,
            )
        except ImportError:
            raise TracingConfigError(
                "OTEL_EXPORTER_OTLP_PROTOCOL=grpc needs opentelemetry-exporter-otlp-proto-grpc "
                "(pip install it, or use http/protobuf)"
            ) from None
        return GrpcExporter(endpoint=endpoint or base)  # type: ignore[no-any-return]
    raise TracingConfigError(
        f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r} is not supported (http/protobuf or grpc)"
    )


def _resource() -> Resource:
    resource = Resource.create()
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service"):
        resource = resource.merge(Resource({"service.name": "ai-gateway"}))
    return resource


class Tracing:
    """A tracer provider of one gateway and the settings its request spans follow."""

    def __init__(
        self,
        exporter: SpanExporter,
        *,
        semconv: Semconv = "openinference",
        openinference: OpenInferenceConfig | None = None,
        capture_content: bool = False,
        propagator: TextMapPropagator | None = None,
        span_headers: Mapping[str, str] | None = None,
        batch: bool = True,
    ) -> None:
        # Indexed message attributes exceed OTel's default cap of 128; upstream lifts it for
        # OpenInference only.
        limits = SpanLimits(
            max_span_attributes=SpanLimits.UNSET if semconv == "openinference" else None
        )
        self.provider = TracerProvider(resource=_resource(), span_limits=limits)
        processor = BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter)
        self.provider.add_span_processor(processor)
        self.tracer = self.provider.get_tracer("envoyproxy/ai-gateway")
        self.semconv: Semconv = semconv
        self.openinference = openinference or OpenInferenceConfig()
        self.capture_content = capture_content
        self.propagator = propagator or _propagator({})
        self.carrier_fields = frozenset(self.propagator.fields)
        #: request header (lower-case) -> span attribute
        self.span_headers = dict(span_headers or {})

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        span_headers: Mapping[str, str] | None = None,
        exporter: SpanExporter | None = None,
    ) -> Tracing | None:
        """Tracing as the `OTEL_*` variables say, or None when they leave it off."""
        env = os.environ if env is None else env
        if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
            return None
        kind = env.get("OTEL_TRACES_EXPORTER", "").strip()
        if kind == "none":
            return None
        if kind == "" and exporter is None:
            if not (
                env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            ):
                return None
            kind = "otlp"
        if kind not in ("", "otlp", "console"):
            raise TracingConfigError(
                f"OTEL_TRACES_EXPORTER={kind!r} is not supported (otlp, console or none)"
            )
        semconv = env.get(SEMCONV_VARIABLE, "") or "openinference"
        if semconv not in ("openinference", "gen_ai"):
            raise TracingConfigError(
                f"{SEMCONV_VARIABLE}={semconv!r} is not supported (openinference or gen_ai)"
            )
        return cls(
            exporter or _exporter(env, kind),
            semconv=semconv,  # type: ignore[arg-type]
            openinference=OpenInferenceConfig.from_env(env),
            capture_content=_bool(env, "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"),
            propagator=_propagator(env),
            span_headers=span_headers,
            batch=kind != "console",  # upstream's console exporter is synchronous
        )

    def start(self, kind: Kind, carrier: Mapping[str, str]) -> RequestSpan:
        """Start the span of one model request, a child of the client's trace context."""
        parent = self.propagator.extract(carrier) if carrier else None
        if self.semconv == "openinference":
            name = {"chat": "ChatCompletion", "messages": "Message"}.get(kind, "CountTokens")
            span_kind = SpanKind.INTERNAL
        else:
            name = "tokenize" if kind == "count_tokens" else "chat"
            span_kind = SpanKind.CLIENT
        span = self.tracer.start_span(name, context=parent, kind=span_kind)
        return RequestSpan(self, span, kind)

    def force_flush(self, timeout_millis: int = 5000) -> bool:
        """Export every ended span now."""
        return self.provider.force_flush(timeout_millis)

    def shutdown(self) -> None:
        """Flush and stop the exporter."""
        self.provider.shutdown()


class RequestSpan:
    """The span of one request: request attributes, the response as sent, the end."""

    __slots__ = ("_body", "_captured", "_chunks", "_first_chunk", "_kind", "_tracing", "span")

    def __init__(self, tracing: Tracing, span: Span, kind: Kind) -> None:
        self._tracing = tracing
        self.span = span
        self._kind: Kind = kind
        self._body: dict[str, Any] | None = None
        self._chunks: list[bytes] = []
        self._captured = 0
        self._first_chunk: int | None = None

    def request(self, body: dict[str, Any], raw: bytes) -> None:
        """Record the client's request (its parsed body and bytes)."""
        self._body = body
        tracing = self._tracing
        model = body.get("model")
        model = model if isinstance(model, str) else ""
        if tracing.semconv == "openinference":
            attrs = _oi_request(self._kind, body, raw, tracing.openinference)
        else:
            if model:
                self.span.update_name(f"{self.span.name} {model}")  # type: ignore[attr-defined]
            attrs = _genai_request(self._kind, body, model, tracing.capture_content)
        self.span.set_attributes(attrs)

    def inject(self, headers: dict[str, str]) -> None:
        """Put this span's trace context into the upstream request's headers."""
        self._tracing.propagator.inject(headers, context=set_span_in_context(self.span, Context()))

    def response_chunk(self, chunk: bytes, stream: bool) -> None:
        """A body chunk as sent to the client (a stream is kept, bounded, to fold at the end)."""
        if stream and self._first_chunk is None:
            self._first_chunk = time.time_ns()
        if self._captured <= _STREAM_CAPTURE_LIMIT:
            self._chunks.append(chunk)
            self._captured += len(chunk)

    def end(self, record: AccessRecord, headers: Mapping[str, str]) -> None:
        """Record the outcome and end the span."""
        span = self.span
        tracing = self._tracing
        attrs: dict[str, Any] = {
            attribute: headers[header]
            for header, attribute in tracing.span_headers.items()
            if header in headers
        }
        if record.request_id:
            attrs["http.request.header.x-request-id"] = (record.request_id,)
        if tracing.semconv == "gen_ai" and record.provider:
            attrs["gen_ai.provider.name"] = record.provider
        span.set_attributes(attrs)
        body = b"".join(self._chunks)
        if record.status >= 400 or record.status == 0:  # an error response, or none at all
            _record_error(span, tracing, record, body)
        elif self._body is not None:
            response = self._response(body, record.stream)
            if self._first_chunk is not None:
                span.add_event("First Token Stream Event", timestamp=self._first_chunk)
            if tracing.semconv == "openinference":
                attrs = _oi_response(self._kind, response, record.usage, tracing.openinference)
            else:
                attrs = _genai_response(self._kind, response, record.usage, tracing.capture_content)
            span.set_attributes(attrs)
            if record.error and record.stream:  # a stream that ended without completing
                span.set_status(Status(StatusCode.ERROR, record.error))
            else:
                span.set_status(Status(StatusCode.OK))
        span.end()

    def _response(self, body: bytes, stream: bool) -> dict[str, Any]:
        if not stream:
            try:
                parsed = orjson.loads(body)
            except orjson.JSONDecodeError:
                return {}
            return parsed if isinstance(parsed, dict) else {}
        return _fold_stream(self._kind, body)


def _fold_stream(kind: Kind, body: bytes) -> dict[str, Any]:
    """A streamed response as the one-shot response it adds up to (what upstream records)."""
    parser = SSEParser()
    events = [*parser.feed(body), *parser.flush()]
    accumulator: MessageAccumulator | ChatAccumulator = (
        MessageAccumulator() if kind == "messages" else ChatAccumulator()
    )
    try:
        for sse in events:
            event = accumulator.parse(sse)
            if event is not None:
                accumulator.feed(event)  # type: ignore[arg-type]
        return accumulator.result(Timings(total=0.0)).raw
    except (GatewayError, ValueError, TypeError):
        return {}


# -- errors ----------------------------------------------------------------------------------------

_ERROR_TYPES: Final = (
    ((400,), "BadRequestError", "400"),
    ((401,), "AuthenticationError", "401"),
    ((403,), "PermissionDeniedError", "403"),
    ((404,), "NotFoundError", "404"),
    ((429,), "RateLimitError", "429"),
    ((500, 502, 503), "InternalServerError", "500"),
)


def _error_types(status: int) -> tuple[str, str]:
    """(OpenInference exception type, gen_ai error.type) of an HTTP status, as upstream's."""
    for statuses, openinference, genai in _ERROR_TYPES:
        if status in statuses:
            return openinference, genai
    return "Error", str(status) if 400 <= status <= 599 else "_OTHER"


def _record_error(span: Span, tracing: Tracing, record: AccessRecord, body: bytes) -> None:
    status = record.status
    text = body.decode("utf-8", "replace") if body else (record.error or "")
    openinference_type, genai_type = _error_types(status)
    if tracing.semconv == "openinference":
        message = f"Error code: {status} - {text}" if text else f"Error code: {status}"
        span.add_event(
            "exception", {"exception.type": openinference_type, "exception.message": message}
        )
    else:
        span.set_attribute("error.type", genai_type)
        message = f"Error code: {status}"
        if tracing.capture_content and text:
            message += f" - {text}"
    span.set_status(Status(StatusCode.ERROR, message))


# -- OpenInference ---------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _text_parts(content: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    if isinstance(content, list):
        for index, part in enumerate(content):
            if isinstance(part, dict):
                yield index, part


def _oi_request(
    kind: Kind, body: dict[str, Any], raw: bytes, config: OpenInferenceConfig
) -> dict[str, Any]:
    model = body.get("model")
    attrs: dict[str, Any] = {
        "openinference.span.kind": "TOKEN_COUNTER" if kind == "count_tokens" else "LLM",
        "llm.system": "openai" if kind == "chat" else "anthropic",
        "llm.model_name": model if isinstance(model, str) else "",
    }
    if config.hide_inputs:
        attrs["input.value"] = REDACTED
    else:
        attrs["input.value"] = raw.decode("utf-8", "replace")
        attrs["input.mime_type"] = _JSON
    if kind == "count_tokens":
        return attrs
    if not config.hide_llm_invocation_parameters:
        params = {k: v for k, v in body.items() if k not in ("messages", "tools")}
        attrs["llm.invocation_parameters"] = _json(params)
    messages = body.get("messages")
    if not (config.hide_inputs or config.hide_input_messages) and isinstance(messages, list):
        for i, message in enumerate(messages):
            if isinstance(message, dict):
                _oi_input_message(attrs, i, message, config)
    tools = body.get("tools")
    if isinstance(tools, list):
        for i, tool in enumerate(tools):
            attrs[f"llm.tools.{i}.tool.json_schema"] = _json(tool)
    return attrs


def _oi_input_message(
    attrs: dict[str, Any], i: int, message: dict[str, Any], config: OpenInferenceConfig
) -> None:
    prefix = f"llm.input_messages.{i}"
    attrs[f"{prefix}.message.role"] = str(message.get("role", ""))
    content = message.get("content")
    if isinstance(content, str):
        if content:
            attrs[f"{prefix}.message.content"] = REDACTED if config.hide_input_text else content
        return
    for j, part in _text_parts(content):
        key = f"{prefix}.message.contents.{j}.message_content"
        kind = part.get("type")
        if kind == "text" and isinstance(part.get("text"), str):
            attrs[f"{key}.text"] = REDACTED if config.hide_input_text else part["text"]
            attrs[f"{key}.type"] = "text"
        elif kind == "image_url" and not config.hide_input_images:
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else None
            if isinstance(url, str) and url:
                if (
                    url.startswith("data:image/")
                    and "base64" in url
                    and len(url) > config.base64_image_max_length
                ):
                    url = REDACTED
                attrs[f"{key}.image.image.url"] = url
                attrs[f"{key}.type"] = "image"


def _oi_usage(attrs: dict[str, Any], usage: TokenUsage | None) -> None:
    """Token counts are metadata: kept even when outputs are hidden."""
    if usage is None:
        return
    attrs["llm.token_count.prompt"] = usage.input_tokens
    attrs["llm.token_count.prompt_details.cache_read"] = usage.cached_input_tokens
    attrs["llm.token_count.prompt_details.cache_creation"] = usage.cache_creation_input_tokens
    attrs["llm.token_count.completion"] = usage.output_tokens
    if usage.reasoning_tokens:
        attrs["llm.token_count.completion_details.reasoning"] = usage.reasoning_tokens
    attrs["llm.token_count.total"] = usage.input_tokens + usage.output_tokens


def _oi_response(
    kind: Kind, response: dict[str, Any], usage: TokenUsage | None, config: OpenInferenceConfig
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if kind == "count_tokens":
        tokens = response.get("input_tokens")
        if isinstance(tokens, int):
            attrs["llm.token_count.prompt"] = tokens
        return attrs
    model = response.get("model")
    if isinstance(model, str) and model:
        attrs["llm.model_name"] = model
    hide_messages = config.hide_outputs or config.hide_output_messages
    if not config.hide_outputs:
        attrs["output.mime_type"] = _JSON
    if not hide_messages:
        if kind == "chat":
            _oi_chat_output(attrs, response, config)
        else:
            _oi_message_output(attrs, response, config)
    _oi_usage(attrs, usage)
    attrs["output.value"] = REDACTED if config.hide_outputs else _json(response)
    return attrs


def _oi_chat_output(
    attrs: dict[str, Any], response: dict[str, Any], config: OpenInferenceConfig
) -> None:
    choices = response.get("choices")
    for i, choice in enumerate(choices if isinstance(choices, list) else []):
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        prefix = f"llm.output_messages.{i}"
        attrs[f"{prefix}.message.role"] = str(message.get("role", "assistant"))
        content = message.get("content")
        if isinstance(content, str) and content:
            attrs[f"{prefix}.message.content"] = REDACTED if config.hide_output_text else content
        calls = message.get("tool_calls")
        for j, call in enumerate(calls if isinstance(calls, list) else []):
            if not isinstance(call, dict):
                continue
            function: dict[str, Any] = (
                call["function"] if isinstance(call.get("function"), dict) else {}
            )
            key = f"{prefix}.message.tool_calls.{j}.tool_call"
            if call.get("id"):
                attrs[f"{key}.id"] = str(call["id"])
            attrs[f"{key}.function.name"] = str(function.get("name", ""))
            attrs[f"{key}.function.arguments"] = str(function.get("arguments", ""))


def _oi_message_output(
    attrs: dict[str, Any], response: dict[str, Any], config: OpenInferenceConfig
) -> None:
    role = str(response.get("role", "assistant"))
    for i, block in _text_parts(response.get("content")):
        prefix = f"llm.output_messages.{i}"
        kind = block.get("type")
        if kind == "text":
            attrs[f"{prefix}.message.role"] = role
            text = str(block.get("text", ""))
            attrs[f"{prefix}.message.content"] = REDACTED if config.hide_output_text else text
        elif kind == "tool_use":
            attrs[f"{prefix}.message.role"] = role
            key = f"{prefix}.message.tool_calls.0.tool_call"
            attrs[f"{key}.id"] = str(block.get("id", ""))
            attrs[f"{key}.function.name"] = str(block.get("name", ""))
            attrs[f"{key}.function.arguments"] = _json(block.get("input", {}))


# -- OpenTelemetry GenAI ---------------------------------------------------------------------------

_GENAI_PARAMS: Final = (
    ("temperature", "gen_ai.request.temperature", float),
    ("top_p", "gen_ai.request.top_p", float),
    ("top_k", "gen_ai.request.top_k", int),
    ("frequency_penalty", "gen_ai.request.frequency_penalty", float),
    ("presence_penalty", "gen_ai.request.presence_penalty", float),
    ("seed", "gen_ai.request.seed", int),
    ("n", "gen_ai.request.choice.count", int),
)


def _genai_request(kind: Kind, body: dict[str, Any], model: str, capture: bool) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "gen_ai.operation.name": "tokenize" if kind == "count_tokens" else "chat"
    }
    if model:
        attrs["gen_ai.request.model"] = model
    if kind != "count_tokens":
        for field_name, attribute, kind_type in _GENAI_PARAMS:
            value = body.get(field_name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                attrs[attribute] = kind_type(value)
        max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
        if isinstance(max_tokens, int) and not isinstance(max_tokens, bool) and max_tokens > 0:
            attrs["gen_ai.request.max_tokens"] = max_tokens
        stop = body.get("stop_sequences", body.get("stop"))
        stops = [stop] if isinstance(stop, str) and stop else stop
        if isinstance(stops, list) and stops and all(isinstance(s, str) for s in stops):
            attrs["gen_ai.request.stop_sequences"] = stops
    if capture:
        messages, system = _genai_messages(body.get("messages"))
        if isinstance(body.get("system"), str | list):
            system = [*_genai_parts(body["system"]), *system]
        if messages:
            attrs["gen_ai.input.messages"] = _json(messages)
        if system:
            attrs["gen_ai.system_instructions"] = _json(system)
        tools = body.get("tools")
        if isinstance(tools, list) and tools:
            attrs["gen_ai.tool.definitions"] = _json(tools)
    return attrs


def _genai_parts(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": "text", "content": content}] if content else []
    parts: list[dict[str, Any]] = []
    for _, block in _text_parts(content):
        kind = block.get("type")
        if kind == "text":
            parts.append({"type": "text", "content": str(block.get("text", ""))})
        elif kind == "tool_use":
            parts.append(
                {"type": "tool_call", "id": block.get("id", ""), "name": block.get("name", ""),
                 "arguments": _json(block.get("input", {}))}
            )  # fmt: skip
        elif kind == "tool_result":
            parts.append({"type": "tool_call_response", "id": block.get("tool_use_id", "")})
        elif kind in ("image", "image_url"):
            parts.append({"type": "image"})
        elif kind in ("thinking", "redacted_thinking"):
            parts.append({"type": "reasoning"})
    return parts


def _genai_message_parts(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of a chat completion's message: its text and tool calls."""
    parts = _genai_parts(message.get("content"))
    for call in message.get("tool_calls") or []:
        if isinstance(call, dict) and isinstance(call.get("function"), dict):
            parts.append(
                {"type": "tool_call", "id": call.get("id", ""),
                 "name": call["function"].get("name", ""),
                 "arguments": call["function"].get("arguments", "")}
            )  # fmt: skip
    return parts


def _genai_messages(messages: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(conversation messages, system instructions) in the GenAI message-part schema."""
    out: list[dict[str, Any]] = []
    system: list[dict[str, Any]] = []
    for _, message in _text_parts(messages):
        role = str(message.get("role", ""))
        parts = _genai_message_parts(message)
        if role in ("system", "developer"):
            system.extend(parts)
        else:
            out.append({"role": role, "parts": parts})
    return out, system


def _genai_response(
    kind: Kind, response: dict[str, Any], usage: TokenUsage | None, capture: bool
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if kind == "count_tokens":
        tokens = response.get("input_tokens")
        if isinstance(tokens, int):
            attrs["gen_ai.usage.input_tokens"] = tokens
        return attrs
    if response.get("id"):
        attrs["gen_ai.response.id"] = str(response["id"])
    if response.get("model"):
        attrs["gen_ai.response.model"] = str(response["model"])
    if usage is not None:
        for attribute, value in (
            ("gen_ai.usage.input_tokens", usage.input_tokens),
            ("gen_ai.usage.output_tokens", usage.output_tokens),
            ("gen_ai.usage.cache_read.input_tokens", usage.cached_input_tokens),
            ("gen_ai.usage.cache_creation.input_tokens", usage.cache_creation_input_tokens),
            ("gen_ai.usage.reasoning.output_tokens", usage.reasoning_tokens),
        ):
            if value > 0:
                attrs[attribute] = value
    if kind == "chat":
        choices = [c for c in response.get("choices") or [] if isinstance(c, dict)]
        reasons = [str(c["finish_reason"]) for c in choices if c.get("finish_reason")]
        output = [
            {"role": str(c["message"].get("role", "assistant")),
             "parts": _genai_message_parts(c["message"]),
             "finish_reason": str(c.get("finish_reason") or "")}
            for c in choices
            if isinstance(c.get("message"), dict)
        ]  # fmt: skip
    else:
        stop = response.get("stop_reason")
        reasons = [str(stop)] if stop else []
        parts = _genai_parts(response.get("content"))
        output = (
            [{"role": str(response.get("role", "assistant")), "parts": parts,
              "finish_reason": str(stop or "")}]
            if parts or stop
            else []
        )  # fmt: skip
    if reasons:
        attrs["gen_ai.response.finish_reasons"] = reasons
    if capture and output:
        attrs["gen_ai.output.messages"] = _json(output)
    return attrs
