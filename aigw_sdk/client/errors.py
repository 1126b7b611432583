"""Typed errors of the gateway client, built from the gateway's (or provider's) error response.

Each status class carries the fix from the seed guide's troubleshooting table as ``hint``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from aigw_sdk.errors import AIGWError


class GatewayError(AIGWError):
    """An error response: HTTP ``status``, the provider's ``error_type`` and its ``message``.

    ``status`` is None for transport failures (:class:`GatewayConnectionError`).
    """

    hint: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_type = error_type
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        head = f"{self.status} " if self.status is not None else ""
        kind = f"{self.error_type}: " if self.error_type else ""
        return f"{head}{kind}{self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, error_type={self.error_type!r}, "
            f"message={self.message!r})"
        )


class GatewayConnectionError(GatewayError):
    """The gateway could not be reached (refused, reset, timed out)."""

    hint = "Is the gateway running? Check the URL and port (LocalGateway.url)."


class BadRequestError(GatewayError):
    """400: the request is malformed, e.g. ``max_tokens`` missing on the Messages API."""

    hint = "Bad request - ensure max_tokens is specified for the Anthropic API."


class AuthenticationError(GatewayError):
    """401: the provider rejected the credential the gateway injected."""

    hint = "Invalid API key - verify the key in the backend's Secret (sent as x-api-key)."


class PermissionDeniedError(GatewayError):
    """403: the credential may not use this resource."""

    hint = "The API key lacks permission for this model or resource."


class NotFoundError(GatewayError):
    """404: no route for the model (the gateway's plain-text 404) or an unknown path."""

    hint = "No AIGatewayRoute rule matches this model: add a rule for it and apply the bundle."


class RateLimitError(GatewayError):
    """429: rate limited; ``retry_after`` is the server's ``retry-after`` in seconds, if any."""

    hint = "Rate limit exceeded - check your Anthropic usage limits, then retry later."

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(GatewayError):
    """500 and other 5xx the provider or gateway reports as its own failure."""

    hint = "The upstream failed; retry, or configure a fallback backend."


class ServiceUnavailableError(GatewayError):
    """503 / 529: the provider is unavailable or overloaded."""

    hint = "Anthropic service unavailable - retry later or add a fallback provider."


_BY_STATUS: dict[int, type[GatewayError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
    503: ServiceUnavailableError,
    529: ServiceUnavailableError,
}


def error_for_status(
    status: int, body: bytes | str, headers: dict[str, str] | None = None
) -> GatewayError:
    """The typed error for a response; JSON bodies of both API styles and plain text parse."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    error_type, message, request_id = _parse_body(text)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else GatewayError
    kwargs: dict[str, Any] = {
        "status": status,
        "error_type": error_type,
        "request_id": request_id,
        "body": text,
    }
    if cls is RateLimitError:
        kwargs["retry_after"] = _retry_after((headers or {}).get("retry-after"))
    return cls(message or f"HTTP {status}", **kwargs)


def error_from_event(data: dict[str, Any]) -> GatewayError:
    """The error of a mid-stream ``error`` event (``overloaded_error`` maps to 529)."""
    error = data.get("error")
    error = error if isinstance(error, dict) else {}
    error_type = error.get("type") if isinstance(error.get("type"), str) else None
    message = str(error.get("message") or "stream error")
    status = {"overloaded_error": 529, "rate_limit_error": 429, "api_error": 500}.get(
        error_type or ""
    )
    cls = _BY_STATUS.get(status or 0, InternalServerError)
    request_id = data.get("request_id")
    return cls(
        message,
        status=status,
        error_type=error_type,
        request_id=request_id if isinstance(request_id, str) else None,
        body=json.dumps(data),
    )


def _parse_body(text: str) -> tuple[str | None, str, str | None]:
    try:
        data = json.loads(text)
    except ValueError:
        return None, text.strip(), None
    if not isinstance(data, dict):
        return None, text.strip(), None
    error = data.get("error")
    request_id = data.get("request_id")
    rid = request_id if isinstance(request_id, str) and request_id else None
    if isinstance(error, dict):
        kind = error.get("type")
        message = error.get("message")
        return (
            kind if isinstance(kind, str) else None,
            message if isinstance(message, str) else text.strip(),
            rid,
        )
    if isinstance(error, str):
        return None, error, rid
    return None, text.strip(), rid


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
