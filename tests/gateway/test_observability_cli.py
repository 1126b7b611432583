"""`aigw-sdk run` observability end to end: OTLP spans to a loopback receiver, the access log on
stdout in both formats, `--debug`, and start-up refusals for bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import openai
import orjson
import pytest

from aigw_sdk.client.traces import TraceReceiver

RUN = [str(Path(sys.executable).with_name("aigw-sdk")), "run"]
BANNER = "Envoy AI Gateway (aigw-sdk) listening on "
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OTEL_", "OPENINFERENCE_", "AI_GATEWAY_"))
        and k not in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")
    }
    return {**env, **extra}


@contextmanager
def _gateway(*args: str, env: dict[str, str], stderr: IO[str]) -> Iterator[tuple[str, IO[str]]]:
    """`aigw-sdk run` on free ports: (its URL, its stdout); stopped on exit."""
    with subprocess.Popen(
        [*RUN, "--port", "0", "--admin-port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            url = next((line for line in process.stdout if line.startswith(BANNER)), None)
            assert url is not None, "the gateway did not start"
            yield url[len(BANNER) :].split()[0], process.stdout
        finally:
            process.terminate()
            process.wait(timeout=20)


def _next_log_line(stdout: IO[str]) -> str:
    for line in stdout:
        if not line.startswith(("Serving", "Simulator", "No API key", "Admin token")):
            return line
    raise AssertionError("no access-log line")


def test_streamed_translated_request_reaches_an_otlp_receiver() -> None:
    with TraceReceiver() as receiver:
        env = _env(OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY="50")
        with _gateway(env=env, stderr=sys.stderr) as (url, stdout):
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="k", max_retries=0)
            with client:
                stream = client.chat.completions.create(
                    model="claude-sonnet-4-5",
                    messages=[{"role": "user", "content": "Say hello"}],
                    stream=True,
                    extra_headers={"traceparent": f"00-{TRACE}-{PARENT}-01"},
                )
                text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            line = orjson.loads(_next_log_line(stdout))
            [span] = receiver.wait_for(1)
    assert (span.name, span.kind, span.status) == ("ChatCompletion", "INTERNAL", "OK")
    assert (span.trace_id, span.parent_span_id) == (TRACE, PARENT)
    assert span.resource["service.name"] == "ai-gateway"
    assert span.attributes["llm.system"] == "openai"
    assert span.attributes["llm.model_name"] == "claude-sonnet-4-5"
    assert span.attributes["llm.output_messages.0.message.content"] == text
    assert span.attributes["http.request.header.x-request-id"] == [line["x-request-id"]]
    assert [name for name, _ in span.events] == ["First Token Stream Event"]
    assert line["request.path"] == "/v1/chat/completions" and line["stream"] is True


def test_text_log_format_and_debug(tmp_path: Path) -> None:
    errors = (tmp_path / "stderr").open("w+")
    with (
        errors,
        _gateway("--log-format", "text", "--debug", env=_env(), stderr=errors) as (
            url,
            stdout,
        ),
    ):
        response = httpx.post(
            f"{url}/anthropic/v1/messages",
            json={"model": "claude-sonnet-4-5", "max_tokens": 8,
                  "messages": [{"role": "user", "content": "hi"}]},
            headers={"anthropic-version": "2023-06-01"},
        )  # fmt: skip
        line = _next_log_line(stdout)
    request_id = response.headers["x-request-id"]
    assert line.startswith("[") and '"POST /anthropic/v1/messages HTTP/1.1" 200 - ' in line
    assert f'"{request_id}"' in line
    assert 'gen_ai.request.model="claude-sonnet-4-5"' in line
    assert "DEBUG gateway: Telemetry(tracing=off" in (tmp_path / "stderr").read_text()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AI_GATEWAY_TRACING_SEMCONV", "otel", "AI_GATEWAY_TRACING_SEMCONV='otel'"),
        ("OTEL_AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES", "x-tenant", "expected format"),
    ],
)
def test_bad_settings_refuse_to_start(variable: str, value: str, message: str) -> None:
    env = _env(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", **{variable: value})
    proc = subprocess.run(
        [*RUN, "--port", "0", "--admin-port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert message in proc.stderr and variable in proc.stderr
