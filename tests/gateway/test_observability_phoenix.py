"""Spans in Arize Phoenix, the receiver upstream's docs use: a real OTLP peer no one here wrote.

Phoenix is large (~850 MB installed), so this test runs only when it is available: set
`AIGW_TEST_PHOENIX` to its `phoenix` executable (`scripts/test.sh` does when run with
`AIGW_TEST_PHOENIX=1`, installing arize-phoenix into `.venv-phoenix`), or have `phoenix` on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.header_attributes import HeaderAttributes
from gateway.metrics import GenAIMetrics
from gateway.observation import Telemetry
from gateway.tracing import Tracing
from tests.gateway.gw_helpers import Stack, provider, route, rule, sdk_anthropic, sdk_openai

PHOENIX = os.environ.get("AIGW_TEST_PHOENIX") or shutil.which("phoenix")
pytestmark = pytest.mark.skipif(
    not PHOENIX or not Path(PHOENIX).is_file(),
    reason="Arize Phoenix is not installed (AIGW_TEST_PHOENIX=1 scripts/test.sh installs it)",
)
TRACE = "5b8efff798038103d269b633813fc60c"
PARENT = "eee19b7ec3c1b174"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def phoenix(tmp_path: Path) -> Iterator[str]:
    """`phoenix serve` on loopback with its own working directory; its base URL."""
    assert PHOENIX is not None
    port = _free_port()
    env = {
        **os.environ,
        "PHOENIX_HOST": "127.0.0.1",
        "PHOENIX_PORT": str(port),
        "PHOENIX_GRPC_PORT": str(_free_port()),
        "PHOENIX_WORKING_DIR": str(tmp_path),
    }
    log = (tmp_path / "phoenix.log").open("w")
    with log, subprocess.Popen([PHOENIX, "serve"], stdout=log, stderr=log, env=env) as process:
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{url}/v1/projects", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "phoenix.log").read_text()[-3000:])
                time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _flat(attributes: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Phoenix nests dotted attribute names; flatten them back."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def _spans(url: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        data = httpx.get(f"{url}/v1/projects/default/spans", timeout=10).json().get("data", [])
        if len(data) >= count or time.monotonic() > deadline:
            return list(data)
        time.sleep(0.5)


def test_spans_of_both_sdks_arrive_in_phoenix(stack: Stack, phoenix: str) -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": phoenix}
    tracing = Tracing.from_env(env, span_headers=HeaderAttributes.from_env(env).spans)
    assert tracing is not None
    stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        route("r", [rule("claude-sonnet-4-5", ["claude"])]),
        telemetry=Telemetry(GenAIMetrics(), tracing=tracing),
    )
    stream = sdk_openai(stack).chat.completions.create(
        model="claude-sonnet-4-5",
        messages=[{"role": "user", "content": "Stream a hello"}],
        stream=True,
        extra_headers={"traceparent": f"00-{TRACE}-{PARENT}-01"},
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    message = sdk_anthropic(stack).messages.create(
        model="claude-sonnet-4-5", max_tokens=32, messages=[{"role": "user", "content": "hi"}]
    )
    assert tracing.force_flush()
    spans = {span["name"]: span for span in _spans(phoenix, 2)}
    chat, anthropic_span = spans["ChatCompletion"], spans["Message"]
    assert chat["context"]["trace_id"] == TRACE and chat["parent_id"] == PARENT
    assert chat["span_kind"] == "LLM" and chat["status_code"] == "OK"
    attrs = _flat(chat["attributes"])
    assert attrs["llm.system"] == "openai"
    assert attrs["llm.model_name"] == "claude-sonnet-4-5"
    assert attrs["llm.input_messages.0.message.content"] == "Stream a hello"
    assert attrs["llm.output_messages.0.message.content"] == text
    assert [event["name"] for event in chat["events"]] == ["First Token Stream Event"]
    message_attrs = _flat(anthropic_span["attributes"])
    assert message_attrs["llm.system"] == "anthropic"
    assert message_attrs["llm.token_count.completion"] == message.usage.output_tokens
    assert anthropic_span["parent_id"] is None
