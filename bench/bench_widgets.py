"""Benchmark: the chat widget's render cost for a ~2,000-token streamed answer, in one run.

    .venv/bin/python bench/bench_widgets.py [--words 1320] [--runs 3] [--throttle 0.05]
                                            [--chunk-delay-ms 10]

Opens notebook 1 in JupyterLab in Debian's chromium (as tests/notebooks/test_browser.py does),
then per run: the baseline, the same request streamed by the plain client in the kernel (no
widget), and the widget: Enter pressed in the browser until the finished answer (with its
badge) is in the page. Prints the times, their ratio, the kernel→browser comm messages per
answer (all of them: deltas, trait updates) against the stream's SSE events, and the longest
main-thread task the browser saw while rendering. ``--chunk-delay-ms`` paces the simulator's
events (0: as fast as it can, which hides the per-delta cost; 10: ~4.5 s for 2,000 tokens, so
about 90 deltas at the default throttle).
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.notebooks.lab import (  # noqa: E402
    CHROMIUM,
    FLAGS,
    jupyter_lab,
    open_notebook,
    run_in_kernel,
)

SETUP = """
import time as _time
_comm_messages = [0]
_send = chat.comm.send
def _counting_send(*args, **kwargs):
    _comm_messages[0] += 1
    return _send(*args, **kwargs)
chat.comm.send = _counting_send
chat.throttle = {throttle}
chat.max_tokens = 8000
"""

BASELINE = """
_headers = {headers}
_t = _time.perf_counter()
_s = client.messages(model="claude-sonnet-4-5", max_tokens=8000, stream=True,
                     messages=[{{"role": "user", "content": "benchmark"}}], extra_headers=_headers)
_events = sum(1 for _ in _s)
json.dumps({{"seconds": _time.perf_counter() - _t, "events": _events,
             "tokens": _s.final.usage.output_tokens}})
"""

WATCH = """
() => new Promise((resolve) => {
  const transcript = document.querySelector('.aigw-chat-transcript');
  const before = transcript.querySelectorAll('.aigw-chat-badge').length;
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  try { observer.observe({ type: 'longtask', buffered: false }); } catch (e) {}
  const box = document.querySelector('.aigw-chat-input');
  box.value = 'benchmark';
  const start = performance.now();
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  const done = () => {
    if (transcript.querySelectorAll('.aigw-chat-badge').length > before) {
      observer.disconnect();
      resolve({ ms: performance.now() - start, longest_task_ms: longest });
      return true;
    }
    return false;
  };
  const mutations = new MutationObserver(() => { if (done()) mutations.disconnect(); });
  mutations.observe(transcript, { childList: true, subtree: true });
})
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1320, help="simulator filler words")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--throttle", type=float, default=0.05, help="seconds between deltas")
    parser.add_argument("--chunk-delay-ms", type=int, default=10, help="simulator pacing")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as tmp,
        jupyter_lab(Path(tmp), ["01-connect-anthropic.ipynb"]) as lab,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        open_notebook(page, lab, "01-connect-anthropic.ipynb")
        page.wait_for_selector(".aigw-chat .aigw-chat-badge", timeout=120_000)
        run_in_kernel(page, "import json\n" + SETUP.format(throttle=args.throttle))
        headers = {"x-sim-reply-words": str(args.words)}
        if args.chunk_delay_ms:
            headers["x-sim-chunk-delay-ms"] = str(args.chunk_delay_ms)
        rows = []
        for _ in range(args.runs):
            raw = run_in_kernel(page, BASELINE.format(headers=headers)) or "'{}'"
            baseline = json.loads(ast.literal_eval(raw))
            run_in_kernel(
                page,
                f"chat.extra_headers = {headers}\n"
                "_comm_messages[0] = 0\n_sent_before = chat.messages_sent",
            )
            widget = page.evaluate(WATCH)
            counts = run_in_kernel(
                page,
                "json.dumps([_comm_messages[0], chat.messages_sent - _sent_before,"
                " chat.turns[-1]['badge']['output_tokens']])",
            )
            messages, deltas, tokens = json.loads(ast.literal_eval(counts or "'[0, 0, 0]'"))
            rows.append((baseline, widget, messages, deltas, tokens))
        browser.close()

    print(f"answer: {rows[0][4]} output tokens, {rows[0][0]['events']} SSE events")
    for baseline, widget, messages, deltas, _ in rows:
        print(
            f"  plain client {baseline['seconds'] * 1000:7.0f} ms | widget rendered "
            f"{widget['ms']:7.0f} ms ({widget['ms'] / (baseline['seconds'] * 1000):.2f}x) | "
            f"messages {messages} ({deltas} deltas) | longest task "
            f"{widget['longest_task_ms']:.0f} ms"
        )
    base = statistics.median(r[0]["seconds"] * 1000 for r in rows)
    ms = statistics.median(r[1]["ms"] for r in rows)
    msgs = statistics.median(r[2] for r in rows)
    print(
        f"median: widget {ms:.0f} ms vs plain client {base:.0f} ms = {ms / base:.2f}x; "
        f"{msgs:.0f} kernel→browser messages for {rows[0][0]['events']} SSE events "
        f"({msgs / rows[0][0]['events']:.2f} per event)"
    )


if __name__ == "__main__":
    main()
