"""The admin ASGI app: /health, /metrics, /requests (the last requests), /ratelimits, /config
(GET redacted, PUT reload).

`PUT /config` takes the bundle itself as its body — multi-document YAML or JSON, never a path
or a directory — validates the whole bundle with the SDK and compiles it; only when both succeed
does it replace the data plane's config reference, so a bad bundle changes nothing and requests
in flight keep the config they started with. Parsing, validating and compiling run in a worker
thread, one reload at a time, so the data plane's event loop never waits for them. `/config`
needs `Authorization: Bearer <admin token>`.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any, Final
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
import orjson

from aigw_sdk.bundle import Bundle
from aigw_sdk.errors import BundleLoadError
from aigw_sdk.models.registry import parse_resource
from aigw_sdk.serialization.yaml import parse_documents
from gateway.config import ConfigError, RuntimeConfig, compile_config
from gateway.metrics import GenAIMetrics
from gateway.ratelimit.counters import CounterStoreUnavailable
from gateway.server import DataPlane
from gateway.serving import (
    ClientDisconnected,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    get_header,
    read_body,
    send_response,
)

__all__ = ["AdminApp"]

_LOG: Final = logging.getLogger("gateway.admin")
_CONFIG_LIMIT: Final = 16 * 1024 * 1024
_PROMETHEUS: Final = b"text/plain; version=0.0.4; charset=utf-8"


class AdminApp:
    """Admin endpoints of one gateway process."""

    def __init__(self, plane: DataPlane, metrics: GenAIMetrics, token: str) -> None:
        self.plane = plane
        self.metrics = metrics
        self._token = token.encode()
        self._reload = anyio.Lock()

    def __repr__(self) -> str:
        return "AdminApp(token='***')"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        if path == "/health":
            await send_response(send, 200, b"OK", content_type=b"text/plain")
        elif path == "/metrics":
            # Formatted in a worker thread: a scrape never stalls the data plane's loop.
            text = await anyio.to_thread.run_sync(self.metrics.render)
            await send_response(send, 200, text, content_type=_PROMETHEUS)
        elif path == "/requests":
            await self._requests(scope, send)
        elif path == "/ratelimits":
            try:
                snapshot = await self.plane.limiter.snapshot(self.plane.config.ratelimits)
            except CounterStoreUnavailable as exc:
                await send_response(send, 503, orjson.dumps({"error": str(exc)}))
            else:
                await send_response(send, 200, orjson.dumps(snapshot))
        elif path == "/config":
            if not self._authorized(scope):
                body = orjson.dumps(
                    {"error": "missing or wrong admin token (Authorization: Bearer …)"}
                )
                await send_response(send, 401, body, headers=[(b"www-authenticate", b"Bearer")])
            elif method == "GET":
                await send_response(send, 200, self._config_body())
            elif method == "PUT":
                await self._put_config(receive, send)
            else:
                await send_response(
                    send, 405, orjson.dumps({"error": f"method {method} not allowed"})
                )
        else:
            await send_response(send, 404, orjson.dumps({"error": f"unknown admin path: {path}"}))

    async def _requests(self, scope: Scope, send: Send) -> None:
        """The last requests (newest last): `?limit=N` (default: all kept)."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        raw = query.get("limit", [""])[-1]
        if raw and not raw.isdigit():
            body = orjson.dumps({"error": f"limit: expected a non-negative integer, not {raw!r}"})
            await send_response(send, 400, body)
            return
        records = self.plane.telemetry.recent.latest(int(raw) if raw else None)
        await send_response(send, 200, orjson.dumps({"requests": [r.summary for r in records]}))

    def _authorized(self, scope: Scope) -> bool:
        header = get_header(scope, b"authorization") or b""
        scheme, _, token = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self._token)

    def _config_body(self) -> bytes:
        config = self.plane.config
        return orjson.dumps({"generation": config.generation, "resources": list(config.documents)})

    async def _put_config(self, receive: Receive, send: Send) -> None:
        try:
            raw = await read_body(receive, limit=_CONFIG_LIMIT)
        except RequestBodyTooLarge as exc:
            await send_response(send, 413, orjson.dumps({"error": str(exc)}))
            return
        except ClientDisconnected:
            return
        async with self._reload:
            generation = self.plane.config.generation + 1
            status, payload, config = await anyio.to_thread.run_sync(_prepare, raw, generation)
            if config is not None:
                self.plane.config = config
                _LOG.info("configuration generation %d applied", config.generation)
        await send_response(send, status, orjson.dumps(payload))


def _prepare(raw: bytes, generation: int) -> tuple[int, dict[str, Any], RuntimeConfig | None]:
    """Parse, validate and compile a PUT body (in a worker thread): status, reply, config."""
    try:
        # The body is the bundle: never a path, never ${VAR}-expanded (that would copy the
        # gateway's environment into its config).
        documents = parse_documents(raw.decode("utf-8"), source="PUT /config body")
    except BundleLoadError as exc:
        return 400, {"error": f"invalid YAML: {exc}"}, None
    except UnicodeDecodeError:
        return 400, {"error": "invalid YAML: the body is not UTF-8 text"}, None
    if not documents:
        message = "the body holds no Kubernetes objects: PUT the bundle itself as YAML or JSON"
        return 400, {"error": message}, None
    bundle = Bundle(parse_resource(doc) for doc in documents)
    issues = bundle.validate()
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        body = {"error": "the bundle is invalid; nothing changed", "issues": [
            issue.to_dict() for issue in errors
        ]}  # fmt: skip
        return 422, body, None
    try:
        config = compile_config(bundle, generation=generation)
    except ConfigError as exc:
        body = {
            "error": "the bundle cannot be served locally; nothing changed",
            "issues": [
                {"severity": "error", "kind": "", "name": "", "namespace": None, "path": "",
                 "message": problem}
                for problem in exc.problems
            ],
        }  # fmt: skip
        return 422, body, None
    warnings = [issue.to_dict() for issue in issues if issue.severity == "warning"]
    warnings += [_gateway_warning(text) for text in config.warnings]
    payload = {"generation": config.generation, "resources": len(config.documents)}
    return 200, {**payload, "warnings": warnings}, config


def _gateway_warning(message: str) -> dict[str, object]:
    """A local-gateway warning (an unserved kind or field) in the shape of validation issues."""
    return {"severity": "warning", "kind": "", "name": "", "namespace": None, "path": "",
            "message": message}  # fmt: skip
