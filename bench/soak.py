"""Soak: steady mixed traffic through the gateway, reporting its RSS and open file descriptors.

    .venv/bin/python bench/soak.py [--seconds 600] [--concurrency 8] [--every 10]

Runs the simulator and the gateway (`python -m gateway`) as subprocesses and cycles through
native and translated, streaming and non-streaming requests on both APIs, plus requests the
gateway refuses (unknown model, malformed JSON, a client that disconnects mid-stream). Every
`--every` seconds it prints the gateway's RSS, open descriptors and the requests so far; at the
end, start/end/peak figures. A leak shows as RSS or descriptors growing with time.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hardening import Gateway, gateway

HELLO = [{"role": "user", "content": "Tell me about soaking."}]
ANTHROPIC = {"anthropic-version": "2023-06-01"}


def _cases() -> list[tuple[str, str, Any, dict[str, str], bool]]:
    """(name, path, JSON body or raw bytes, headers, stream)."""
    messages = {"max_tokens": 32, "messages": HELLO}
    return [
        ("anthropic native", "/anthropic/v1/messages",
         {"model": "claude-sonnet-4-5", **messages}, ANTHROPIC, False),
        ("anthropic native stream", "/anthropic/v1/messages",
         {"model": "claude-sonnet-4-5", **messages, "stream": True}, ANTHROPIC, True),
        ("anthropic -> openai", "/anthropic/v1/messages",
         {"model": "gpt-4o-mini", **messages}, ANTHROPIC, False),
        ("openai native stream", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": HELLO, "stream": True}, {}, True),
        ("openai -> anthropic", "/v1/chat/completions",
         {"model": "claude-sonnet-4-5", "messages": HELLO}, {}, False),
        ("openai -> anthropic stream", "/v1/chat/completions",
         {"model": "claude-sonnet-4-5", "messages": HELLO, "stream": True}, {}, True),
        ("unknown model", "/v1/chat/completions", {"model": "nope", "messages": HELLO}, {}, False),
        ("malformed JSON", "/v1/chat/completions", b"{not json", {}, False),
    ]  # fmt: skip


async def _worker(
    client: httpx.AsyncClient, url: str, deadline: float, counts: collections.Counter[str]
) -> None:
    cases = _cases()
    turn = 0
    while time.monotonic() < deadline:
        _name, path, body, headers, stream = cases[turn % len(cases)]
        turn += 1
        content = body if isinstance(body, bytes) else None
        payload = None if isinstance(body, bytes) else body
        try:
            if stream:
                async with client.stream(
                    "POST", url + path, json=payload, content=content, headers=headers
                ) as response:
                    async for index, _chunk in _enumerate(response.aiter_raw()):
                        if turn % 5 == 0 and index == 1:
                            break  # a client that goes away mid-stream
                counts[str(response.status_code)] += 1
            else:
                response = await client.post(url + path, json=payload, content=content,
                                             headers=headers)  # fmt: skip
                counts[str(response.status_code)] += 1
        except httpx.HTTPError as exc:
            counts[type(exc).__name__] += 1


async def _enumerate(chunks: Any) -> Any:
    index = 0
    async for chunk in chunks:
        yield index, chunk
        index += 1


async def _soak(gw: Gateway, seconds: float, concurrency: int, every: float) -> None:
    counts: collections.Counter[str] = collections.Counter()
    deadline = time.monotonic() + seconds
    samples: list[tuple[float, float, int]] = []
    started = time.monotonic()

    def sample() -> None:
        samples.append((time.monotonic() - started, gw.rss_mb(), gw.fds()))
        at, rss, fds = samples[-1]
        print(f"{at:6.0f} s  RSS {rss:6.1f} MB  fds {fds:4d}  requests {sum(counts.values())}")

    async def sampler() -> None:
        while time.monotonic() < deadline:
            sample()
            await asyncio.sleep(every)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        tasks = [_worker(client, gw.url, deadline, counts) for _ in range(concurrency)]
        await asyncio.gather(sampler(), *tasks)
    await asyncio.sleep(1.0)  # let closed connections go
    sample()
    first, last = samples[0], samples[-1]
    peak = max(rss for _, rss, _ in samples)
    print(f"RSS start {first[1]:.1f} MB, end {last[1]:.1f} MB, peak {peak:.1f} MB "
          f"(VmHWM {gw.rss_mb('VmHWM'):.1f} MB)")  # fmt: skip
    print(f"fds start {first[2]}, end {last[2]}, peak {max(f for _, _, f in samples)}")
    print(f"requests {sum(counts.values())} in {seconds:.0f} s: {dict(sorted(counts.items()))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    args = parser.parse_args()
    with gateway() as gw:
        time.sleep(0.5)
        asyncio.run(_soak(gw, args.seconds, args.concurrency, args.every))
    return 0


if __name__ == "__main__":
    sys.exit(main())
