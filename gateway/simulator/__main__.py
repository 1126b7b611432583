"""`python -m gateway.simulator --port N [--api-key K] [--chunk-delay S]`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

import anyio

from gateway.serving import serve
from gateway.simulator.app import create_simulator_app
from gateway.simulator.config import SimulatorConfig


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m gateway.simulator") -> int:
    """Run the simulator until interrupted; prints its URL once it accepts connections."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Run the Anthropic/OpenAI-compatible simulator upstream."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("AIGW_SIMULATOR_API_KEY"),
        help="key clients must send (default: $AIGW_SIMULATOR_API_KEY; unset accepts any)",
    )
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds per stream event")
    parser.add_argument("--cache-ttl", type=float, default=300.0, help="prompt-cache TTL, seconds")
    args = parser.parse_args(argv)
    try:
        config = SimulatorConfig(
            api_key=args.api_key, chunk_delay=args.chunk_delay, cache_ttl=args.cache_ttl
        )
    except ValueError as exc:
        parser.error(str(exc))
    host = args.host

    def ready(port: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        sys.stdout.write(f"Simulator listening on http://{shown}:{port}\n")
        sys.stdout.flush()

    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(
            lambda: serve(create_simulator_app(config), host=host, port=args.port, ready=ready)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
