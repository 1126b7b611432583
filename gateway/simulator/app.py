"""The simulator's ASGI app: routing, authentication, fault injection, responses."""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

import anyio
import orjson

from gateway.serving import (
    ASGIApp,
    ClientDisconnected,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    read_body,
    send_response,
)
from gateway.simulator import anthropic_api, cloud, openai_api
from gateway.simulator.cache import CacheUsage, PromptCache
from gateway.simulator.cloud_auth import CloudAuth
from gateway.simulator.config import SimulatorConfig
from gateway.simulator.errors import (
    SimError,
    anthropic_error_body,
    openai_error_body,
    plain_error_body,
)
from gateway.simulator.faults import NO_FAULTS, parse_faults
from gateway.simulator.ids import IdFactory
from gateway.simulator.reply import compose
from gateway.simulator.stats import Stats

#: The real Anthropic API rejects bodies over 32 MB with 413 request_too_large.
BODY_LIMIT: Final = 32 * 1024 * 1024
MODELS_CREATED: Final = 1735689600  # 2025-01-01T00:00:00Z
_SSE_HEADERS: Final = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
_Handler = Callable[["_Call", Any], Awaitable[None]]


class SimulatedDrop(Exception):
    """Raised mid-stream so the server closes the connection (`x-sim-fail-mode: drop`)."""


class _QuietDrops(logging.Filter):
    """Keep uvicorn from logging the deliberate `SimulatedDrop` as an application error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedDrop))


def _install_drop_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in logger.filters):
        logger.addFilter(_QuietDrops())


class _Call:
    """One request in flight: provider shape, ids, faults and the response headers so far."""

    __slots__ = ("anthropic", "credential", "faults", "headers", "model", "request_id", "send")

    def __init__(self, send: Send, anthropic: bool, request_id: str) -> None:
        self.send = send
        self.anthropic = anthropic
        self.request_id = request_id
        self.faults = NO_FAULTS
        self.model: str | None = None
        self.credential = b""
        id_header = b"request-id" if anthropic else b"x-request-id"
        self.headers: list[tuple[bytes, bytes]] = [(id_header, request_id.encode())]

    def echo_model(self, model: Any) -> None:
        if isinstance(model, str) and model.isprintable() and model.isascii():
            self.model = model
            self.headers.append((b"x-sim-model", model.encode()))

    async def json(self, status: int, payload: Any) -> None:
        await send_response(self.send, status, orjson.dumps(payload), headers=self.headers)


def create_simulator_app(config: SimulatorConfig) -> ASGIApp:
    """An ASGI app that answers like the Anthropic and OpenAI APIs; see README.md."""
    return SimulatorApp(config)


class SimulatorApp:
    """The simulator; `stats` and `cache` are exposed for in-process inspection."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.stats = Stats()
        self.cache = PromptCache(config.cache_ttl, config.cache_min_tokens)
        self._ids = IdFactory()
        self._key = None if config.api_key is None else config.api_key.encode()
        self._routes: dict[tuple[str, str], _Handler] = {
            ("POST", "/v1/messages"): self._messages,
            ("POST", "/v1/messages/count_tokens"): self._count_tokens,
            ("POST", "/v1/chat/completions"): self._chat,
            ("GET", "/v1/models"): self._models,
        }
        self._paths = {path for _, path in self._routes}
        self._models_anthropic = _anthropic_models(config.models)
        self._models_openai = _openai_models(config.models)
        self.cloud = cloud.CloudRoutes(self, CloudAuth(config.cloud_auth))
        _install_drop_filter()

    def __repr__(self) -> str:
        return f"SimulatorApp({self.config!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        raw_headers: list[tuple[bytes, bytes]] = scope["headers"]
        if cloud.handles(path):
            self.stats.record(method, path, raw_headers)
            try:
                await self.cloud(
                    scope, receive, send, _Call(send, False, self._ids.make("req_01", 22))
                )
            except ClientDisconnected:
                return
            return
        if path.startswith("/_sim/"):
            await self._control(method, path, send)
            return
        headers = dict(raw_headers)
        anthropic = path.startswith("/v1/messages") or (
            path != "/v1/chat/completions"
            and (b"x-api-key" in headers or b"anthropic-version" in headers)
        )
        self.stats.record(method, path, raw_headers)
        call = _Call(send, anthropic, self._ids.make("req_01", 22))
        try:
            body = await read_body(receive, limit=BODY_LIMIT)
            self.stats.record_body(raw_headers, body)
            call.faults = parse_faults(headers)
            if call.faults.latency:
                await anyio.sleep(call.faults.latency)
            call.credential = self._authenticate(anthropic, headers)
            handler = self._routes.get((method, path))
            if handler is None:
                raise _route_error(method, path, path in self._paths)
            payload = _parse_json(body) if method == "POST" else None
            if isinstance(payload, dict):
                call.echo_model(payload.get("model"))
            if call.faults.status is not None:
                raise SimError.injected(call.faults.status, "anthropic" if anthropic else "openai")
            if anthropic and method == "POST" and b"anthropic-version" not in headers:
                raise SimError(400, "anthropic-version: header is required")
            await handler(call, payload)
        except ClientDisconnected:
            return
        except RequestBodyTooLarge:
            await self._error(
                call, SimError(413, "Request exceeds the maximum allowed number of bytes.")
            )
        except SimError as error:
            await self._error(call, error)

    def _authenticate(self, anthropic: bool, headers: dict[bytes, bytes]) -> bytes:
        """The credential presented; 401 in the provider's shape unless it is the right key."""
        candidates = []
        if anthropic and b"x-api-key" in headers:
            candidates.append(headers[b"x-api-key"])
        authorization = headers.get(b"authorization", b"")
        if authorization[:7].lower() == b"bearer ":
            candidates.append(authorization[7:].strip())
        if self._key is None:
            return candidates[0] if candidates else b""
        for candidate in candidates:
            if hmac.compare_digest(candidate, self._key):
                return candidate
        if anthropic:
            raise SimError(401, "invalid x-api-key")
        if not candidates:
            raise SimError(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                code="invalid_api_key",
            )
        raise SimError(401, "Incorrect API key provided.", code="invalid_api_key")

    async def _error(self, call: _Call, error: SimError) -> None:
        headers = list(call.headers)
        if error.status == 429:
            headers.append((b"retry-after", str(call.faults.retry_after).encode()))
        if call.faults.non_json:
            body, content_type = plain_error_body(error.status), b"text/plain; charset=utf-8"
        elif call.anthropic:
            body, content_type = anthropic_error_body(error, call.request_id), b"application/json"
        else:
            body, content_type = openai_error_body(error), b"application/json"
        await send_response(
            call.send, error.status, body, content_type=content_type, headers=headers
        )

    async def _control(self, method: str, path: str, send: Send) -> None:
        if (method, path) == ("GET", "/_sim/stats"):
            await send_response(send, 200, orjson.dumps(self.stats.snapshot()))
        elif (method, path) == ("POST", "/_sim/reset"):
            self.stats.reset()
            self.cache.clear()
            await send_response(send, 200, b'{"reset":true}')
        else:
            await send_response(send, 404, b'{"error":"unknown simulator control path"}')

    async def _models(self, call: _Call, _payload: Any) -> None:
        body = self._models_anthropic if call.anthropic else self._models_openai
        await send_response(call.send, 200, body, headers=call.headers)

    def _namespace(self, call: _Call, provider: bytes, model: str) -> bytes:
        return provider + b"\0" + call.credential + b"\0" + model.encode()

    async def _messages(self, call: _Call, payload: Any) -> None:
        answer = self.anthropic_answer(call, payload)
        if answer.stream:
            await self._stream(call, answer.events(), anthropic_api.error_event(call.request_id))
        else:
            await call.json(200, answer.message())

    def anthropic_answer(self, call: _Call, payload: Any) -> anthropic_api.Answer:
        """The simulated Claude answer to a Messages body (also served by the cloud routes)."""
        request = anthropic_api.parse_request(payload, filler_words=call.faults.reply_words)
        segments = list(anthropic_api.segments(request, with_data=request.breakpoints > 0))
        total = sum(seg.tokens for seg in segments)
        cache = CacheUsage()
        if request.breakpoints:
            cache = self.cache.anthropic(
                self._namespace(call, b"anthropic", request.model), segments
            )
        reply = compose(request.prompt)
        msg_id = self._ids.make("msg_01", 22)
        tool_id = self._ids.make("toolu_01", 22) if reply.tool is not None else ""
        usage = anthropic_api.usage(total - cache.read - cache.creation, cache, reply.output_tokens)
        return anthropic_api.Answer(request.model, request.stream, msg_id, reply, tool_id, usage)

    async def _count_tokens(self, call: _Call, payload: Any) -> None:
        request = anthropic_api.parse_request(payload, count_only=True)
        total = sum(seg.tokens for seg in anthropic_api.segments(request, with_data=False))
        await call.json(200, {"input_tokens": total})

    async def _chat(self, call: _Call, payload: Any) -> None:
        request = openai_api.parse_request(payload, filler_words=call.faults.reply_words)
        # One pass: the canonical bytes are cheap next to the JSON the token counts need.
        segments = list(openai_api.segments(request, with_data=True))
        total = sum(seg.tokens for seg in segments)
        cached = 0
        if total >= self.config.cache_min_tokens:
            cached = self.cache.openai(self._namespace(call, b"openai", request.model), segments)
        reply = compose(request.prompt)
        chat_id = self._ids.make("chatcmpl-", 29)
        call_id = self._ids.make("call_", 24) if reply.tool is not None else ""
        usage = openai_api.usage(total, cached, reply.output_tokens)
        created = int(time.time())
        if request.stream:
            frames = openai_api.stream_chunks(
                chat_id,
                created,
                request.model,
                reply,
                call_id,
                usage if request.include_usage else None,
            )
            await self._stream(call, frames, openai_api.error_chunk())
        else:
            completion = openai_api.completion(
                chat_id, created, request.model, reply, call_id, usage
            )
            await call.json(200, completion)

    async def _stream(
        self,
        call: _Call,
        events: list[bytes],
        error_event: bytes,
        headers: list[tuple[bytes, bytes]] = _SSE_HEADERS,
    ) -> None:
        send, faults = call.send, call.faults
        delay = self.config.chunk_delay if faults.chunk_delay is None else faults.chunk_delay
        await send(
            {"type": "http.response.start", "status": 200, "headers": headers + call.headers}
        )
        for index, event in enumerate(events):
            if faults.fail_after is not None and index >= faults.fail_after:
                if faults.fail_mode == "drop":
                    raise SimulatedDrop
                await send({"type": "http.response.body", "body": error_event, "more_body": True})
                break
            if delay:
                await anyio.sleep(delay)
            await send({"type": "http.response.body", "body": event, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _parse_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise SimError(400, f"Request body is not valid JSON: {exc}") from None


def _route_error(method: str, path: str, known_path: bool) -> SimError:
    if known_path:
        return SimError(405, f"Method {method} is not allowed on {path}")
    return SimError(404, f"Unknown request URL: {method} {path}", code="unknown_url")


def _anthropic_models(models: list[str]) -> bytes:
    data = [
        {
            "type": "model",
            "id": model,
            "display_name": model,
            "created_at": "2025-01-01T00:00:00Z",
            "lifecycle": "active",
        }
        for model in models
    ]
    return orjson.dumps(
        {"data": data, "has_more": False, "first_id": models[0], "last_id": models[-1]}
    )


def _openai_models(models: list[str]) -> bytes:
    data = [
        {"id": m, "object": "model", "created": MODELS_CREATED, "owned_by": "aigw-simulator"}
        for m in models
    ]
    return orjson.dumps({"object": "list", "data": data})
