// Status board: health, polling interval and pause, charts over time, routes and their health.
import { lineChart, PALETTE } from "./charts.js";
import { h, widgetRoot } from "./dom.js";

const INTERVALS = [1, 2, 5, 10, 30];

function chartBox(title, series, unit, cls) {
  const legend = h("div", { class: "aigw-chart-legend" }, series.map((s) => h("span", {}, h("i", { style: `background:${s.color}${s.dash ? ";opacity:.6" : ""}` }), s.name)));
  return h("div", { class: `aigw-chart ${cls}` }, h("div", { class: "aigw-chart-title", text: title }), legend, lineChart(series, { unit }));
}

function render({ model, el }) {
  const root = widgetRoot("aigw-status");
  el.append(root);
  const health = h("span", { class: "aigw-status-health" });
  const every = h("select", { class: "aigw-status-interval" }, INTERVALS.map((s) => h("option", { value: String(s), text: `every ${s} s` })));
  const pause = h("button", { type: "button", class: "aigw-status-pause" });
  const updated = h("span", { class: "aigw-muted aigw-status-updated" });
  const error = h("span", { class: "aigw-chat-error aigw-status-error" });
  const charts = h("div", { class: "aigw-charts" });
  const routes = h("div", { class: "aigw-status-routes" });
  root.append(
    h("div", { class: "aigw-status-head" }, h("span", { class: "aigw-title", text: "Gateway" }), health, h("span", { class: "aigw-spacer" }), updated, every, pause),
    error,
    charts,
    h("div", { class: "aigw-section", text: "Routes" }),
    routes,
  );

  every.addEventListener("change", () => {
    model.set("interval", parseFloat(every.value));
    model.save_changes();
  });
  pause.addEventListener("click", () => {
    model.set("paused", !model.get("paused"));
    model.save_changes();
  });

  function syncHead() {
    const state = model.get("health") || {};
    const dot = state.ok === undefined ? "idle" : state.ok ? "ok" : "bad";
    health.replaceChildren(h("span", { class: `aigw-dot aigw-dot-${dot}` }), state.label || "unknown");
    const interval = model.get("interval");
    if (!INTERVALS.includes(interval)) every.prepend(h("option", { value: String(interval), text: `every ${interval} s` }));
    every.value = String(interval);
    const paused = model.get("paused");
    pause.textContent = paused ? "Resume" : "Pause";
    root.classList.toggle("aigw-paused", paused);
    updated.textContent = `${paused ? "paused · " : "live · "}updated ${model.get("updated") || "–"}`;
    error.textContent = model.get("error") || "";
  }

  function syncCharts() {
    const points = model.get("points") || [];
    const at = (key) => points.map((p) => [p.t, p[key]]);
    const models = [...new Set(points.flatMap((p) => Object.keys(p.tokens || {})))].sort();
    const tokenSeries = models.flatMap((name, i) => [
      { name: `${name} in`, color: PALETTE[i % PALETTE.length], points: points.map((p) => [p.t, p.tokens?.[name]?.in ?? 0]) },
      { name: `${name} out`, color: PALETTE[i % PALETTE.length], dash: true, points: points.map((p) => [p.t, p.tokens?.[name]?.out ?? 0]) },
    ]);
    charts.replaceChildren(
      chartBox("Requests and errors per second", [
        { name: "requests/s", color: PALETTE[0], points: at("rps") },
        { name: "errors/s", color: PALETTE[1], points: at("eps") },
      ], "/s", "aigw-chart-traffic"),
      chartBox("Latency and time to first token", [
        { name: "p50", color: PALETTE[0], points: at("p50_ms") },
        { name: "p95", color: PALETTE[4], points: at("p95_ms") },
        { name: "TTFT p50", color: PALETTE[2], points: at("ttft_p50_ms") },
      ], " ms", "aigw-chart-latency"),
      chartBox("Tokens per second by model", tokenSeries.length ? tokenSeries : [{ name: "no traffic yet", color: PALETTE[7], points: points.map((p) => [p.t, 0]) }], "/s", "aigw-chart-tokens"),
    );
    charts.dataset.points = String(points.length);
  }

  function syncRoutes() {
    const rows = model.get("routes") || [];
    if (!rows.length) {
      routes.replaceChildren(h("span", { class: "aigw-muted", text: "no routes" }));
      return;
    }
    const state = { ok: ["ok", "healthy"], errors: ["warn", "errors"], failing: ["bad", "failing"], idle: ["idle", "no traffic"] };
    routes.replaceChildren(
      h(
        "table",
        { class: "aigw-table" },
        h("thead", {}, h("tr", {}, ["model", "backends", "route", "health", "requests", "errors"].map((c) => h("th", { text: c })))),
        h(
          "tbody",
          {},
          rows.map((r) => {
            const [dot, label] = state[r.health] || state.idle;
            return h(
              "tr",
              {},
              h("td", {}, h("code", { text: r.model })),
              h("td", { text: r.backends.join(", ") }),
              h("td", { text: r.route }),
              h("td", {}, h("span", { class: `aigw-dot aigw-dot-${dot}` }), label),
              h("td", { text: String(r.requests) }),
              h("td", { text: String(r.errors) }),
            );
          }),
        ),
      ),
    );
  }

  const handlers = [
    ["change:health", syncHead],
    ["change:interval", syncHead],
    ["change:paused", syncHead],
    ["change:updated", syncHead],
    ["change:error", syncHead],
    ["change:points", syncCharts],
    ["change:routes", syncRoutes],
  ];
  for (const [name, fn] of handlers) model.on(name, fn);
  syncHead();
  syncCharts();
  syncRoutes();
  model.send({ type: "view", open: true });
  return () => {
    for (const [name, fn] of handlers) model.off(name, fn);
    model.send({ type: "view", open: false });
  };
}

export default { render };
