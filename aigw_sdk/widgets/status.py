"""StatusPanel: a live board of a gateway: health, charts over time, routes and their health.

While a view of it is open in the browser (and it is not paused) a worker thread reads
``/health``, ``/metrics`` and the routes every ``interval`` seconds and appends one point:
requests/s and errors/s, latency p50/p95 and time-to-first-token p50 (from the histogram
buckets of that interval), tokens in/out per second per model. Polling stops when the last view
closes, when the widget is closed, and when the gateway stops.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets as t

from aigw_sdk.client.errors import GatewayError
from aigw_sdk.client.metrics import GatewayMetrics
from aigw_sdk.client.sync_client import GatewayClient
from aigw_sdk.models.registry import parse_resource
from aigw_sdk.widgets._frontend import CSS, esm
from aigw_sdk.widgets.summary import RouteRow, route_rows

if TYPE_CHECKING:
    from aigw_sdk.bundle import Bundle
    from aigw_sdk.local import LocalGateway

DURATION = "gen_ai_server_request_duration_seconds_bucket"
TTFT = "gen_ai_server_time_to_first_token_seconds_bucket"
MODEL_LABEL = "gen_ai_request_model"


@dataclass(frozen=True)
class Snapshot:
    """One reading of the gateway: health, routes and metrics (``None`` when unreachable)."""

    healthy: bool
    routes: list[RouteRow]
    metrics: GatewayMetrics | None

    def __str__(self) -> str:
        lines = [f"health: {'ok' if self.healthy else 'DOWN'}", "routes:"]
        lines += [f"  {row}" for row in self.routes] or ["  (none)"]
        lines.append("traffic:")
        text = str(self.metrics) if self.metrics is not None else "metrics unavailable"
        lines += [f"  {line}" for line in text.splitlines()]
        return "\n".join(lines)


class StatusPanel(anywidget.AnyWidget):
    """A live status board for a :class:`~aigw_sdk.local.LocalGateway` (or any gateway given a
    client with ``admin_url`` and the bundle it serves; the caller closes that client)."""

    _esm = esm("status")
    _css = CSS

    interval = t.Float(2.0, min=0.25).tag(sync=True)
    paused = t.Bool(False).tag(sync=True)
    health = t.Dict().tag(sync=True)
    points = t.List(t.Dict()).tag(sync=True)
    routes = t.List(t.Dict()).tag(sync=True)
    updated = t.Unicode("").tag(sync=True)
    error = t.Unicode("").tag(sync=True)

    def __init__(
        self,
        gateway: LocalGateway | None = None,
        *,
        client: GatewayClient | None = None,
        bundle: Bundle | None = None,
        interval: float = 2.0,
        keep: int = 150,
    ) -> None:
        if client is None and (gateway is None or gateway.url is None):
            raise ValueError("gateway: pass a running LocalGateway, or client= and bundle=")
        if client is not None and client.admin_url is None:
            raise ValueError("client: needs admin_url= for /health and /metrics")
        super().__init__(interval=interval)
        self.gateway = gateway
        self.client = client
        self.bundle = bundle
        self.keep = keep
        self.snapshot: Snapshot | None = None
        self._previous: tuple[float, GatewayMetrics] | None = None
        self._lock = threading.Lock()
        self._views = 0
        self._closed = False
        self._wake = threading.Event()
        self._poller: threading.Thread | None = None
        self.on_msg(self._on_front_end)
        self.observe(lambda _change: self._poll_if_wanted(), names=["paused", "interval"])
        self.refresh()

    def __repr__(self) -> str:
        return str(self.snapshot) if self.snapshot is not None else "StatusPanel()"

    @property
    def polling(self) -> bool:
        """Whether the worker thread is polling now."""
        return self._poller is not None and self._poller.is_alive()

    def refresh(self) -> Snapshot:
        """Read health, routes and metrics again; append a point to the charts."""
        with self._lock:
            if self.client is not None:
                return self._refresh(self.client)
            assert self.gateway is not None
            if self.gateway.url is None:
                self.health = {"ok": False, "label": "stopped"}
                self.error = "the LocalGateway is stopped"
                raise RuntimeError("the LocalGateway is stopped")
            with GatewayClient(self.gateway.url, admin_url=self.gateway.admin_url) as client:
                return self._refresh(client)

    def close(self) -> None:
        """Stop polling and close the widget."""
        self._closed = True
        self._wake.set()
        super().close()

    # -- internals ------------------------------------------------------------------------------
    def _on_front_end(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        if content.get("type") == "view":
            self._views = max(0, self._views + (1 if content.get("open") else -1))
            self._poll_if_wanted()

    def _wanted(self) -> bool:
        return self._views > 0 and not self.paused and not self._closed

    def _poll_if_wanted(self) -> None:
        self._wake.set()  # an open poller re-reads the interval or ends
        if self._wanted() and not self.polling:
            self._wake.clear()
            self._poller = threading.Thread(target=self._poll, daemon=True, name="aigw-status")
            self._poller.start()

    def _poll(self) -> None:
        while self._wanted():
            self._wake.wait(self.interval)
            self._wake.clear()
            if not self._wanted():
                return
            try:
                self.refresh()
            except RuntimeError:
                return  # the gateway stopped: nothing more to read

    def _refresh(self, client: GatewayClient) -> Snapshot:
        try:
            health = client.health()
        except GatewayError:
            healthy, label = False, "unreachable"
        else:
            healthy, label = health.ok, "healthy" if health.ok else str(health)
        self.health = {"ok": healthy, "label": label}
        rows = self._routes()
        metrics: GatewayMetrics | None = None
        try:
            metrics = client.metrics()
        except GatewayError as exc:
            self.error = f"metrics: {exc.message}"
        else:
            self.error = ""
        now = time.time()
        window = self._window(now, metrics)
        self.routes = [_route_state(row, window, metrics) for row in rows]
        self.updated = time.strftime("%H:%M:%S", time.localtime(now))
        self.snapshot = Snapshot(healthy, rows, metrics)
        return self.snapshot

    def _window(self, now: float, metrics: GatewayMetrics | None) -> GatewayMetrics | None:
        """Append the point for the interval since the last reading; that interval's metrics
        (as a difference of counters) for the routes' health, or None on the first reading."""
        if metrics is None:
            return None
        previous, self._previous = self._previous, (now, metrics)
        if previous is None:
            return None
        seconds = max(now - previous[0], 1e-3)
        point = interval_point(previous[1], metrics, seconds)
        point["t"] = round(now * 1000)
        self.points = [*self.points, point][-self.keep :]
        return _difference(previous[1], metrics)

    def _routes(self) -> list[RouteRow]:
        if self.bundle is not None:
            return route_rows(self.bundle)
        if self.gateway is not None and self.gateway.running:
            resources = self.gateway.config().get("resources", [])
            return route_rows(parse_resource(r) for r in resources if isinstance(r, dict))
        return []


def _difference(before: GatewayMetrics, after: GatewayMetrics) -> GatewayMetrics:
    """Counters of ``after`` minus ``before``, sample by sample (a restart counts from 0)."""
    old = {(s.name, tuple(sorted(s.labels.items()))): s.value for s in before.samples}
    samples = []
    for sample in after.samples:
        base = old.get((sample.name, tuple(sorted(sample.labels.items()))), 0.0)
        value = sample.value - base if sample.value >= base else sample.value
        samples.append(type(sample)(sample.name, sample.labels, value))
    return GatewayMetrics(tuple(samples))


def quantile(metrics: GatewayMetrics, bucket_metric: str, q: float) -> float | None:
    """The ``q`` quantile of a histogram summed over its label sets (Prometheus'
    ``histogram_quantile`` interpolation), or None without observations."""
    cumulative: dict[float, float] = {}
    for sample in metrics.select(bucket_metric):
        bound = float(sample.labels.get("le", "+Inf"))
        cumulative[bound] = cumulative.get(bound, 0.0) + sample.value
    bounds = sorted(cumulative)
    if not bounds or cumulative[bounds[-1]] <= 0:
        return None
    rank = q * cumulative[bounds[-1]]
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = cumulative[bound]
        if count >= rank:
            if bound == float("inf"):
                return lower
            inside = count - below
            return lower + (bound - lower) * ((rank - below) / inside if inside else 1.0)
        lower, below = bound, count
    return lower


def interval_point(before: GatewayMetrics, after: GatewayMetrics, seconds: float) -> dict[str, Any]:
    """One chart point for the interval between two readings."""
    window = _difference(before, after)
    requests = window.requests()

    def ms(value: float | None) -> float | None:
        return None if value is None or not requests else round(value * 1000, 1)

    tokens = {
        c.model: {
            "in": round((c.input_tokens) / seconds, 2),
            "out": round(c.output_tokens / seconds, 2),
        }
        for c in window.by_model()
    }
    return {
        "rps": round(requests / seconds, 3),
        "eps": round(window.errors() / seconds, 3),
        "p50_ms": ms(quantile(window, DURATION, 0.5)),
        "p95_ms": ms(quantile(window, DURATION, 0.95)),
        "ttft_p50_ms": ms(quantile(window, TTFT, 0.5)),
        "tokens": tokens,
    }


def _counts(metrics: GatewayMetrics | None, model: str) -> tuple[int, int]:
    if metrics is None or model.startswith("~") or model == "*":
        return 0, 0
    return metrics.requests(**{MODEL_LABEL: model}), metrics.errors(**{MODEL_LABEL: model})


def _route_state(
    row: RouteRow, window: GatewayMetrics | None, total: GatewayMetrics | None
) -> dict[str, Any]:
    """A routes-table row: health from the last interval (idle, ok, errors, failing), counts
    since the gateway started."""
    recent, recent_errors = _counts(window, row.model)
    if not recent:
        health = "idle"
    elif not recent_errors:
        health = "ok"
    else:
        health = "failing" if recent_errors >= recent else "errors"
    requests, errors = _counts(total, row.model)
    return {
        "model": row.model,
        "backends": list(row.backends),
        "route": row.route,
        "health": health,
        "requests": requests,
        "errors": errors,
    }
