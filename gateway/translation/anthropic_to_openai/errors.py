"""OpenAI error responses -> Anthropic's error shape (with `request_id`)."""

from __future__ import annotations

from gateway.translation._json import dumps
from gateway.translation.errors import (
    ANTHROPIC_ERROR_STATUS,
    anthropic_error_body,
    anthropic_error_type_for_status,
    error_member,
)

__all__ = ["openai_error_to_anthropic"]


def openai_error_to_anthropic(status: int, body: bytes, content_type: str | None) -> bytes:
    """Rewrite an OpenAI error body for an Anthropic client; the caller keeps `status`.

    The OpenAI `error.type` is kept when it is also an Anthropic type, otherwise the type comes
    from the status (Envoy's table). Non-JSON bodies become the message.
    """
    error = error_member(body, content_type)
    message = body.decode("utf-8", "replace")
    error_type = anthropic_error_type_for_status(status)
    if isinstance(error, dict):
        if isinstance(error.get("message"), str):
            message = error["message"]
        if error.get("type") in ANTHROPIC_ERROR_STATUS:
            error_type = error["type"]
    elif isinstance(error, str):
        message = error
    return dumps(anthropic_error_body(error_type, message))
