// Bundle editor: YAML with highlighting and line numbers, validation issues marked at their
// lines (the source is sent to the kernel debounced), a diff preview before every apply.
import { h, widgetRoot } from "./dom.js";
import { highlightLine } from "./yaml.js";

const DEBOUNCE_MS = 300;

function render({ model, el }) {
  const root = widgetRoot("aigw-editor");
  el.append(root);
  const summary = h("span", { class: "aigw-chip aigw-editor-summary" });
  const preset = h("select", { class: "aigw-editor-preset" });
  const gutter = h("div", { class: "aigw-gutter" });
  const pre = h("pre", { class: "aigw-editor-highlight", "aria-hidden": "true" });
  const area = h("textarea", { class: "aigw-editor-source", spellcheck: "false", autocomplete: "off", wrap: "off" });
  const issues = h("div", { class: "aigw-issues" });
  const status = h("span", { class: "aigw-editor-status" });
  const diff = h("pre", { class: "aigw-diff aigw-hidden" });
  const confirm = h("button", { type: "button", class: "aigw-primary aigw-editor-confirm aigw-hidden", text: "Apply these changes" });
  const cancel = h("button", { type: "button", class: "aigw-editor-cancel aigw-hidden", text: "Cancel" });
  const buttons = {
    "diff-gateway": h("button", { type: "button", class: "aigw-editor-apply-gateway aigw-primary", text: "Apply to local gateway…" }),
    "diff-cluster": h("button", { type: "button", class: "aigw-editor-apply-cluster", text: "Apply to cluster…" }),
    "dry-run": h("button", { type: "button", class: "aigw-editor-dry-run", text: "Dry-run on cluster" }),
  };
  root.append(
    h("div", { class: "aigw-toolbar" }, h("span", { class: "aigw-title", text: "Bundle" }), summary, h("span", { class: "aigw-spacer" }), h("label", { class: "aigw-muted" }, "preset ", preset)),
    h("div", { class: "aigw-editor-body" }, gutter, h("div", { class: "aigw-code-area" }, pre, area)),
    issues,
    h("div", { class: "aigw-editor-actions" }, Object.values(buttons), status),
    diff,
    h("div", { class: "aigw-editor-actions" }, confirm, cancel),
  );

  let timer = null;
  let marks = new Map(); // line -> severity

  function paint() {
    const lines = area.value.split("\n");
    pre.innerHTML = lines
      .map((line, i) => {
        const severity = marks.get(i + 1);
        return `<span class="aigw-line${severity ? ` aigw-line-${severity}` : ""}" data-line="${i + 1}">${highlightLine(line) || " "}</span>`;
      })
      .join("");
    gutter.innerHTML = lines.map((_, i) => `<div class="${marks.has(i + 1) ? `aigw-line-${marks.get(i + 1)}` : ""}">${i + 1}</div>`).join("");
    syncScroll();
  }

  function syncScroll() {
    pre.scrollTop = area.scrollTop;
    pre.scrollLeft = area.scrollLeft;
    gutter.scrollTop = area.scrollTop;
  }

  function goTo(line) {
    const lines = area.value.split("\n");
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
    area.scrollTop = Math.max(0, (line - 4) * 18);
    syncScroll();
  }

  function syncSource() {
    if (area.value !== model.get("source")) {
      area.value = model.get("source");
      paint();
    }
  }

  function syncIssues() {
    const list = model.get("marks") || [];
    marks = new Map();
    for (const issue of list) {
      if (!issue.line) continue;
      if (marks.get(issue.line) !== "error") marks.set(issue.line, issue.severity === "error" ? "error" : "warning");
    }
    issues.replaceChildren(
      ...list.map((issue) =>
        h(
          "div",
          { class: `aigw-issue aigw-issue-${issue.severity}`, onclick: () => issue.line && goTo(issue.line) },
          h("span", { class: "aigw-issue-line", text: issue.line ? `line ${issue.line}` : "" }),
          h("span", { class: "aigw-issue-sev", text: issue.severity }),
          h("span", { text: [issue.object, issue.path].filter(Boolean).join(" · ") }),
          h("span", { text: issue.message }),
        ),
      ),
    );
    summary.textContent = model.get("summary");
    summary.style.color = list.some((i) => i.severity === "error") ? "var(--aigw-red)" : list.length ? "var(--aigw-amber)" : "var(--aigw-green)";
    paint();
  }

  function syncTargets() {
    const targets = model.get("targets") || {};
    buttons["diff-gateway"].disabled = !targets.gateway;
    buttons["diff-cluster"].disabled = !targets.cluster;
    buttons["dry-run"].disabled = !targets.cluster;
    const presets = model.get("presets") || [];
    if (preset.options.length !== presets.length + 1) preset.replaceChildren(h("option", { value: "", text: "(custom)" }), ...presets.map((p) => h("option", { value: p, text: p })));
  }

  function syncStatus() {
    const state = model.get("status") || {};
    status.textContent = state.text || "";
    status.className = `aigw-editor-status ${state.kind === "ok" ? "aigw-ok" : state.kind === "bad" ? "aigw-bad" : ""}`;
    const text = model.get("diff");
    const pending = model.get("pending");
    diff.classList.toggle("aigw-hidden", !text);
    diff.innerHTML = "";
    for (const line of (text || "").split("\n")) {
      const cls = line.startsWith("+") ? "aigw-add" : line.startsWith("-") ? "aigw-del" : line.startsWith("@@") ? "aigw-hunk" : "";
      diff.append(h("span", { class: cls, text: `${line}\n` }));
    }
    confirm.classList.toggle("aigw-hidden", !pending);
    cancel.classList.toggle("aigw-hidden", !pending);
    confirm.textContent = pending === "cluster" ? "Apply these changes to the cluster" : "Apply these changes to the local gateway";
  }

  area.addEventListener("input", () => {
    paint();
    clearTimeout(timer);
    timer = setTimeout(() => {
      model.set("source", area.value);
      model.save_changes();
    }, DEBOUNCE_MS);
  });
  area.addEventListener("scroll", syncScroll);
  area.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      area.setRangeText("  ", area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    }
  });
  preset.addEventListener("change", () => {
    if (preset.value) model.send({ type: "preset", name: preset.value });
  });
  for (const [name, button] of Object.entries(buttons)) button.addEventListener("click", () => model.send({ type: "action", name }));
  confirm.addEventListener("click", () => model.send({ type: "action", name: "confirm" }));
  cancel.addEventListener("click", () => model.send({ type: "action", name: "cancel" }));

  const handlers = [
    ["change:source", syncSource],
    ["change:marks", syncIssues],
    ["change:summary", syncIssues],
    ["change:targets", syncTargets],
    ["change:presets", syncTargets],
    ["change:status", syncStatus],
    ["change:diff", syncStatus],
    ["change:pending", syncStatus],
  ];
  for (const [name, fn] of handlers) model.on(name, fn);
  area.value = model.get("source");
  syncTargets();
  syncIssues();
  syncStatus();
  return () => {
    clearTimeout(timer);
    for (const [name, fn] of handlers) model.off(name, fn);
  };
}

export default { render };
