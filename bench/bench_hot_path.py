"""Benchmark: the data plane's own CPU time per request, in process, with a canned upstream.

    .venv/bin/python bench/bench_hot_path.py [--requests 3000] [--rounds 3] [--baseline DIR]

No sockets: the ASGI app (`gateway.server.DataPlane`) is called directly and its upstream client
answers at once with bytes recorded from the simulator, so what is measured is the gateway's
Python work per request (routing, translation, relay, usage, metrics) — the figure a refactor of
the hot path moves, and one a busy machine disturbs far less than `bench_gateway.py`'s
loopback numbers. Each measurement runs in a fresh subprocess; with `--baseline DIR` (another
checkout) both trees are measured alternately and the current/baseline ratio is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROMPT = [{"role": "user", "content": "Say hello to the benchmark in a few words."}]
MESSAGES = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": PROMPT}
CHAT = {"model": "claude-sonnet-4-5", "messages": PROMPT}
SCENARIOS = (
    # name, path, body
    ("passthrough", "/anthropic/v1/messages", MESSAGES),
    ("passthrough stream", "/anthropic/v1/messages", {**MESSAGES, "stream": True}),
    ("translated", "/v1/chat/completions", CHAT),
    ("translated stream", "/v1/chat/completions", {**CHAT, "stream": True}),
)


async def _recorded(stream: bool) -> bytes:
    """The simulator's answer to the Messages request (in process, through httpx)."""
    import httpx

    from gateway.simulator import SimulatorConfig, create_simulator_app

    app = create_simulator_app(SimulatorConfig(api_key=None))
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        response = await client.post(
            "/v1/messages",
            json={**MESSAGES, "stream": stream},
            headers={"anthropic-version": "2023-06-01", "x-api-key": "k"},
        )
    return response.content


class _Chunks:
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = iter(chunks)

    def __aiter__(self) -> _Chunks:
        return self

    async def __anext__(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None


class _Content:
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def iter_any(self) -> _Chunks:
        return _Chunks(self._chunks)


class _Response:
    """The part of aiohttp's ClientResponse the data plane reads."""

    status = 200

    def __init__(self, body: bytes, stream: bool) -> None:
        self.content_type = "text/event-stream" if stream else "application/json"
        self.headers = {"content-type": self.content_type}
        self.raw_headers = [(b"content-type", self.content_type.encode())]
        chunks = [c + b"\n\n" for c in body.split(b"\n\n") if c] if stream else [body]
        self.content = _Content(chunks)
        self.content_length = None if stream else len(body)

    def release(self) -> None:
        pass


async def _measure(requests: int) -> dict[str, float]:
    import logging

    import orjson

    from gateway.app import simulator_bundle
    from gateway.config import compile_config
    from gateway.metrics import GenAIMetrics
    from gateway.server import DataPlane

    logging.getLogger("gateway.access").disabled = True
    bodies = {stream: await _recorded(stream) for stream in (False, True)}
    current: list[bool] = [False]

    class Client:
        async def request(self, *_: Any, **__: Any) -> _Response:
            return _Response(bodies[current[0]], current[0])

    plane = DataPlane(compile_config(simulator_bundle(9, "k")), Client(), GenAIMetrics())  # type: ignore[arg-type]

    async def call(path: str, payload: bytes) -> None:
        pending = [{"type": "http.request", "body": payload, "more_body": False}]
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            if pending:
                return pending.pop()
            await asyncio.sleep(3600)
            raise AssertionError("unreachable")

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        scope = {
            "type": "http",
            "path": path,
            "method": "POST",
            "headers": [
                (b"content-type", b"application/json"),
                (b"anthropic-version", b"2023-06-01"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
        await plane(scope, receive, send)
        await asyncio.sleep(0)  # let the disconnect watcher's cancellation run
        if status != [200]:
            raise RuntimeError(f"{path}: status {status}")

    out: dict[str, float] = {}
    for name, path, body in SCENARIOS:
        current[0] = body.get("stream") is True
        payload = orjson.dumps(body)
        for _ in range(requests // 5):
            await call(path, payload)
        started = time.process_time()
        for _ in range(requests):
            await call(path, payload)
        out[name] = (time.process_time() - started) / requests * 1e6
    return out


def _run(root: Path, requests: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, __file__, "--measure", str(requests)]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="the best round is kept")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare against")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(asyncio.run(_measure(args.measure))))
        return 0
    trees = {"current": ROOT}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
    best: dict[str, dict[str, float]] = {label: {} for label in trees}
    for _ in range(args.rounds):
        for label, root in trees.items():  # alternate, so background load hits both
            for name, micros in _run(root, args.requests).items():
                best[label][name] = min(micros, best[label].get(name, float("inf")))
    print(f"\nCPU time per request (best of {args.rounds} rounds of {args.requests}), in µs\n")
    header = f"{'scenario':22}" + "".join(f"{label:>10}" for label in trees)
    print(header + (f"{'ratio':>8}" if "baseline" in trees else ""))
    print("-" * (len(header) + 8))
    for name, _, _ in SCENARIOS:
        row = f"{name:22}" + "".join(f"{best[label][name]:10.1f}" for label in trees)
        if "baseline" in trees:
            row += f"{best['current'][name] / best['baseline'][name]:8.2f}"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
