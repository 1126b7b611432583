"""Process assembly: autoconfig, the gateway service (data plane + admin), threads, the CLI.

`run_main(argv)` is `aigw-sdk run` / `python -m gateway`. `GatewayService` is one gateway (data
plane, admin app, metrics, upstream session); `BackgroundLoop` runs services and the simulator in
a thread with its own event loop, which is how `aigw_sdk.LocalGateway` embeds them.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import anyio
from anyio.abc import TaskStatus
from anyio.from_thread import BlockingPortal, start_blocking_portal

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.errors import BundleLoadError
from gateway.accesslog import AccessLogWriter
from gateway.admin import AdminApp
from gateway.config import ConfigError, RuntimeConfig, compile_config
from gateway.guard import RequestGuard
from gateway.limits import Limits, add_limit_options, limits_from_args
from gateway.observation import Telemetry
from gateway.ratelimit import Limiter, RedisCounters
from gateway.server import DataPlane
from gateway.serving import serve
from gateway.simulator import SimulatorConfig, create_simulator_app
from gateway.upstream import UpstreamClient

__all__ = [
    "DEFAULT_ADMIN_PORT",
    "DEFAULT_PORT",
    "SIMULATED_MODELS",
    "Autoconfig",
    "BackgroundLoop",
    "GatewayService",
    "autoconfig",
    "main",
    "run_main",
    "serve_simulator",
    "simulator_api_key",
    "simulator_bundle",
]

DEFAULT_PORT: Final = 1975
DEFAULT_ADMIN_PORT: Final = 1064
SIMULATED_MODELS: Final = {
    "Anthropic": ("claude-sonnet-4-5", "claude-opus-4"),
    "OpenAI": ("gpt-4o-mini",),
}
try:
    import uvloop  # noqa: F401

    _UVLOOP: Final = True
except ImportError:  # pragma: no cover - not on Windows
    _UVLOOP = False  # type: ignore[misc]


class GatewayService:
    """One gateway: data plane and admin app sharing telemetry and one upstream session.

    `telemetry` defaults to what the `OTEL_*`/`OTEL_AIGW_*` variables say, without access log.
    """

    def __init__(
        self,
        config: RuntimeConfig,
        *,
        admin_token: str | None = None,
        body_limit: int | None = None,
        limits: Limits | None = None,
        ratelimit_redis: str | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.limits = (limits or Limits()).with_body_limit(body_limit)
        self.telemetry = telemetry or Telemetry.from_env()
        self.metrics = self.telemetry.metrics
        self.client = UpstreamClient()
        limiter = Limiter(RedisCounters(ratelimit_redis) if ratelimit_redis else None)
        self.plane = DataPlane(
            config,
            self.client,
            self.metrics,
            limits=self.limits,
            limiter=limiter,
            telemetry=self.telemetry,
        )
        self.admin = AdminApp(self.plane, self.metrics, self.admin_token)

    def __repr__(self) -> str:
        return f"GatewayService({self.plane.config!r}, admin_token='***')"

    async def serve(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        admin_port: int = 0,
        task_status: TaskStatus[tuple[int, int]] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        """Serve until cancelled; report `(port, admin_port)` once both accept connections."""
        ports: dict[str, int] = {}
        ready = anyio.Event()

        def mark(which: str) -> Any:
            def callback(bound: int) -> None:
                ports[which] = bound
                if len(ports) == 2:
                    ready.set()

            return callback

        try:
            async with anyio.create_task_group() as tg:
                guarded = RequestGuard(self.plane, self.limits.max_requests)
                tg.start_soon(_serve_app, guarded, host, port, mark("data"), self.limits)
                tg.start_soon(_serve_app, self.admin, host, admin_port, mark("admin"), self.limits)
                await ready.wait()
                task_status.started((ports["data"], ports["admin"]))
        finally:
            with anyio.CancelScope(shield=True):
                await self.client.close()
                await self.plane.limiter.aclose()
                await anyio.to_thread.run_sync(self.telemetry.close)


async def _serve_app(app: Any, host: str, port: int, ready: Any, limits: Limits) -> None:
    await serve(app, host=host, port=port, ready=ready, limits=limits)


async def serve_simulator(
    api_key: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    task_status: TaskStatus[int] = anyio.TASK_STATUS_IGNORED,
) -> None:
    """Serve the simulator until cancelled; report its port once it accepts connections."""
    app = create_simulator_app(SimulatorConfig(api_key=api_key))
    await serve(app, host=host, port=port, ready=task_status.started)


class BackgroundLoop:
    """A thread with its own event loop (works under a running Jupyter loop)."""

    def __init__(self) -> None:
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._futures: list[Future[Any]] = []

    def _get_portal(self) -> BlockingPortal:
        if self._portal is None:
            self._portal_cm = start_blocking_portal(
                backend_options={"use_uvloop": _UVLOOP}, name="aigw-gateway"
            )
            self._portal = self._portal_cm.__enter__()
        return self._portal

    def start_simulator(
        self, api_key: str | None, *, host: str = "127.0.0.1", port: int = 0
    ) -> int:
        """Start the simulator; return its port."""
        future, bound = self._get_portal().start_task(
            _simulator_task, api_key, host, port, name="aigw-simulator"
        )
        self._futures.append(future)
        return int(bound)

    def start_gateway(
        self,
        service: GatewayService,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        admin_port: int = 0,
    ) -> tuple[int, int]:
        """Start a gateway service; return `(port, admin_port)`."""
        future, bound = self._get_portal().start_task(
            _gateway_task, service, host, port, admin_port, name="aigw-gateway"
        )
        self._futures.append(future)
        return bound  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Stop everything (gracefully) and join the thread; safe to call twice."""
        portal_cm, self._portal_cm, self._portal = self._portal_cm, None, None
        if portal_cm is None:
            return
        for future in reversed(self._futures):
            future.cancel()
        self._futures = []
        portal_cm.__exit__(None, None, None)


async def _simulator_task(
    api_key: str | None, host: str, port: int, *, task_status: TaskStatus[int]
) -> None:
    await serve_simulator(api_key, host=host, port=port, task_status=task_status)


async def _gateway_task(
    service: GatewayService,
    host: str,
    port: int,
    admin_port: int,
    *,
    task_status: TaskStatus[tuple[int, int]],
) -> None:
    await service.serve(host=host, port=port, admin_port=admin_port, task_status=task_status)


# -- autoconfig ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Autoconfig:
    """What `aigw run` without a file serves; `simulator_key` set means "start the simulator"."""

    description: str
    bundle: Bundle | None
    simulator_key: str | None = None

    def __repr__(self) -> str:
        return f"Autoconfig({self.description!r})"


def simulator_bundle(port: int, api_key: str, host: str = "127.0.0.1") -> Bundle:
    """The seed's models routed to a simulator on `host:port` (plain HTTP, its API key)."""
    anthropic = presets.anthropic(
        api_key=api_key,
        models=SIMULATED_MODELS["Anthropic"],
        hostname=host,
        port=port,
        tls=False,
    )
    openai = presets.openai(
        api_key=api_key, models=SIMULATED_MODELS["OpenAI"], hostname=host, port=port, tls=False
    )
    return anthropic + openai


def _from_base_url(url: str | None, default_host: str) -> dict[str, Any]:
    if not url:
        return {"hostname": default_host, "port": 443, "tls": True}
    parts = urlsplit(url)
    tls = parts.scheme != "http"
    return {
        "hostname": parts.hostname or default_host,
        "port": parts.port or (443 if tls else 80),
        "tls": tls,
    }


def autoconfig(env: Mapping[str, str]) -> Autoconfig:
    """Like `aigw run` with no file: ANTHROPIC_API_KEY, else OPENAI_API_KEY, else the simulator."""
    if env.get("ANTHROPIC_API_KEY"):
        where = _from_base_url(env.get("ANTHROPIC_BASE_URL"), "api.anthropic.com")
        bundle = presets.anthropic(
            api_key=env["ANTHROPIC_API_KEY"], models=SIMULATED_MODELS["Anthropic"], **where
        )
        return Autoconfig(f"Anthropic at {where['hostname']} (ANTHROPIC_API_KEY)", bundle)
    if env.get("OPENAI_API_KEY"):
        where = _from_base_url(env.get("OPENAI_BASE_URL"), "api.openai.com")
        bundle = presets.openai(
            api_key=env["OPENAI_API_KEY"], models=SIMULATED_MODELS["OpenAI"], **where
        )
        return Autoconfig(f"OpenAI at {where['hostname']} (OPENAI_API_KEY)", bundle)
    return Autoconfig(
        "the built-in simulator (no ANTHROPIC_API_KEY or OPENAI_API_KEY set)",
        None,
        simulator_key=simulator_api_key(env),
    )


def simulator_api_key(env: Mapping[str, str]) -> str:
    """The simulator's API key: `AIGW_SIMULATOR_API_KEY`, else a random one."""
    return env.get("AIGW_SIMULATOR_API_KEY") or secrets.token_urlsafe(16)


def compile_bundle(bundle: Bundle) -> RuntimeConfig:
    """Validate and compile; raise `ConfigError` listing every validation error and problem."""
    errors = [str(issue) for issue in bundle.validate() if issue.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return compile_config(bundle)


# -- command line ----------------------------------------------------------------------------------


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Run the local Envoy AI Gateway (aigw-sdk) data plane."
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="multi-document YAML bundles")
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="default: the Gateway's listener")
    parser.add_argument("--admin-port", type=int, default=DEFAULT_ADMIN_PORT)
    parser.add_argument(
        "--admin-token",
        default=os.environ.get("AIGW_ADMIN_TOKEN"),
        help="bearer token of PUT/GET /config (default: $AIGW_ADMIN_TOKEN, else random)",
    )
    parser.add_argument(
        "--simulator", action="store_true", help="also run the simulator (printed at start-up)"
    )
    add_limit_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no access log on stdout")
    parser.add_argument(
        "--ratelimit-redis",
        metavar="URL",
        default=None,
        help="keep rate-limit counters in Redis (redis://host:port/db), shared by every gateway "
        "process using it (default: in memory)",
    )
    parser.add_argument(
        "--log-format", choices=("json", "text"), default="json", help="access-log format"
    )
    parser.add_argument("--debug", action="store_true", help="debug logging on stderr")
    return parser


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_main(argv: Sequence[str] | None = None, *, prog: str = "aigw-sdk run") -> int:
    """`aigw-sdk run [FILE...] [--port N] [--admin-port N] [--admin-token T]`; the exit code."""
    args = _parser(prog).parse_intermixed_args(argv)
    try:
        limits = limits_from_args(args)
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    bundle: Bundle | None = None
    simulator_key: str | None = None
    if args.files:
        try:
            bundle = load_yaml(*args.files, substitute_env=True)
        except (BundleLoadError, OSError) as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 1
        if args.simulator:
            simulator_key = simulator_api_key(os.environ)
    else:
        auto = autoconfig(os.environ)
        bundle, simulator_key = auto.bundle, auto.simulator_key
        _say(f"Serving {auto.description}.")
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    writer = None
    if not args.quiet:
        out = sys.stdout.buffer
        writer = AccessLogWriter(out.write, args.log_format, flush=out.flush)
    try:
        telemetry = Telemetry.from_env(writer=writer)
    except ValueError as exc:
        if writer is not None:
            writer.close()
        sys.stderr.write(f"error: {exc}\n")
        return 1
    logging.getLogger("gateway").debug("%s", telemetry)
    try:
        return anyio.run(
            _run,
            args,
            bundle,
            simulator_key,
            limits,
            telemetry,
            backend_options={"use_uvloop": _UVLOOP},
        )
    except KeyboardInterrupt:
        return 0
    except OSError as exc:  # e.g. the port is taken
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except ExceptionGroup as group:
        failures = group.subgroup(OSError)
        if failures is None:
            raise
        sys.stderr.writelines(f"error: {exc}\n" for exc in failures.exceptions)
        return 1
    finally:
        telemetry.close()


async def _run(
    args: argparse.Namespace,
    bundle: Bundle | None,
    simulator_key: str | None,
    limits: Limits,
    telemetry: Telemetry,
) -> int:
    async with anyio.create_task_group() as tg:
        if simulator_key is not None:
            sim_port = await tg.start(_simulator_task, simulator_key, args.host, 0)
            _say(f"Simulator listening on http://{args.host}:{sim_port} (API key required)")
            if bundle is None:
                bundle = simulator_bundle(sim_port, simulator_key, args.host)
                _say(
                    "No API key set: routing "
                    + ", ".join(m for models in SIMULATED_MODELS.values() for m in models)
                    + " to the simulator (offline answers, not a real model)."
                )
        try:
            config = compile_bundle(bundle if bundle is not None else Bundle())
        except ConfigError as exc:
            sys.stderr.write("error: the configuration cannot be served:\n")
            sys.stderr.writelines(f"  - {problem}\n" for problem in exc.problems)
            tg.cancel_scope.cancel()
            return 1
        port = args.port if args.port is not None else config.listen_port or DEFAULT_PORT
        for warning in config.warnings:
            sys.stderr.write(f"warning: {warning}\n")
        service = GatewayService(
            config,
            admin_token=args.admin_token,
            limits=limits,
            ratelimit_redis=args.ratelimit_redis,
            telemetry=telemetry,
        )
        bound, admin = await tg.start(_gateway_task, service, args.host, port, args.admin_port)
        _say(
            f"Envoy AI Gateway (aigw-sdk) listening on http://{args.host}:{bound} "
            f"(admin http://{args.host}:{admin})"
        )
        if args.admin_token is None:
            _say(f"Admin token: {service.admin_token}")
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            async for _ in signals:
                break
        tg.cancel_scope.cancel()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m gateway`."""
    return run_main(argv, prog="python -m gateway")
