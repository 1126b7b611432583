"""The admin ASGI app: /health, /metrics (Prometheus text), /requests (the last requests),
/config (GET redacted, PUT reload).

`PUT /config` takes the same multi-document YAML as the command line, validates the whole bundle
with the SDK and compiles it; only when both succeed does it replace the data plane's config
reference, so a bad bundle changes nothing and requests in flight keep the config they started
with. `/config` needs `Authorization: Bearer <admin token>`.
"""

from __future__ import annotations

import hmac
import logging
from typing import Final
from urllib.parse import parse_qs

import orjson

from aigw_sdk.bundle import load_yaml
from aigw_sdk.errors import BundleLoadError
from gateway.config import ConfigError, compile_config
from gateway.metrics import GenAIMetrics
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
            await send_response(send, 200, self.metrics.render(), content_type=_PROMETHEUS)
        elif path == "/requests":
            await self._requests(scope, send)
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
        try:
            # No ${VAR} expansion here: that is for files read at start-up. Expanding a bundle
            # sent over the network would copy the gateway's environment into its config.
            bundle = load_yaml(raw.decode("utf-8"))
        except (BundleLoadError, UnicodeDecodeError) as exc:
            await send_response(send, 400, orjson.dumps({"error": f"invalid YAML: {exc}"}))
            return
        issues = bundle.validate()
        errors = [issue for issue in issues if issue.severity == "error"]
        if errors:
            body = {"error": "the bundle is invalid; nothing changed", "issues": [
                issue.to_dict() for issue in errors
            ]}  # fmt: skip
            await send_response(send, 422, orjson.dumps(body))
            return
        current = self.plane.config
        try:
            config = compile_config(bundle, generation=current.generation + 1)
        except ConfigError as exc:
            body = {
                "error": "the bundle cannot be served locally; nothing changed",
                "issues": [
                    {"severity": "error", "kind": "", "name": "", "namespace": None, "path": "",
                     "message": problem}
                    for problem in exc.problems
                ],
            }  # fmt: skip
            await send_response(send, 422, orjson.dumps(body))
            return
        self.plane.config = config
        _LOG.info("configuration generation %d applied", config.generation)
        warnings = [issue.to_dict() for issue in issues if issue.severity == "warning"]
        payload = {"generation": config.generation, "resources": len(config.documents)}
        await send_response(send, 200, orjson.dumps({**payload, "warnings": warnings}))
