"""Benchmark: the latency a rate limit adds, in memory and in Redis, against no limit, in one run.

    .venv/bin/python bench/bench_ratelimit.py [--requests 300]

Starts the simulator and three gateways in one background loop: one without limits, one with a
token rate limit (upstream's token_ratelimit rules, per x-tenant-id) counting in memory, and one
counting in Redis (Debian's `redis-server` on a free loopback port; skipped when it is not
installed). Sends the same non-streaming OpenAI request to each, one at a time and interleaved,
and prints p50/p90 latency with the ratio to the unlimited gateway and the added milliseconds.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aigw_sdk import presets  # noqa: E402
from aigw_sdk.bundle import Bundle  # noqa: E402
from gateway.app import BackgroundLoop, GatewayService, simulator_bundle  # noqa: E402
from gateway.config import compile_config  # noqa: E402

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello benchmark."}]}
BIG = 10**12  # a budget the run never spends


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis() -> tuple[subprocess.Popen[bytes], str] | None:
    server = shutil.which("redis-server")
    if server is None:
        return None
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", tempfile.gettempdir()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    return None


def _measure(clients: dict[str, httpx.Client], requests: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in clients}
    for name, client in clients.items():  # warm-up, and check the limit is really applied
        for _ in range(20):
            response = client.post("/v1/chat/completions", json=BODY).raise_for_status()
        if ("x-ratelimit-limit" in response.headers) != (name != "unlimited"):
            raise SystemExit(f"{name}: the rate limit is not applied as intended")
    for _ in range(requests):
        for name, client in clients.items():
            started = time.perf_counter()
            client.post("/v1/chat/completions", json=BODY).raise_for_status()
            times[name].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    loop = BackgroundLoop()
    redis = _redis()
    clients: dict[str, httpx.Client] = {}
    try:
        sim_port = loop.start_simulator("bench-key")
        base = Bundle(simulator_bundle(sim_port, "bench-key").resources)
        route = next(r.name for r in base if r.kind == "AIGatewayRoute" and "openai" in r.name)
        limited = presets.token_rate_limits(
            base, {"llm_input_token": BIG, "llm_output_token": BIG}, route=route
        )
        setups = {"unlimited": (base, None), "memory": (limited, None)}
        if redis is not None:
            setups["redis"] = (limited, redis[1])
        for name, (bundle, redis_url) in setups.items():
            service = GatewayService(compile_config(bundle), ratelimit_redis=redis_url)
            port, _ = loop.start_gateway(service)
            clients[name] = httpx.Client(
                base_url=f"http://127.0.0.1:{port}", headers={"x-tenant-id": "bench"}
            )
        times = _measure(clients, args.requests)
    finally:
        for client in clients.values():
            client.close()
        loop.stop()
        if redis is not None:
            redis[0].terminate()
            redis[0].wait()
    base_p50 = statistics.median(times["unlimited"])
    print(f"{args.requests} sequential requests per gateway (non-streaming OpenAI, simulator)")
    for name, values in times.items():
        p50 = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(
            f"{name:>9}: p50 {p50 * 1000:6.2f} ms  p90 {p90 * 1000:6.2f} ms  "
            f"p50 ratio {p50 / base_p50:4.2f}  added {(p50 - base_p50) * 1000:+5.2f} ms"
        )
    if redis is None:
        print("    redis: skipped (redis-server is not installed)")


if __name__ == "__main__":
    main()
