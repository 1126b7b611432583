"""Process assembly: autoconfig, the gateway service (data plane + admin), threads, the CLI.

`run_main(argv)` is `aigw-sdk run` / `python -m gateway` (what it serves without a file comes
from `gateway.autoconfig`). `GatewayService` is one gateway (data
plane, admin app, metrics, upstream session); `BackgroundLoop` runs services and the simulator in
a thread with its own event loop, which is how `aigw_sdk.LocalGateway` embeds them.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import logging
import os
import secrets
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import anyio
from anyio.abc import TaskStatus
from anyio.from_thread import BlockingPortal, start_blocking_portal

from aigw_sdk.bundle import Bundle
from aigw_sdk.cli import read_inputs
from aigw_sdk.errors import BundleLoadError
from aigw_sdk.local import point_at_simulator
from aigw_sdk.models import lenient_resource
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.validation.report import load_located
from gateway.accesslog import AccessLogWriter
from gateway.admin import AdminApp
from gateway.autoconfig import (
    SIMULATED_MODELS,
    Autoconfig,
    AutoconfigError,
    autoconfig,
    simulator_api_key,
    simulator_bundle,
)
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
    "ListenError",
    "autoconfig",
    "compile_bundle",
    "lenient_bundle",
    "main",
    "run_main",
    "serve_listener",
    "serve_simulator",
    "simulator_api_key",
    "simulator_bundle",
]

DEFAULT_PORT: Final = 1975
DEFAULT_ADMIN_PORT: Final = 1064
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
                tg.start_soon(serve_listener, guarded, host, port, mark("data"), self.limits)
                tg.start_soon(
                    serve_listener,
                    self.admin,
                    host,
                    admin_port,
                    mark("admin"),
                    self.limits,
                    "admin",
                )
                await ready.wait()
                task_status.started((ports["data"], ports["admin"]))
        finally:
            with anyio.CancelScope(shield=True):
                await self.client.close()
                await self.plane.limiter.aclose()
                await anyio.to_thread.run_sync(self.telemetry.close)


class ListenError(OSError):
    """A listener could not be opened; the message names what, the address and why."""


async def serve_listener(
    app: Any, host: str, port: int, ready: Any, limits: Limits | None, what: str = "data plane"
) -> None:
    """`serve`, but a listener that cannot open raises `ListenError` naming `what` and where."""
    started = False

    def mark(bound: int) -> None:
        nonlocal started
        started = True
        ready(bound)

    try:
        await serve(app, host=host, port=port, ready=mark, limits=limits)
    except OSError as exc:
        if started:
            raise
        reason = exc.strerror or str(exc)
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        error = ListenError(f"cannot listen on {shown} ({what}): {reason.lower()}")
        error.errno = exc.errno
        raise error from exc


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def serve_simulator(
    api_key: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    task_status: TaskStatus[int] = anyio.TASK_STATUS_IGNORED,
) -> None:
    """Serve the simulator until cancelled; report its port once it accepts connections."""
    app = create_simulator_app(SimulatorConfig(api_key=api_key))
    await serve_listener(app, host, port, task_status.started, None, "simulator")


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


# -- bundles ---------------------------------------------------------------------------------------


def lenient_bundle(bundle: Bundle) -> tuple[Bundle, list[str]]:
    """`bundle` decoded as `aigw run` does (unknown fields dropped), and a warning per change."""
    out = Bundle()
    notes: list[str] = []
    for resource in bundle:
        decoded, changes = lenient_resource(resource)
        where = f"{resource.kind} '{resource.namespace or 'default'}/{resource.name}'"
        notes.extend(f"{where}: {change}" for change in changes)
        out.add(decoded)
    return out, notes


def compile_bundle(bundle: Bundle) -> RuntimeConfig:
    """Validate and compile; raise `ConfigError` listing every validation error and problem."""
    errors = [_without_severity(issue) for issue in bundle.validate() if issue.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return compile_config(bundle)


def _without_severity(issue: ValidationIssue) -> str:
    return str(issue).removeprefix(f"{issue.severity}: ")


# -- the admin token, the parent watch ------------------------------------------------------------


def runtime_dir(env: Mapping[str, str]) -> Path:
    """A directory only this user can read: `$AIGW_RUNTIME_DIR`, `$XDG_RUNTIME_DIR/aigw-sdk`, or
    `<tmp>/aigw-sdk-<uid>`; created 0700, refused when another user owns it or can read it."""
    if env.get("AIGW_RUNTIME_DIR"):
        path = Path(env["AIGW_RUNTIME_DIR"])
    elif env.get("XDG_RUNTIME_DIR"):
        path = Path(env["XDG_RUNTIME_DIR"]) / "aigw-sdk"
    else:
        path = Path(tempfile.gettempdir()) / f"aigw-sdk-{_uid()}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or (
        hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077)
    ):
        raise OSError(f"{path}: not a directory that only you can read (chmod 700 it)")
    return path


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def write_private(path: Path, text: str) -> None:
    """Write `text` to a new file only this user can read (never through a symlink)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        if hasattr(os, "fchmod"):
            os.fchmod(out.fileno(), 0o600)
        out.write(text + "\n")


def _read_token_file(path: str) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"--admin-token-file {path}: {exc.strerror or exc}") from None
    if not token:
        raise UsageError(f"--admin-token-file {path}: the file is empty")
    return token


def exit_with_parent() -> None:
    """End this process (SIGTERM, a graceful stop) when the parent process dies.

    On Linux the kernel sends it (PR_SET_PDEATHSIG); everywhere, EOF on stdin does — the parent
    holds the other end of that pipe, so it closes however the parent ends, even SIGKILL.
    """
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(65536):
                pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True, name="aigw-parent-watch").start()


_PR_SET_PDEATHSIG: Final = 1


# -- command line ----------------------------------------------------------------------------------


class UsageError(Exception):
    """A command-line mistake; the message says which option and why."""


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run the local Envoy AI Gateway (aigw-sdk) data plane. Without FILE it "
        "configures itself like `aigw run` from AZURE_OPENAI_API_KEY, else OPENAI_API_KEY, else "
        "ANTHROPIC_API_KEY, and with none of them serves the built-in simulator.",
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="YAML bundles, directories, or '-' for stdin"
    )
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"0 picks a free port (default: the Gateway's listener, else {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--admin-port", type=int, default=DEFAULT_ADMIN_PORT, help="0 picks a free port"
    )
    parser.add_argument(
        "--admin-token-file",
        metavar="PATH",
        help="read the bearer token of /config from PATH (default: $AIGW_ADMIN_TOKEN, else a "
        "random token written to a file only you can read)",
    )
    parser.add_argument("--admin-token", help=argparse.SUPPRESS)  # refused: see _admin_token
    parser.add_argument(
        "--simulator",
        action="store_true",
        help="also run the simulator and point every Backend of FILE at it (offline answers); "
        "without FILE, serve the simulator even when an API key is set",
    )
    add_limit_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no access log on stdout")
    parser.add_argument(
        "--ratelimit-redis",
        metavar="URL",
        default=os.environ.get("AIGW_RATELIMIT_REDIS"),
        help="keep rate-limit counters in Redis (redis://host:port/db), shared by every gateway "
        "process using it (default: $AIGW_RATELIMIT_REDIS, else in memory)",
    )
    parser.add_argument(
        "--log-format", choices=("json", "text"), default="json", help="access-log format"
    )
    parser.add_argument("--debug", action="store_true", help="debug logging on stderr")
    parser.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)
    return parser


def _say(line: str) -> None:
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `aigw-sdk run | head`: keep serving, say nothing more
        _silence_stdout()


def _silence_stdout() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _error(line: str) -> None:
    sys.stderr.write(f"error: {line}\n")


@dataclass
class _Plan:
    """What `run` serves, decided before anything listens."""

    bundle: Bundle | None
    simulator_key: str | None
    admin_token: str | None
    simulate_files: bool


def run_main(argv: Sequence[str] | None = None, *, prog: str = "aigw-sdk run") -> int:
    """`aigw-sdk run [FILE...] [--port N] [--admin-port N] [--simulator]`; the exit code."""
    args = _parser(prog).parse_intermixed_args(argv)
    try:
        limits = limits_from_args(args)
        plan = _plan(args, os.environ)
    except (UsageError, AutoconfigError, ValueError) as exc:
        _error(str(exc))
        return 2
    except (BundleLoadError, OSError) as exc:
        _error(str(exc))
        return 1
    if args.exit_with_parent:
        exit_with_parent()
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    writer = None
    if not args.quiet:
        # Once stdout's reader goes away the log stops; the gateway goes on.
        out = sys.stdout.buffer
        writer = AccessLogWriter(
            out.write, args.log_format, flush=out.flush, broken=_silence_stdout
        )
    try:
        telemetry = Telemetry.from_env(writer=writer)
    except ValueError as exc:
        if writer is not None:
            writer.close()
        _error(str(exc))
        return 1
    logging.getLogger("gateway").debug("%s", telemetry)
    try:
        return anyio.run(
            _run, args, plan, limits, telemetry, backend_options={"use_uvloop": _UVLOOP}
        )
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        _error(str(exc))
        return 1
    except ExceptionGroup as group:  # from the task group: a listener that could not open
        failures = _leaves(group)
        if not all(isinstance(failure, OSError) for failure in failures):
            raise
        for failure in failures:
            _error(str(failure))
        return 1


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    out: list[BaseException] = []
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            out.extend(_leaves(exc))
        else:
            out.append(exc)
    return out


def _plan(args: argparse.Namespace, env: Mapping[str, str]) -> _Plan:
    if args.admin_token is not None:
        raise UsageError(
            "--admin-token is not accepted: a command line is visible to every local user "
            "(ps, /proc/PID/cmdline); set AIGW_ADMIN_TOKEN or use --admin-token-file PATH"
        )
    token = _read_token_file(args.admin_token_file) if args.admin_token_file else None
    token = token or env.get("AIGW_ADMIN_TOKEN") or None
    if args.files:
        loaded, _ = load_located(read_inputs(args.files), expand_env=True)
        bundle, notes = lenient_bundle(loaded)
        for note in notes:
            sys.stderr.write(f"warning: {note}\n")
        key = simulator_api_key(env) if args.simulator else None
        return _Plan(bundle, key, token, simulate_files=args.simulator)
    if args.simulator:
        _say("Serving the built-in simulator (--simulator).")
        return _Plan(None, simulator_api_key(env), token, simulate_files=False)
    auto = autoconfig(env)
    _say(f"Serving {auto.description}.")
    return _Plan(auto.bundle, auto.simulator_key, token, simulate_files=False)


async def _run(args: argparse.Namespace, plan: _Plan, limits: Limits, telemetry: Telemetry) -> int:
    bundle = plan.bundle
    token_file: Path | None = None
    async with anyio.create_task_group() as tg:
        if plan.simulator_key is not None:
            sim_port = await tg.start(_simulator_task, plan.simulator_key, _SIM_HOST, 0)
            _say(f"Simulator listening on {_url(_SIM_HOST, sim_port)} (API key required)")
            if bundle is None:
                bundle = simulator_bundle(sim_port, plan.simulator_key, _SIM_HOST)
                _say(
                    "Routing "
                    + ", ".join(m for models in SIMULATED_MODELS.values() for m in models)
                    + " to the simulator (offline answers, not a real model)."
                )
            elif plan.simulate_files:
                bundle = point_at_simulator(bundle, _SIM_HOST, sim_port, plan.simulator_key)
                _say(
                    "--simulator: every Backend of the bundle points at the simulator and its "
                    "Secrets hold the simulator's key (offline answers, not a real model)."
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
            admin_token=plan.admin_token,
            limits=limits,
            ratelimit_redis=args.ratelimit_redis or os.environ.get("AIGW_RATELIMIT_REDIS"),
            telemetry=telemetry,
        )
        # Everything loaded so far lives as long as the process: keep it out of the collector's
        # full scans, which a large request body would otherwise trigger (a 100 ms+ stall).
        gc.freeze()
        bound, admin = await tg.start(_gateway_task, service, args.host, port, args.admin_port)
        try:
            if plan.admin_token is None:
                token_file = runtime_dir(os.environ) / f"admin-token-{admin}"
                write_private(token_file, service.admin_token)
            if token_file is not None:
                _say(f"Admin token (for /config): written to {token_file}, readable only by you")
            _say(
                f"Envoy AI Gateway (aigw-sdk) listening on {_url(args.host, bound)} "
                f"(admin {_url(args.host, admin)})"
            )
            with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                async for _ in signals:
                    break
        finally:
            if token_file is not None:
                token_file.unlink(missing_ok=True)
            tg.cancel_scope.cancel()
    return 0


_SIM_HOST: Final = "127.0.0.1"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m gateway`."""
    return run_main(argv, prog="python -m gateway")
