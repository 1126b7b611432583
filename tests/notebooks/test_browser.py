"""The widgets as a person uses them: JupyterLab in Debian's chromium, driven by Playwright.

Notebook 1: type into the chat, press Enter, see the streamed answer rendered as Markdown (while
it streams too), stop a long answer, see a tool call with its result; the status board's charts
appear and update. Notebook 2: the bundle editor marks the line of a validation issue while one
types, and shows a diff before applying. Screenshots go to ``test-artifacts/`` (copies of them
are the pictures in docs/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.notebooks.lab import (
    CHROMIUM,
    FLAGS,
    ROOT,
    Lab,
    jupyter_lab,
    open_notebook,
    run_in_kernel,
)

ARTIFACTS = ROOT / "test-artifacts"
TRAFFIC = """
import threading, time
def _traffic():
    for n in range(30):
        model = "claude-unknown" if n % 7 == 3 else "claude-sonnet-4-5"
        try:
            question = [{"role": "user", "content": "q"}]
            client.messages(model=model, max_tokens=40 + n, messages=question)
        except Exception:
            pass
        time.sleep(0.3)
threading.Thread(target=_traffic, daemon=True).start()
"""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with jupyter_lab(tmp_path, ["01-connect-anthropic.ipynb", "02-more-models.ipynb"]) as lab:
        yield lab


@pytest.fixture
def page(lab: Lab) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 1000})
        finally:
            browser.close()


def shot(locator: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / name))
    assert (ARTIFACTS / name).stat().st_size > 0


def test_chat_and_status_board_in_a_real_browser(lab: Lab, page: Any) -> None:
    from playwright.sync_api import expect

    open_notebook(page, lab, "01-connect-anthropic.ipynb")
    chat = page.locator(".aigw-chat").first
    expect(chat).to_be_visible(timeout=90_000)
    transcript = chat.locator(".aigw-chat-transcript")
    # the answer sent from code is there, its Markdown rendered
    expect(transcript).to_contain_text("Hello from the notebook!", timeout=30_000)
    expect(transcript.locator(".aigw-bubble-assistant strong").first).to_have_text("bold")
    expect(transcript.locator(".aigw-bubble-assistant code").first).to_have_text("code")
    expect(chat.locator(".aigw-chat-model")).to_have_value("claude-sonnet-4-5")
    chat.scroll_into_view_if_needed()

    # Enter sends; Shift+Enter is a newline
    box = chat.locator(".aigw-chat-input")
    box.click()
    box.type("Hello from the **browser**")
    box.press("Shift+Enter")
    box.type("with [a link](https://example.com)")
    assert box.input_value() == "Hello from the **browser**\nwith [a link](https://example.com)"
    box.press("Enter")
    expect(box).to_have_value("")
    answer = transcript.locator(".aigw-turn-assistant").nth(1)
    expect(answer).to_contain_text("Simulated reply to: Hello from the browser", timeout=30_000)
    expect(answer.locator("strong")).to_have_text("browser")
    expect(answer.locator("a")).to_have_attribute("href", "https://example.com")
    badge = answer.locator(".aigw-chat-badge")
    expect(badge).to_contain_text("TTFT")
    expect(badge).to_contain_text("cache read")

    # a long answer renders as Markdown while it streams; Stop ends it
    run_in_kernel(
        page, 'chat.extra_headers = {"x-sim-reply-words": "3000", "x-sim-chunk-delay-ms": "10"}'
    )
    box.type("Stream **this** slowly")
    box.press("Enter")
    live = transcript.locator(".aigw-live")
    expect(live.locator("strong")).to_have_text("this", timeout=30_000)
    expect(chat.locator(".aigw-chat-stop")).to_be_visible()
    page.wait_for_timeout(500)
    chat.locator(".aigw-chat-stop").click()
    stopped = transcript.locator(".aigw-turn-assistant").nth(2)
    expect(stopped.locator(".aigw-chat-stopped")).to_be_visible(timeout=15_000)
    expect(chat.locator(".aigw-chat-send")).to_be_visible()
    words = len((stopped.inner_text() or "").split())
    assert 5 < words < 2500, words
    assert run_in_kernel(page, "chat.history[-1]['role']") == "'assistant'"

    # a tool call: name, arguments, the handler's result, then the model's answer
    run_in_kernel(page, "chat.extra_headers = {}")
    box.type("Use get_weather for Paris")
    box.press("Enter")
    tool = transcript.locator(".aigw-tool").last
    expect(tool.locator(".aigw-tool-name")).to_have_text("get_weather", timeout=30_000)
    expect(tool.locator(".aigw-tool-result")).to_contain_text("sunny")
    expect(transcript.locator(".aigw-turn-assistant").last).to_contain_text(
        "Simulated reply to tool result", timeout=30_000
    )
    expect(chat.locator(".aigw-chat-send")).to_be_visible()
    shot(chat, "chat-widget.png")

    # the status board: charts appear and update while it is on screen
    board = page.locator(".aigw-status").first
    board.scroll_into_view_if_needed()
    expect(board.locator(".aigw-chart-traffic svg")).to_be_visible(timeout=30_000)
    charts = board.locator(".aigw-charts")
    first = int(charts.get_attribute("data-points") or 0)
    page.wait_for_function(
        f"() => +document.querySelector('.aigw-status .aigw-charts').dataset.points > {first}",
        timeout=30_000,
    )
    expect(board.locator(".aigw-status-updated")).to_contain_text("live")
    # traffic for a few intervals, with some errors (a model without a route)
    run_in_kernel(page, TRAFFIC)
    page.wait_for_function(
        f"() => +document.querySelector('.aigw-status .aigw-charts').dataset.points >= {first + 5}",
        timeout=60_000,
    )
    # (a flat line has no height, so "attached" rather than "visible")
    tokens_out = board.locator(".aigw-chart-tokens path[data-series='claude-sonnet-4-5 out']")
    expect(tokens_out).to_be_attached(timeout=30_000)
    expect(board.locator(".aigw-chart-latency path[data-series='p95']")).to_be_attached()
    expect(board.locator(".aigw-status-routes")).to_contain_text("claude-sonnet-4-5")
    board.locator(".aigw-status-pause").click()
    expect(board.locator(".aigw-status-updated")).to_contain_text("paused")
    shot(board, "status-board.png")
    board.locator(".aigw-status-pause").click()
    expect(board.locator(".aigw-status-updated")).to_contain_text("live")

    graph = page.locator("svg.aigw-graph").first
    graph.scroll_into_view_if_needed()
    expect(graph.locator("g.aigw-node")).to_have_count(7)
    shot(graph, "bundle-graph.png")


def test_bundle_editor_marks_the_broken_line_in_a_real_browser(lab: Lab, page: Any) -> None:
    from playwright.sync_api import expect

    open_notebook(page, lab, "02-more-models.ipynb")
    editor = page.locator(".aigw-editor").first
    expect(editor).to_be_visible(timeout=90_000)
    editor.scroll_into_view_if_needed()
    expect(editor.locator(".aigw-editor-summary")).to_have_text("6 objects, valid", timeout=30_000)
    source = editor.locator("textarea.aigw-editor-source")
    # put the caret on the first "Exact" and type over it, as a person would
    source.evaluate(
        "(area) => { const at = area.value.indexOf('Exact'); area.focus();"
        " area.setSelectionRange(at, at + 'Exact'.length); }"
    )
    page.keyboard.type("Fuzzy")
    marked = editor.locator(".aigw-editor-highlight .aigw-line-error")
    expect(marked.filter(has_text="type: Fuzzy")).to_have_count(1, timeout=15_000)
    expect(editor.locator(".aigw-gutter .aigw-line-error").first).to_be_visible()
    expect(editor.locator(".aigw-issues")).to_contain_text('Unsupported value: "Fuzzy"')
    expect(editor.locator(".aigw-editor-summary")).to_contain_text("error")
    expect(editor.locator(".aigw-editor-highlight .aigw-y-key").first).to_be_visible()
    source.evaluate(
        "(area) => { area.scrollTop = 8 * 18; area.dispatchEvent(new Event('scroll')); }"
    )
    shot(editor, "bundle-editor.png")

    # fixed again, the diff is shown before anything is applied
    source.evaluate(
        "(area) => { const at = area.value.indexOf('Fuzzy'); area.focus();"
        " area.setSelectionRange(at, at + 'Fuzzy'.length); }"
    )
    page.keyboard.type("Exact")
    expect(editor.locator(".aigw-editor-summary")).to_have_text("6 objects, valid", timeout=15_000)
    source.evaluate(
        "(area) => { const at = area.value.indexOf('claude-opus-4'); area.focus();"
        " area.setSelectionRange(at, at + 'claude-opus-4'.length); }"
    )
    page.keyboard.type("claude-haiku-4-5")
    page.wait_for_timeout(600)
    editor.locator(".aigw-editor-apply-gateway").click()
    diff = editor.locator(".aigw-diff")
    expect(diff.locator(".aigw-add")).to_contain_text(["+              value: claude-haiku-4-5"])
    expect(diff.locator(".aigw-del")).to_contain_text(["-              value: claude-opus-4"])
    editor.locator(".aigw-editor-confirm").click()
    expect(editor.locator(".aigw-editor-status")).to_contain_text("applied", timeout=15_000)
    models = run_in_kernel(page, "[m.id for m in client.list_models()]")
    assert models == "['claude-sonnet-4-5', 'claude-haiku-4-5']"


def test_chat_in_notebook_7(tmp_path: Path) -> None:
    """The same widget in Notebook 7's own front end: it renders, Enter sends, Markdown shows."""
    pytest.importorskip("notebook", reason="Notebook 7 is in the dev extra")
    from playwright.sync_api import expect, sync_playwright

    with (
        jupyter_lab(tmp_path, ["01-connect-anthropic.ipynb"], app="notebook") as lab,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            open_notebook(page, lab, "01-connect-anthropic.ipynb")
            chat = page.locator(".aigw-chat").first
            expect(chat).to_be_visible(timeout=90_000)
            chat.scroll_into_view_if_needed()
            box = chat.locator(".aigw-chat-input")
            box.type("Hello from **Notebook 7**")
            box.press("Enter")
            answer = chat.locator(".aigw-turn-assistant").last
            expect(answer.locator("strong")).to_have_text("Notebook 7", timeout=30_000)
            expect(answer.locator(".aigw-chat-badge")).to_contain_text("TTFT")
            expect(page.locator(".aigw-status .aigw-chart-traffic svg").first).to_be_attached()
        finally:
            browser.close()
