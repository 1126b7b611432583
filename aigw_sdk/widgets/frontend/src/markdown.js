// Markdown to safe HTML: marked (GFM: lists, tables, links), highlight.js for code blocks,
// DOMPurify so that whatever a model writes cannot run script in the notebook.
import DOMPurify from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import go from "highlight.js/lib/languages/go";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { Marked } from "marked";
import { escapeHtml } from "./dom.js";

for (const [name, language] of Object.entries({ bash, go, javascript, json, python, rust, sql, typescript, xml, yaml })) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(["sh", "shell", "console"], { languageName: "bash" });
hljs.registerAliases(["py"], { languageName: "python" });
hljs.registerAliases(["js"], { languageName: "javascript" });
hljs.registerAliases(["ts"], { languageName: "typescript" });
hljs.registerAliases(["html"], { languageName: "xml" });
hljs.registerAliases(["yml"], { languageName: "yaml" });

export function highlight(code, lang) {
  const language = lang && hljs.getLanguage(lang) ? lang : null;
  return language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
}

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const language = (lang || "").trim().split(/\s+/)[0];
      const label = language ? `<span class="aigw-code-lang">${escapeHtml(language)}</span>` : "";
      return `<pre class="aigw-code">${label}<code class="hljs">${highlight(text, language)}</code></pre>`;
    },
  },
});

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/** Markdown -> sanitized HTML. While streaming, an unclosed code fence is closed for display. */
export function renderMarkdown(text, { streaming = false } = {}) {
  let source = text;
  if (streaming && (source.match(/^\s*(```|~~~)/gm) || []).length % 2 === 1) source += "\n```";
  return DOMPurify.sanitize(marked.parse(source), { USE_PROFILES: { html: true } });
}
