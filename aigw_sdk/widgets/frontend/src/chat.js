// Chat playground: bubbles, Markdown rendered as it streams (only the live answer is re-rendered),
// tool calls, images, collapsed thinking, a badge per answer, Enter to send, Stop.
import { copyText, download, field, h, widgetRoot } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

function badge(b) {
  if (!b) return null;
  const items = [
    ["model", b.model],
    ["in", b.input_tokens],
    ["out", b.output_tokens],
    ["cache read", b.cache_read_input_tokens],
    ["cache write", b.cache_creation_input_tokens],
    ["TTFT", b.ttft_ms == null ? null : `${b.ttft_ms} ms`],
    ["latency", b.latency_ms == null ? null : `${b.latency_ms} ms`],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  return h(
    "div",
    { class: "aigw-chat-badge" },
    items.map(([k, v]) => h("span", { class: "aigw-chip" }, h("b", { text: k }), ` ${v}`)),
    b.stop_reason ? h("span", { class: "aigw-chip aigw-chip-muted", text: b.stop_reason }) : null,
  );
}

function imageEl(img) {
  return h("img", { class: "aigw-chat-image", src: `data:${img.media_type};base64,${img.data}`, alt: "image" });
}

function pretty(value) {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value ?? {}, null, 2);
}

function toolEl(block) {
  const result =
    block.result === undefined || block.result === null
      ? h("div", { class: "aigw-tool-pending", text: block.pending ? "running…" : "no result (no handler for this tool)" })
      : h("div", { class: `aigw-tool-result${block.is_error ? " aigw-tool-error" : ""}` }, h("span", { class: "aigw-field-label", text: "result" }), h("pre", { text: String(block.result) }));
  return h(
    "div",
    { class: "aigw-tool" },
    h("div", { class: "aigw-tool-head" }, h("span", { class: "aigw-tool-icon", text: "ƒ" }), h("code", { class: "aigw-tool-name", text: block.name || "tool" })),
    h("pre", { class: "aigw-tool-args", text: pretty(block.input) }),
    result,
  );
}

function thinkingEl(text, open = false) {
  return h("details", { class: "aigw-thinking", open }, h("summary", { text: "thinking" }), h("div", { class: "aigw-thinking-text", text }));
}

function blockEl(block) {
  if (block.type === "text") return h("div", { class: "aigw-md", html: renderMarkdown(block.text || "") });
  if (block.type === "thinking") return thinkingEl(block.text || "");
  if (block.type === "tool_use") return toolEl(block);
  if (block.type === "image") return imageEl(block);
  return null;
}

function errorEl(error) {
  return h(
    "div",
    { class: "aigw-chat-error" },
    h("b", { text: error.title }),
    " ",
    h("span", { text: error.message }),
    error.hint ? h("div", { class: "aigw-chat-hint", text: error.hint }) : null,
  );
}

function turnEl(turn) {
  if (turn.role === "user") {
    return h(
      "div",
      { class: "aigw-turn aigw-turn-user", "data-id": turn.id },
      h("div", { class: "aigw-bubble aigw-bubble-user" }, (turn.images || []).map(imageEl), h("div", { class: "aigw-user-text", text: turn.text || "" })),
    );
  }
  return h(
    "div",
    { class: "aigw-turn aigw-turn-assistant", "data-id": turn.id },
    h(
      "div",
      { class: "aigw-bubble aigw-bubble-assistant" },
      (turn.blocks || []).map(blockEl),
      turn.stopped ? h("div", { class: "aigw-chat-stopped", text: "stopped" }) : null,
      turn.error ? errorEl(turn.error) : null,
    ),
    badge(turn.badge),
  );
}

/** The answer being streamed: blocks grow by deltas; a frame re-renders only the dirty blocks. */
class LiveTurn {
  constructor(id) {
    this.id = id;
    this.blocks = new Map();
    this.dirty = new Set();
    this.body = h("div", { class: "aigw-bubble aigw-bubble-assistant aigw-live" });
    this.cursor = h("span", { class: "aigw-cursor" });
    this.body.append(this.cursor);
    this.el = h("div", { class: "aigw-turn aigw-turn-assistant", "data-id": id }, this.body);
    this.frame = null;
  }

  add(part) {
    let block = this.blocks.get(part.index);
    if (!block) {
      block = { kind: part.kind, text: "", name: part.name, el: null };
      if (part.kind === "thinking") block.el = thinkingEl("", false);
      else if (part.kind === "tool_use") block.el = toolEl({ name: part.name, input: "", pending: true });
      else block.el = h("div", { class: "aigw-md" });
      this.blocks.set(part.index, block);
      this.body.insertBefore(block.el, this.cursor);
    }
    block.text += part.text || "";
    this.dirty.add(block);
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = null;
    for (const block of this.dirty) {
      if (block.kind === "text") block.el.innerHTML = renderMarkdown(block.text, { streaming: true });
      else if (block.kind === "thinking") block.el.querySelector(".aigw-thinking-text").textContent = block.text;
      else block.el.querySelector(".aigw-tool-args").textContent = block.text;
    }
    this.dirty.clear();
  }
}

function render({ model, el }) {
  const root = widgetRoot("aigw-chat");
  el.append(root);

  // -- settings row ---------------------------------------------------------------------------
  const modelSelect = h("select", { class: "aigw-chat-model" });
  const apiSwitch = h("div", { class: "aigw-segmented aigw-chat-api", role: "radiogroup" });
  const apiButtons = [
    ["native", "Anthropic"],
    ["openai", "OpenAI"],
  ].map(([value, label]) => {
    const b = h("button", { type: "button", "data-value": value, text: label, onclick: () => save("api", value) });
    apiSwitch.append(b);
    return b;
  });
  const system = h("input", { class: "aigw-chat-system", type: "text", placeholder: "system prompt (optional)" });
  const maxTokens = h("input", { class: "aigw-chat-max-tokens", type: "number", min: "1", step: "1" });
  const temperature = h("input", { class: "aigw-chat-temperature", type: "number", min: "0", max: "2", step: "0.1" });
  const stream = h("input", { type: "checkbox", class: "aigw-chat-stream" });
  const settings = h(
    "div",
    { class: "aigw-settings" },
    field("model", modelSelect),
    field("API", apiSwitch),
    field("system", system, "aigw-grow"),
    field("max tokens", maxTokens, "aigw-narrow"),
    field("temperature", temperature, "aigw-narrow"),
    field("stream", stream, "aigw-check"),
  );

  // -- toolbar, transcript, composer ----------------------------------------------------------
  const copyPython = h("button", { type: "button", class: "aigw-link aigw-chat-copy-python", text: "Copy as Python" });
  const copyCurl = h("button", { type: "button", class: "aigw-link aigw-chat-copy-curl", text: "Copy as curl" });
  const exportButton = h("button", { type: "button", class: "aigw-link aigw-chat-export", text: "Export" });
  const clearButton = h("button", { type: "button", class: "aigw-link aigw-chat-clear", text: "Clear" });
  const notice = h("div", { class: "aigw-chat-notice" });
  const toolbar = h("div", { class: "aigw-toolbar" }, h("span", { class: "aigw-title", text: "Chat" }), notice, h("span", { class: "aigw-spacer" }), copyPython, copyCurl, exportButton, clearButton);
  const transcript = h("div", { class: "aigw-chat-transcript" });
  const empty = h("div", { class: "aigw-chat-empty", text: "Ask something. Enter sends, Shift+Enter adds a line." });
  const input = h("textarea", { class: "aigw-chat-input", rows: "2", placeholder: "Message…  (Enter to send, Shift+Enter for a new line)" });
  const attach = h("input", { type: "file", accept: "image/png,image/jpeg,image/gif,image/webp", multiple: true, class: "aigw-hidden" });
  const attachButton = h("button", { type: "button", class: "aigw-icon-button aigw-chat-attach", title: "Attach images", text: "+" });
  const pending = h("div", { class: "aigw-chat-pending" });
  const sendButton = h("button", { type: "button", class: "aigw-primary aigw-chat-send", text: "Send" });
  const stopButton = h("button", { type: "button", class: "aigw-danger aigw-chat-stop", text: "Stop" });
  const composer = h("div", { class: "aigw-composer" }, attachButton, attach, h("div", { class: "aigw-grow" }, pending, input), sendButton, stopButton);
  root.append(toolbar, settings, transcript, composer);

  let images = [];
  const rendered = new Map(); // id -> {json, el}
  const live = new Map(); // id -> LiveTurn

  function save(name, value) {
    model.set(name, value);
    model.save_changes();
  }

  function syncSettings() {
    const models = model.get("models") || [];
    const current = model.get("model");
    const options = models.includes(current) || !current ? models : [current, ...models];
    if (modelSelect.dataset.options !== JSON.stringify(options)) {
      modelSelect.replaceChildren(...options.map((m) => h("option", { value: m, text: m })));
      modelSelect.dataset.options = JSON.stringify(options);
    }
    modelSelect.value = current;
    for (const b of apiButtons) b.classList.toggle("aigw-on", b.dataset.value === model.get("api"));
    if (document.activeElement !== system) system.value = model.get("system");
    if (document.activeElement !== maxTokens) maxTokens.value = model.get("max_tokens");
    if (document.activeElement !== temperature) temperature.value = model.get("temperature");
    stream.checked = model.get("stream");
    notice.textContent = model.get("notice") || "";
  }

  function syncBusy() {
    const busy = model.get("busy");
    root.classList.toggle("aigw-busy", busy);
    sendButton.disabled = busy;
    stopButton.disabled = !busy;
  }

  function syncTurns() {
    const turns = model.get("turns") || [];
    const ids = new Set(turns.map((t) => t.id));
    for (const [id, entry] of rendered) {
      if (!ids.has(id)) {
        entry.el.remove();
        rendered.delete(id);
      }
    }
    let previous = null;
    for (const turn of turns) {
      const json = JSON.stringify(turn);
      let entry = rendered.get(turn.id);
      if (!entry || entry.json !== json) {
        const el = turnEl(turn);
        const old = entry ? entry.el : live.get(turn.id)?.el;
        if (old) old.replaceWith(el);
        else if (previous) previous.after(el);
        else transcript.prepend(el);
        live.delete(turn.id);
        entry = { json, el };
        rendered.set(turn.id, entry);
      }
      previous = entry.el;
    }
    if (!turns.length) for (const l of live.values()) l.el.remove();
    empty.hidden = turns.length > 0 || live.size > 0;
    if (!transcript.contains(empty)) transcript.append(empty);
    scrollDown();
  }

  function scrollDown() {
    const near = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
    if (near || model.get("busy")) transcript.scrollTop = transcript.scrollHeight;
  }

  function send() {
    const text = input.value;
    if (!text.trim() && !images.length) return;
    if (model.get("busy")) return;
    model.send({ type: "send", text, images });
    input.value = "";
    images = [];
    pending.replaceChildren();
  }

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  sendButton.addEventListener("click", send);
  stopButton.addEventListener("click", () => model.send({ type: "stop" }));
  clearButton.addEventListener("click", () => model.send({ type: "clear" }));
  exportButton.addEventListener("click", () => download("conversation.json", JSON.stringify(model.get("turns"), null, 2)));
  copyPython.addEventListener("click", () => copyText(model.get("request_python") || "# no request yet", copyPython));
  copyCurl.addEventListener("click", () => copyText(model.get("request_curl") || "# no request yet", copyCurl));
  attachButton.addEventListener("click", () => attach.click());
  attach.addEventListener("change", async () => {
    for (const file of attach.files) {
      const url = await new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.readAsDataURL(file);
      });
      const [head, data] = String(url).split(",", 2);
      const image = { media_type: head.slice(5, head.indexOf(";")), data };
      images.push(image);
      pending.append(imageEl(image));
    }
    attach.value = "";
  });
  modelSelect.addEventListener("change", () => save("model", modelSelect.value));
  system.addEventListener("change", () => save("system", system.value));
  maxTokens.addEventListener("change", () => save("max_tokens", Math.max(1, parseInt(maxTokens.value || "1", 10))));
  temperature.addEventListener("change", () => save("temperature", parseFloat(temperature.value || "0")));
  stream.addEventListener("change", () => save("stream", stream.checked));

  function onMessage(msg) {
    if (msg.type === "start") {
      const turn = new LiveTurn(msg.id);
      live.set(msg.id, turn);
      transcript.insertBefore(turn.el, empty);
      empty.hidden = true;
    } else if (msg.type === "delta") {
      const turn = live.get(msg.id);
      if (turn) for (const part of msg.parts) turn.add(part);
      scrollDown();
    }
  }

  model.on("msg:custom", onMessage);
  const handlers = [
    ["change:turns", syncTurns],
    ["change:busy", syncBusy],
  ];
  for (const name of ["models", "model", "api", "system", "max_tokens", "temperature", "stream", "notice"]) handlers.push([`change:${name}`, syncSettings]);
  for (const [name, fn] of handlers) model.on(name, fn);
  syncSettings();
  syncBusy();
  syncTurns();
  return () => {
    model.off("msg:custom", onMessage);
    for (const [name, fn] of handlers) model.off(name, fn);
  };
}

export default { render };
