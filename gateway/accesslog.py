"""The access log: upstream's fields and formats, written off the request path.

Field names and value formats follow Envoy AI Gateway's `examples/access-log` (Envoy's JSON access
log with the AI gateway's metadata): ISO-8601 UTC `start_time`, `request.path`, `response_code`,
`duration` in milliseconds, `x-request-id`, `gen_ai.*` models, provider and token counts, and
`null` for a value Envoy would print as `-`. The local gateway adds `route`, `backend`,
`attempts`, `stream`, `time_to_first_token` (ms), `costs` (each `llmRequestCosts` metadataKey)
and `error`. Secrets are never recorded: no header but the ones named here is read.

The request path only appends the finished `AccessRecord` to a deque; a writer thread formats
batches (JSON lines, or Envoy's default text format) and writes them. `RecentRequests` keeps the
last records for the admin `GET /requests`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal, Protocol

import orjson

from gateway.translation.usage import TokenUsage

__all__ = [
    "DEFAULT_RECENT",
    "AccessLogWriter",
    "AccessRecord",
    "LogFormat",
    "RecentRequests",
    "Sink",
]

LogFormat = Literal["json", "text"]
DEFAULT_RECENT: Final = 100
_FLUSH_INTERVAL: Final = 0.05


def _iso(epoch: float) -> str:
    """Envoy's %START_TIME%: `2006-01-02T15:04:05.000Z`."""
    seconds = int(epoch)
    millis = min(round((epoch - seconds) * 1_000_000) // 1000, 999)
    return f"{_iso_seconds(seconds)}.{millis:03d}Z"


@lru_cache(maxsize=8)
def _iso_seconds(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def _address(pair: tuple[str, int] | None) -> str | None:
    return None if pair is None else f"{pair[0]}:{pair[1]}"


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(seconds * 1000)


@dataclass(slots=True)
class AccessRecord:
    """What one request did; filled in as it goes and logged once at the end."""

    method: str
    path: str
    start_time: float
    request_id: str = ""
    http_version: str = "1.1"
    authority: str | None = None
    user_agent: str | None = None
    forwarded_for: str | None = None
    downstream_remote: tuple[str, int] | None = None  # ASGI `client` (formatted off the hot path)
    downstream_local: tuple[str, int] | None = None  # ASGI `server`
    header_fields: dict[str, str] = field(default_factory=dict)
    # The ASGI scope and the log's header mapping: the client-side fields above are read from
    # them when the record is formatted (off the request path), see `_resolve`.
    scope: Mapping[str, Any] | None = None
    log_headers: Mapping[str, str] = field(default_factory=dict)
    metric_labels: tuple[str, ...] = ()
    status: int = 0
    bytes_received: int = 0
    bytes_sent: int = 0
    model: str | None = None
    request_model: str | None = None
    response_model: str | None = None
    route: str | None = None
    backend: str | None = None
    provider: str | None = None
    upstream_host: str | None = None
    upstream_service_time: float | None = None
    attempts: int = 0
    stream: bool = False
    usage: TokenUsage | None = None
    costs: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0
    ttft: float | None = None
    error: str | None = None

    def _resolve(self) -> None:
        """Fill the client-side fields from the ASGI scope (once; idempotent across threads)."""
        scope, self.scope = self.scope, None
        if scope is None:
            return
        wanted = {"host", "user-agent", "x-forwarded-for", *self.log_headers}
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers", ()):
            name = raw_name.decode("latin-1")
            if name in wanted and name not in headers:
                headers[name] = raw_value.decode("latin-1")
        self.http_version = scope.get("http_version", "1.1")
        self.authority = headers.get("host")
        self.user_agent = headers.get("user-agent")
        self.forwarded_for = headers.get("x-forwarded-for")
        self.downstream_remote = scope.get("client")
        self.downstream_local = scope.get("server")
        self.header_fields = {
            attribute: headers[header]
            for header, attribute in self.log_headers.items()
            if header in headers
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON log entry, upstream's fields first."""
        self._resolve()
        usage = self.usage
        entry: dict[str, Any] = {
            "start_time": _iso(self.start_time),
            "method": self.method,
            "request.path": self.path,
            "x-envoy-origin-path": self.path,
            "response_code": self.status,
            "bytes_received": self.bytes_received,
            "bytes_sent": self.bytes_sent,
            "duration": _ms(self.duration),
            "x-envoy-upstream-service-time": _ms(self.upstream_service_time),
            "x-forwarded-for": self.forwarded_for,
            "user-agent": self.user_agent,
            "x-request-id": self.request_id,
            "upstream_host": self.upstream_host,
            "upstream_cluster": self.route,
            "downstream_local_address": _address(self.downstream_local),
            "downstream_remote_address": _address(self.downstream_remote),
            "gen_ai.request.model": self.request_model or self.model,
            "gen_ai.response.model": self.response_model,
            "gen_ai.provider.name": self.provider,
            "gen_ai.usage.input_tokens": None if usage is None else usage.input_tokens,
            "gen_ai.usage.output_tokens": None if usage is None else usage.output_tokens,
            "gen_ai.usage.reasoning_tokens": None if usage is None else usage.reasoning_tokens,
            "gen_ai.usage.cached_input_tokens": None
            if usage is None
            else usage.cached_input_tokens,
            "gen_ai.usage.cache_creation_input_tokens": (
                None if usage is None else usage.cache_creation_input_tokens
            ),
            "gen_ai.original.model": self.model,
            **self.header_fields,
            "route": self.route,
            "backend": self.backend,
            "attempts": self.attempts,
            "stream": self.stream,
            "time_to_first_token": _ms(self.ttft),
            "costs": self.costs,
        }
        if self.error is not None:
            entry["error"] = self.error
        return entry

    def to_json(self) -> bytes:
        """One JSON log line (no newline)."""
        return orjson.dumps(self.to_dict())

    def to_text(self) -> str:
        """Envoy's default text format, then the gen_ai fields as `key=value`."""
        self._resolve()

        def q(value: str | None) -> str:
            return f'"{value}"' if value else '"-"'

        def n(value: int | None) -> str:
            return "-" if value is None else str(value)

        usage = self.usage
        line = (
            f'[{_iso(self.start_time)}] "{self.method} {self.path} HTTP/{self.http_version}" '
            f"{self.status} - {self.bytes_received} {self.bytes_sent} {_ms(self.duration)} "
            f"{n(_ms(self.upstream_service_time))} {q(self.forwarded_for)} {q(self.user_agent)} "
            f"{q(self.request_id)} {q(self.authority)} {q(self.upstream_host)}"
        )
        extra: dict[str, Any] = {
            "gen_ai.request.model": self.request_model or self.model,
            "gen_ai.response.model": self.response_model,
            "gen_ai.provider.name": self.provider,
            "gen_ai.usage.input_tokens": None if usage is None else usage.input_tokens,
            "gen_ai.usage.output_tokens": None if usage is None else usage.output_tokens,
            **self.header_fields,
            "backend": self.backend,
            **self.costs,
            "error": self.error,
        }
        pairs = " ".join(
            f"{key}={orjson.dumps(value).decode() if isinstance(value, str) else value}"
            for key, value in extra.items()
            if value is not None
        )
        return f"{line} {pairs}" if pairs else line

    @property
    def summary(self) -> dict[str, Any]:
        """The row of `GET /requests`: id, status, models, latency, ttft and tokens."""
        usage = self.usage
        return {
            "x-request-id": self.request_id,
            "start_time": _iso(self.start_time),
            "request.path": self.path,
            "response_code": self.status,
            "model": self.model,
            "backend": self.backend,
            "stream": self.stream,
            "duration_ms": round(self.duration * 1000, 3),
            "ttft_ms": None if self.ttft is None else round(self.ttft * 1000, 3),
            "input_tokens": None if usage is None else usage.input_tokens,
            "output_tokens": None if usage is None else usage.output_tokens,
            "error": self.error,
        }


class Sink(Protocol):
    """Where finished records go."""

    def submit(self, record: AccessRecord) -> None: ...


class RecentRequests:
    """The last `limit` finished records (newest last), for the admin `GET /requests`."""

    __slots__ = ("_records",)

    def __init__(self, limit: int = DEFAULT_RECENT) -> None:
        self._records: deque[AccessRecord] = deque(maxlen=limit)

    def submit(self, record: AccessRecord) -> None:
        self._records.append(record)

    def latest(self, limit: int | None = None) -> list[AccessRecord]:
        """Up to `limit` most recent records, oldest first."""
        records = list(self._records)
        return records if limit is None else records[-limit:] if limit > 0 else []


class AccessLogWriter:
    """Formats and writes records from a daemon thread, in batches every 50 ms.

    `submit` only appends to a deque (atomic under the GIL), so the event loop never formats,
    locks or does I/O for the log. `close()` (or `flush()`) writes what is pending. `broken` is
    called when the output's reader went away (a broken pipe).
    """

    def __init__(
        self,
        write: Callable[[bytes], Any],
        log_format: LogFormat = "json",
        *,
        flush: Callable[[], Any] | None = None,
        broken: Callable[[], Any] | None = None,
        interval: float = _FLUSH_INTERVAL,
    ) -> None:
        if log_format not in ("json", "text"):
            raise ValueError(f"log format must be 'json' or 'text', not {log_format!r}")
        self._write = write
        self._flush_stream = flush
        self._broken = broken
        self._format = log_format
        self._interval = interval
        self._pending: deque[AccessRecord] = deque()
        self._lock = threading.Lock()  # one batch at a time (thread vs flush())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aigw-access-log", daemon=True)
        self._thread.start()

    def submit(self, record: AccessRecord) -> None:
        self._pending.append(record)

    def _encode(self, records: Iterable[AccessRecord]) -> bytes:
        if self._format == "json":
            return b"".join(record.to_json() + b"\n" for record in records)
        return "".join(record.to_text() + "\n" for record in records).encode()

    def flush(self) -> None:
        """Write every pending record now."""
        with self._lock:
            pending = self._pending
            batch: list[AccessRecord] = []
            while pending:
                batch.append(pending.popleft())
            if not batch:
                return
            try:
                self._write(self._encode(batch))
                if self._flush_stream is not None:
                    self._flush_stream()
            except BrokenPipeError:  # the reader went away: the log stops, the gateway goes on
                if self._broken is not None:
                    self._broken()
            except (OSError, ValueError):  # a closed or failing output: this batch is lost
                pass

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.flush()

    def close(self) -> None:
        """Stop the thread and write what is pending (safe to call twice)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.flush()
