"""Every error the gateway itself generates, in the envelope of the client's API.

Anthropic clients get `{"type":"error","error":{"type","message"},"request_id":""}` (the shape
upstream's Anthropic translators build), OpenAI clients `{"error":{"message","type","param",
"code"}}` with `code` the HTTP status as a string (upstream's convention). Message texts are
upstream's (Envoy AI Gateway / Envoy local replies). Upstream sends the 404s, 503s and 504s as
plain text; here they are JSON on both APIs, so the official SDKs show the message — a
deliberate, documented improvement.

Upstream error bodies relayed from a backend are not built here (they pass through or are
translated, see `gateway.translation`).
"""

from __future__ import annotations

from typing import Final, Literal

import orjson

__all__ = [
    "API",
    "NO_ROUTE",
    "api_for_path",
    "connection_error_body",
    "error_body",
    "stream_error_frame",
]

API = Literal["Anthropic", "OpenAI"]

NO_ROUTE: Final = (
    "No matching route found. It is likely because the model specified in your request is not "
    "configured in the Gateway."
)
"""Upstream's directResponse text when the model matches no rule."""

_ANTHROPIC_TYPES: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    408: "timeout_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    431: "request_too_large",
    502: "api_error",
    503: "overloaded_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def anthropic_type(status: int) -> str:
    """The Anthropic `error.type` of a gateway-generated error with this status."""
    return _ANTHROPIC_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error")


def openai_type(status: int) -> str:
    """The OpenAI `error.type` of a gateway-generated error with this status."""
    return "invalid_request_error" if status < 500 else "server_error"


def _member(api: API, status: int, message: str, param: str | None) -> dict[str, object]:
    if api == "Anthropic":
        # Anthropic has no `param`: the field leads the message unless the message names it.
        text = f"{param}: {message}" if param and param not in message else message
        return {"type": anthropic_type(status), "message": text}
    return {"message": message, "type": openai_type(status), "param": param, "code": str(status)}


def error_body(api: API, status: int, message: str, *, param: str | None = None) -> bytes:
    """The JSON body of a gateway-generated error; `param` names the request field at fault."""
    member = _member(api, status, message, param)
    if api == "Anthropic":
        return orjson.dumps({"type": "error", "error": member, "request_id": ""})
    return orjson.dumps({"error": member})


def stream_error_frame(api: API, status: int, message: str) -> bytes:
    """A terminal error event in the client API's stream format (the status is in the type)."""
    member = _member(api, status, message, None)
    if api == "Anthropic":
        return b"event: error\ndata: " + orjson.dumps({"type": "error", "error": member}) + b"\n\n"
    return b"data: " + orjson.dumps({"error": member}) + b"\n\n"


def api_for_path(path: str) -> API:
    """The client API a request path belongs to (`/anthropic/...` is Anthropic, else OpenAI)."""
    return "Anthropic" if path == "/anthropic" or path.startswith("/anthropic/") else "OpenAI"


def connection_error_body(status: int, message: str) -> bytes:
    """The body of an error answered before the request's API is known (connection limits).

    Both envelopes at once: Anthropic's `type` and `error.type`/`error.message` plus OpenAI's
    `error.param`/`error.code`, so either official SDK reads the message.
    """
    member = {"type": anthropic_type(status), "message": message, "param": None,
              "code": str(status)}  # fmt: skip
    return orjson.dumps({"type": "error", "error": member})
