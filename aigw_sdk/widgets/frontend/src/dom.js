// Tiny DOM helpers shared by the widgets.
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "html") el.innerHTML = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

export function field(label, control, extra = "") {
  return h("label", { class: `aigw-field ${extra}`.trim() }, h("span", { class: "aigw-field-label", text: label }), control);
}

/** Write text to the clipboard; where that is refused, show it selected for Ctrl+C. */
export async function copyText(text, anchor) {
  try {
    await navigator.clipboard.writeText(text);
    flash(anchor, "copied");
  } catch {
    const area = h("textarea", { class: "aigw-copy-fallback", readonly: true });
    area.value = text;
    anchor.closest(".aigw-root").append(area);
    area.select();
    flash(anchor, "press Ctrl+C");
    setTimeout(() => area.remove(), 15000);
  }
}

export function flash(button, text) {
  const before = button.textContent;
  button.textContent = text;
  setTimeout(() => (button.textContent = before), 1200);
}

export function download(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The widget's root: keys typed in it stay in it (JupyterLab, Notebook 7 and VS Code would
 * otherwise take Shift+Enter, Escape, arrows… as notebook shortcuts). */
export function widgetRoot(className) {
  const root = h("div", { class: `aigw-root ${className}`, "data-lm-suppress-shortcuts": "true", "data-p-suppress-shortcuts": "true" });
  root.addEventListener("keydown", (event) => event.stopPropagation());
  return root;
}
