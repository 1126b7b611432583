"""Benchmark: direct-to-simulator vs through the local gateway, in one run.

    .venv/bin/python bench/bench_gateway.py [--seconds 5] [--requests 400] [--concurrency 64]
        [--baseline DIR]

Starts the zero-delay simulator and the gateway (`python -m gateway`, pinned to CPU 0) as
subprocesses, and a load generator (aiohttp, its own process, pinned to the other CPUs) per
measurement. Scenarios: non-streaming and streaming native Anthropic passthrough, fallback (the
priority-0 backend answers 500, the retry policy moves to priority 1) and translation (an OpenAI
client to the Anthropic backend). Prints p50/p99 latency at concurrency 1 (added latency =
gateway p50 - direct p50), requests/s at fixed concurrency with gateway/direct ratios, and the
gateway process's CPU time per request during the throughput run (from /proc; the least noisy
figure on a busy machine).

`--baseline DIR` also runs the gateway of another checkout (e.g. `git archive <commit> | tar -x
-C DIR`) on the same simulator, alternating with this one scenario by scenario, and prints
current/baseline ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aigw_sdk.bundle import Bundle  # noqa: E402
from aigw_sdk.models import AIServiceBackend  # noqa: E402
from aigw_sdk.presets import Provider, provider_fallback  # noqa: E402
from gateway.app import simulator_bundle  # noqa: E402

PROMPT = [{"role": "user", "content": "Say hello to the benchmark in a few words."}]


def _cpus() -> tuple[set[int], set[int]]:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return set(cpus), set(cpus)
    return {cpus[0]}, set(cpus[1:])


def _pinned(cpus: set[int]) -> Callable[[], None]:
    return lambda: os.sched_setaffinity(0, cpus)


def _start(args: list[str], banner: str, cpus: set[int], env: dict[str, str]) -> tuple[Any, str]:
    process = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        preexec_fn=_pinned(cpus),  # only sets CPU affinity
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(banner):
            return process, line[len(banner) :].split()[0]
    raise RuntimeError(f"{args} did not start")


def _bundle(sim_port: int, key: str) -> Bundle:
    bundle = simulator_bundle(sim_port, key)
    failing = Provider("failing", "Anthropic", "127.0.0.1", key, port=sim_port, tls=False)
    healthy = Provider("healthy", "Anthropic", "127.0.0.1", key, port=sim_port, tls=False)
    fallback = provider_fallback(
        failing, healthy, ["fallback-model"], num_retries=2, per_retry_timeout="10s"
    )
    for resource in fallback:
        if isinstance(resource, AIServiceBackend) and resource.name == "failing":
            data = resource.to_dict()
            data["spec"]["headerMutation"] = {"set": [{"name": "x-sim-status", "value": "500"}]}
            resource = AIServiceBackend.model_validate(data)
        bundle.add(resource)
    retry = next(r for r in bundle if r.kind == "BackendTrafficPolicy")
    data = retry.to_dict()
    data["spec"]["retry"]["perRetry"]["backOff"] = {"baseInterval": "1ms", "maxInterval": "1ms"}
    bundle.add(type(retry).model_validate(data))
    return bundle


# -- load generator (runs in its own process) ------------------------------------------------------


async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    import aiohttp

    body = json.dumps(spec["body"]).encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + spec["seconds"]
    remaining = [spec["requests"]]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while True:
                if spec["requests"]:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                elif time.perf_counter() >= deadline:
                    return
                start = time.perf_counter()
                async with session.post(spec["url"], data=body, headers=spec["headers"]) as resp:
                    payload = await resp.read()
                    ok = resp.status == 200 and (
                        not spec["expect"] or spec["expect"].encode() in payload
                    )
                latencies.append(time.perf_counter() - start)
                if not ok:
                    errors += 1

        for _ in range(3):  # warm the connection pools
            async with session.post(spec["url"], data=body, headers=spec["headers"]) as resp:
                await resp.read()
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(spec["concurrency"])))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(spec: dict[str, Any], cpus: set[int]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--loadgen", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=_pinned(cpus),  # only sets CPU affinity
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# -- orchestration ---------------------------------------------------------------------------------


def _start_gateway(root: Path, config: str, cpus: set[int]) -> tuple[Any, str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    args = ["-m", "gateway", config, "--port", "0", "--admin-port", "0", "--quiet"]
    process = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env=env,
        preexec_fn=_pinned(cpus),  # only sets CPU affinity
    )
    assert process.stdout is not None
    banner = "Envoy AI Gateway (aigw-sdk) listening on "
    for line in process.stdout:
        if line.startswith(banner):
            return process, line[len(banner) :].split()[0]
    raise RuntimeError(f"the gateway of {root} did not start")


def _run_side(
    base: dict[str, Any], args: argparse.Namespace, cpus: set[int], pid: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    latency = _measure({**base, "concurrency": 1, "requests": args.requests, "seconds": 0}, cpus)
    before = _cpu_seconds(pid) if pid is not None else 0.0
    load = _measure(
        {**base, "concurrency": args.concurrency, "requests": 0, "seconds": args.seconds}, cpus
    )
    if pid is not None:
        load["cpu_ms"] = (_cpu_seconds(pid) - before) * 1000 / max(load["n"], 1)
    return latency, load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    parser.add_argument("--requests", type=int, default=400, help="per latency run (c=1)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare against")
    parser.add_argument("--loadgen", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loadgen:
        import uvloop

        print(json.dumps(uvloop.run(_load(json.loads(args.loadgen)))))
        return 0

    gateway_cpus, load_cpus = _cpus()
    key = secrets.token_urlsafe(12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sim, sim_url = _start(
        ["-m", "gateway.simulator", "--port", "0", "--api-key", key],
        "Simulator listening on ",
        load_cpus,
        env,
    )
    sim_port = int(sim_url.rsplit(":", 1)[1])
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(_bundle(sim_port, key).to_yaml())
    roots = {"current": ROOT}
    if args.baseline is not None:
        roots["baseline"] = args.baseline.resolve()
    gateways = {
        label: _start_gateway(root, handle.name, gateway_cpus) for label, root in roots.items()
    }
    anthropic_headers = {"content-type": "application/json", "anthropic-version": "2023-06-01"}
    direct_headers = {**anthropic_headers, "x-api-key": key}
    messages = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": PROMPT}
    chat = {"model": "claude-sonnet-4-5", "messages": PROMPT}
    scenarios = [
        # name, direct path, direct body, gateway path, gateway body, expected in each body
        ("non-streaming", "/v1/messages", messages, "/anthropic/v1/messages", messages, ("", "")),
        (
            "streaming",
            "/v1/messages",
            {**messages, "stream": True},
            "/anthropic/v1/messages",
            {**messages, "stream": True},
            ("message_stop", "message_stop"),
        ),
        (
            "fallback (500 -> prio 1)",
            "/v1/messages",
            messages,
            "/anthropic/v1/messages",
            {**messages, "model": "fallback-model"},
            ("", ""),
        ),
        (
            "translated (OpenAI->Anthropic)",
            "/v1/messages",
            messages,
            "/v1/chat/completions",
            chat,
            ("", ""),
        ),
        (
            "translated streaming",
            "/v1/messages",
            {**messages, "stream": True},
            "/v1/chat/completions",
            {**chat, "stream": True},
            ("message_stop", "[DONE]"),
        ),
    ]
    rows = []
    try:
        for index, (name, d_path, d_body, g_path, g_body, expect) in enumerate(scenarios):
            direct = {"url": sim_url + d_path, "headers": direct_headers, "body": d_body}
            result = {"direct": _run_side({**direct, "expect": expect[0]}, args, load_cpus, None)}
            order = list(gateways.items())
            if index % 2:
                order.reverse()  # neither gateway always runs first (background load drifts)
            for label, (process, url) in order:
                side = {"url": url + g_path, "headers": anthropic_headers, "body": g_body}
                side["expect"] = expect[1]
                result[label] = _run_side(side, args, load_cpus, process.pid)
            rows.append((name, result))
    finally:
        for process, _ in gateways.values():
            process.terminate()
        sim.terminate()
        for process, _ in gateways.values():
            process.wait()
        sim.wait()
        os.unlink(handle.name)

    print(f"\ngateway on CPU(s) {sorted(gateway_cpus)}; simulator + load on {sorted(load_cpus)}")
    print(f"latency: {args.requests} requests at c=1; ", end="")
    print(f"throughput: {args.seconds:g}s at c={args.concurrency}\n")
    header = (
        f"{'scenario':32} {'gateway':8} {'direct p50':>10} {'gw p50':>8} {'added':>7} "
        f"{'gw p99':>8} {'direct rps':>10} {'gw rps':>8} {'ratio':>6} {'gw p99@c':>9} "
        f"{'cpu/req':>8} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, result in rows:
        d_lat, d_load = result["direct"]
        for label in gateways:
            g_lat, g_load = result[label]
            errors = d_lat["errors"] + d_load["errors"] + g_lat["errors"] + g_load["errors"]
            added = g_lat["p50"] - d_lat["p50"]
            print(
                f"{name:32} {label:8} {d_lat['p50']:9.2f}ms {g_lat['p50']:6.2f}ms "
                f"{added:5.2f}ms {g_lat['p99']:6.2f}ms {d_load['rps']:10.0f} "
                f"{g_load['rps']:8.0f} {g_load['rps'] / d_load['rps']:6.2f} "
                f"{g_load['p99']:7.1f}ms {g_load['cpu_ms']:6.3f}ms {errors:6d}"
            )
    if "baseline" in gateways:
        print("\ncurrent / baseline (same run): >1 is faster for rps, <1 is cheaper for CPU")
        print(f"{'scenario':32} {'rps':>6} {'cpu/req':>8} {'added p50 (base -> cur)':>26}")
        for name, result in rows:
            d_p50 = result["direct"][0]["p50"]
            (c_lat, c_load), (b_lat, b_load) = result["current"], result["baseline"]
            print(
                f"{name:32} {c_load['rps'] / b_load['rps']:6.2f} "
                f"{c_load['cpu_ms'] / b_load['cpu_ms']:8.2f} "
                f"{b_lat['p50'] - d_p50:12.2f}ms -> {c_lat['p50'] - d_p50:6.2f}ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
