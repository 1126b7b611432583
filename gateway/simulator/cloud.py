"""The simulator's cloud routes: Bedrock runtime, Vertex AI, and the identity endpoints.

* Bedrock runtime: `POST /model/{id}/converse`, `/converse-stream`, `/invoke`,
  `/invoke-with-response-stream` (Claude Messages bodies; Titan embeddings for `*embed*` ids).
* Vertex AI: `POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent`,
  `:streamGenerateContent?alt=sse`, `:predict`; `.../publishers/anthropic/models/{m}:rawPredict`,
  `:streamRawPredict`.
* Identity: `/_sim/oidc/...` (OIDC discovery and client-credentials token), `/_sim/aws/sts`
  (AssumeRoleWithWebIdentity), `/_sim/gcp/token`, `/_sim/gcp/sts/v1/token`,
  `/_sim/gcp/iam/v1/projects/-/serviceAccounts/{email}:generateAccessToken`,
  `GET /_sim/gcp/service-account-key`, `/_sim/azure/{tenant}/...` (Entra ID).

Bedrock routes need a SigV4 signature botocore agrees with, Vertex routes a Google access token
minted here; failures and `x-sim-status` faults come back in the provider's error shape.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import orjson

from gateway.serving import RequestBodyTooLarge, Scope, Send, read_body, send_response
from gateway.simulator import bedrock_api, vertex_api
from gateway.simulator.cloud_auth import CloudAuth, CloudAuthError, parse_form
from gateway.simulator.errors import SimError, anthropic_error_body, plain_error_body
from gateway.simulator.faults import parse_faults
from gateway.translation.eventstream import EVENTSTREAM_CONTENT_TYPE

if TYPE_CHECKING:
    from gateway.serving import Receive
    from gateway.simulator.app import SimulatorApp, _Call

__all__ = ["CloudRoutes"]

_BEDROCK: Final = re.compile(
    r"^/model/(?P<model>[^/]+)/"
    r"(?P<op>converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$"
)
_VERTEX: Final = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/publishers/"
    r"(?P<publisher>google|anthropic)/models/(?P<model>[^/:]+):(?P<method>[A-Za-z]+)$"
)
_IAM: Final = re.compile(
    r"^/_sim/gcp/iam/v1/projects/-/serviceAccounts/(?P<email>[^/:]+):generateAccessToken$"
)
_ENTRA: Final = re.compile(
    r"^/_sim/azure/(?P<tenant>[^/]+)/(?P<rest>v2\.0/\.well-known/openid-configuration|oauth2/v2\.0/token)$"
)
_EVENTSTREAM_HEADERS: Final = [(b"content-type", EVENTSTREAM_CONTENT_TYPE.encode())]
_SSE_HEADERS: Final = [(b"content-type", b"text/event-stream")]
_BODY_LIMIT: Final = 32 * 1024 * 1024
#: Newer SDKs send an Anthropic API date (`2026-10-21`) instead of the cloud's version name.
_API_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def handles(path: str) -> bool:
    """Whether a path belongs to the cloud routes."""
    return path.startswith(
        ("/model/", "/v1/projects/", "/_sim/oidc", "/_sim/aws/", "/_sim/gcp/", "/_sim/azure/")
    )


def _base_url(scope: Scope, headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host")
    if host is None:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}".encode()
    return f"{scope.get('scheme', 'http')}://{host.decode()}"


class CloudRoutes:
    """Serves the cloud paths for a `SimulatorApp` (its reply engine, ids, stats and faults)."""

    def __init__(self, app: SimulatorApp, auth: CloudAuth) -> None:
        self._app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send, call: _Call) -> None:
        path: str = scope["path"]
        raw_headers: list[tuple[bytes, bytes]] = scope["headers"]
        headers = dict(raw_headers)
        kind = (
            "bedrock"
            if path.startswith("/model/")
            else "vertex"
            if path.startswith("/v1/")
            else "identity"
        )
        if kind == "bedrock":
            call.headers = [(b"x-amzn-requestid", call.request_id.encode())]
        try:
            body = await read_body(receive, limit=_BODY_LIMIT)
        except RequestBodyTooLarge:
            await self._error(call, kind, SimError(413, "Request body too large"))
            return
        if kind != "identity":  # token requests carry secrets: never kept in the stats
            self._app.stats.record_body(raw_headers, body)
        try:
            if kind == "identity":
                await self._identity(scope, headers, body, send)
                return
            call.faults = parse_faults(headers)
            if call.faults.latency:
                import anyio

                await anyio.sleep(call.faults.latency)
            if kind == "bedrock":
                await self._bedrock(scope, headers, body, call)
            else:
                await self._vertex(scope, headers, body, call)
        except SimError as error:
            await self._error(call, kind, error)

    # --- identity providers -----------------------------------------------------------------

    async def _identity(
        self, scope: Scope, headers: dict[bytes, bytes], body: bytes, send: Send
    ) -> None:
        path: str = scope["path"].rstrip("/")
        method: str = scope["method"]
        base = _base_url(scope, headers)
        auth = self.auth
        answer: Any
        try:
            if path == "/_sim/oidc/.well-known/openid-configuration" and method == "GET":
                answer = auth.oidc_discovery(base)
            elif path == "/_sim/oidc/token" and method == "POST":
                answer = auth.oidc_token(parse_form(body))
            elif path == "/_sim/aws/sts" and method == "POST":
                await send_response(
                    send, 200, auth.aws_sts(parse_form(body)), content_type=b"text/xml"
                )
                return
            elif path == "/_sim/gcp/service-account-key" and method == "GET":
                await send_response(send, 200, auth.service_account_key(base).encode())
                return
            elif path == "/_sim/gcp/token" and method == "POST":
                answer = auth.gcp_token(parse_form(body), f"{base}/_sim/gcp/token")
            elif path == "/_sim/gcp/sts/v1/token" and method == "POST":
                answer = auth.gcp_sts(parse_form(body))
            elif (match := _IAM.match(path)) and method == "POST":
                authorization = headers.get(b"authorization", b"").decode()
                answer = auth.gcp_generate_access_token(authorization, unquote(match["email"]))
            elif match := _ENTRA.match(path):
                if match["rest"].startswith("v2.0"):
                    answer = auth.entra_discovery(f"{base}/_sim/azure", match["tenant"])
                else:
                    answer = auth.entra_token(parse_form(body))
            else:
                await send_response(send, 404, b'{"error":"not_found"}')
                return
        except CloudAuthError as error:
            if path == "/_sim/aws/sts":
                await send_response(send, error.status, _sts_error(error), content_type=b"text/xml")
                return
            payload = {"error": error.error_type, "error_description": error.message}
            await send_response(send, error.status, orjson.dumps(payload))
            return
        await send_response(send, 200, orjson.dumps(answer))

    # --- Bedrock runtime ----------------------------------------------------------------------

    async def _bedrock(
        self, scope: Scope, headers: dict[bytes, bytes], body: bytes, call: _Call
    ) -> None:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        match = _BEDROCK.match(scope["path"])
        if match is None or scope["method"] != "POST":
            raise SimError(404, "Unknown operation", error_type="UnknownOperationException")
        query = scope.get("query_string", b"")
        url = (
            _base_url(scope, headers) + raw_path.decode() + (f"?{query.decode()}" if query else "")
        )
        text_headers = {k.decode(): v.decode() for k, v in headers.items()}
        self.auth.check_sigv4("POST", url, text_headers, body)
        payload = _json(body)
        model = match["model"]
        call.echo_model(model)
        if call.faults.status is not None:
            raise SimError(
                call.faults.status, f"Simulated {bedrock_api.exception_name(call.faults.status)}"
            )
        operation = match["op"]
        if operation == "count-tokens":
            await call.json(200, {"inputTokens": _count_tokens(_count_tokens_body(payload), model)})
            return
        stream = operation in ("converse-stream", "invoke-with-response-stream")
        error_frame = bedrock_api.stream_exception()
        if operation.startswith("converse"):
            messages_body = bedrock_api.converse_to_messages(payload, model, stream)
            message = self._app.anthropic_answer(call, messages_body).message()
            if stream:
                await self._app._stream(
                    call, bedrock_api.converse_stream(message), error_frame, _EVENTSTREAM_HEADERS
                )
            else:
                await call.json(200, bedrock_api.converse_response(message))
            return
        if "embed" in model:
            await call.json(200, bedrock_api.titan_embedding(payload))
            return
        answer = self._app.anthropic_answer(
            call,
            _claude_body(payload, model, stream, bedrock_api.BEDROCK_ANTHROPIC_VERSION, "stream"),
        )
        if stream:
            frames = bedrock_api.invoke_stream(answer.events(), answer.usage)
            await self._app._stream(call, frames, error_frame, _EVENTSTREAM_HEADERS)
        else:
            await call.json(200, answer.message())

    # --- Vertex AI ------------------------------------------------------------------------------

    async def _vertex(
        self, scope: Scope, headers: dict[bytes, bytes], body: bytes, call: _Call
    ) -> None:
        match = _VERTEX.match(scope["path"])
        if match is None or scope["method"] != "POST":
            raise SimError(404, f"The requested URL {scope['path']} was not found on this server.")
        self.auth.check_google(headers.get(b"authorization", b"").decode())
        payload = _json(body)
        model, method = match["model"], match["method"]
        call.echo_model(model)
        call.anthropic = match["publisher"] == "anthropic"
        if call.faults.status is not None:
            raise SimError.injected(call.faults.status, "anthropic" if call.anthropic else "google")
        if call.anthropic and model == "count-tokens" and method == "rawPredict":
            if not isinstance(payload, dict) or not isinstance(payload.get("model"), str):
                raise SimError(400, "model: Field required")
            rest = {k: v for k, v in payload.items() if k != "model"}
            claude = _claude_body(
                rest, payload["model"], False, vertex_api.VERTEX_ANTHROPIC_VERSION, None
            )
            await call.json(200, {"input_tokens": _count_tokens(claude, payload["model"])})
            return
        if call.anthropic and method in ("rawPredict", "streamRawPredict"):
            stream = method == "streamRawPredict"
            if stream and not (isinstance(payload, dict) and payload.get("stream") is True):
                raise SimError(400, 'stream: streamRawPredict requires "stream": true')
            answer = self._app.anthropic_answer(
                call,
                _claude_body(payload, model, stream, vertex_api.VERTEX_ANTHROPIC_VERSION, None),
            )
            if stream:
                from gateway.simulator.anthropic_api import error_event

                await self._app._stream(call, answer.events(), error_event(call.request_id))
            else:
                await call.json(200, answer.message())
            return
        if call.anthropic:
            raise SimError(404, f"Method {method} is not served for Anthropic models")
        if method == "predict":
            await call.json(200, vertex_api.predict_embeddings(payload))
            return
        if method not in ("generateContent", "streamGenerateContent"):
            raise SimError(404, f"Unknown method {method}")
        stream = method == "streamGenerateContent"
        if stream and b"alt=sse" not in scope.get("query_string", b""):
            raise SimError(400, "the simulator streams Gemini with ?alt=sse only")
        messages_body = vertex_api.gemini_to_messages(payload, model, stream)
        message = self._app.anthropic_answer(call, messages_body).message()
        response_id = self._app._ids.make("", 24)
        if stream:
            error = (
                b"data: " + vertex_api.google_error(503, "Simulated stream failure") + b"\r\n\r\n"
            )
            await self._app._stream(
                call, vertex_api.gemini_stream(message, model, response_id), error, _SSE_HEADERS
            )
        else:
            await call.json(200, vertex_api.gemini_response(message, model, response_id))

    async def _error(self, call: _Call, kind: str, error: SimError) -> None:
        headers = list(call.headers)
        if error.status == 429:
            headers.append((b"retry-after", str(call.faults.retry_after).encode()))
        content_type = b"application/json"
        if call.faults.non_json:
            body, content_type = plain_error_body(error.status), b"text/plain; charset=utf-8"
        elif kind == "bedrock":
            name = error.error_type or bedrock_api.exception_name(error.status)
            headers.append(
                (
                    b"x-amzn-errortype",
                    f"{name}:http://internal.amazon.com/coral/com.amazon.bedrock/".encode(),
                )
            )
            body = orjson.dumps({"message": error.message})
        elif call.anthropic and not isinstance(error, CloudAuthError):
            body = anthropic_error_body(error, call.request_id)
        else:
            body = vertex_api.google_error(error.status, error.message)
        await send_response(
            call.send, error.status, body, content_type=content_type, headers=headers
        )


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise SimError(400, "Invalid JSON payload received.") from None


def _claude_body(
    payload: Any, model: str, stream: bool, version: str, removed: str | None
) -> dict[str, Any]:
    """A Claude-on-cloud body as the Messages body the simulator answers (version checked)."""
    if not isinstance(payload, dict):
        raise SimError(400, "Request body must be a JSON object")
    given = payload.get("anthropic_version")
    if given != version and not (isinstance(given, str) and _API_DATE.match(given)):
        raise SimError(400, f"anthropic_version: Input should be '{version}'")
    if "model" in payload:
        raise SimError(400, "model: Extra inputs are not permitted")
    if removed is not None and removed in payload:
        raise SimError(400, f"{removed}: Extra inputs are not permitted")
    body = {k: v for k, v in payload.items() if k not in ("anthropic_version", "anthropic_beta")}
    body["model"] = model
    body["stream"] = stream
    return body


def _count_tokens_body(payload: Any) -> dict[str, Any]:
    """The InvokeModel body inside a Bedrock CountTokens request."""
    invoke = payload.get("input", {}).get("invokeModel") if isinstance(payload, dict) else None
    raw = invoke.get("body") if isinstance(invoke, dict) else None
    if not isinstance(raw, str):
        raise SimError(400, "input.invokeModel.body is required")
    try:
        body = orjson.loads(base64.b64decode(raw, validate=True))
    except (ValueError, binascii.Error):
        raise SimError(400, "input.invokeModel.body must be base64 JSON") from None
    if not isinstance(body, dict):
        raise SimError(400, "input.invokeModel.body must be a JSON object")
    return body


def _count_tokens(payload: dict[str, Any], model: str) -> int:
    from gateway.simulator import anthropic_api

    body = {k: v for k, v in payload.items() if k not in ("anthropic_version", "anthropic_beta")}
    body["model"] = model
    request = anthropic_api.parse_request(body, count_only=True)
    return sum(seg.tokens for seg in anthropic_api.segments(request, with_data=False))


def _sts_error(error: CloudAuthError) -> bytes:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        f"<Code>{error.error_type}</Code><Message>{error.message}</Message></Error>"
        "<RequestId>sim</RequestId></ErrorResponse>"
    ).encode()
