"""Serve raw ASGI apps on uvicorn, in the current event loop or in a background thread.

Also holds the few helpers every raw-ASGI app in the gateway needs: reading a request body with a
size limit, sending a complete response, and reading a request header.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Final, Self

import anyio
import uvicorn
from anyio.abc import TaskStatus
from anyio.from_thread import BlockingPortal, start_blocking_portal

from gateway.limits import Limits
from gateway.protocol import bounded_protocol

__all__ = [
    "ASGIApp",
    "ClientDisconnected",
    "Receive",
    "RequestBodyTooLarge",
    "Scope",
    "Send",
    "ServerThread",
    "get_header",
    "read_body",
    "send_response",
    "serve",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

try:
    import uvloop  # noqa: F401

    _HAVE_UVLOOP: Final = True
except ImportError:  # pragma: no cover - uvloop is absent on Windows
    _HAVE_UVLOOP = False  # type: ignore[misc]

#: Seconds that in-flight requests get to finish once shutdown starts; then they are cancelled.
_GRACEFUL_SHUTDOWN_SECONDS: Final = 5
_JSON: Final = b"application/json"


class RequestBodyTooLarge(Exception):
    """The request body is larger than the limit given to `read_body`."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body exceeds {limit} bytes")
        self.limit = limit


class ClientDisconnected(Exception):
    """The client went away before the whole request body arrived."""


async def read_body(
    receive: Receive, *, limit: int, grow: Callable[[int], None] | None = None
) -> bytes:
    """Read the whole request body; raise `RequestBodyTooLarge` beyond `limit` bytes.

    `grow(size)`, when given, is called with the size read so far before each chunk is kept (a
    memory budget can refuse it by raising).
    """
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientDisconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestBodyTooLarge(limit)
        if grow is not None and chunk:
            grow(size)
        parts.append(chunk)
        if not message.get("more_body", False):
            return parts[0] if len(parts) == 1 else b"".join(parts)


async def send_response(
    send: Send,
    status: int,
    body: bytes,
    *,
    content_type: bytes = _JSON,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """Send a complete response: status, content type and length, extra headers, body."""
    raw_headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def get_header(scope: Scope, name: bytes) -> bytes | None:
    """The value of request header `name` (lower-case bytes), or None; the last one wins."""
    value: bytes | None = None
    for key, val in scope["headers"]:
        if key == name:
            value = val
    return value


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this on Linux; without it a response written as headers then
        # body waits ~40 ms for the peer's delayed ACK on every reused connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _config(app: ASGIApp, limits: Limits) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=bounded_protocol(limits),
        timeout_keep_alive=limits.idle_timeout,  # type: ignore[arg-type]  # a float works
        ws="none",
        loop="uvloop" if _HAVE_UVLOOP else "asyncio",
        lifespan="off",
        interface="asgi3",
        access_log=False,
        log_config=None,
        log_level="warning",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
    )


async def _serve_socket(
    app: ASGIApp, sock: socket.socket, ready: Callable[[int], None] | None, limits: Limits
) -> None:
    port: int = sock.getsockname()[1]
    server = uvicorn.Server(_config(app, limits))
    finished = anyio.Event()

    async def run() -> None:
        try:
            # Shielded: only `should_exit` stops uvicorn, so its shutdown always runs in full.
            with anyio.CancelScope(shield=True):
                await server.serve(sockets=[sock])
        finally:
            finished.set()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(run)
            try:
                while not server.started:
                    if finished.is_set():
                        raise RuntimeError(f"server on port {port} stopped during startup")
                    await anyio.sleep(0.005)
                if ready is not None:
                    ready(port)
                await finished.wait()
            finally:
                server.should_exit = True
                with anyio.CancelScope(shield=True):
                    await finished.wait()
    finally:
        sock.close()


async def serve(
    app: ASGIApp,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[int], None] | None = None,
    limits: Limits | None = None,
) -> None:
    """Serve `app` until cancelled, then shut down gracefully.

    The socket is bound here, so `port=0` picks a free port; `ready(port)` is called with the bound
    port once the server accepts connections. `limits` bounds connections (default `Limits()`).
    """
    await _serve_socket(app, _bind(host, port), ready, limits or Limits())


async def _serve_task(
    app: ASGIApp, sock: socket.socket, *, task_status: TaskStatus[int] = anyio.TASK_STATUS_IGNORED
) -> None:
    await _serve_socket(app, sock, task_status.started, Limits())


class ServerThread:
    """Run ASGI apps in a background thread with its own event loop.

    Works where an event loop is already running (Jupyter). `apps` holds `(app, host, port)`
    triples; `start()` returns the bound ports once every server accepts connections.
    """

    def __init__(self, apps: Sequence[tuple[ASGIApp, str, int]]) -> None:
        if not apps:
            raise ValueError("apps: at least one (app, host, port) is required")
        self._apps = list(apps)
        self._portal_cm: contextlib.AbstractContextManager[BlockingPortal] | None = None
        self._futures: list[Future[None]] = []
        self.ports: list[int] = []

    def start(self) -> list[int]:
        """Bind, start serving and return the bound ports; raise the error if binding fails."""
        if self._portal_cm is not None:
            raise RuntimeError("ServerThread is already started")
        self.ports = []
        sockets: list[socket.socket] = []
        try:
            for _app, host, port in self._apps:
                sockets.append(_bind(host, port))
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        portal_cm = start_blocking_portal(
            backend_options={"use_uvloop": _HAVE_UVLOOP}, name="aigw-server"
        )
        portal = portal_cm.__enter__()
        self._portal_cm = portal_cm
        try:
            for (app, _host, _port), sock in zip(self._apps, sockets, strict=True):
                future, port = portal.start_task(_serve_task, app, sock)
                self._futures.append(future)
                self.ports.append(port)
        except BaseException:
            for sock in sockets:
                sock.close()
            self.stop()
            raise
        return list(self.ports)

    def stop(self) -> None:
        """Stop every server gracefully and join the thread; safe to call more than once."""
        portal_cm, self._portal_cm = self._portal_cm, None
        if portal_cm is None:
            return
        for future in self._futures:
            future.cancel()
        self._futures = []
        portal_cm.__exit__(None, None, None)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
