"""A real browser: JupyterLab on loopback, driven by Playwright with Debian's chromium.

Opens a copy of notebook 1, runs every cell above the clean-up cell, sends a message in the
chat widget and waits for the streamed answer; the screenshot goes to
``test-artifacts/chat-widget.png``.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "01-connect-anthropic.ipynb"
ARTIFACT = ROOT / "test-artifacts" / "chat-widget.png"
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


@dataclass(frozen=True)
class Lab:
    url: str
    token: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    """JupyterLab serving a copy of the notebook, with private config/runtime directories."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    config = tmp_path / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, token, process)
        yield Lab(url, token)
    finally:
        _shutdown_kernels(url, token)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(url: str, token: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}")
        try:
            if (
                httpx.get(f"{url}/api/status", params={"token": token}, timeout=2).status_code
                == 200
            ):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("jupyter lab did not start within 60 s")


def _shutdown_kernels(url: str, token: str) -> None:
    headers = {"Authorization": f"token {token}"}
    try:
        for kernel in httpx.get(f"{url}/api/kernels", headers=headers, timeout=5).json():
            httpx.delete(f"{url}/api/kernels/{kernel['id']}", headers=headers, timeout=10)
    except httpx.HTTPError:
        pass


_RUN_ABOVE_CLEANUP = """
async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.sessionContext.ready;
  const notebook = panel.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  await app.commands.execute('notebook:run-all-above');
}
"""


def test_chat_widget_streams_in_a_real_browser(lab: Lab) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.content"
                " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
                timeout=60_000,
            )
            page.evaluate(_RUN_ABOVE_CLEANUP)

            chat = page.locator(".aigw-chat").first
            expect(chat).to_be_visible(timeout=60_000)
            expect(page.locator(".aigw-status").first).to_be_visible(timeout=60_000)
            transcript = chat.locator(".aigw-chat-transcript")
            expect(transcript).to_contain_text("Hello from the notebook!", timeout=30_000)

            chat.scroll_into_view_if_needed()
            chat.locator(".aigw-chat-prompt textarea").fill("Hello from the browser")
            chat.locator("button.aigw-chat-send").click()
            expect(transcript).to_contain_text(
                "Simulated reply to: Hello from the browser. this reply is generated",
                timeout=30_000,
            )
            expect(chat.locator(".aigw-chat-stats")).to_contain_text("TTFT", timeout=30_000)
            expect(chat.locator(".aigw-chat-error")).to_have_text("")
            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            chat.screenshot(path=str(ARTIFACT))
        finally:
            browser.close()
    assert ARTIFACT.stat().st_size > 0
