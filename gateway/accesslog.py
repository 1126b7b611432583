"""One JSON access-log line per request on the `gateway.access` logger (never secrets)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from gateway.translation.usage import TokenUsage

__all__ = ["ACCESS_LOGGER", "AccessRecord", "log_access"]

ACCESS_LOGGER: Final = logging.getLogger("gateway.access")


@dataclass(slots=True)
class AccessRecord:
    """What one request did; filled in as it goes and logged once at the end."""

    method: str
    path: str
    start_time: float
    status: int = 0
    model: str | None = None
    request_model: str | None = None
    response_model: str | None = None
    route: str | None = None
    backend: str | None = None
    provider: str | None = None
    attempts: int = 0
    stream: bool = False
    usage: TokenUsage | None = None
    costs: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0
    ttft: float | None = None
    error: str | None = None

    def to_json(self) -> bytes:
        """The log line."""
        usage = self.usage
        line: dict[str, Any] = {
            "start_time": self.start_time,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "gen_ai.original.model": self.model,
            "gen_ai.request.model": self.request_model,
            "gen_ai.response.model": self.response_model,
            "route": self.route,
            "backend": self.backend,
            "gen_ai.provider.name": self.provider,
            "attempts": self.attempts,
            "stream": self.stream,
            "duration_ms": round(self.duration * 1000, 3),
            "ttft_ms": None if self.ttft is None else round(self.ttft * 1000, 3),
            "costs": self.costs,
        }
        if usage is not None:
            line["gen_ai.usage.input_tokens"] = usage.input_tokens
            line["gen_ai.usage.cached_input_tokens"] = usage.cached_input_tokens
            line["gen_ai.usage.cache_creation_input_tokens"] = usage.cache_creation_input_tokens
            line["gen_ai.usage.output_tokens"] = usage.output_tokens
            line["gen_ai.usage.reasoning_tokens"] = usage.reasoning_tokens
        if self.error is not None:
            line["error"] = self.error
        return orjson.dumps(line)


def log_access(record: AccessRecord) -> None:
    """Emit the record at INFO (serialised only when someone listens)."""
    if ACCESS_LOGGER.isEnabledFor(logging.INFO):
        ACCESS_LOGGER.info(record.to_json().decode())
