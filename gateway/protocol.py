"""uvicorn's httptools protocol with Envoy-style connection limits.

uvicorn bounds neither the time a client takes to send its headers or body, nor the size of the
headers, nor the number of connections, and its own rejections are plain text. This subclass
adds, per connection: an idle timer from the moment it opens (uvicorn arms its keep-alive timer
only after a first response), a headers timer from a request's first byte, a body timer from the
end of its headers, a cap on request-line-plus-header bytes (431) and a cap on open connections
(503). Rejections are JSON (`gateway.errors.connection_error_body`) with `connection: close`.
"""

from __future__ import annotations

import asyncio
import http
from typing import Any, ClassVar, Literal

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from gateway.errors import connection_error_body
from gateway.limits import Limits

__all__ = ["BoundedHttpProtocol", "bounded_protocol"]

_Phase = Literal["idle", "headers", "body", "app"]


def _status_line(status: int) -> bytes:
    return f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n".encode()


class BoundedHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol enforcing `limits` (set on the subclass `bounded_protocol` makes)."""

    limits: ClassVar[Limits] = Limits()

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._phase: _Phase = "idle"
        self._timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0  # bytes received since the request began, while in its headers
        self._head_size = 0  # request target plus header names and values
        self._rejected = False

    # -- connection ----------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        full = len(self.connections) >= self.limits.max_connections
        super().connection_made(transport)
        if full:
            limit = self.limits.max_connections
            self._reject(503, f"envoy overloaded: {limit} connections open (max connections)")
            return
        self.timeout_keep_alive_task = self.loop.call_later(
            self.limits.idle_timeout, self.timeout_keep_alive_handler
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._rejected:
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # no WebSocket support: the request is served as plain HTTP
        except httptools.HttpParserError:
            if not self._rejected:
                self._reject(400, "malformed request: invalid HTTP")
            return
        if self._phase == "headers" and not self._rejected:
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_request_headers:
                self._reject_headers_too_large()

    # -- parser callbacks ----------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase = "headers"
        self._head_bytes = 0
        self._head_size = 0
        self._arm(self.limits.headers_timeout, "request headers", "headers timeout")

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._rejected:
            return
        if self._head_size > self.limits.max_request_headers:
            self._reject_headers_too_large()
            return
        self._phase = "body"
        self._arm(self.limits.body_timeout, "the request body", "body timeout")
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._rejected:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._rejected:
            return
        self._phase = "app"
        self._cancel_timer()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        if self._phase == "app":
            self._phase = "idle"
        super().on_response_complete()

    def send_400_response(self, msg: str) -> None:
        self._reject(400, f"malformed request: {msg}")

    # -- helpers -------------------------------------------------------------------------------

    def _arm(self, seconds: float, what: str, name: str) -> None:
        self._cancel_timer()
        message = f"{what} did not arrive within {seconds:g} s ({name})"
        self._timer = self.loop.call_later(seconds, self._reject, 408, message)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _reject_headers_too_large(self) -> None:
        limit = self.limits.max_request_headers
        self._reject(431, f"request headers exceed {limit} bytes (max request headers)")

    def _reject(self, status: int, message: str) -> None:
        """Answer `status` (unless a response is under way) and close the connection."""
        self._rejected = True
        self._cancel_timer()
        self._unset_keepalive_if_required()
        if self.transport.is_closing():
            return
        # In the idle/headers phase `self.cycle` is the previous request's (or None).
        current = self.cycle if self._phase in ("body", "app") else None
        if current is None:
            quiet = self.cycle is None or self.cycle.response_complete
        else:
            quiet = not current.response_started
            current.disconnected = True  # the app's later sends are dropped
            current.message_event.set()
        if quiet:
            body = connection_error_body(status, message)
            self.transport.write(
                _status_line(status)
                + b"content-type: application/json\r\ncontent-length: "
                + str(len(body)).encode()
                + b"\r\nconnection: close\r\n\r\n"
                + body
            )
        self.transport.close()


def bounded_protocol(limits: Limits) -> type[BoundedHttpProtocol]:
    """A `BoundedHttpProtocol` class enforcing these limits (uvicorn instantiates the class)."""
    return type("BoundedHttpProtocol", (BoundedHttpProtocol,), {"limits": limits})
