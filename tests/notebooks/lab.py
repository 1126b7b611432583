"""JupyterLab (or Notebook 7) on loopback, driven by Playwright with Debian's chromium (never a
downloaded browser); shared by tests/notebooks/test_browser.py and bench/bench_widgets.py."""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Lab:
    url: str
    token: str
    app: str = "jupyterlab"

    def notebook_url(self, name: str) -> str:
        path = "lab/tree" if self.app == "jupyterlab" else "notebooks"
        return f"{self.url}/{path}/{name}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def jupyter_lab(tmp_path: Path, notebooks: list[str], app: str = "jupyterlab") -> Iterator[Lab]:
    """JupyterLab (``app="notebook"``: Notebook 7) serving copies of ``notebooks``, with
    private config/runtime directories; stopped on exit."""
    work = tmp_path / "work"
    work.mkdir()
    for name in notebooks:
        shutil.copy(ROOT / "notebooks" / name, work / name)
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
    options = (
        ["--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp_path / 'ws'}"]
        if app == "jupyterlab"
        else ["--JupyterNotebookApp.expose_app_in_browser=True"]
    )
    process = subprocess.Popen(
        [
            sys.executable, "-m", app, "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}", *options,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, token, process)
        yield Lab(url, token, app)
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
            raise RuntimeError(f"jupyter exited with {process.returncode}")
        try:
            status = httpx.get(f"{url}/api/status", params={"token": token}, timeout=2)
            if status.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("jupyter did not start within 60 s")


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

_EXECUTE = """
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let result = null, error = null;
  const future = kernel.requestExecute({ code, store_history: false });
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'execute_result') result = msg.content.data['text/plain'];
    if (msg.header.msg_type === 'error') error = msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  if (error) throw new Error(error);
  return result;
}
"""


def open_notebook(page: Any, lab: Lab, name: str) -> None:
    """Open ``name`` and run every cell above its last (the clean-up cell)."""
    page.goto(lab.notebook_url(name))
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.content"
        " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
        timeout=60_000,
    )
    page.evaluate(_RUN_ABOVE_CLEANUP)


def run_in_kernel(page: Any, code: str) -> str | None:
    """Run ``code`` in the open notebook's kernel; its last expression's ``text/plain``."""
    result: str | None = page.evaluate(_EXECUTE, code)
    return result
