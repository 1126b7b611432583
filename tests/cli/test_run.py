"""`aigw-sdk run` and `aigw-sdk simulator` through the installed console script."""

from __future__ import annotations

from pathlib import Path

import httpx

from aigw_sdk import presets
from tests.cli.support import free_port, serving

HELLO = [{"role": "user", "content": "Hello, Claude!"}]
ANTHROPIC_VERSION = {"anthropic-version": "2023-06-01"}


def _ask(url: str, model: str = "claude-sonnet-4-5") -> httpx.Response:
    return httpx.post(
        f"{url}/anthropic/v1/messages",
        json={"model": model, "max_tokens": 100, "messages": HELLO},
        headers=ANTHROPIC_VERSION,
        timeout=30,
    )


def test_run_without_a_file_serves_the_simulator_from_an_empty_directory(tmp_path: Path) -> None:
    port, admin = free_port(), free_port()
    with serving("--port", str(port), "--admin-port", str(admin), cwd=tmp_path) as served:
        assert served.url == f"http://127.0.0.1:{port}"
        assert served.admin_url == f"http://127.0.0.1:{admin}"
        assert "built-in simulator" in served.output
        reply = _ask(served.url)
        assert reply.status_code == 200, reply.text
        assert reply.json()["content"][0]["text"].startswith("Simulated reply to: Hello, Claude!")
        assert httpx.get(f"{served.admin_url}/health", timeout=10).status_code == 200


def test_run_serves_a_bundle_file_against_the_simulator_command(tmp_path: Path) -> None:
    with serving("--port", "0", command="simulator", ready="Simulator listening on ") as sim:
        host, _, sim_port = sim.url.removeprefix("http://").rpartition(":")
        bundle = presets.anthropic(
            api_key="any-key",
            models=["claude-opus-4"],
            hostname=host,
            port=int(sim_port),
            tls=False,
        )
        path = tmp_path / "bundle.yaml"
        path.write_text(bundle.to_yaml())
        port, admin = free_port(), free_port()
        with serving(str(path), "--port", str(port), "--admin-port", str(admin)) as served:
            assert served.url == f"http://127.0.0.1:{port}"
            reply = _ask(served.url, "claude-opus-4")
            assert reply.status_code == 200, reply.text
            assert reply.json()["model"] == "claude-opus-4"
            assert _ask(served.url, "claude-sonnet-4-5").status_code == 404
