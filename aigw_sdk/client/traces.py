"""A loopback OTLP/HTTP trace receiver: see the gateway's spans without a collector.

``TraceReceiver`` accepts ``POST /v1/traces`` (protobuf, as the gateway's OTLP exporter sends, or
JSON) and keeps the spans in memory. Point the gateway at it with
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=receiver.traces_endpoint``. Needs ``opentelemetry-proto``
(the ``notebook`` extra).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

__all__ = ["ReceivedSpan", "TraceReceiver", "decode_spans"]

_KINDS = {0: "UNSPECIFIED", 1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}
_STATUS = {0: "UNSET", 1: "OK", 2: "ERROR"}
_BODY_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class ReceivedSpan:
    """One span as received over OTLP (ids are lower-case hex)."""

    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    kind: str
    start_ns: int
    end_ns: int
    status: str
    status_message: str
    attributes: dict[str, Any] = field(repr=False)
    events: list[tuple[str, dict[str, Any]]] = field(repr=False)
    resource: dict[str, Any] = field(repr=False)

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6


def _value(any_value: Any) -> Any:
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    value = getattr(any_value, kind)
    if kind == "array_value":
        return [_value(v) for v in value.values]
    if kind == "kvlist_value":
        return {kv.key: _value(kv.value) for kv in value.values}
    return value


def _attributes(pairs: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in pairs}


def decode_spans(body: bytes, content_type: str) -> list[ReceivedSpan]:
    """The spans of one OTLP ``ExportTraceServiceRequest`` (protobuf or JSON)."""
    from google.protobuf import json_format
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )

    request = ExportTraceServiceRequest()
    if "json" in content_type:
        json_format.Parse(body, request)
    else:
        request.ParseFromString(body)
    spans: list[ReceivedSpan] = []
    for resource_spans in request.resource_spans:
        resource = _attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    ReceivedSpan(
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        kind=_KINDS.get(span.kind, str(span.kind)),
                        start_ns=span.start_time_unix_nano,
                        end_ns=span.end_time_unix_nano,
                        status=_STATUS.get(span.status.code, str(span.status.code)),
                        status_message=span.status.message,
                        attributes=_attributes(span.attributes),
                        events=[(e.name, _attributes(e.attributes)) for e in span.events],
                        resource=resource,
                    )
                )
    return spans


class TraceReceiver:
    """``with TraceReceiver() as receiver:`` an OTLP/HTTP endpoint on 127.0.0.1 keeping spans."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._spans: list[ReceivedSpan] = []
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path != "/v1/traces":
                    self.send_error(404, f"unknown path {self.path}")
                    return
                length = int(self.headers.get("content-length") or 0)
                if length > _BODY_LIMIT:
                    self.send_error(413, "export request too large")
                    return
                body = self.rfile.read(length)
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                try:
                    spans = decode_spans(body, self.headers.get("content-type") or "")
                except Exception as exc:  # a malformed export is the sender's error
                    self.send_error(400, f"not an OTLP trace export: {exc}")
                    return
                receiver._add(spans)
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        """The base URL (``OTEL_EXPORTER_OTLP_ENDPOINT``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def traces_endpoint(self) -> str:
        """The traces URL (``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``)."""
        return self.endpoint + "/v1/traces"

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="aigw-trace-receiver", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _add(self, spans: list[ReceivedSpan]) -> None:
        with self._lock:
            self._spans.extend(spans)
            self._lock.notify_all()

    @property
    def spans(self) -> list[ReceivedSpan]:
        """Every span received so far, in arrival order."""
        with self._lock:
            return list(self._spans)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedSpan]:
        """Wait until at least ``count`` spans arrived; return them all (raise on timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._spans) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._spans)} of {count} spans arrived in {timeout}s")
                self._lock.wait(left)
            return list(self._spans)

    def clear(self) -> None:
        with self._lock:
            self._spans.clear()

    def __iter__(self) -> Iterator[ReceivedSpan]:
        return iter(self.spans)
