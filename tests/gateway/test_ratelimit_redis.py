"""Rate-limit counters shared through Redis by three gateway processes.

Debian's `redis-server` runs on a free loopback port for the module; the gateways are separate
processes (`aigw-sdk run --ratelimit-redis`, and `LocalGateway(..., ratelimit_redis=...)` in
subprocess mode) in front of one simulator.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import openai
import pytest

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle
from aigw_sdk.local import LocalGateway
from tests.gateway.gw_helpers import Stack, provider, route, rule
from tests.gateway.test_ratelimit_e2e import _request_limit

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is not installed (scripts/test.sh installs Debian's when run as root)",
)
CLI = Path(sys.executable).with_name("aigw-sdk")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert REDIS_SERVER is not None
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def flushed(redis_url: str) -> str:
    """The Redis URL, its counters cleared (each test starts from zero)."""
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"FLUSHALL\r\n")
        assert sock.recv(16).startswith(b"+OK")
    return redis_url


class Gateways:
    """Three gateway processes serving one bundle with counters in one Redis."""

    def __init__(self, bundle: Bundle, redis_url: str, workdir: Path) -> None:
        self.urls: list[str] = []
        self.admin_urls: list[str] = []
        self._cli: subprocess.Popen[str] | None = None
        self._local: list[LocalGateway] = []
        path = workdir / "bundle.yaml"
        path.write_text(bundle.to_yaml())
        self._start_cli(path, redis_url)
        for _ in range(2):
            gateway = LocalGateway(bundle, mode="subprocess", ratelimit_redis=redis_url)
            gateway.admin_token = "admin-token"
            self._local.append(gateway.start())
            assert gateway.url is not None and gateway.admin_url is not None
            self.urls.append(gateway.url)
            self.admin_urls.append(gateway.admin_url)

    def _start_cli(self, path: Path, redis_url: str) -> None:
        args = [str(CLI), "run", str(path), "--port", "0", "--admin-port", "0", "--quiet",
                "--ratelimit-redis", redis_url]  # fmt: skip
        env = dict(os.environ, AIGW_ADMIN_TOKEN="admin-token")
        self._cli = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        assert self._cli.stdout is not None
        for line in self._cli.stdout:
            if "listening on" in line:
                # "... listening on http://127.0.0.1:P (admin http://127.0.0.1:A)"
                parts = line.split()
                self.urls.append(parts[parts.index("on") + 1])
                self.admin_urls.append(parts[-1].rstrip(")"))
                return
        pytest.fail(
            f"aigw-sdk run did not start: {self._cli.stderr.read() if self._cli.stderr else ''}"
        )

    def stop(self) -> None:
        for gateway in self._local:
            gateway.stop()
        if self._cli is not None:
            self._cli.terminate()
            self._cli.communicate(timeout=15)  # reads and closes the pipes

    def snapshot(self, index: int) -> dict[str, object]:
        headers = {"authorization": "Bearer admin-token"}
        data: dict[str, object] = httpx.get(
            f"{self.admin_urls[index]}/ratelimits", headers=headers
        ).json()
        return data


@pytest.fixture
def gateways_factory(flushed: str, tmp_path: Path) -> Iterator[list[Gateways]]:
    started: list[Gateways] = []
    yield started
    for group in started:
        group.stop()


def _bundle(stack: Stack) -> Bundle:
    return Bundle(
        [
            *provider("claude", "Anthropic", stack.sim_port),
            *provider("gpt", "OpenAI", stack.sim_port),
            route("models", [rule("claude-sonnet-4-5", ["claude"]), rule("gpt-4o-mini", ["gpt"])]),
        ]
    )


def test_three_processes_admit_exactly_the_budget(
    stack: Stack, flushed: str, tmp_path: Path, gateways_factory: list[Gateways]
) -> None:
    group = Gateways(Bundle([*_bundle(stack), _request_limit(30)]), flushed, tmp_path)
    gateways_factory.append(group)
    statuses = anyio.run(_spread, group.urls, 90)
    assert statuses.count(200) == 30, statuses
    assert statuses.count(429) == 60
    for index in range(3):
        (limit,) = group.snapshot(index)["rules"]  # type: ignore[misc]
        assert limit["counters"][0]["used"] == 90  # every process sees the one counter


async def _spread(urls: list[str], count: int) -> list[int]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    statuses: list[int] = []
    clients = [httpx.AsyncClient(base_url=url, timeout=30) for url in urls]
    try:

        async def one(client: httpx.AsyncClient) -> None:
            response = await client.post(
                "/v1/chat/completions", json=body, headers={"x-tenant-id": "shared"}
            )
            statuses.append(response.status_code)

        async with anyio.create_task_group() as tg:
            for _, client in zip(range(count), itertools.cycle(clients), strict=False):
                tg.start_soon(one, client)
    finally:
        for client in clients:
            await client.aclose()
    return statuses


def test_token_budget_shared_across_processes_with_streams(
    stack: Stack, flushed: str, tmp_path: Path, gateways_factory: list[Gateways]
) -> None:
    bundle = presets.token_rate_limits(_bundle(stack), {"llm_output_token": 40})
    group = Gateways(bundle, flushed, tmp_path)
    gateways_factory.append(group)
    clients = [openai.OpenAI(base_url=f"{u}/v1", api_key="k", max_retries=0) for u in group.urls]
    spent = 0
    last = 0
    try:
        for client in itertools.islice(itertools.cycle(clients), 40):
            try:
                stream = client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": "tell me something short"}],
                    stream=True,
                    stream_options={"include_usage": True},
                    extra_headers={"x-tenant-id": "team-red"},
                )
                usage = [chunk.usage for chunk in stream if chunk.usage is not None]
            except openai.RateLimitError as exc:
                assert exc.response.headers["x-ratelimit-remaining"] == "0"
                break
            last = usage[-1].completion_tokens
            spent += last
        else:
            pytest.fail("the shared budget never ran out")
    finally:
        for client in clients:
            client.close()
    # Admitted while the shared counter was within the budget; the last one took it over.
    assert spent - last <= 40 < spent
    for index in range(3):
        (limit,) = group.snapshot(index)["rules"]  # type: ignore[misc]
        assert limit["counters"][0]["used"] == spent
