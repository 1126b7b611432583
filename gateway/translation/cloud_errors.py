"""AWS Bedrock and Google Vertex AI error responses -> the client API's error shape.

Bedrock errors are `{"message": "..."}` (sometimes `Message`) with the exception name in the
`x-amzn-ErrorType` header (`ValidationException:http://internal.amazon.com/...`). Vertex
errors are Google's `{"error": {"code", "message", "status"}}`; Claude models on Vertex may
also answer with Anthropic's own error body, which is kept as is for Anthropic clients.
Non-JSON bodies (a proxy's HTML page) become the message.
"""

from __future__ import annotations

from typing import Any

from gateway.translation._json import dumps, loads
from gateway.translation.errors import (
    ANTHROPIC_ERROR_STATUS,
    anthropic_error_body,
    anthropic_error_type_for_status,
    openai_error_body,
)

__all__ = ["CloudError", "exception_error_type", "parse_bedrock_error", "parse_vertex_error"]

_EXCEPTION_TYPES = {
    "throttlingException": "rate_limit_error",
    "validationException": "invalid_request_error",
    "serviceUnavailableException": "overloaded_error",
    "modelTimeoutException": "timeout_error",
    "accessDeniedException": "permission_error",
    "resourceNotFoundException": "not_found_error",
}


def exception_error_type(exception_type: str | None) -> str:
    """Anthropic error type for a Bedrock exception name (either case of the first letter)."""
    if not exception_type:
        return "api_error"
    name = exception_type[0].lower() + exception_type[1:]
    return _EXCEPTION_TYPES.get(name, "api_error")


_GOOGLE_STATUS_TO_ANTHROPIC = {
    "INVALID_ARGUMENT": "invalid_request_error",
    "FAILED_PRECONDITION": "invalid_request_error",
    "UNAUTHENTICATED": "authentication_error",
    "PERMISSION_DENIED": "permission_error",
    "NOT_FOUND": "not_found_error",
    "RESOURCE_EXHAUSTED": "rate_limit_error",
    "UNAVAILABLE": "overloaded_error",
    "DEADLINE_EXCEEDED": "timeout_error",
}


class CloudError:
    """A provider error reduced to the provider's type name, message and HTTP status."""

    __slots__ = ("anthropic_type", "message", "provider_type", "status")

    def __init__(self, status: int, provider_type: str, message: str, anthropic_type: str) -> None:
        self.status = status
        self.provider_type = provider_type
        self.message = message
        self.anthropic_type = anthropic_type

    def to_openai(self) -> bytes:
        """The OpenAI-side envelope upstream uses; `type` is the provider's error name."""
        return dumps(openai_error_body(self.message, self.provider_type, str(self.status)))

    def to_anthropic(self) -> bytes:
        """Anthropic's envelope, with the Anthropic type closest to the provider's."""
        return dumps(anthropic_error_body(self.anthropic_type, self.message))


def _json_object(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    if content_type is not None and "json" not in content_type.lower():
        return None
    try:
        value = loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def parse_bedrock_error(
    status: int, body: bytes, content_type: str | None, error_type_header: str | None
) -> CloudError:
    """A Bedrock error response (`x-amzn-ErrorType` names the exception)."""
    name = (error_type_header or "").split(":", 1)[0].strip()
    payload = _json_object(body, content_type)
    message = body.decode("utf-8", "replace")
    if payload is not None:
        raw = payload.get("message", payload.get("Message"))
        if isinstance(raw, str):
            message = raw
        if not name and isinstance(payload.get("__type"), str):
            name = payload["__type"].rsplit("#", 1)[-1]
    anthropic_type = exception_error_type(name) if name else anthropic_error_type_for_status(status)
    if anthropic_type == "api_error" and status < 500:
        anthropic_type = anthropic_error_type_for_status(status)
    return CloudError(status, name or "AWSBedrockBackendError", message, anthropic_type)


def parse_vertex_error(status: int, body: bytes, content_type: str | None) -> CloudError:
    """A Vertex AI error response (Google's shape, or Anthropic's from Claude models)."""
    payload = _json_object(body, content_type)
    error = payload.get("error") if payload is not None else None
    message = body.decode("utf-8", "replace")
    if isinstance(error, dict):
        if isinstance(error.get("message"), str):
            message = error["message"]
        kind = error.get("status") if isinstance(error.get("status"), str) else None
        anthropic_kind = error.get("type")
        if kind is None and anthropic_kind in ANTHROPIC_ERROR_STATUS:
            return CloudError(status, str(anthropic_kind), message, str(anthropic_kind))
        if kind is not None:
            mapped = _GOOGLE_STATUS_TO_ANTHROPIC.get(kind, anthropic_error_type_for_status(status))
            return CloudError(status, kind, message, mapped)
    return CloudError(
        status, "GCPVertexAIBackendError", message, anthropic_error_type_for_status(status)
    )
