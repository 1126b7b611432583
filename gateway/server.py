"""The data-plane ASGI app: endpoints, errors, forwarding, streaming relay (§4, §6).

Native passthrough forwards the upstream body and stream bytes unchanged while a copy is parsed
for usage. OpenAI <-> Anthropic combinations go through `gateway.translation`. The configuration
is read once per request from `DataPlane.config`; replacing that reference is a hot reload.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol

import aiohttp
import orjson

from gateway.accesslog import AccessRecord
from gateway.errors import API, NO_ROUTE, api_for_path, error_body, stream_error_frame
from gateway.intake import Admitted, Rejected, admit
from gateway.limits import DEFAULT_BODY_LIMIT, BodyBudget, Limits
from gateway.metrics import GenAIMetrics
from gateway.observation import Observation, Telemetry
from gateway.ratelimit import Admission, Limiter, Usage, request_info
from gateway.redaction import Redactor, is_credential_header
from gateway.routing import request_headers, select_rule
from gateway.runtime import MODEL_HEADER, BackendRef, BackendTarget, Rule, RuntimeConfig
from gateway.serving import Receive, Scope, Send, get_header, send_response
from gateway.sse import SSEEventTooLarge, SSEParser
from gateway.translation import (
    AnthropicToOpenAIStream,
    OpenAIToAnthropicStream,
    TranslationError,
    anthropic_error_to_openai,
    anthropic_to_openai_request,
    anthropic_to_openai_response,
    openai_error_to_anthropic,
    openai_to_anthropic_request,
    openai_to_anthropic_response,
)
from gateway.translation.cloud import (
    CLOUD_SCHEMAS,
    CloudRelay,
    CloudTranslator,
    cloud_translator,
)
from gateway.translation.errors import anthropic_error_body, anthropic_error_type_for_status
from gateway.translation.openai_to_anthropic.request import ANTHROPIC_VERSION
from gateway.translation.usage import TokenUsage
from gateway.upstream import (
    OpenResponse,
    PreparedRequest,
    UpstreamBodyTooLarge,
    UpstreamClient,
    UpstreamFailure,
    read_limited,
)
from gateway.upstream import open_response as _open_response
from gateway.usage import StreamUsage, evaluate_costs, usage_from_json

__all__ = ["DEFAULT_BODY_LIMIT", "ENDPOINTS", "DataPlane", "Endpoint"]

# Not forwarded upstream: hop-by-hop, recomputed, or client credentials (never forwarded).
_DROP_REQUEST: Final = frozenset(
    {
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te",
        "upgrade", "trailer", "proxy-connection", "expect", "accept-encoding",
        "authorization", "x-api-key", "x-ai-eg-upstream-host", MODEL_HEADER,
    }
)  # fmt: skip
# Not passed on: hop-by-hop, recomputed, or set by the gateway (content-type).
_DROP_RESPONSE: Final = frozenset(
    {b"content-length", b"transfer-encoding", b"connection", b"keep-alive", b"date", b"server",
     b"content-type", b"x-request-id"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A served path: its client API and kind (also its `gen_ai.operation.name`)."""

    path: str
    api: API
    kind: Literal["messages", "count_tokens", "chat", "models"]


ENDPOINTS: Final[dict[str, Endpoint]] = {
    e.path: e
    for e in (
        Endpoint("/anthropic/v1/messages", "Anthropic", "messages"),
        Endpoint("/anthropic/v1/messages/count_tokens", "Anthropic", "count_tokens"),
        Endpoint("/anthropic/v1/models", "Anthropic", "models"),
        Endpoint("/v1/chat/completions", "OpenAI", "chat"),
        Endpoint("/v1/models", "OpenAI", "models"),
    )
}
# Upstream content types relayed as a stream (AWS Bedrock streams use event-stream framing).
_STREAM_TYPES: Final = frozenset({"text/event-stream", "application/vnd.amazon.eventstream"})
_UPSTREAM_SUFFIX: Final = {
    ("chat", "OpenAI"): "/chat/completions",
    ("chat", "Anthropic"): "/messages",
    ("messages", "Anthropic"): "/messages",
    ("messages", "OpenAI"): "/chat/completions",
    ("count_tokens", "Anthropic"): "/messages/count_tokens",
}


# Raised by the translators on input shapes they do not check for; never a server error.
_UNEXPECTED: Final = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)


def _upstream_envelope(status: int, error_type: str, message: str) -> bytes:
    """Upstream's OpenAI-side envelope for a non-JSON backend error (§6)."""
    return orjson.dumps(
        {"type": "error", "error": {"type": error_type, "code": str(status), "message": message}}
    )


def _is_json(content_type: str | None) -> bool:
    return content_type is not None and "json" in content_type.lower()


class _Relay(Protocol):
    """Turns upstream stream chunks into client frames and tracks usage."""

    def feed(self, chunk: bytes) -> list[bytes]: ...
    def finish(self, failure: str | None) -> list[bytes]: ...
    @property
    def usage(self) -> TokenUsage | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def complete(self) -> bool: ...


class _PassthroughRelay:
    """Forwards chunks unchanged; ends a stream that did not terminate with an error event."""

    __slots__ = ("_api", "_tail", "_watch")

    def __init__(self, api: API, max_event: int) -> None:
        self._api: API = api
        self._watch = StreamUsage(api, max_event)
        self._tail = b"\n\n"  # the stream's last bytes (enough to see an event boundary)

    def feed(self, chunk: bytes) -> list[bytes]:
        self._watch.feed(chunk)
        self._tail = chunk[-4:] if len(chunk) >= 4 else (self._tail + chunk)[-4:]
        return [chunk]

    def finish(self, failure: str | None) -> list[bytes]:
        if self._watch.terminated:
            return []
        message = failure or "upstream stream ended before completion"
        frame = stream_error_frame(self._api, 502, message)
        # Close a half-sent event first, so the error event parses on its own.
        return [frame if _ends_event(self._tail) else b"\n\n" + frame]

    @property
    def usage(self) -> TokenUsage | None:
        return self._watch.usage

    @property
    def model(self) -> str | None:
        return self._watch.model

    @property
    def complete(self) -> bool:
        return self._watch.complete


def _ends_event(tail: bytes) -> bool:
    """Whether SSE bytes end on an event boundary: a line end right after another line end."""
    for end in (b"\r\n", b"\n", b"\r"):
        if tail.endswith(end):
            return tail[: -len(end)].endswith((b"\n", b"\r"))
    return False


class _TranslatedRelay:
    """Parses upstream SSE and re-encodes each event with a translation stream."""

    __slots__ = ("_parser", "_translator")

    def __init__(
        self, translator: AnthropicToOpenAIStream | OpenAIToAnthropicStream, max_event: int
    ) -> None:
        self._parser = SSEParser(max_event)
        self._translator = translator

    def feed(self, chunk: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for event in self._parser.feed(chunk):
            frames.extend(self._translator.feed(event))
        return frames

    def finish(self, failure: str | None) -> list[bytes]:
        frames: list[bytes] = []
        if failure is None:
            for event in self._parser.flush():
                frames.extend(self._translator.feed(event))
        frames.extend(self._translator.finish())
        return frames

    @property
    def usage(self) -> TokenUsage | None:
        return self._translator.usage

    @property
    def model(self) -> str | None:
        return None

    @property
    def complete(self) -> bool:
        return self._translator.stop_reason is not None


class _Exchange:
    """How one request maps onto a chosen backend: request, response body, stream, errors."""

    def __init__(self, endpoint: Endpoint, body: dict[str, Any], raw: bytes, force_usage: bool):
        self.endpoint = endpoint
        self.body = body
        self.raw = raw
        self.stream = body.get("stream") is True
        self.force_usage = force_usage
        self.backend_schema: str = ""
        self.context: Any = None  # the translation context of the last attempt
        self.cloud: CloudTranslator | None = None  # the last attempt's, on a cloud schema
        self.redactor = Redactor(())  # masks the last attempt's injected credentials

    def prepare(self, ref: BackendRef, base_headers: dict[str, str], model: str) -> PreparedRequest:
        """Build the attempt's request (translation errors propagate, never retried)."""
        target = ref.target
        endpoint = self.endpoint
        self.cloud = None
        if target.schema in CLOUD_SCHEMAS:
            return self._prepare_cloud(ref, base_headers, model)
        suffix = _UPSTREAM_SUFFIX.get((endpoint.kind, target.schema))
        if suffix is None:
            raise TranslationError(
                400,
                f"{endpoint.path} is not supported by the {target.schema}-schema backend "
                f"{target.name}",
                "model",
            )
        self.backend_schema = target.schema
        upstream_model = ref.model_name_override or model
        headers = dict(base_headers)
        if target.schema == "Anthropic":
            # Deliberate divergence from Envoy AI Gateway, which forwards requests without it:
            # Anthropic requires this header and upstream's own guide's curl commands omit it.
            headers.setdefault("anthropic-version", ANTHROPIC_VERSION)
        for name in ref.header_mutation.remove:
            headers.pop(name, None)
        headers.update(ref.header_mutation.set)
        headers[MODEL_HEADER] = upstream_model
        if endpoint.api == target.schema:
            body = self._passthrough_body(ref, upstream_model)
        else:
            try:
                body_dict = self._translate(target, upstream_model, headers)
                ref.body_mutation.apply(body_dict)
                body = orjson.dumps(body_dict)
            except _UNEXPECTED as exc:  # a field of a type the translator did not expect
                message = f"invalid request body: {type(exc).__name__}: {exc}"
                raise TranslationError(400, message) from exc
        headers["content-type"] = "application/json"
        credential = target.credential
        injected = [value for name, value in ref.header_mutation.set if is_credential_header(name)]
        if credential is not None:
            headers[credential.header] = credential.header_value()
            injected.append(credential.header_value())
        self.redactor = Redactor(injected)
        return PreparedRequest(target.prefix + suffix, headers, body)

    def _prepare_cloud(
        self, ref: BackendRef, base_headers: dict[str, str], model: str
    ) -> PreparedRequest:
        """AWS Bedrock / Vertex AI: the translator builds path and body, the authorizer signs."""
        target = ref.target
        self.backend_schema = target.schema
        upstream_model = ref.model_name_override or model
        if self.endpoint.kind not in ("chat", "messages", "count_tokens"):
            raise TranslationError(400, f"{self.endpoint.path} is not served by {target.name}")
        try:
            self.cloud = cloud_translator(
                self.endpoint.kind,
                target.schema,
                self.body,
                upstream_model,
                beta_header=base_headers.get("anthropic-beta"),
            )
            upstream = self.cloud.prepare()
            body = upstream.body
            if ref.body_mutation:
                mutated = orjson.loads(body)
                ref.body_mutation.apply(mutated)
                body = orjson.dumps(mutated)
        except _UNEXPECTED as exc:
            raise TranslationError(
                400, f"invalid request body: {type(exc).__name__}: {exc}"
            ) from exc
        headers = dict(base_headers)
        for name in ref.header_mutation.remove:
            headers.pop(name, None)
        headers.update(ref.header_mutation.set)
        headers.update(upstream.headers)
        headers[MODEL_HEADER] = upstream_model
        headers["content-type"] = "application/json"
        return PreparedRequest(upstream.path, headers, body)

    def _passthrough_body(self, ref: BackendRef, upstream_model: str) -> bytes:
        override = ref.model_name_override is not None
        options = self.body.get("stream_options")
        options = options if isinstance(options, dict) else {}
        force = (
            self.force_usage
            and self.stream
            and self.endpoint.api == "OpenAI"
            and options.get("include_usage") is not True
        )
        if not (override or ref.body_mutation or force):
            return self.raw
        body = dict(self.body)
        if override:
            body["model"] = upstream_model
        if force:
            body["stream_options"] = {**options, "include_usage": True}
        ref.body_mutation.apply(body)
        return orjson.dumps(body)

    def _translate(
        self, target: BackendTarget, upstream_model: str, headers: dict[str, str]
    ) -> dict[str, Any]:
        if target.schema == "Anthropic":
            request = openai_to_anthropic_request(self.body, model=upstream_model)
            headers.update(request.headers)
            self.context = request
            return dict(request.body)
        translated = anthropic_to_openai_request(self.body, model=upstream_model)
        self.context = translated
        return dict(translated.body)

    @property
    def translated(self) -> bool:
        """Whether the last prepared attempt translates between the two APIs."""
        return self.backend_schema != self.endpoint.api

    def error_body(self, status: int, body: bytes, content_type: str | None) -> bytes:
        """An upstream error response for the client (§6: JSON kept, non-JSON wrapped)."""
        if self.cloud is not None:
            return self.cloud.error(status, body, content_type, None)
        if self.translated:
            if self.endpoint.api == "OpenAI":
                return anthropic_error_to_openai(status, body, content_type)
            return openai_error_to_anthropic(status, body, content_type)
        if _is_json(content_type):
            return body
        text = body.decode("utf-8", "replace")
        if self.endpoint.api == "Anthropic":
            return orjson.dumps(anthropic_error_body(anthropic_error_type_for_status(status), text))
        return _upstream_envelope(status, "OpenAIBackendError", text)

    def success_body(self, body: bytes) -> tuple[bytes, TokenUsage | None, str | None]:
        """The client body of a 2xx response, with the usage and model it reports."""
        if self.cloud is not None:
            translated, cloud_usage = self.cloud.response(body)
            return translated, cloud_usage, None
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if not self.translated:
                return body, None, None  # passed through as it came
            raise TranslationError(502, f"upstream returned invalid JSON: {exc}") from exc
        usage, model = usage_from_json(self.backend_schema, parsed)
        if not self.translated:
            return body, usage, model
        try:
            if self.endpoint.api == "OpenAI":
                out = anthropic_to_openai_response(parsed, self.context)
            else:
                out = openai_to_anthropic_response(parsed, self.context)
            return orjson.dumps(out), usage, model
        except _UNEXPECTED as exc:  # a shape the translator does not know: upstream's fault
            message = f"upstream returned a response that cannot be translated: {exc}"
            raise TranslationError(502, message) from exc

    def relay(self, max_event: int) -> _Relay:
        """The stream relay of the last prepared attempt (events up to `max_event` bytes)."""
        if self.cloud is not None:
            return CloudRelay(self.cloud.stream())
        if not self.translated:
            return _PassthroughRelay(self.endpoint.api, max_event)
        if self.endpoint.api == "OpenAI":
            return _TranslatedRelay(AnthropicToOpenAIStream(self.context), max_event)
        return _TranslatedRelay(OpenAIToAnthropicStream(self.context), max_event)


@dataclass(slots=True)
class _Call:
    """Per-request state shared with the disconnect watcher."""

    finished: bool = False
    disconnected: bool = False


class DataPlane:
    """The data-plane ASGI app. `config` may be replaced at any time (hot reload)."""

    def __init__(
        self,
        config: RuntimeConfig,
        client: UpstreamClient,
        metrics: GenAIMetrics,
        *,
        limits: Limits | None = None,
        limiter: Limiter | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.config = config
        self.client = client
        self.metrics = metrics
        self.limits = limits or Limits()
        self.budget = BodyBudget(self.limits.body_budget)
        self.limiter = limiter if limiter is not None else Limiter()
        self.telemetry = telemetry or Telemetry(metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        endpoint = ENDPOINTS.get(path)
        if endpoint is None:
            body = error_body(api_for_path(path), 404, f"unsupported path: {path}")
            await send_response(send, 404, body)
            return
        config = self.config
        if endpoint.kind == "models":
            host = get_header(scope, b"host")
            models = config.scope_for(None if host is None else host.decode("latin-1"))
            body = models.anthropic_models if endpoint.api == "Anthropic" else models.openai_models
            await send_response(send, 200, body)
            return
        await self._proxy(endpoint, config, scope, receive, send)

    async def _proxy(
        self, endpoint: Endpoint, config: RuntimeConfig, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Handle one model request and write its single access-log line, whatever the outcome."""
        started = time.perf_counter()
        observation = self.telemetry.start(scope, endpoint.kind, endpoint.path)
        try:
            await self._handle(
                endpoint, config, scope, receive, observation.wrap(send), observation, started
            )
        finally:
            observation.finish()

    async def _handle(
        self,
        endpoint: Endpoint,
        config: RuntimeConfig,
        scope: Scope,
        receive: Receive,
        send: Send,
        observation: Observation,
        started: float,
    ) -> None:
        record = observation.record
        async with admit(scope, receive, endpoint.path, self.limits, self.budget) as intake:
            if isinstance(intake, Rejected):
                if intake.status == 499:
                    record.status, record.error = 499, intake.message
                    return
                reply = error_body(endpoint.api, intake.status, intake.message, param=intake.param)
                await self._reply(send, record, intake.status, reply)
                return
            observation.request(intake.body, intake.raw)
            await self._route(endpoint, config, scope, receive, send, observation, started, intake)

    async def _route(
        self,
        endpoint: Endpoint,
        config: RuntimeConfig,
        scope: Scope,
        receive: Receive,
        send: Send,
        observation: Observation,
        started: float,
        intake: Admitted,
    ) -> None:
        record = observation.record
        raw, body = intake.raw, intake.body
        model = body.get("model")
        if not isinstance(model, str) or not model:
            if endpoint.api == "Anthropic":
                message = "invalid request body: model field is required"
                reply = error_body(endpoint.api, 400, message, param="model")
                await self._reply(send, record, 400, reply)
                return
            model = model if isinstance(model, str) else ""
        record.model = model
        headers = request_headers(scope["headers"])
        headers[MODEL_HEADER] = model
        rule = select_rule(config.scope_for(headers.get("host")), headers)
        if rule is None:
            await self._reply(send, record, 404, error_body(endpoint.api, 404, NO_ROUTE))
            return
        record.route = rule.label
        admission = None
        if not config.ratelimits.empty:
            admission = await self._admit(
                endpoint, config, rule, scope, headers, model, record, send
            )
            if admission is None:
                return
            send = admission.wrap(send)
        forwarded = {k: v for k, v in headers.items() if k not in _DROP_REQUEST}
        observation.upstream_headers(forwarded)
        exchange = _Exchange(
            endpoint, body, raw, force_usage=bool(rule.costs) or admission is not None
        )
        call = _Call()
        task = asyncio.current_task()
        watcher = asyncio.ensure_future(_watch_disconnect(receive, call, task))
        try:
            await self._forward(
                endpoint, rule, exchange, forwarded, model, record, call, send, started
            )
            if admission is not None:
                await self.limiter.settle(admission, _limit_usage(record, rule, model))
        except asyncio.CancelledError:
            if not call.disconnected:
                raise
            record.status = 499
            record.error = "client disconnected"
            if task is not None:
                task.uncancel()
        finally:
            call.finished = True
            watcher.cancel()

    async def _admit(
        self,
        endpoint: Endpoint,
        config: RuntimeConfig,
        rule: Rule,
        scope: Scope,
        headers: dict[str, str],
        model: str,
        record: AccessRecord,
        send: Send,
    ) -> Admission | None:
        """Check the request against its limits; answer 429 and return None when over one."""
        candidates = [
            (ref.target.name, ref.model_name_override or model)
            for refs in rule.priorities
            for ref in refs
        ]
        admission = await self.limiter.admit(
            config.ratelimits, rule.route_name, candidates, request_info(scope, headers)
        )
        if not admission.rejected:
            return admission
        message = f"rate limit exceeded ({admission.rejected_by})"
        record.status = 429
        record.error = message
        body = error_body(endpoint.api, 429, message)
        await send_response(send, 429, body, headers=admission.headers)
        return None

    async def _forward(
        self,
        endpoint: Endpoint,
        rule: Rule,
        exchange: _Exchange,
        headers: dict[str, str],
        model: str,
        record: AccessRecord,
        call: _Call,
        send: Send,
        started: float,
    ) -> None:
        def build(ref: BackendRef) -> PreparedRequest:
            return exchange.prepare(ref, headers, model)

        try:
            opened = await _open_response(self.client, rule, build)
        except TranslationError as exc:
            body = exc.to_anthropic() if endpoint.api == "Anthropic" else exc.to_openai()
            await self._reply(send, record, exc.status, body, call=call)
            return
        except UpstreamFailure as exc:
            record.error = str(exc)
            body = error_body(endpoint.api, exc.status, exc.text)
            await self._reply(send, record, exc.status, body, call=call)
            return
        response, ref = opened.response, opened.ref
        record.attempts = opened.attempts
        record.backend = ref.target.name
        record.provider = ref.target.provider
        record.request_model = ref.model_name_override or model
        record.upstream_host = ref.target.base_url.partition("://")[2]
        record.upstream_service_time = time.perf_counter() - started
        try:
            if response.status < 300 and response.content_type in _STREAM_TYPES:
                await self._relay_stream(exchange, opened, rule, record, call, send, started)
            else:
                await self._relay_body(exchange, opened, rule, record, call, send)
        finally:
            response.release()

    async def _relay_body(
        self,
        exchange: _Exchange,
        opened: OpenResponse,
        rule: Rule,
        record: AccessRecord,
        call: _Call,
        send: Send,
    ) -> None:
        response = opened.response
        try:
            body = await read_limited(response, self.limits.max_upstream_body)
        except UpstreamBodyTooLarge as exc:
            record.error = str(exc)
            reply = error_body(exchange.endpoint.api, 502, str(exc))
            await self._reply(send, record, 502, reply, call=call)
            return
        except (TimeoutError, aiohttp.ClientError) as exc:
            failure = UpstreamFailure(
                "timeout" if isinstance(exc, asyncio.TimeoutError) else "reset"
            )
            record.error = str(failure)
            body = error_body(exchange.endpoint.api, failure.status, failure.text)
            await self._reply(send, record, failure.status, body, call=call)
            return
        status = response.status
        content_type = response.headers.get("content-type")
        headers = _response_headers(response, exchange.redactor)
        if status >= 400:
            out = exchange.error_body(status, body, content_type)
            if out is not body:
                content_type = "application/json"
        else:
            try:
                out, usage, response_model = exchange.success_body(body)
            except TranslationError as exc:
                status, out = (
                    exc.status,
                    exc.to_openai() if exchange.endpoint.api == "OpenAI" else exc.to_anthropic(),
                )
                content_type = "application/json"
            else:
                record.usage = usage
                record.response_model = response_model
                if exchange.translated:
                    content_type = "application/json"
                self._costs(rule, opened.ref, record)
        out = exchange.redactor.redact(out)
        extra = [(b"content-type", (content_type or "application/octet-stream").encode()), *headers]
        call.finished = True
        record.status = status
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-length", str(len(out)).encode()), *extra],
            }
        )
        await send({"type": "http.response.body", "body": out})

    async def _relay_stream(
        self,
        exchange: _Exchange,
        opened: OpenResponse,
        rule: Rule,
        record: AccessRecord,
        call: _Call,
        send: Send,
        started: float,
    ) -> None:
        response = opened.response
        relay = exchange.relay(self.limits.max_upstream_body)
        record.stream = True
        record.status = response.status
        redactor = exchange.redactor
        headers = _response_headers(response, redactor)
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [(b"content-type", b"text/event-stream"), *headers],
            }
        )
        failure: str | None = None
        try:
            async for chunk in response.content.iter_any():
                if record.ttft is None:
                    record.ttft = time.perf_counter() - started
                for frame in relay.feed(chunk):
                    if redactor:
                        frame = redactor.feed(frame)
                    await send({"type": "http.response.body", "body": frame, "more_body": True})
        except TimeoutError:
            failure = "upstream stream timed out (streamIdleTimeout or request timeout)"
        except SSEEventTooLarge as exc:  # an upstream event that never ends: stop buffering it
            failure = str(exc)
        except aiohttp.ClientError as exc:
            failure = f"upstream stream failed: {type(exc).__name__}"
        tail = [redactor.flush(), *relay.finish(failure)]
        record.usage = relay.usage
        record.response_model = relay.model
        if failure is None and relay.complete:
            self._costs(rule, opened.ref, record)
        else:
            record.error = failure or "upstream stream ended before completion"
        call.finished = True
        await send({"type": "http.response.body", "body": b"".join(tail), "more_body": False})

    def _costs(self, rule: Rule, ref: BackendRef, record: AccessRecord) -> None:
        if not rule.costs or record.usage is None:
            return
        costs, errors = evaluate_costs(
            rule.costs, record.usage, record.request_model or "", ref.cel_name, rule.route_name
        )
        record.costs = costs
        if errors:
            record.error = "; ".join(errors)

    @staticmethod
    async def _reply(
        send: Send,
        record: AccessRecord,
        status: int,
        body: bytes,
        *,
        call: _Call | None = None,
    ) -> None:
        """Send a complete gateway-made response (marking the call finished first)."""
        record.status = status
        if call is not None:
            call.finished = True
        await send_response(send, status, body)


def _limit_usage(record: AccessRecord, rule: Rule, model: str) -> Usage:
    """What a completed request charges to its rate limits and quotas."""
    return Usage(
        costs=record.costs,
        usage=record.usage,
        backend=record.backend,
        model=record.request_model or model,
        route_name=rule.route_name,
    )


def _response_headers(
    response: aiohttp.ClientResponse, redactor: Redactor
) -> list[tuple[bytes, bytes]]:
    """Upstream response headers to pass on (hop-by-hop, length and type dropped, injected
    credentials masked)."""
    out: list[tuple[bytes, bytes]] = []
    for key, value in response.raw_headers:
        name = key.lower()
        if name not in _DROP_RESPONSE:
            out.append((name, redactor.redact(value)))
    return out


async def _watch_disconnect(receive: Receive, call: _Call, task: asyncio.Task[Any] | None) -> None:
    """Cancel the request's task when its client goes away before the response finished."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            if not call.finished and task is not None:
                call.disconnected = True
                task.cancel()
            return
