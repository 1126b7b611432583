"""Benchmark: a translated AWS Bedrock stream against the passthrough stream, in one run.

    .venv/bin/python bench/bench_cloud_stream.py [--seconds 5] [--requests 200] [--concurrency 16]

Starts the simulator and the gateway (pinned to CPU 0) as subprocesses, like bench_gateway.py,
and streams the same ~50-chunk reply (`x-sim-reply-words: 150`) to an OpenAI chat client two
ways: passthrough from an OpenAI-schema backend, and translated from an AWSBedrock backend
(SigV4-signed ConverseStream, AWS event-stream decoded incrementally, re-encoded as OpenAI
chunks). Prints p50/p99 at concurrency 1 and streams/s at fixed concurrency, with
translated/passthrough ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from bench_gateway import _cpus, _measure, _start  # noqa: E402

from aigw_sdk.bundle import Bundle  # noqa: E402
from aigw_sdk.models.registry import parse_resource  # noqa: E402
from aigw_sdk.presets import Provider  # noqa: E402
from gateway.simulator.cloud_auth import CloudAuthConfig  # noqa: E402

WORDS = "150"  # ~50 content chunks of three words
MESSAGES = [{"role": "user", "content": "Stream a long answer for the benchmark."}]


def _bundle(sim_port: int, key: str) -> Bundle:
    auth = CloudAuthConfig()
    openai = Provider("bench-openai", "OpenAI", "127.0.0.1", key, port=sim_port, tls=False)
    docs = [
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "AIGatewayRoute",
            "metadata": {"name": "bench", "namespace": "default"},
            "spec": {
                "rules": [
                    {
                        "matches": [{"headers": [{"name": "x-ai-eg-model", "value": m}]}],
                        "backendRefs": [{"name": backend}],
                    }
                    for m, backend in (("gpt-4o-mini", "bench-openai"), ("nova", "bench-aws"))
                ]
            },
        },
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "AIServiceBackend",
            "metadata": {"name": "bench-aws", "namespace": "default"},
            "spec": {
                "schema": {"name": "AWSBedrock"},
                "backendRef": {
                    "name": "bench-aws",
                    "kind": "Backend",
                    "group": "gateway.envoyproxy.io",
                },
            },
        },
        {
            "apiVersion": "gateway.envoyproxy.io/v1alpha1",
            "kind": "Backend",
            "metadata": {"name": "bench-aws", "namespace": "default"},
            "spec": {"endpoints": [{"ip": {"address": "127.0.0.1", "port": sim_port}}]},
        },
        {
            "apiVersion": "aigateway.envoyproxy.io/v1beta1",
            "kind": "BackendSecurityPolicy",
            "metadata": {"name": "bench-aws", "namespace": "default"},
            "spec": {
                "type": "AWSCredentials",
                "targetRefs": [
                    {
                        "group": "aigateway.envoyproxy.io",
                        "kind": "AIServiceBackend",
                        "name": "bench-aws",
                    }
                ],
                "awsCredentials": {
                    "region": "us-east-1",
                    "credentialsFile": {"secretRef": {"name": "bench-aws"}},
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "bench-aws", "namespace": "default"},
            "stringData": {
                "credentials": f"[default]\naws_access_key_id = {auth.aws_access_key_id}\n"
                f"aws_secret_access_key = {auth.aws_secret_access_key}\n"
            },
        },
    ]
    bundle = Bundle(openai.resources("default"))
    bundle.add(*(parse_resource(doc) for doc in docs))
    return bundle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    parser.add_argument("--requests", type=int, default=200, help="per latency run (c=1)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    gateway_cpus, load_cpus = _cpus()
    key = secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent)}
    sim, sim_url = _start(
        ["-m", "gateway.simulator", "--port", "0", "--api-key", key],
        "Simulator listening on ",
        load_cpus,
        env,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(_bundle(int(sim_url.rsplit(":", 1)[1]), key).to_yaml())
    gateway, gw_url = _start(
        ["-m", "gateway", handle.name, "--port", "0", "--admin-port", "0", "--quiet"],
        "Envoy AI Gateway (aigw-sdk) listening on ",
        gateway_cpus,
        env,
    )
    try:
        headers = {
            "content-type": "application/json",
            "authorization": "Bearer client",
            "x-sim-reply-words": WORDS,
        }
        results: dict[str, dict[str, dict[str, float]]] = {}
        for name, model in (("passthrough", "gpt-4o-mini"), ("bedrock", "nova")):
            body = {"model": model, "messages": MESSAGES, "stream": True}
            spec = {
                "url": f"{gw_url}/v1/chat/completions",
                "headers": headers,
                "body": body,
                "expect": "[DONE]",
                "seconds": args.seconds,
            }
            results[name] = {
                "c1": _measure({**spec, "requests": args.requests, "concurrency": 1}, load_cpus),
                "cN": _measure({**spec, "requests": 0, "concurrency": args.concurrency}, load_cpus),
            }
        base, cloud = results["passthrough"], results["bedrock"]
        print(f"{'scenario':<12} {'p50 ms':>8} {'p99 ms':>8} {'streams/s':>10} {'errors':>7}")
        for name, r in results.items():
            print(
                f"{name:<12} {r['c1']['p50']:8.2f} {r['c1']['p99']:8.2f} "
                f"{r['cN']['rps']:10.0f} {r['c1']['errors'] + r['cN']['errors']:7d}"
            )
        print(
            f"bedrock/passthrough: p50 x{cloud['c1']['p50'] / base['c1']['p50']:.2f}, "
            f"streams/s x{cloud['cN']['rps'] / base['cN']['rps']:.2f} "
            f"(c={args.concurrency})"
        )
        print(json.dumps(results))
    finally:
        for process in (gateway, sim):
            process.terminate()
            process.wait()
        Path(handle.name).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
