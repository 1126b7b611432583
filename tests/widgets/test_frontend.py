"""The chat front end on its own in Debian's chromium: the bundled ESM module rendered with a
stand-in for the anywidget model, fed the same messages the kernel sends. Covers what the
simulator cannot write (lists, tables, code blocks), sanitising, and collapsed thinking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aigw_sdk.widgets._frontend import CSS, esm

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ORIGIN = "http://widgets.test"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
)

PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/widgets.css"></head>
<body style="margin:0;padding:12px;width:840px"><div id="host"></div><script type="module">
import widget from "/chat.js";
class Model {
  constructor(state) { this.state = state; this.handlers = {}; this.sent = []; }
  get(name) { return this.state[name]; }
  set(name, value) { this.state[name] = value; this.emit(`change:${name}`); }
  save_changes() {}
  send(content) { this.sent.push(content); }
  on(name, fn) { (this.handlers[name] ||= []).push(fn); }
  off(name, fn) { this.handlers[name] = (this.handlers[name] || []).filter((f) => f !== fn); }
  emit(name, ...args) { for (const fn of this.handlers[name] || []) fn(...args); }
}
window.model = new Model(STATE);
window.custom = (msg) => window.model.emit("msg:custom", msg);
widget.render({ model: window.model, el: document.getElementById("host") });
window.ready = true;
</script></body></html>"""

STATE = {
    "models": ["claude-sonnet-4-5", "gpt-4o-mini"],
    "model": "claude-sonnet-4-5",
    "api": "native",
    "system": "",
    "max_tokens": 1024,
    "temperature": 1.0,
    "stream": True,
    "turns": [],
    "busy": False,
    "notice": "",
    "request_python": "",
    "request_curl": "",
}

MARKDOWN = """Here is what **changed**:

- the route gained `claude-opus-4`
- the [guide](https://aigateway.envoyproxy.io/) has the details

| model | backend |
|---|---|
| claude-sonnet-4-5 | anthropic |
| claude-opus-4 | anthropic |

```python
client.messages(model="claude-opus-4", max_tokens=100)
```
"""


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    files = {"/chat.js": esm("chat"), "/widgets.css": CSS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 880, "height": 900})

            def serve(route: Any) -> None:
                path = route.request.url.removeprefix(ORIGIN)
                if path == "/":
                    body = PAGE.replace("STATE", json.dumps(STATE))
                    route.fulfill(status=200, content_type="text/html", body=body)
                elif path in files:
                    kind = "text/javascript" if path.endswith(".js") else "text/css"
                    route.fulfill(status=200, content_type=kind, body=files[path].read_text())
                else:
                    route.fulfill(status=404, body="")

            page.route(f"{ORIGIN}/**", serve)
            page.goto(f"{ORIGIN}/")
            page.wait_for_function("() => window.ready === true")
            yield page
        finally:
            browser.close()


def stream(page: Any, turn: str, text: str, size: int, kind: str = "text", index: int = 0) -> None:
    page.evaluate(f"() => custom({json.dumps({'type': 'start', 'id': turn})})")
    for start in range(0, len(text), size):
        part = {"index": index, "kind": kind, "text": text[start : start + size]}
        page.evaluate(f"() => custom({json.dumps({'type': 'delta', 'id': turn, 'parts': [part]})})")


def test_markdown_renders_while_streaming(page: Any) -> None:
    from playwright.sync_api import expect

    page.evaluate("() => custom({type: 'start', id: 't1'})")
    first, rest = MARKDOWN[:60], MARKDOWN[60:]
    page.evaluate(
        "(text) => custom({type: 'delta', id: 't1', parts: [{index: 0, kind: 'text', text}]})",
        first,
    )
    live = page.locator(".aigw-live")
    expect(live.locator("strong")).to_have_text("changed")
    expect(live.locator("li")).to_have_count(1)
    for start in range(0, len(rest), 9):
        chunk = rest[start : start + 9]
        page.evaluate(
            "(text) => custom({type: 'delta', id: 't1', parts: [{index: 0, kind: 'text', text}]})",
            chunk,
        )
    expect(live.locator("table tr")).to_have_count(3)
    expect(live.locator("pre.aigw-code .hljs-string")).to_have_text('"claude-opus-4"')
    link = live.locator("a")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_an_unclosed_code_fence_is_shown_as_code_while_streaming(page: Any) -> None:
    from playwright.sync_api import expect

    stream(page, "t2", "Run this:\n\n```bash\ncurl -sS $GATEWAY_URL", 200)
    expect(page.locator(".aigw-live pre.aigw-code")).to_contain_text("curl -sS $GATEWAY_URL")


def test_model_output_cannot_run_script(page: Any) -> None:
    from playwright.sync_api import expect

    stream(
        page, "t3", 'Hi <img src=x onerror="window.pwned=1"> <script>window.pwned=2</script>', 500
    )
    expect(page.locator(".aigw-live img")).to_have_count(1)
    assert page.evaluate("() => window.pwned") is None
    assert page.locator(".aigw-live img").get_attribute("onerror") is None


def test_finished_turns_tools_thinking_errors_and_enter(page: Any) -> None:
    from playwright.sync_api import expect

    turns = [
        {"id": "u1", "role": "user", "text": "What changed? Check the weather too.", "images": []},
        {
            "id": "a1",
            "role": "assistant",
            "blocks": [
                {"type": "thinking", "text": "The user wants a summary and the weather."},
                {"type": "text", "text": MARKDOWN},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                    "result": '{"sky": "sunny"}',
                    "is_error": False,
                },
            ],
            "badge": {
                "model": "claude-sonnet-4-5",
                "input_tokens": 606,
                "output_tokens": 91,
                "cache_read_input_tokens": 512,
                "cache_creation_input_tokens": 0,
                "ttft_ms": 212,
                "latency_ms": 1480,
                "stop_reason": "tool_use",
            },
        },
        {"id": "u2", "role": "user", "text": "And with claude-3-opus?", "images": []},
        {
            "id": "a2",
            "role": "assistant",
            "blocks": [],
            "error": {
                "title": "NotFoundError (404)",
                "message": "No matching route found for model claude-3-opus",
                "hint": "add a rule for the model to the AIGatewayRoute",
            },
        },
    ]
    page.evaluate("(turns) => model.set('turns', turns)", turns)
    thinking = page.locator("details.aigw-thinking")
    expect(thinking).not_to_have_attribute("open", "")
    expect(page.locator(".aigw-tool-name")).to_have_text("get_weather")
    expect(page.locator(".aigw-tool-args")).to_contain_text('"city": "Paris"')
    expect(page.locator(".aigw-chat-badge").first).to_contain_text("cache read 512")
    expect(page.locator(".aigw-chat-error")).to_contain_text("No matching route found")
    expect(page.locator(".aigw-chat-hint")).to_contain_text("add a rule")
    box = page.locator(".aigw-chat-input")
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    box.press("Enter")
    sent = page.evaluate("() => model.sent")
    assert sent == [{"type": "send", "text": "first line\nsecond line", "images": []}]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".aigw-chat").screenshot(path=str(ARTIFACTS / "chat-markdown.png"))
