"""Benchmark: what observability costs — access log and tracing on vs off, in one run.

    .venv/bin/python bench/bench_observability.py [--seconds 2] [--rounds 3] [--concurrency 64]
        [--baseline-root PATH]

Starts the zero-delay simulator and one gateway per variant, all pinned to CPU 0 and measured one
at a time, variants interleaved over `--rounds` rounds (medians reported, so load from elsewhere
on a shared machine hits them alike): `--quiet` (no access log, tracing off: the baseline), the
access log on (JSON, then text) written to a pipe this script drains, tracing on (OTLP/HTTP to a
loopback receiver in this process, OpenInference attributes), and both. With `--baseline-root`
(another checkout, e.g. the main branch) its `--quiet` gateway is measured too, to compare
metrics implementations. Prints requests/s per scenario and the ratio to the baseline, and the
gateway's CPU time per request (from /proc: steadier than throughput on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aigw_sdk.client.traces import TraceReceiver  # noqa: E402
from bench.bench_gateway import PROMPT, _bundle, _cpus, _measure  # noqa: E402

BANNER = "Envoy AI Gateway (aigw-sdk) listening on "
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _start_gateway(
    root: Path, config: str, extra: list[str], env: dict[str, str], cpus: set[int]
) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", config, "--port", "0", "--admin-port", "0", *extra],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        preexec_fn=lambda: os.sched_setaffinity(0, cpus),  # only sets CPU affinity
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(BANNER):
            url = line[len(BANNER) :].split()[0]
            break
    else:
        raise RuntimeError(f"gateway {extra} did not start")
    stdout = process.stdout
    threading.Thread(target=lambda: sum(1 for _ in stdout), daemon=True).start()  # drain the log
    return process, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput run")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--baseline-root", type=Path, help="another checkout to measure too")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out variants whose name has this text"
    )
    args = parser.parse_args()

    gateway_cpus, load_cpus = _cpus()
    key = secrets.token_urlsafe(12)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "AI_GATEWAY_"))}
    sim = subprocess.Popen(
        [sys.executable, "-m", "gateway.simulator", "--port", "0", "--api-key", key],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**base_env, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: os.sched_setaffinity(0, load_cpus),  # only sets CPU affinity
    )
    assert sim.stdout is not None
    sim_port = int(next(line for line in sim.stdout if "listening" in line).rsplit(":", 1)[1])
    receiver = TraceReceiver().start()
    traced = {
        **base_env,
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    }
    variants: list[tuple[str, Path, list[str], dict[str, str]]] = [
        ("quiet (baseline)", ROOT, ["--quiet"], base_env),
        ("access log json", ROOT, [], base_env),
        ("access log text", ROOT, ["--log-format", "text"], base_env),
        ("tracing on, quiet", ROOT, ["--quiet"], traced),
        ("tracing on + access log", ROOT, [], traced),
    ]
    if args.baseline_root is not None:
        variants.insert(
            1, (f"{args.baseline_root} quiet", args.baseline_root, ["--quiet"], base_env)
        )
    variants = [
        v for v in variants if v[0] == "quiet (baseline)" or not any(x in v[0] for x in args.skip)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(_bundle(sim_port, key).to_yaml())
    headers = {"content-type": "application/json", "anthropic-version": "2023-06-01"}
    messages = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": PROMPT}
    scenarios = [
        ("non-streaming", "/anthropic/v1/messages", messages, ""),
        ("translated streaming", "/v1/chat/completions",
         {"model": "claude-sonnet-4-5", "messages": PROMPT, "stream": True}, "[DONE]"),
    ]  # fmt: skip
    # rps per variant and scenario, one value per round; variants interleave within each round so
    # that load from elsewhere on a shared machine hits them alike.
    results: dict[str, dict[str, list[float]]] = {name: {} for name, *_ in variants}
    cpu: dict[str, dict[str, list[float]]] = {name: {} for name, *_ in variants}
    errors: dict[str, int] = dict.fromkeys(results, 0)
    gateways: dict[str, tuple[subprocess.Popen[str], str]] = {}
    try:
        for name, root, extra, env in variants:
            gateways[name] = _start_gateway(root, handle.name, extra, env, gateway_cpus)
        order = list(gateways.items())
        for round_ in range(args.rounds):
            for scenario, path, body, expect in scenarios:
                turn = round_ % len(order)  # rotate: no variant always measured first
                for name, (process, url) in order[turn:] + order[:turn]:
                    spec = {
                        "url": url + path,
                        "headers": headers,
                        "body": body,
                        "expect": expect,
                        "concurrency": args.concurrency,
                        "requests": 0,
                        "seconds": args.seconds,
                    }
                    before = _cpu_seconds(process.pid)
                    measured = _measure(spec, load_cpus)
                    used = _cpu_seconds(process.pid) - before
                    results[name].setdefault(scenario, []).append(measured["rps"])
                    per_request = used / max(measured["n"] + 3, 1) * 1e6  # + the 3 warm-up
                    cpu[name].setdefault(scenario, []).append(per_request)
                    errors[name] += measured["errors"]
    finally:
        for process, _ in gateways.values():
            process.terminate()
            process.wait()
        sim.terminate()
        sim.wait()
        receiver.stop()
        os.unlink(handle.name)

    print(
        f"\ngateways on CPU {sorted(gateway_cpus)}; {args.rounds} interleaved rounds of "
        f"{args.seconds:g}s at c={args.concurrency}; median requests/s"
    )
    print(f"spans received by the loopback OTLP receiver: {len(receiver.spans)}\n")
    header = f"{'variant':34}" + "".join(f"{s:>22} {'ratio':>6}" for s, *_ in scenarios)
    for title, table, unit, inverse in (
        ("throughput (median requests/s)", results, "rps", False),
        ("gateway CPU per request (median µs; ratio = baseline cost / cost)", cpu, "µs", True),
    ):
        print(f"\n{title}")
        print(header + f" {'errors':>6}")
        print("-" * (len(header) + 7))
        baseline = {k: statistics.median(v) for k, v in table["quiet (baseline)"].items()}
        for name, by_scenario in table.items():
            row = f"{name:34}"
            for scenario, *_ in scenarios:
                value = statistics.median(by_scenario[scenario])
                ratio = baseline[scenario] / value if inverse else value / baseline[scenario]
                row += f"{value:18.0f} {unit:3} {ratio:6.3f}"
            print(row + f" {errors[name]:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
