"""The simulator's ASGI app: routing, authentication, fault injection, responses."""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final, Literal

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
from gateway.simulator import anthropic_api, cloud, cohere_api, openai_api
from gateway.simulator import openai_endpoints as oai
from gateway.simulator.cache import CacheUsage, PromptCache
from gateway.simulator.cloud_auth import CloudAuth
from gateway.simulator.config import SimulatorConfig
from gateway.simulator.errors import (
    SimError,
    anthropic_error_body,
    cohere_error_body,
    openai_error_body,
    plain_error_body,
)
from gateway.simulator.faults import NO_FAULTS, parse_faults
from gateway.simulator.ids import IdFactory
from gateway.simulator.reply import compose
from gateway.simulator.stats import Stats
from gateway.translation.multipart import MultipartError, boundary_of, fields, parse_multipart

#: The real Anthropic API rejects bodies over 32 MB with 413 request_too_large.
BODY_LIMIT: Final = 32 * 1024 * 1024
MODELS_CREATED: Final = 1735689600  # 2025-01-01T00:00:00Z
_SSE_HEADERS: Final = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
_Handler = Callable[["_Call", Any], Awaitable[None]]
Provider = Literal["anthropic", "openai", "azure", "cohere"]
_MULTIPART: Final = frozenset({"/v1/audio/transcriptions", "/v1/audio/translations"})
_OPENAI_PATHS: Final = frozenset(
    {
        "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses",
        "/v1/responses/input_tokens", "/v1/images/generations", "/v1/audio/speech",
        "/v1/audio/transcriptions", "/v1/audio/translations", "/tokenize",
    }
)  # fmt: skip
# Azure OpenAI paths -> the OpenAI path they stand for.
_AZURE_DEPLOYMENT_OPS: Final = {
    "chat/completions": "/v1/chat/completions",
    "completions": "/v1/completions",
    "embeddings": "/v1/embeddings",
}
_AZURE_PATHS: Final = {
    "/openai/responses": "/v1/responses",
    "/openai/responses/input_tokens": "/v1/responses/input_tokens",
}


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

    __slots__ = (
        "anthropic",
        "content_type",
        "credential",
        "deployment",
        "faults",
        "headers",
        "model",
        "provider",
        "request_id",
        "send",
    )

    def __init__(self, send: Send, provider: Provider, request_id: str) -> None:
        self.send = send
        self.provider: Provider = provider
        self.anthropic = provider == "anthropic"
        self.request_id = request_id
        self.deployment: str | None = None
        self.content_type = ""
        self.faults = NO_FAULTS
        self.model: str | None = None
        self.credential = b""
        id_header = b"request-id" if self.anthropic else b"x-request-id"
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
            ("POST", "/v1/completions"): self._completions,
            ("POST", "/v1/embeddings"): self._embeddings,
            ("POST", "/v1/responses"): self._responses,
            ("POST", "/v1/responses/input_tokens"): self._input_tokens,
            ("POST", "/v1/images/generations"): self._images,
            ("POST", "/v1/audio/speech"): self._speech,
            ("POST", "/v1/audio/transcriptions"): self._transcription,
            ("POST", "/v1/audio/translations"): self._translation,
            ("POST", "/tokenize"): self._tokenize,
            ("POST", "/v2/rerank"): self._rerank,
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
                    scope, receive, send, _Call(send, "openai", self._ids.make("req_01", 22))
                )
            except ClientDisconnected:
                return
            return
        if path.startswith("/_sim/"):
            await self._control(method, path, send)
            return
        headers = dict(raw_headers)
        provider = _provider(path, headers)
        query: bytes = scope["query_string"]
        self.stats.record(
            method, f"{path}?{query.decode('latin-1')}" if query else path, raw_headers
        )
        call = _Call(send, provider, self._ids.make("req_01", 22))
        try:
            body = await read_body(receive, limit=BODY_LIMIT)
            self.stats.record_body(raw_headers, body)
            call.faults = parse_faults(headers)
            if call.faults.latency:
                await anyio.sleep(call.faults.latency)
            call.credential = self._authenticate(provider, headers)
            route = _azure_route(path, query, call) if provider == "azure" else path
            handler = self._routes.get((method, route))
            if handler is None:
                raise _route_error(method, path, route in self._paths)
            call.content_type = headers.get(b"content-type", b"").decode("latin-1")
            payload: Any = None
            if route in _MULTIPART:
                payload = body
            elif method == "POST":
                payload = _parse_json(body)
            if isinstance(payload, dict):
                if call.deployment is not None:  # Azure: the deployment decides the model
                    payload = {**payload, "model": call.deployment}
                call.echo_model(payload.get("model"))
            if call.faults.status is not None:
                raise SimError.injected(
                    call.faults.status, "anthropic" if call.anthropic else "openai"
                )
            if call.anthropic and method == "POST" and b"anthropic-version" not in headers:
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

    def _authenticate(self, provider: Provider, headers: dict[bytes, bytes]) -> bytes:
        """The credential presented; 401 in the provider's shape unless it is the right key."""
        anthropic = provider == "anthropic"
        candidates = []
        if anthropic and b"x-api-key" in headers:
            candidates.append(headers[b"x-api-key"])
        if provider == "azure" and b"api-key" in headers:
            candidates.append(headers[b"api-key"])
        authorization = headers.get(b"authorization", b"")
        if authorization[:7].lower() == b"bearer ":
            candidates.append(authorization[7:].strip())
        if provider == "azure" and authorization[:7].lower() == b"bearer ":
            token = authorization[7:].strip().decode("latin-1")
            if self.cloud.auth.entra.state(token) == "valid":  # AzureCredentials (Entra ID)
                return token.encode()
        if self._key is None:
            return candidates[0] if candidates else b""
        for candidate in candidates:
            if hmac.compare_digest(candidate, self._key):
                return candidate
        if anthropic:
            raise SimError(401, "invalid x-api-key")
        if provider == "cohere":
            raise SimError(401, "invalid api token" if candidates else "no api key supplied")
        if provider == "azure":
            raise SimError(
                401,
                "Access denied due to invalid subscription key or wrong API endpoint. Make sure "
                "to provide a valid key for an active subscription and use a correct regional "
                "API endpoint for your resource.",
                code="401",
            )
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
        elif call.provider == "cohere":
            body, content_type = cohere_error_body(error, call.request_id), b"application/json"
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

    async def _completions(self, call: _Call, payload: Any) -> None:
        request = oai.parse_completion(payload, filler_words=call.faults.reply_words)
        reply = compose(request.prompt)
        cmpl_id = self._ids.make("cmpl-", 29)
        created = int(time.time())
        if request.stream:
            frames = oai.completion_chunks(cmpl_id, created, request, reply)
            await self._stream(call, frames, openai_api.error_chunk())
        else:
            await call.json(200, oai.completion(cmpl_id, created, request, reply))

    async def _embeddings(self, call: _Call, payload: Any) -> None:
        await call.json(200, oai.embeddings(payload))

    async def _responses(self, call: _Call, payload: Any) -> None:
        request = oai.parse_responses(payload, filler_words=call.faults.reply_words)
        reply = compose(request.prompt)
        resp_id = self._ids.make("resp_", 32)
        msg_id = self._ids.make("msg_", 32)
        created = int(time.time())
        if request.stream:
            frames = oai.response_events(resp_id, msg_id, created, request, reply)
            await self._stream(call, frames, oai.response_error_event())
        else:
            await call.json(200, oai.response_object(resp_id, msg_id, created, request, reply))

    async def _input_tokens(self, call: _Call, payload: Any) -> None:
        await call.json(200, oai.input_tokens(oai.parse_responses(payload)))

    async def _images(self, call: _Call, payload: Any) -> None:
        body = oai.image_generation(payload, lambda: self._ids.make("img-", 24), int(time.time()))
        await call.json(200, body)

    async def _speech(self, call: _Call, payload: Any) -> None:
        audio, content_type, frames = oai.speech(payload)
        if frames is not None:
            await self._stream(call, frames, openai_api.error_chunk())
            return
        await send_response(
            call.send, 200, audio, content_type=content_type.encode(), headers=call.headers
        )

    async def _transcription(self, call: _Call, payload: Any) -> None:
        await self._audio_text(call, payload, translate=False)

    async def _translation(self, call: _Call, payload: Any) -> None:
        await self._audio_text(call, payload, translate=True)

    async def _audio_text(self, call: _Call, raw: bytes, *, translate: bool) -> None:
        try:
            parts = parse_multipart(raw, boundary_of(call.content_type))
        except MultipartError as exc:
            raise SimError(400, f"Could not parse multipart form: {exc}") from None
        form = fields(parts)
        call.echo_model(form.get("model"))
        files = [part for part in parts if part.name == "file" and part.filename is not None]
        if not files:
            raise SimError(
                400,
                "Missing required parameter: 'file'.",
                param="file",
                code="missing_required_parameter",
            )
        body, content_type, frames = oai.transcription(
            form, files[0].filename or "audio", len(files[0].data), translate=translate
        )
        if frames is not None:
            await self._stream(call, frames, openai_api.error_chunk())
        elif isinstance(body, str):
            await send_response(
                call.send,
                200,
                body.encode(),
                content_type=content_type.encode(),
                headers=call.headers,
            )
        else:
            await call.json(200, body)

    async def _tokenize(self, call: _Call, payload: Any) -> None:
        await call.json(200, oai.tokenize(payload))

    async def _rerank(self, call: _Call, payload: Any) -> None:
        await call.json(200, cohere_api.rerank(payload, self._ids.uuid()))

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


def _provider(path: str, headers: dict[bytes, bytes]) -> Provider:
    """Whose API a request calls, from its path (and Anthropic's headers on shared paths)."""
    if path.startswith("/v1/messages"):
        return "anthropic"
    if path.startswith("/openai/"):
        return "azure"
    if path.startswith("/v2/"):
        return "cohere"
    if path not in _OPENAI_PATHS and (b"x-api-key" in headers or b"anthropic-version" in headers):
        return "anthropic"
    return "openai"


def _azure_route(path: str, query: bytes, call: _Call) -> str:
    """The OpenAI route an Azure OpenAI path stands for; 404 without `api-version`."""
    versions = [
        v for k, _, v in (p.partition(b"=") for p in query.split(b"&")) if k == b"api-version"
    ]
    if not versions or not versions[0]:
        raise SimError(404, "Resource not found", code="404")
    if path in _AZURE_PATHS:
        return _AZURE_PATHS[path]
    rest = path.removeprefix("/openai/deployments/")
    deployment, _, operation = rest.partition("/")
    route = _AZURE_DEPLOYMENT_OPS.get(operation)
    if rest == path or not deployment or route is None:
        raise SimError(404, "Resource not found", code="404")
    call.deployment = deployment
    return route


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
