"""`python -m gateway.simulator` prints its URL and serves until interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from gateway.simulator.config import SimulatorConfig

REPO = Path(__file__).resolve().parents[3]


def test_cli_serves_and_stops_on_sigint() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.simulator", "--port", "0", "--api-key", "cli-key"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Simulator listening on http://127.0.0.1:")
        url = line.split()[-1]
        ok = httpx.get(f"{url}/v1/models", headers={"authorization": "Bearer cli-key"})
        assert ok.status_code == 200 and ok.json()["object"] == "list"
        assert httpx.get(f"{url}/v1/models").status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "cli-key" not in stderr


def test_config_repr_hides_the_key() -> None:
    assert "secret" not in repr(SimulatorConfig(api_key="secret"))
