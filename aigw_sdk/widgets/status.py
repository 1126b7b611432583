"""StatusPanel: gateway health, the routes -> backends table and gen_ai counters at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from aigw_sdk.client.errors import GatewayError
from aigw_sdk.client.metrics import GatewayMetrics
from aigw_sdk.client.sync_client import GatewayClient
from aigw_sdk.models.registry import parse_resource
from aigw_sdk.widgets._ipw import error_html, ipywidgets, mimebundle
from aigw_sdk.widgets.reprs import html_cell, html_table
from aigw_sdk.widgets.summary import RouteRow, route_rows

if TYPE_CHECKING:
    from aigw_sdk.bundle import Bundle
    from aigw_sdk.local import LocalGateway


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


class StatusPanel:
    """A refreshable panel for a :class:`~aigw_sdk.local.LocalGateway` (or any gateway given a
    client with ``admin_url`` and the bundle it serves; the caller closes that client)."""

    def __init__(
        self,
        gateway: LocalGateway | None = None,
        *,
        client: GatewayClient | None = None,
        bundle: Bundle | None = None,
    ) -> None:
        if client is None and (gateway is None or gateway.url is None):
            raise ValueError("gateway: pass a running LocalGateway, or client= and bundle=")
        if client is not None and client.admin_url is None:
            raise ValueError("client: needs admin_url= for /health and /metrics")
        w = ipywidgets()
        self.gateway = gateway
        self.client = client
        self.bundle = bundle
        self.snapshot: Snapshot | None = None
        self.health = w.HTML(value="").add_class("aigw-status-health")
        self.routes = w.HTML(value="").add_class("aigw-status-routes")
        self.counters = w.HTML(value="").add_class("aigw-status-counters")
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.widget = w.VBox(
            [
                w.HBox([self.health, self.refresh_button]),
                w.HTML(value="<b>Routes</b>"),
                self.routes,
                w.HTML(value="<b>Traffic (gen_ai metrics)</b>"),
                self.counters,
            ]
        ).add_class("aigw-status")
        self.refresh()

    def __repr__(self) -> str:
        return str(self.snapshot) if self.snapshot is not None else "StatusPanel()"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return mimebundle(self.widget, repr(self), **kwargs)

    def refresh(self) -> Snapshot:
        """Read health, routes and metrics again and redraw."""
        if self.client is not None:
            return self._refresh(self.client)
        assert self.gateway is not None
        if self.gateway.url is None:
            raise RuntimeError("the LocalGateway is stopped")
        with GatewayClient(self.gateway.url, admin_url=self.gateway.admin_url) as client:
            return self._refresh(client)

    def _refresh(self, client: GatewayClient) -> Snapshot:
        try:
            health = client.health()
        except GatewayError:
            healthy, label = False, "unreachable"
        else:
            healthy, label = health.ok, "healthy" if health.ok else str(health)
        color = "#1b7f3b" if healthy else "#b00020"
        self.health.value = f"<b>Gateway</b> <span style='color:{color}'>&#9679; {label}</span>"
        rows = self._routes()
        self.routes.value = html_table(
            ("model", "backends", "route"),
            (
                "<tr>"
                + html_cell(r.model, code=True)
                + html_cell(", ".join(r.backends))
                + html_cell(r.route)
                + "</tr>"
                for r in rows
            ),
        )
        metrics: GatewayMetrics | None = None
        try:
            metrics = client.metrics()
        except GatewayError as exc:
            self.counters.value = error_html(exc)
        if metrics is not None:
            self.counters.value = _counters_html(metrics)
        self.snapshot = Snapshot(healthy, rows, metrics)
        return self.snapshot

    def _routes(self) -> list[RouteRow]:
        if self.bundle is not None:
            return route_rows(self.bundle)
        if self.gateway is not None and self.gateway.running:
            resources = self.gateway.config().get("resources", [])
            return route_rows(parse_resource(r) for r in resources if isinstance(r, dict))
        return []


def _counters_html(metrics: GatewayMetrics) -> str:
    rows = [
        "<tr>"
        + html_cell(c.model, code=True)
        + "".join(
            html_cell(str(v))
            for v in (
                c.requests,
                c.errors,
                c.input_tokens,
                c.output_tokens,
                c.cached_input_tokens,
                c.cache_creation_input_tokens,
            )
        )
        + "</tr>"
        for c in metrics.by_model()
    ]
    if not rows:
        return f"<i>{escape('no gen_ai requests recorded yet')}</i>"
    headers = ("model", "requests", "errors", "input", "output", "cache read", "cache write")
    return html_table(headers, rows)
