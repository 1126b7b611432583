"""The data-plane ASGI app: route, pick the translator, relay (§4, §6).

The server never branches on APIs or schemas: for each attempt it asks the translator registry
(`gateway.translation.registry`) for the (endpoint operation, backend schema) translator, sends
what the translator built, and relays the response or stream through it. The configuration is
read once per request from `DataPlane.config`; replacing that reference is a hot reload.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Final

import aiohttp

from aigw_sdk.sse import SSEEventTooLarge
from gateway.accesslog import AccessRecord
from gateway.costs import evaluate_costs
from gateway.errors import API, NO_ROUTE, api_for_path, error_body
from gateway.intake import Rejected, admit, model_problem
from gateway.limits import DEFAULT_BODY_LIMIT, BodyBudget, Limits
from gateway.metrics import GenAIMetrics
from gateway.observation import Observation, Telemetry
from gateway.ratelimit import Admission, Limiter, Usage, request_info
from gateway.redaction import Redactor, is_credential_header
from gateway.routing import request_headers, select_rule
from gateway.runtime import MODEL_HEADER, BackendRef, Rule, RuntimeConfig
from gateway.serving import Receive, Scope, Send, get_header, send_response
from gateway.translation.errors import TranslationError
from gateway.translation.multipart import MultipartError, boundary_of, fields, parse_multipart
from gateway.translation.registry import ENDPOINTS, translator_factory
from gateway.translation.translator import ClientBody, ClientRequest, Endpoint, Translator
from gateway.upstream import (
    OpenResponse,
    PreparedRequest,
    UpstreamBodyTooLarge,
    UpstreamClient,
    UpstreamFailure,
    read_limited,
)
from gateway.upstream import open_response as _open_response

__all__ = ["DEFAULT_BODY_LIMIT", "ENDPOINTS", "DataPlane", "Endpoint"]

# Raised by the translators on input shapes they do not check for; never a server error.
_UNEXPECTED: Final = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)
# Not forwarded upstream: hop-by-hop, recomputed, or client credentials (never forwarded).
_DROP_REQUEST: Final = frozenset(
    {
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te",
        "upgrade", "trailer", "proxy-connection", "expect", "accept-encoding",
        "authorization", "x-api-key", "api-key", "x-ai-eg-upstream-host", MODEL_HEADER,
        "content-type",
    }
)  # fmt: skip
# Not passed on: hop-by-hop, recomputed, or set by the gateway (content-type).
_DROP_RESPONSE: Final = frozenset(
    {b"content-length", b"transfer-encoding", b"connection", b"keep-alive", b"date", b"server",
     b"content-type", b"x-request-id"}
)  # fmt: skip
# Upstream content types relayed as a stream (AWS Bedrock streams use event-stream framing).
_STREAM_TYPES: Final = frozenset({"text/event-stream", "application/vnd.amazon.eventstream"})


class _BadRequest(Exception):
    """A client request the gateway refuses before routing (400 naming `param`)."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def _form(endpoint: Endpoint, raw: bytes, content_type: str) -> dict[str, Any]:
    """The text fields of a multipart request body."""
    try:
        return dict(fields(parse_multipart(raw, boundary_of(content_type))))
    except MultipartError as exc:
        raise _BadRequest(
            f"malformed request: failed to parse multipart body for {endpoint.path}: {exc}"
        ) from exc


def _model(endpoint: Endpoint, body: dict[str, Any]) -> str:
    """The request's model (the `x-ai-eg-model` header); Anthropic requests must name one.

    The intake already checked a JSON body's model; a multipart form's is checked here.
    """
    model = body.get("model")
    if endpoint.body == "multipart":
        problem = model_problem(model)
        if problem is not None:
            raise _BadRequest(f"invalid request body: {problem}", "model")
    if not isinstance(model, str) or not model:
        if endpoint.api == "Anthropic":
            raise _BadRequest("invalid request body: model field is required", "model")
        return ""
    return model


def _is_stream(endpoint: Endpoint, body: dict[str, Any]) -> bool:
    flag = body.get("stream")
    if endpoint.body == "multipart":
        return isinstance(flag, str) and flag.lower() == "true"
    if endpoint.operation == "speech":
        return body.get("stream_format") == "sse"
    return flag is True


def _translation_error(api: str, exc: TranslationError) -> bytes:
    return exc.to_anthropic() if api == "Anthropic" else exc.to_openai()


def _error_api(endpoint: Endpoint) -> API:
    """The envelope of gateway-made errors (Cohere clients read OpenAI's `message`)."""
    return "Anthropic" if endpoint.api == "Anthropic" else "OpenAI"


@dataclass(slots=True)
class _Attempt:
    """One attempt: the backend, the translator holding the attempt's state, and the redactor
    masking the credentials the gateway injected into it wherever the upstream echoes them."""

    ref: BackendRef
    translator: Translator
    redactor: Redactor


class _Call:
    """Per-request state: the observation (access record, span, metrics), the ASGI `send`
    (observed), the start time, how it ended."""

    __slots__ = (
        "disconnected", "endpoint", "finished", "observation", "record", "send", "started",
    )  # fmt: skip

    def __init__(self, endpoint: Endpoint, observation: Observation, send: Send) -> None:
        self.endpoint = endpoint
        self.observation = observation
        self.record = observation.record
        self.send = observation.wrap(send)
        self.started = time.perf_counter()
        self.finished = False
        self.disconnected = False

    async def reply(self, status: int, body: bytes) -> None:
        """Send a complete gateway-made JSON response (marking the call finished first)."""
        self.record.status = status
        self.finished = True
        await send_response(self.send, status, body)

    async def error(self, status: int, message: str, param: str | None = None) -> None:
        """A gateway-made error in the client API's envelope (`gateway.errors`)."""
        await self.reply(
            status, error_body(_error_api(self.endpoint), status, message, param=param)
        )


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
        if endpoint.operation == "models":
            host = get_header(scope, b"host")
            models = config.scope_for(None if host is None else host.decode("latin-1"))
            body = models.anthropic_models if endpoint.api == "Anthropic" else models.openai_models
            await send_response(send, 200, body)
            return
        observation = self.telemetry.start(scope, endpoint.operation, endpoint.path)
        call = _Call(endpoint, observation, send)
        try:
            await self._handle(call, config, scope, receive)
        finally:
            observation.finish()

    async def _handle(
        self, call: _Call, config: RuntimeConfig, scope: Scope, receive: Receive
    ) -> None:
        """Read, parse and route one model request, then forward it."""
        endpoint = call.endpoint
        multipart = endpoint.body == "multipart"
        async with admit(
            scope, receive, endpoint.path, self.limits, self.budget, json=not multipart
        ) as intake:
            if isinstance(intake, Rejected):
                if intake.status == 499:
                    call.record.status, call.record.error = 499, intake.message
                    return
                await call.error(intake.status, intake.message, intake.param)
                return
            await self._route(call, config, scope, receive, intake.raw, intake.body)

    async def _route(
        self,
        call: _Call,
        config: RuntimeConfig,
        scope: Scope,
        receive: Receive,
        raw: bytes,
        body: dict[str, Any],
    ) -> None:
        """Pick the rule for an admitted request and forward it."""
        endpoint, record = call.endpoint, call.record
        headers = request_headers(scope["headers"])
        content_type = headers.get("content-type", "application/json")
        try:
            if endpoint.body == "multipart":
                body = _form(endpoint, raw, content_type)
            model = _model(endpoint, body)
        except _BadRequest as exc:
            await call.error(400, str(exc), exc.param)
            return
        call.observation.request(body, raw)
        record.model = model
        headers[MODEL_HEADER] = model
        rule = select_rule(config.scope_for(headers.get("host")), headers)
        if rule is None:
            await call.error(404, NO_ROUTE)
            return
        record.route = rule.label
        admission = None
        if not config.ratelimits.empty:
            admission = await self._admit(call, config, rule, scope, headers, model)
            if admission is None:
                return
            call.send = admission.wrap(call.send)
        forwarded = {k: v for k, v in headers.items() if k not in _DROP_REQUEST}
        call.observation.upstream_headers(forwarded)
        request = ClientRequest(
            endpoint,
            raw,
            body,
            model,
            _is_stream(endpoint, body),
            content_type,
            force_usage=bool(rule.costs) or admission is not None,
            headers=forwarded,
        )
        task = asyncio.current_task()
        watcher = asyncio.ensure_future(_watch_disconnect(receive, call, task))
        try:
            await self._forward(call, rule, request)
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
        call: _Call,
        config: RuntimeConfig,
        rule: Rule,
        scope: Scope,
        headers: dict[str, str],
        model: str,
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
        call.record.status = 429
        call.record.error = message
        call.finished = True
        body = error_body(_error_api(call.endpoint), 429, message)
        await send_response(call.send, 429, body, headers=admission.headers)
        return None

    async def _forward(self, call: _Call, rule: Rule, request: ClientRequest) -> None:
        endpoint, record = call.endpoint, call.record

        async def build(ref: BackendRef) -> tuple[PreparedRequest, _Attempt]:
            return _prepare(request, ref)

        try:
            opened = await _open_response(self.client, rule, build)
        except TranslationError as exc:
            await call.reply(exc.status, _translation_error(endpoint.api, exc))
            return
        except UpstreamFailure as exc:
            record.error = str(exc)
            await call.error(exc.status, exc.text)
            return
        response, ref = opened.response, opened.ref
        record.attempts = opened.attempts
        record.backend = ref.target.name
        record.provider = ref.target.provider
        record.request_model = opened.attempt.translator.upstream_model
        record.upstream_host = ref.target.base_url.partition("://")[2]
        record.upstream_service_time = time.perf_counter() - call.started
        try:
            if response.status < 300 and response.content_type in _STREAM_TYPES:
                await self._relay_stream(call, opened, rule)
            else:
                await self._relay_body(call, opened, rule)
        finally:
            response.release()

    async def _relay_body(self, call: _Call, opened: OpenResponse[_Attempt], rule: Rule) -> None:
        response, record = opened.response, call.record
        translator, redactor = opened.attempt.translator, opened.attempt.redactor
        try:
            body = await read_limited(response, self.limits.max_upstream_body)
        except UpstreamBodyTooLarge as exc:
            record.error = str(exc)
            await call.error(502, str(exc))
            return
        except (TimeoutError, aiohttp.ClientError) as exc:
            failure = UpstreamFailure(
                "timeout" if isinstance(exc, asyncio.TimeoutError) else "reset"
            )
            record.error = str(failure)
            await call.error(failure.status, failure.text)
            return
        status = response.status
        content_type = response.headers.get("content-type")
        try:
            out = _client_body(translator, status, body, content_type)
        except TranslationError as exc:
            await call.reply(exc.status, _translation_error(call.endpoint.api, exc))
            return
        if status < 400:
            record.usage = out.usage
            record.response_model = out.model
            self._costs(rule, opened.ref, record)
        content_type = out.content_type or content_type or "application/octet-stream"
        client_body = redactor.redact(out.body)
        call.finished = True
        record.status = status
        await call.send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-length", str(len(client_body)).encode()),
                    (b"content-type", content_type.encode("latin-1")),
                    *_response_headers(response, redactor),
                ],
            }
        )
        await call.send({"type": "http.response.body", "body": client_body})

    async def _relay_stream(self, call: _Call, opened: OpenResponse[_Attempt], rule: Rule) -> None:
        response, record, send = opened.response, call.record, call.send
        relay = opened.attempt.translator.stream(self.limits.max_upstream_body)
        redactor = opened.attempt.redactor
        record.stream = True
        record.status = response.status
        headers = _response_headers(response, redactor)
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [(b"content-type", b"text/event-stream"), *headers],
            }
        )
        failure: str | None = None
        started = call.started
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


def _prepare(request: ClientRequest, ref: BackendRef) -> tuple[PreparedRequest, _Attempt]:
    """Build one attempt's upstream request (translation errors propagate, never retried)."""
    target = ref.target
    factory = translator_factory(request.endpoint.operation, target.schema)
    if factory is None:
        raise TranslationError(
            400,
            f"{request.endpoint.path} is not supported by the {target.schema}-schema backend "
            f"{target.name}",
            "model",
        )
    translator = factory(request, ref)
    try:
        upstream = translator.upstream()
    except _UNEXPECTED as exc:  # a field of a type the translator did not expect
        message = f"invalid request body: {type(exc).__name__}: {exc}"
        raise TranslationError(400, message) from exc
    headers = dict(request.headers)
    headers.update(upstream.headers)
    for name in ref.header_mutation.remove:  # the configuration has the last word
        headers.pop(name, None)
    headers.update(ref.header_mutation.set)
    headers[MODEL_HEADER] = translator.upstream_model
    headers["content-type"] = upstream.content_type
    injected = [value for name, value in ref.header_mutation.set if is_credential_header(name)]
    credential = target.credential
    if credential is not None:
        headers[credential.header] = credential.header_value()
        injected.append(credential.header_value())
    prepared = PreparedRequest(upstream.path, headers, upstream.body)
    return prepared, _Attempt(ref, translator, Redactor(injected))


def _client_body(
    translator: Translator, status: int, body: bytes, content_type: str | None
) -> ClientBody:
    """The client's body of a complete upstream response (an error or a success)."""
    try:
        if status >= 400:
            return translator.error(status, body, content_type)
        return translator.response(body, content_type)
    except _UNEXPECTED as exc:  # a shape the translator does not know: upstream's fault
        message = f"upstream returned a response that cannot be translated: {exc}"
        raise TranslationError(502, message) from exc


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
