"""Request counters and the last request seen, for tests (`GET /_sim/stats`)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

import orjson

REDACTED: Final = "[redacted]"
_SECRET_HEADERS: Final = frozenset(
    {
        b"authorization",
        b"proxy-authorization",
        b"x-api-key",
        b"api-key",
        b"x-goog-api-key",
        b"cookie",
    }
)


class Stats:
    """Counts requests per path; keeps the last request with credentials redacted."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._last: tuple[str, str, list[tuple[bytes, bytes]], bytes] | None = None

    def record(self, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        """Count one request (its body is attached by `record_body`)."""
        self._counts[path] += 1
        self._last = (method, path, headers, b"")

    def record_body(self, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """Attach `body` to the request recorded with `headers` if it is still the last one.

        Requests run concurrently: when a later request was recorded while this body was being
        read, the body is dropped rather than shown with the later request's headers.
        """
        if self._last is not None and self._last[2] is headers:
            self._last = (*self._last[:3], body)

    def reset(self) -> None:
        """Forget counts and the last request."""
        self._counts.clear()
        self._last = None

    def snapshot(self) -> dict[str, Any]:
        """`{"total", "requests": {path: count}, "last_request": {method, path, headers, body}}`."""
        last: dict[str, Any] | None = None
        if self._last is not None:
            method, path, headers, body = self._last
            shown = {
                key.decode("latin-1"): REDACTED
                if key in _SECRET_HEADERS
                else value.decode("latin-1")
                for key, value in headers
            }
            last = {"method": method, "path": path, "headers": shown, "body": _body(body)}
        return {"total": self._counts.total(), "requests": dict(self._counts), "last_request": last}


def _body(body: bytes) -> Any:
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")
