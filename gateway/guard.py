"""An ASGI wrapper bounding the requests in progress, with a JSON last-resort error.

Beyond `max_requests` requests in progress a request gets Envoy's overload 503 at once (in the
client API's envelope) instead of queueing without bound. An exception escaping the app before
the response started becomes a JSON 500 in the client's envelope rather than uvicorn's plain
text (it is logged; it is a gateway bug, never the client's fault).
"""

from __future__ import annotations

import logging
from typing import Final

from gateway.errors import api_for_path, error_body
from gateway.serving import ASGIApp, Message, Receive, Scope, Send, send_response

__all__ = ["RequestGuard"]

_LOG: Final = logging.getLogger("gateway.server")


class RequestGuard:
    """Wraps `app`: at most `max_requests` HTTP requests in progress, JSON 500 as a backstop."""

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.max_requests = max_requests
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = api_for_path(scope["path"])
        if self.in_progress >= self.max_requests:
            message = f"envoy overloaded: {self.max_requests} requests in progress (max requests)"
            await send_response(send, 503, error_body(api, 503, message))
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        self.in_progress += 1
        try:
            await self.app(scope, receive, tracked)
        except Exception:
            _LOG.exception("request to %s failed inside the gateway", scope["path"])
            if started:
                raise
            await send_response(send, 500, error_body(api, 500, "internal gateway error"))
        finally:
            self.in_progress -= 1
