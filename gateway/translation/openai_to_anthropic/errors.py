"""Anthropic error responses -> the OpenAI-side error envelope upstream uses."""

from __future__ import annotations

from typing import Any

from gateway.translation._json import dumps
from gateway.translation.errors import (
    ANTHROPIC_ERROR_STATUS,
    anthropic_error_type_for_status,
    error_member,
    openai_error_body,
)

__all__ = ["anthropic_error_to_openai", "anthropic_stream_error_to_openai"]

NON_JSON_ERROR_TYPE = "AnthropicBackendError"


def anthropic_error_to_openai(status: int, body: bytes, content_type: str | None) -> bytes:
    """Rewrite an Anthropic error body for an OpenAI client; the caller keeps `status`.

    JSON errors keep Anthropic's `type` and `message`; other bodies (e.g. a proxy's HTML 413)
    become the message of an `AnthropicBackendError`. `code` is the status as a string.
    """
    error = error_member(body, content_type)
    if not isinstance(error, dict):
        message = body.decode("utf-8", "replace")
        return dumps(openai_error_body(message, NON_JSON_ERROR_TYPE, str(status)))
    raw_type, raw_message = error.get("type"), error.get("message")
    error_type = raw_type if isinstance(raw_type, str) else anthropic_error_type_for_status(status)
    text = raw_message if isinstance(raw_message, str) else body.decode("utf-8", "replace")
    return dumps(openai_error_body(text, error_type, str(status)))


def anthropic_stream_error_to_openai(payload: dict[str, Any]) -> dict[str, Any]:
    """The OpenAI error object for a mid-stream Anthropic `error` event."""
    error = payload.get("error")
    raw_type = error.get("type") if isinstance(error, dict) else None
    raw_message = error.get("message") if isinstance(error, dict) else None
    error_type = raw_type if isinstance(raw_type, str) else "api_error"
    message = raw_message if isinstance(raw_message, str) else "upstream error"
    status = ANTHROPIC_ERROR_STATUS.get(error_type, 500)
    return openai_error_body(message, error_type, str(status))
