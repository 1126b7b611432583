"""The README's main job: `aigw-sdk demo` runs the seed walkthrough on the simulator."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_runs_the_seed_walkthrough_offline() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")}
    proc = subprocess.run(
        [sys.executable, "-m", "aigw_sdk.cli", "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "validation: 0 error(s), 1 warning(s)" in out
    assert "Backends point at the simulator" in out
    # the native, OpenAI-compatible and streaming answers, and the hot-applied model
    assert "claude-sonnet-4-5 (end_turn): Simulated reply to: Hello, Claude!" in out
    assert "claude-sonnet-4-5 (stop): Simulated reply to: Hello, Claude!" in out
    assert "Simulated reply to: Tell me a short story." in out
    assert "models: claude-sonnet-4-5, claude-opus-4" in out
    assert "claude-opus-4: Simulated reply to: Hello, Claude!" in out
    assert "Done: the gateway is stopped." in out
