"""Drive the installed ``aigw-sdk`` console script in subprocesses, as users do."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

AIGW = str(Path(sys.executable).with_name("aigw-sdk"))
PROVIDER_KEYS = (
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
    "AIGW_ADMIN_TOKEN",
    "AIGW_SIMULATOR_API_KEY",
)
BANNER = "Envoy AI Gateway (aigw-sdk) listening on "


def offline_env(**extra: str) -> dict[str, str]:
    """The current environment without any provider key, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_KEYS}
    env.update(extra)
    return env


def aigw(
    *args: str,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `aigw-sdk ARGS...` to completion."""
    return subprocess.run(
        [AIGW, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(env) if env is not None else offline_env(),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    """A running `aigw-sdk run`: its URLs and every stdout line read so far."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    url: str = ""
    admin_url: str = ""

    @property
    def output(self) -> str:
        return "".join(self.lines)


@contextmanager
def serving(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    command: str = "run",
    ready: str = BANNER,
    timeout: float = 60,
) -> Iterator[Served]:
    """Start `aigw-sdk COMMAND ARGS...`, wait for its `ready` line, stop it (SIGINT) afterwards."""
    process = subprocess.Popen(
        [AIGW, command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env) if env is not None else offline_env(),
        cwd=cwd,
    )
    served = Served(process)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                err = process.stderr.read() if process.stderr else ""
                raise AssertionError(f"aigw-sdk {command} exited early:\n{served.output}{err}")
            served.lines.append(line)
            if line.startswith(ready):
                words = line[len(ready) :].split()
                served.url = words[0]
                if len(words) > 2:
                    served.admin_url = words[2].rstrip(")")
                break
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
