"""What the data plane reports about each model request: request id, access log, span, metrics.

`Telemetry` is one gateway's set of outputs; `Telemetry.start()` gives the `Observation` of one
request, which the data plane calls at three points (request parsed, upstream headers built,
`send` wrapped). The record is completed just before the response's last byte goes out, so a
client that got its answer finds the request in `GET /requests`; a request that never completes
a response is completed by `finish()`.

Finished records go to `GET /requests` (always), the access-log writer (the CLI's stdout, formatted
on its own thread) and, only when an in-process subscriber attached a handler to the
`gateway.access` logger (a notebook, a test), to that logger as JSON. The command line never
attaches one, so its request path does no `logging`.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from random import getrandbits
from typing import Any, Final

from gateway.accesslog import DEFAULT_RECENT, AccessLogWriter, AccessRecord, RecentRequests
from gateway.header_attributes import HeaderAttributes
from gateway.metrics import DEFAULT_LABEL_VALUE_LIMIT, GenAIMetrics, RequestAttributes
from gateway.serving import Message, Scope, Send
from gateway.tracing import RequestSpan, Tracing

__all__ = ["ACCESS_LOGGER", "LABEL_LIMIT_VARIABLE", "REQUEST_ID_HEADER", "Observation", "Telemetry"]

REQUEST_ID_HEADER: Final = "x-request-id"
ACCESS_LOGGER: Final = logging.getLogger("gateway.access")
LABEL_LIMIT_VARIABLE: Final = "AIGW_METRICS_MAX_LABEL_VALUES"
_REQUEST_ID_BYTES: Final = REQUEST_ID_HEADER.encode()
_UUID_CLEAR: Final = ~((0xF << 76) | (0x3 << 62))
_UUID_SET: Final = (0x4 << 76) | (0x2 << 62)  # version 4, RFC 4122 variant
# A client's request id is kept when it is plain printable ASCII of sane length (Envoy keeps any).
_VALID_REQUEST_ID: Final = re.compile(r"[!-~]{1,200}")


def _new_request_id() -> str:
    """A random version-4 UUID, as Envoy makes (unique, not secret: no system call per request)."""
    n = getrandbits(128) & _UUID_CLEAR | _UUID_SET
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Telemetry:
    """One gateway's observability outputs and the header mappings they use."""

    def __init__(
        self,
        metrics: GenAIMetrics,
        *,
        tracing: Tracing | None = None,
        writer: AccessLogWriter | None = None,
        log_headers: Mapping[str, str] | None = None,
        recent: int = DEFAULT_RECENT,
    ) -> None:
        self.metrics = metrics
        self.tracing = tracing
        self.writer = writer
        self.recent = RecentRequests(recent)
        #: request header (lower-case) -> access-log field
        self.log_headers = dict(log_headers or {})
        # Headers read on the request path: the id, the trace context, header-mapped labels.
        # The access log's own (user-agent, host, mapped fields) are read when it is formatted.
        wanted = {REQUEST_ID_HEADER, *metrics.header_labels}
        if tracing is not None:
            wanted |= tracing.carrier_fields | set(tracing.span_headers)
        self._wanted = frozenset(h.encode() for h in wanted)
        self._closed = False

    def __repr__(self) -> str:
        tracing = self.tracing
        traced = (
            "off" if tracing is None else f"{tracing.semconv} (span headers {tracing.span_headers})"
        )
        return (
            f"Telemetry(tracing={traced}, metric header labels={self.metrics.header_labels}, "
            f"log headers={self.log_headers}, access log={'on' if self.writer else 'off'})"
        )

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, writer: AccessLogWriter | None = None
    ) -> Telemetry:
        """Metrics, tracing and header mappings as the environment says (`aigw run`'s variables).

        Raises `ValueError` naming the variable when one is malformed (the gateway must not start).
        """
        env = os.environ if env is None else env
        mappings = HeaderAttributes.from_env(env)
        raw_limit = env.get(LABEL_LIMIT_VARIABLE, "")
        if raw_limit and not (raw_limit.isdigit() and int(raw_limit) > 0):
            raise ValueError(
                f"{LABEL_LIMIT_VARIABLE}: expected a positive integer, not {raw_limit!r}"
            )
        metrics = GenAIMetrics(
            header_labels=mappings.metrics,
            label_value_limit=int(raw_limit) if raw_limit else DEFAULT_LABEL_VALUE_LIMIT,
        )
        tracing = Tracing.from_env(env, span_headers=mappings.spans)
        return cls(metrics, tracing=tracing, writer=writer, log_headers=mappings.logs)

    def start(self, scope: Scope, kind: str, path: str) -> Observation:
        """Begin observing one model request."""
        wanted = self._wanted
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in wanted
        }
        request_id = headers.get(REQUEST_ID_HEADER, "")
        if not _VALID_REQUEST_ID.fullmatch(request_id):
            request_id = _new_request_id()
        record = AccessRecord(
            scope["method"],
            path,
            time.time(),
            request_id=request_id,
            scope=scope,
            log_headers=self.log_headers,
        )
        if self.metrics.header_labels:
            record.metric_labels = tuple(
                headers.get(header, "") for header in self.metrics.header_labels
            )
        span = None
        if self.tracing is not None and kind in ("messages", "count_tokens", "chat"):
            carrier = {k: v for k, v in headers.items() if k in self.tracing.carrier_fields}
            span = self.tracing.start(kind, carrier)  # type: ignore[arg-type]
        return Observation(self, record, span, headers, kind)

    def complete(self, record: AccessRecord, operation: str) -> None:
        """Hand a finished record to the outputs (metrics once a route was chosen)."""
        if record.route is not None:
            model = record.model or ""
            request_model = record.request_model or model
            attrs = RequestAttributes(
                operation=operation,
                provider=record.provider or "",
                original_model=model,
                request_model=request_model,
                response_model=record.response_model or request_model,
                headers=record.metric_labels,
            )
            self.metrics.record(
                attrs,
                duration=record.duration,
                success=record.status < 400 and record.error is None,
                usage=record.usage,
                ttft=record.ttft,
            )
        self.recent.submit(record)
        if self.writer is not None:
            self.writer.submit(record)
        if ACCESS_LOGGER.isEnabledFor(logging.INFO):  # an in-process subscriber (never the CLI)
            ACCESS_LOGGER.info(record.to_json().decode())

    def close(self) -> None:
        """Write what is pending and flush spans (at shutdown; later calls do nothing)."""
        if self._closed:
            return
        self._closed = True
        if self.writer is not None:
            self.writer.close()
        if self.tracing is not None:
            self.tracing.shutdown()


class Observation:
    """The observation of one request (see the module docstring for the call points)."""

    __slots__ = ("_done", "_headers", "_kind", "_started", "_telemetry", "record", "span")

    def __init__(
        self,
        telemetry: Telemetry,
        record: AccessRecord,
        span: RequestSpan | None,
        headers: dict[str, str],
        kind: str,
    ) -> None:
        self._telemetry = telemetry
        self._kind = kind
        self.record = record
        self.span = span
        self._headers = headers
        self._started = time.perf_counter()
        self._done = False

    def request(self, body: dict[str, Any], raw: bytes) -> None:
        """The client's request body, parsed."""
        self.record.bytes_received = len(raw)
        if self.span is not None:
            self.span.request(body, raw)

    def upstream_headers(self, headers: dict[str, str]) -> None:
        """Add the request id and the trace context to the headers sent upstream."""
        headers[REQUEST_ID_HEADER] = self.record.request_id
        if self.span is not None:
            self.span.inject(headers)

    def wrap(self, send: Send) -> Send:
        """`send` that adds `x-request-id`, counts bytes and completes the record on the last."""
        record = self.record
        request_id = record.request_id.encode()
        span = self.span

        async def observed(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.body":
                body = message.get("body", b"")
                record.bytes_sent += len(body)
                more = message.get("more_body", False)
                if span is not None and body:
                    span.response_chunk(body, more or record.stream)
                if not more:
                    self.complete()
            elif kind == "http.response.start":  # the data plane never relays upstream's id
                message["headers"] = [*message.get("headers", ()), (_REQUEST_ID_BYTES, request_id)]
            await send(message)

        return observed

    def complete(self) -> None:
        """Finish the record (and span) and hand it to the outputs; later calls do nothing."""
        if self._done:
            return
        self._done = True
        record = self.record
        record.duration = time.perf_counter() - self._started
        if self.span is not None:
            self.span.end(record, self._headers)
        self._telemetry.complete(record, self._kind)

    def finish(self) -> None:
        """The request handler returned (or raised): complete the record if no response did."""
        self.complete()
