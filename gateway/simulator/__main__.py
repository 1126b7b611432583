"""`aigw-sdk simulator` / `python -m gateway.simulator --port N [--chunk-delay D]`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import anyio

from aigw_sdk.durations import duration_arg
from gateway.app import serve_listener
from gateway.simulator.app import create_simulator_app
from gateway.simulator.config import SimulatorConfig


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m gateway.simulator") -> int:
    """Run the simulator until interrupted; prints its URL once it accepts connections."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Run the Anthropic/OpenAI-compatible simulator upstream."
    )
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("AIGW_SIMULATOR_API_KEY"),
        help="key clients must send (default: $AIGW_SIMULATOR_API_KEY; unset accepts any)",
    )
    parser.add_argument(
        "--chunk-delay",
        type=duration_arg,
        default=0.0,
        metavar="DURATION",
        help="pause before each stream event (e.g. 20ms; default 0)",
    )
    parser.add_argument(
        "--cache-ttl",
        type=duration_arg,
        default=300.0,
        metavar="DURATION",
        help="prompt-cache TTL (default 5m)",
    )
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

    app = create_simulator_app(config)
    try:
        anyio.run(lambda: serve_listener(app, host, args.port, ready, None, "simulator"))
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port is taken: the message names the address
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
