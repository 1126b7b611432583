// A line-oriented YAML highlighter: enough for Kubernetes manifests (keys, scalars, comments,
// document markers), cheap enough to run on every keystroke.
import { escapeHtml } from "./dom.js";

const KEY = /^(\s*(?:-\s+)?)((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?))(:)(?=\s|$)(.*)$/;

function scalar(text) {
  const match = /^(\s*)(.*?)(\s*)$/.exec(text);
  const [, lead, body, trail] = match;
  if (!body) return escapeHtml(text);
  let cls = "aigw-y-str";
  if (/^-?\d+(\.\d+)?$/.test(body)) cls = "aigw-y-num";
  else if (/^(true|false|null|~|yes|no)$/i.test(body)) cls = "aigw-y-bool";
  else if (/^[|>][-+]?$/.test(body) || /^[[{]/.test(body)) cls = "";
  return escapeHtml(lead) + (cls ? `<span class="${cls}">${escapeHtml(body)}</span>` : escapeHtml(body)) + escapeHtml(trail);
}

function splitComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) return [text.slice(0, i), text.slice(i)];
  }
  return [text, ""];
}

export function highlightLine(line) {
  if (/^(---|\.\.\.)\s*$/.test(line)) return `<span class="aigw-y-doc">${escapeHtml(line)}</span>`;
  const [code, comment] = splitComment(line);
  let html;
  const key = KEY.exec(code);
  if (key) html = escapeHtml(key[1]) + `<span class="aigw-y-key">${escapeHtml(key[2])}</span>:` + scalar(key[4]);
  else {
    const item = /^(\s*-\s+)(.*)$/.exec(code);
    html = item ? escapeHtml(item[1]) + scalar(item[2]) : scalar(code);
  }
  return html + (comment ? `<span class="aigw-y-com">${escapeHtml(comment)}</span>` : "");
}
