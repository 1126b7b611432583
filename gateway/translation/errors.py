"""Translation errors and the error envelopes of both APIs (Envoy AI Gateway shapes)."""

from __future__ import annotations

from typing import Any

from gateway.errors import error_body
from gateway.translation._json import loads

__all__ = [
    "ANTHROPIC_ERROR_STATUS",
    "TranslationError",
    "anthropic_error_body",
    "anthropic_error_type_for_status",
    "bad_request",
    "error_member",
    "openai_error_body",
]

_STATUS_TO_ANTHROPIC_TYPE = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "internal_server_error",
    503: "service_unavailable_error",
    529: "overloaded_error",
}

ANTHROPIC_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "internal_server_error": 500,
    "service_unavailable_error": 503,
    "timeout_error": 504,
    "overloaded_error": 529,
}
"""Anthropic error type -> HTTP status (used for mid-stream errors, which carry no status)."""


def anthropic_error_type_for_status(status: int) -> str:
    """Envoy's status -> Anthropic error type table (`internal_server_error` otherwise)."""
    return _STATUS_TO_ANTHROPIC_TYPE.get(status, "internal_server_error")


def error_member(body: bytes, content_type: str | None) -> object:
    """The `error` member of an upstream JSON error body.

    None when the content type is not JSON or the body is not a JSON object.
    """
    if content_type is not None and "json" not in content_type.lower():
        return None
    try:
        parsed = loads(body)
    except ValueError:
        return None
    return parsed.get("error") if isinstance(parsed, dict) else None


def openai_error_body(
    message: str, error_type: str, code: str | None, param: str | None = None
) -> dict[str, Any]:
    """The OpenAI-side error envelope upstream uses (top-level `type`, `code` = status string)."""
    return {
        "type": "error",
        "error": {"type": error_type, "code": code, "message": message, "param": param},
    }


def anthropic_error_body(error_type: str, message: str, request_id: str = "") -> dict[str, Any]:
    """Anthropic's error envelope; gateway-built errors carry `request_id` (empty string)."""
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }


class TranslationError(Exception):
    """A request or response that cannot be translated; `status` is the HTTP status to return.

    `param` names the offending field (OpenAI's `param`), e.g. `messages[2].content[0]`.
    """

    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param

    def __repr__(self) -> str:
        return f"TranslationError({self.status}, {self.message!r}, param={self.param!r})"

    def to_openai(self) -> bytes:
        """OpenAI-shaped error body (built by `gateway.errors`)."""
        return error_body("OpenAI", self.status, self.message, param=self.param)

    def to_anthropic(self) -> bytes:
        """Anthropic-shaped error body (built by `gateway.errors`)."""
        return error_body("Anthropic", self.status, self.message, param=self.param)


def bad_request(message: str, param: str) -> TranslationError:
    """A 400 `TranslationError` naming the parameter at fault."""
    return TranslationError(400, message, param)
