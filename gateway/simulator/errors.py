"""Provider-shaped error bodies and the exception that carries one through the simulator."""

from __future__ import annotations

from http import HTTPStatus
from typing import Final

import orjson

# status -> (Anthropic error.type, message used for injected faults)
ANTHROPIC_ERRORS: Final[dict[int, tuple[str, str]]] = {
    400: ("invalid_request_error", "Simulated invalid request"),
    401: ("authentication_error", "invalid x-api-key"),
    402: ("billing_error", "Your credit balance is too low to access the Anthropic API."),
    403: (
        "permission_error",
        "Your API key does not have permission to use the specified resource.",
    ),
    404: ("not_found_error", "The requested resource could not be found."),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
    500: ("api_error", "Internal server error"),
    503: ("overloaded_error", "Service temporarily unavailable"),
    504: ("timeout_error", "Request timed out"),
    529: ("overloaded_error", "Overloaded"),
}

# status -> (OpenAI error.type, error.code, message used for injected faults)
OPENAI_ERRORS: Final[dict[int, tuple[str, str | None, str]]] = {
    400: ("invalid_request_error", None, "Simulated invalid request"),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("permission_error", None, "You are not allowed to access this resource."),
    404: ("invalid_request_error", "model_not_found", "The requested resource does not exist."),
    413: ("invalid_request_error", "request_too_large", "Request too large."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
    500: ("server_error", None, "The server had an error while processing your request."),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
    529: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


class SimError(Exception):
    """An error response; rendered in the shape of the provider whose path was called."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.error_type = error_type

    @classmethod
    def injected(cls, status: int, provider: str) -> SimError:
        """The canned error for a status requested with `x-sim-status`."""
        if provider == "anthropic":
            return cls(status, anthropic_error(status)[1])
        _, code, message = openai_error(status)
        return cls(status, message, code=code)


def anthropic_error(status: int) -> tuple[str, str]:
    """Anthropic (type, canned message) for a status; unknown 4xx/5xx fall back by class."""
    if status in ANTHROPIC_ERRORS:
        return ANTHROPIC_ERRORS[status]
    return ANTHROPIC_ERRORS[500 if status >= 500 else 400]


def openai_error(status: int) -> tuple[str, str | None, str]:
    """OpenAI (type, code, canned message) for a status; unknown ones fall back by class."""
    if status in OPENAI_ERRORS:
        return OPENAI_ERRORS[status]
    return OPENAI_ERRORS[500 if status >= 500 else 400]


def anthropic_error_body(error: SimError, request_id: str) -> bytes:
    """`{"type":"error","error":{"type","message"},"request_id"}`."""
    error_type = error.error_type or anthropic_error(error.status)[0]
    return orjson.dumps(
        {
            "type": "error",
            "error": {"type": error_type, "message": error.message},
            "request_id": request_id,
        }
    )


def openai_error_body(error: SimError) -> bytes:
    """`{"error":{"message","type","param","code"}}`."""
    error_type = error.error_type or openai_error(error.status)[0]
    return orjson.dumps(
        {
            "error": {
                "message": error.message,
                "type": error_type,
                "param": error.param,
                "code": error.code,
            }
        }
    )


def cohere_error_body(error: SimError, request_id: str) -> bytes:
    """Cohere's `{"id","message"}`."""
    return orjson.dumps({"id": request_id, "message": error.message})


def plain_error_body(status: int) -> bytes:
    """A non-JSON body, as a proxy in front of the provider might send."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return f"{status} {phrase}: simulated upstream failure\n".encode()
