"""A subprocess-mode LocalGateway: bundle over a pipe, secrets off the command line, and the
gateway process ends with its parent even when the parent is SIGKILLed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.support import offline_env

PARENT = """
import sys
from aigw_sdk import LocalGateway, presets
bundle = presets.anthropic(api_key="sk-ant-canary-0123", models=["claude-sonnet-4-5"])
gw = LocalGateway(bundle, mode="subprocess", admin_token="admin-canary-4567").start()
print(gw._process.pid, gw.url, flush=True)
sys.stdin.read()
"""


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_gateway_process_dies_with_a_killed_parent_and_leaves_no_file(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=offline_env(TMPDIR=str(tmp_path)),
    )
    try:
        assert parent.stdout is not None
        pid_text, url = parent.stdout.readline().split()
        child = int(pid_text)
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().decode()
        assert "admin-canary-4567" not in cmdline and "sk-ant-canary-0123" not in cmdline
        assert url.startswith("http://127.0.0.1:")
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(child), "the gateway outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
        if parent.stdin is not None:
            parent.stdin.close()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the bundle went by pipe
