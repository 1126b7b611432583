"""LocalGateway: the bundled gateway (and optionally the simulator) started from Python.

The gateway package is imported only when a LocalGateway starts, so the SDK works without the
gateway extras installed.
"""

from __future__ import annotations

import contextlib
import html
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, Self

import anyio
import httpx

from aigw_sdk.bundle import Bundle
from aigw_sdk.errors import AIGWError
from aigw_sdk.models import Backend, BackendTLSPolicy, Secret
from aigw_sdk.validation.issues import ValidationIssue

if TYPE_CHECKING:
    from gateway.limits import Limits

__all__ = ["GatewayConfigRejected", "LocalGateway"]

Mode = Literal["thread", "subprocess"]
_BANNER = "Envoy AI Gateway (aigw-sdk) listening on "
_SIM_BANNER = "Simulator listening on "
_START_TIMEOUT = 30.0


class GatewayConfigRejected(AIGWError):
    """`LocalGateway.apply` was refused; `issues` lists every problem (nothing changed)."""

    def __init__(self, message: str, issues: list[ValidationIssue]) -> None:
        lines = "\n".join(f"  - {issue}" for issue in issues)
        super().__init__(f"{message}\n{lines}" if lines else message)
        self.issues = issues


PROVIDER_KEY_VARIABLES = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "ANTHROPIC_API_KEY")


def provider_key_set(env: Mapping[str, str] | None = None) -> bool:
    """Whether a provider API key that `aigw run` autoconfigures from is set."""
    values = os.environ if env is None else env
    return any(values.get(name) for name in PROVIDER_KEY_VARIABLES)


def point_at_simulator(bundle: Bundle, host: str, port: int, api_key: str) -> Bundle:
    """A copy of `bundle` whose Backends point at the simulator on `host:port` (plain HTTP) and
    whose Secrets hold the simulator's `api_key`; BackendTLSPolicies are dropped. Idempotent."""
    out = Bundle()
    for resource in bundle:
        if isinstance(resource, BackendTLSPolicy):
            continue
        if isinstance(resource, Backend):
            data = resource.to_dict()
            data["spec"]["endpoints"] = [{"fqdn": {"hostname": host, "port": port}}]
            data["spec"].pop("tls", None)
            out.add(Backend.model_validate(data))
        elif isinstance(resource, Secret):
            data = resource.to_dict()
            data.pop("data", None)
            data["stringData"] = dict.fromkeys(sorted(resource.keys()), api_key)
            out.add(Secret.model_validate(data))
        else:
            out.add(resource)
    return out


class LocalGateway:
    """A running local gateway: ``with LocalGateway(bundle) as gw: ... gw.url ...``.

    ``simulator=True`` also runs the bundled simulator and points every Backend of every bundle
    this gateway serves (the one given here and each :meth:`apply`) at it, with its API key —
    offline answers, never a real provider (a bundle already aimed at the simulator is kept).
    ``simulator=False`` forwards to the bundle's real Backends. The default (``None``) is the
    simulator when none of OPENAI_API_KEY, AZURE_OPENAI_API_KEY, ANTHROPIC_API_KEY is set, else
    real; :attr:`simulator_url` tells which.
    Without a bundle it serves what ``aigw-sdk run`` would: the seed's models on the simulator,
    or the provider configured from those variables.
    ``mode="thread"`` runs in a background thread (fine inside Jupyter), ``"subprocess"`` in a
    separate Python process that receives its bundle over a pipe and exits with its parent.
    ``ratelimit_redis`` (a ``redis://`` URL) keeps rate-limit counters in Redis, shared with every
    other gateway process using it. ``limits`` (a ``gateway.limits.Limits``) bounds connections,
    request sizes and timeouts; Envoy-like defaults otherwise.
    """

    def __init__(
        self,
        bundle: Bundle | None = None,
        *,
        port: int = 0,
        admin_port: int = 0,
        simulator: bool | None = None,
        mode: Mode = "thread",
        admin_token: str | None = None,
        ratelimit_redis: str | None = None,
        limits: Limits | None = None,
    ) -> None:
        if mode not in ("thread", "subprocess"):
            raise ValueError(f"mode: must be 'thread' or 'subprocess', not {mode!r}")
        self._bundle = bundle
        self._port = port
        self._admin_port = admin_port
        self._simulator = simulator if simulator is not None else not provider_key_set()
        self._mode: Mode = mode
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self._ratelimit_redis = ratelimit_redis
        self._limits = limits
        # What the bundle asks for that the gateway does not do, and the fields it ignored.
        self.warnings: list[str] = []
        self._simulator_key: str | None = None
        self._loop: Any = None  # gateway.app.BackgroundLoop in thread mode
        self._process: subprocess.Popen[str] | None = None
        self._drains: list[threading.Thread] = []
        self.url: str | None = None
        self.admin_url: str | None = None
        self.simulator_url: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the gateway was started and not stopped."""
        return self.url is not None

    def start(self) -> Self:
        """Start serving; returns once the gateway accepts connections."""
        if self.running:
            raise RuntimeError("LocalGateway is already running")
        if self._mode == "thread":
            self._start_thread()
        else:
            self._start_subprocess()
        return self

    def _start_thread(self) -> None:
        from gateway.app import (
            BackgroundLoop,
            GatewayService,
            autoconfig,
            compile_bundle,
            lenient_bundle,
        )
        from gateway.app import simulator_bundle as _simulator_bundle

        loop = BackgroundLoop()
        self._loop = loop
        try:
            bundle, notes = (None, []) if self._bundle is None else lenient_bundle(self._bundle)
            if self._simulator:
                self._simulator_key = secrets.token_urlsafe(16)
                sim_port = loop.start_simulator(self._simulator_key)
                self.simulator_url = f"http://127.0.0.1:{sim_port}"
                bundle = self._served(bundle) if bundle is not None else None
                if bundle is None:
                    bundle = _simulator_bundle(sim_port, self._simulator_key)
            elif bundle is None:
                bundle = autoconfig(os.environ).bundle
            config = compile_bundle(bundle if bundle is not None else Bundle())
            self.warnings = [*notes, *config.warnings]
            service = GatewayService(
                config,
                admin_token=self.admin_token,
                ratelimit_redis=self._ratelimit_redis,
                limits=self._limits,
            )
            port, admin = loop.start_gateway(service, port=self._port, admin_port=self._admin_port)
        except BaseException:
            loop.stop()
            self._loop = None
            self.simulator_url = None
            raise
        self.url = f"http://127.0.0.1:{port}"
        self.admin_url = f"http://127.0.0.1:{admin}"

    def _start_subprocess(self) -> None:
        # The bundle (it may hold API keys) goes over a pipe, never a file; the admin token and
        # the simulator key go in the environment, never on the command line (/proc/PID/cmdline).
        args = [
            sys.executable, "-m", "gateway", "--exit-with-parent", "--quiet",
            "--port", str(self._port), "--admin-port", str(self._admin_port),
        ]  # fmt: skip
        if self._limits is not None:
            from gateway.limits import limit_options

            args += limit_options(self._limits)
        if self._simulator:
            args.append("--simulator")
        env = dict(os.environ, AIGW_ADMIN_TOKEN=self.admin_token)
        if self._ratelimit_redis:  # a URL may hold a password: not on the command line either
            env["AIGW_RATELIMIT_REDIS"] = self._ratelimit_redis
        if self._simulator:
            self._simulator_key = secrets.token_urlsafe(16)
            env["AIGW_SIMULATOR_API_KEY"] = self._simulator_key
        read_end: int | None = None
        write_end: int | None = None
        if self._bundle is not None:
            read_end, write_end = os.pipe()
            args.append(f"/dev/fd/{read_end}")
        try:
            process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,  # the child exits when this pipe closes (we died)
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                pass_fds=() if read_end is None else (read_end,),
            )
        finally:
            if read_end is not None:
                os.close(read_end)
        self._process = process
        if write_end is not None and self._bundle is not None:
            _feed(write_end, self._bundle.to_yaml())
        assert process.stdout is not None
        timer = threading.Timer(_START_TIMEOUT, process.kill)
        timer.start()
        try:
            for line in process.stdout:
                if line.startswith(_SIM_BANNER):
                    self.simulator_url = line[len(_SIM_BANNER) :].split()[0]
                if line.startswith(_BANNER):
                    rest = line[len(_BANNER) :].split()
                    self.url = rest[0]
                    self.admin_url = rest[2].rstrip(")")
                    break
        finally:
            timer.cancel()
        if self.url is None:
            error = process.stderr.read() if process.stderr else ""
            process.wait()
            _close_pipes(process)
            self._process = None
            self.simulator_url = None
            raise RuntimeError(f"the gateway process did not start: {error.strip()}")
        self._drains = [_drain(process.stdout)]
        if process.stderr is not None:
            self._drains.append(_drain(process.stderr))

    def stop(self) -> None:
        """Stop the gateway (and simulator); safe to call more than once."""
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for thread in self._drains:
                thread.join(timeout=5)
            self._drains = []
            _close_pipes(process)
        self.url = self.admin_url = self.simulator_url = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await anyio.to_thread.run_sync(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await anyio.to_thread.run_sync(self.stop)

    # -- admin -----------------------------------------------------------------------------------

    def _admin(self) -> httpx.Client:
        if self.admin_url is None:
            raise RuntimeError("LocalGateway is not running: call start() or use `with`")
        return httpx.Client(
            base_url=self.admin_url,
            headers={"authorization": f"Bearer {self.admin_token}"},
            timeout=60.0,
        )

    def apply(self, bundle: Bundle) -> dict[str, Any]:
        """Replace the served configuration atomically; raise `GatewayConfigRejected` if refused.

        With the simulator on, a bundle with a Backend elsewhere is served as `simulated(bundle)`.
        """
        served = self._served(bundle)
        with self._admin() as client:
            response = client.put("/config", content=served.to_yaml().encode())
        payload: dict[str, Any] = response.json()
        if response.status_code != 200:
            issues = [ValidationIssue(**item) for item in payload.get("issues", [])]
            raise GatewayConfigRejected(str(payload.get("error", response.text)), issues)
        return payload

    def config(self) -> dict[str, Any]:
        """The served configuration (`generation`, `resources`; secret values redacted)."""
        with self._admin() as client:
            response = client.get("/config")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def metrics(self) -> str:
        """The Prometheus text of `/metrics`."""
        with self._admin() as client:
            response = client.get("/metrics")
        response.raise_for_status()
        return response.text

    def requests(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last model requests (newest last): request id, status, latency, ttft, tokens."""
        with self._admin() as client:
            response = client.get("/requests", params={} if limit is None else {"limit": limit})
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()["requests"]
        return rows

    def ratelimits(self) -> dict[str, Any]:
        """Every rate limit and quota bucket with its counters in the current window."""
        with self._admin() as client:
            response = client.get("/ratelimits")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def simulated(self, bundle: Bundle) -> Bundle:
        """A copy of `bundle` whose Backends point at this gateway's simulator (its API key)."""
        if self.simulator_url is None or self._simulator_key is None:
            raise RuntimeError("no simulator is running: start with simulator=True")
        host, _, port = self.simulator_url.removeprefix("http://").rpartition(":")
        return point_at_simulator(bundle, host, int(port), self._simulator_key)

    @property
    def simulating(self) -> bool:
        """Whether this gateway points every bundle it serves at the simulator."""
        return self._simulator

    def _served(self, bundle: Bundle) -> Bundle:
        """In simulator mode, `simulated(bundle)` unless every Backend already points at the
        simulator (a bundle made from `simulated()` and then edited, e.g. a deliberately wrong
        key, is served as given)."""
        if not self._simulator or self.simulator_url is None:
            return bundle
        host, _, port = self.simulator_url.removeprefix("http://").rpartition(":")
        backends = bundle.of_kind(Backend)
        if backends and all(_points_at(b, host, int(port)) for b in backends):
            return bundle
        return self.simulated(bundle)

    # -- display ---------------------------------------------------------------------------------

    def __repr__(self) -> str:
        if not self.running:
            return f"LocalGateway(stopped, mode={self._mode!r})"
        sim = f", simulator={self.simulator_url!r}" if self.simulator_url else ""
        return f"LocalGateway(url={self.url!r}, admin_url={self.admin_url!r}{sim})"

    def _repr_html_(self) -> str:
        if not self.running:
            return "<b>LocalGateway</b>: stopped"
        rows = [("URL", self.url), ("Admin", self.admin_url), ("Mode", self._mode)]
        if self.simulator_url:
            rows.append(("Simulator", self.simulator_url))
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td><code>"
            f"{html.escape(str(v))}</code></td></tr>"
            for k, v in rows
        )
        return f"<b>LocalGateway</b> (running)<table>{cells}</table>"


def _points_at(backend: Backend, host: str, port: int) -> bool:
    endpoints = backend.spec.endpoints if backend.spec is not None else None
    return bool(endpoints) and all(
        endpoint.fqdn is not None and endpoint.fqdn.hostname == host and endpoint.fqdn.port == port
        for endpoint in endpoints or []
    )


def _feed(fd: int, text: str) -> None:
    """Write `text` to a pipe in a thread (the child reads it while starting), then close it."""

    def run() -> None:
        with os.fdopen(fd, "w", encoding="utf-8") as pipe, contextlib.suppress(BrokenPipeError):
            pipe.write(text)

    threading.Thread(target=run, daemon=True, name="aigw-bundle-pipe").start()


def _close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _drain(stream: IO[str]) -> threading.Thread:
    """Keep reading a child's pipe so it never blocks on a full buffer."""

    def run() -> None:
        for _ in stream:
            pass

    thread = threading.Thread(target=run, daemon=True, name="aigw-drain")
    thread.start()
    return thread
