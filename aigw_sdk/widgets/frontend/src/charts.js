// Small SVG line charts (no library): time on x, one or more series on y.
const NS = "http://www.w3.org/2000/svg";
export const PALETTE = ["#2f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0969da", "#57606a"];

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function format(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
}

/** series: [{name, color, dash, points: [[tMillis, value|null], ...]}]; returns the SVG. */
export function lineChart(series, { unit = "", width = 320, height = 120 } = {}) {
  const left = 46, right = 6, top = 6, bottom = 16;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", class: "aigw-line-chart" });
  const all = series.flatMap((s) => s.points.filter((p) => p[1] !== null && p[1] !== undefined));
  const times = series.flatMap((s) => s.points.map((p) => p[0]));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const yMax = niceMax(Math.max(0, ...all.map((p) => p[1])));
  const x = (t) => left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (width - left - right) : width - right);
  const y = (v) => top + (1 - v / yMax) * (height - top - bottom);
  for (const fraction of [0, 0.5, 1]) {
    const value = yMax * fraction;
    root.append(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "aigw-grid" }));
    root.append(svg("text", { x: left - 3, y: y(value) + 3, "text-anchor": "end" }, `${format(value)}${fraction === 1 ? unit : ""}`));
  }
  if (times.length) {
    const span = Math.round((t1 - t0) / 1000);
    root.append(svg("text", { x: width - right, y: height - 3, "text-anchor": "end" }, "now"));
    root.append(svg("text", { x: left, y: height - 3 }, span ? `-${span}s` : ""));
  }
  const present = (p) => p && p[1] !== null && p[1] !== undefined;
  for (const s of series) {
    let d = "";
    let pen = false;
    s.points.forEach((point, i) => {
      if (!present(point)) { pen = false; return; }
      const [px, py] = [x(point[0]).toFixed(1), y(point[1]).toFixed(1)];
      if (!present(s.points[i - 1]) && !present(s.points[i + 1])) {
        root.append(svg("circle", { cx: px, cy: py, r: 2.2, fill: s.color, "data-series": s.name }));
      }
      d += `${pen ? "L" : "M"}${px},${py}`;
      pen = true;
    });
    if (!d) continue;
    const attrs = { d, fill: "none", stroke: s.color, "stroke-width": 1.6, "vector-effect": "non-scaling-stroke", "data-series": s.name };
    if (s.dash) attrs["stroke-dasharray"] = "4 3";
    root.append(svg("path", attrs));
  }
  return root;
}
