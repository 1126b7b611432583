"""LocalGateway: the bundled gateway (and optionally the simulator) started from Python.

The gateway package is imported only when a LocalGateway starts, so the SDK works without the
gateway extras installed.
"""

from __future__ import annotations

import html
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

import anyio
import httpx

from aigw_sdk.bundle import Bundle
from aigw_sdk.errors import AIGWError
from aigw_sdk.models import Backend, BackendTLSPolicy, Secret
from aigw_sdk.validation.issues import ValidationIssue

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


def _has_api_key_env() -> bool:
    return bool(os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("OPENAI_API_KEY"))


class LocalGateway:
    """A running local gateway: ``with LocalGateway(bundle) as gw: ... gw.url ...``.

    ``simulator`` (default: on when there is no bundle and no ANTHROPIC_API_KEY/OPENAI_API_KEY)
    also runs the simulator; without a bundle the seed's models are then routed to it. A given
    bundle is served unchanged — use :meth:`simulated` for a copy pointed at the simulator.
    ``mode="thread"`` runs in a background thread (fine inside Jupyter), ``"subprocess"`` in a
    separate Python process. ``ratelimit_redis`` (a ``redis://`` URL) keeps rate-limit counters
    in Redis, shared with every other gateway process using it.
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
    ) -> None:
        if mode not in ("thread", "subprocess"):
            raise ValueError(f"mode: must be 'thread' or 'subprocess', not {mode!r}")
        self._bundle = bundle
        self._port = port
        self._admin_port = admin_port
        self._simulator = (
            simulator if simulator is not None else (bundle is None and not _has_api_key_env())
        )
        self._mode: Mode = mode
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self._ratelimit_redis = ratelimit_redis
        self.warnings: list[str] = []  # what the bundle asks for that the gateway does not do
        self._simulator_key: str | None = None
        self._loop: Any = None  # gateway.app.BackgroundLoop in thread mode
        self._process: subprocess.Popen[str] | None = None
        self._drains: list[threading.Thread] = []
        self._config_file: Path | None = None
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
        from gateway.app import BackgroundLoop, GatewayService, autoconfig, compile_bundle
        from gateway.app import simulator_bundle as _simulator_bundle

        loop = BackgroundLoop()
        self._loop = loop
        try:
            bundle = self._bundle
            if self._simulator:
                self._simulator_key = secrets.token_urlsafe(16)
                sim_port = loop.start_simulator(self._simulator_key)
                self.simulator_url = f"http://127.0.0.1:{sim_port}"
                if bundle is None:
                    bundle = _simulator_bundle(sim_port, self._simulator_key)
            elif bundle is None:
                bundle = autoconfig(os.environ).bundle
            config = compile_bundle(bundle if bundle is not None else Bundle())
            self.warnings = list(config.warnings)
            service = GatewayService(
                config, admin_token=self.admin_token, ratelimit_redis=self._ratelimit_redis
            )
            port, admin = loop.start_gateway(service, port=self._port, admin_port=self._admin_port)
        except BaseException:
            loop.stop()
            self._loop = None
            raise
        self.url = f"http://127.0.0.1:{port}"
        self.admin_url = f"http://127.0.0.1:{admin}"

    def _start_subprocess(self) -> None:
        args = [
            sys.executable, "-m", "gateway",
            "--port", str(self._port), "--admin-port", str(self._admin_port), "--quiet",
        ]  # fmt: skip
        if self._ratelimit_redis:
            args += ["--ratelimit-redis", self._ratelimit_redis]
        if self._bundle is not None:
            handle, name = tempfile.mkstemp(prefix="aigw-", suffix=".yaml")
            with os.fdopen(handle, "w") as out:
                out.write(self._bundle.to_yaml())
            self._config_file = Path(name)
            args.append(name)
            if self._simulator:
                args.append("--simulator")
        env = dict(os.environ, AIGW_ADMIN_TOKEN=self.admin_token)
        if self._simulator:
            self._simulator_key = secrets.token_urlsafe(16)
            env["AIGW_SIMULATOR_API_KEY"] = self._simulator_key
        if self._simulator and self._bundle is None:
            env.pop("ANTHROPIC_API_KEY", None)
            env.pop("OPENAI_API_KEY", None)
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self._process = process
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
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()
            self._process = None
            self._remove_config_file()  # it holds the bundle's API keys
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
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()
        self._remove_config_file()
        self.url = self.admin_url = self.simulator_url = None

    def _remove_config_file(self) -> None:
        if self._config_file is not None:
            self._config_file.unlink(missing_ok=True)
            self._config_file = None

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
        """Replace the served configuration atomically; raise `GatewayConfigRejected` if refused."""
        with self._admin() as client:
            response = client.put("/config", content=bundle.to_yaml().encode())
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
        """A copy of `bundle` whose Backends point at the simulator (plain HTTP, its API key)."""
        if self.simulator_url is None or self._simulator_key is None:
            raise RuntimeError("no simulator is running: start with simulator=True")
        host, _, port = self.simulator_url.removeprefix("http://").rpartition(":")
        key = self._simulator_key
        out = Bundle()
        for resource in bundle:
            if isinstance(resource, BackendTLSPolicy):
                continue
            if isinstance(resource, Backend):
                data = resource.to_dict()
                data["spec"]["endpoints"] = [{"fqdn": {"hostname": host, "port": int(port)}}]
                out.add(Backend.model_validate(data))
            elif isinstance(resource, Secret):
                data = resource.to_dict()
                data.pop("data", None)
                data["stringData"] = dict.fromkeys(sorted(resource.keys()), key)
                out.add(Secret.model_validate(data))
            else:
                out.add(resource)
        return out

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


def _drain(stream: IO[str]) -> threading.Thread:
    """Keep reading a child's pipe so it never blocks on a full buffer."""

    def run() -> None:
        for _ in stream:
            pass

    thread = threading.Thread(target=run, daemon=True, name="aigw-drain")
    thread.start()
    return thread
