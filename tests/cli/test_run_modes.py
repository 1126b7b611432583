"""`aigw-sdk run` modes: --simulator with files, the seed's curls verbatim, `aigw run` autoconfig
parity, lenient decoding of what `aigw run` serves, a taken port, the admin token."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from aigw_sdk import LocalGateway, load_yaml, presets
from tests.cli.support import AIGW, aigw, free_port, offline_env, serving

SIMULATOR_READY = "Simulator listening on "
# The three requests of the upstream "Connect Anthropic" guide, byte for byte: no
# anthropic-version header, no API key, only Content-Type.
SEED_REQUESTS = [
    (
        "/anthropic/v1/messages",
        '{"model": "claude-sonnet-4-5", "max_tokens": 100, '
        '"messages": [{"role": "user", "content": "Hello, Claude!"}]}',
    ),
    (
        "/v1/chat/completions",
        '{"model": "claude-sonnet-4-5", '
        '"messages": [{"role": "user", "content": "Hello, Claude!"}]}',
    ),
    (
        "/anthropic/v1/messages",
        '{"model": "claude-sonnet-4-5", "max_tokens": 100, "stream": true, '
        '"messages": [{"role": "user", "content": "Tell me a short story."}]}',
    ),
]


def _curl(url: str, body: str) -> tuple[int, str]:
    """POST like the guide's `curl -H "Content-Type: application/json" -d BODY URL`."""
    if shutil.which("curl"):
        proc = subprocess.run(
            ["curl", "-sS", "-w", "\n%{http_code}", "-H", "Content-Type: application/json",
             "-d", body, url],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        text, _, code = proc.stdout.rpartition("\n")
        return int(code), text
    response = httpx.post(
        url, content=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    return response.status_code, response.text


def test_the_seed_guides_three_curls_work_verbatim_against_run_without_arguments(
    tmp_path: Path,
) -> None:
    with serving("--port", "0", "--admin-port", "0", cwd=tmp_path) as served:
        (code1, native), (code2, chat), (code3, stream) = (
            _curl(served.url + path, body) for path, body in SEED_REQUESTS
        )
    assert code1 == 200, native
    assert json.loads(native)["content"][0]["text"].startswith("Simulated reply to: Hello")
    assert code2 == 200, chat
    assert json.loads(chat)["choices"][0]["message"]["content"].startswith("Simulated reply")
    assert code3 == 200, stream
    assert "event: message_stop" in stream and "text_delta" in stream


def _ollama_like(tmp_path: Path) -> Path:
    """A bundle shaped like `aigw run`'s examples/aigw/ollama.yaml: a field the v1.1 CRD does
    not have (AIServiceBackend spec.timeouts), an unset ${OPENAI_API_KEY}, a catch-all route."""
    path = tmp_path / "ollama.yaml"
    path.write_text(
        """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: aigw-run, namespace: default}
spec:
  gatewayClassName: aigw-run
  listeners: [{name: http, protocol: HTTP, port: 1975}]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: aigw-run, namespace: default}
spec:
  parentRefs: [{name: aigw-run, kind: Gateway, group: gateway.networking.k8s.io}]
  rules:
    - matches: [{headers: [{type: RegularExpression, name: x-ai-eg-model, value: .*}]}]
      backendRefs: [{name: openai, namespace: default}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {name: openai, namespace: default}
spec:
  endpoints: [{fqdn: {hostname: localhost, port: 11434}}]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: openai, namespace: default}
spec:
  timeouts: {request: 3m}
  schema: {name: OpenAI}
  backendRef: {name: openai, kind: Backend, group: gateway.envoyproxy.io, namespace: default}
---
apiVersion: v1
kind: Secret
metadata: {name: openai-apikey, namespace: default}
type: Opaque
stringData:
  apiKey: ${OPENAI_API_KEY}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {name: openai-apikey, namespace: default}
spec:
  targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
  type: APIKey
  apiKey: {secretRef: {name: openai-apikey}}
"""
    )
    return path


def test_run_file_with_simulator_serves_what_aigw_run_serves_with_warnings(
    tmp_path: Path,
) -> None:
    bundle = _ollama_like(tmp_path)
    with serving(str(bundle), "--simulator", "--port", "0", "--admin-port", "0") as served:
        assert "every Backend of the bundle points at the simulator" in served.output
        reply = httpx.post(
            f"{served.url}/v1/chat/completions",
            json={"model": "qwen3:0.6b", "messages": [{"role": "user", "content": "Hi!"}]},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["choices"][0]["message"]["content"].startswith("Simulated reply")
        served.process.send_signal(2)
        assert served.process.wait(timeout=15) == 0
        assert served.process.stderr is not None
        err = served.process.stderr.read()
    assert (
        "warning: AIServiceBackend 'default/openai': spec.timeouts: unknown field, ignored" in err
    )
    # validate stays strict, like kubectl --validate=strict; the error is said once.
    proc = aigw("validate", str(bundle))
    assert proc.returncode == 1
    assert 'spec.timeouts: unknown field "spec.timeouts"' in proc.stdout
    assert "error: error" not in proc.stdout + proc.stderr


def test_run_file_simulator_replaces_real_keys_and_tls(tmp_path: Path) -> None:
    seed = presets.anthropic(api_key="sk-ant-never-sent", models=["claude-sonnet-4-5"])
    path = tmp_path / "seed.yaml"
    path.write_text(seed.to_yaml())
    env = offline_env(AIGW_ADMIN_TOKEN="t0ken-for-the-test")
    with serving(str(path), "--simulator", "--port", "0", "--admin-port", "0", env=env) as served:
        config = httpx.get(
            f"{served.admin_url}/config",
            headers={"authorization": "Bearer t0ken-for-the-test"},
            timeout=10,
        ).json()
        status, body = _curl(served.url + SEED_REQUESTS[0][0], SEED_REQUESTS[0][1])
    assert status == 200, body
    assert "sk-ant-never-sent" not in json.dumps(config)
    assert not any(doc["kind"] == "BackendTLSPolicy" for doc in config["resources"])


def test_autoconfig_with_a_real_key_routes_any_model_to_the_provider(tmp_path: Path) -> None:
    """OPENAI_API_KEY + OPENAI_BASE_URL, as `aigw run`: a catch-all route, and OpenAI wins."""
    sim_env = offline_env(AIGW_SIMULATOR_API_KEY="provider-key-123")
    with serving("--port", "0", command="simulator", ready=SIMULATOR_READY, env=sim_env) as sim:
        env = offline_env(
            OPENAI_API_KEY="provider-key-123",
            OPENAI_BASE_URL=f"{sim.url}/v1",
            ANTHROPIC_API_KEY="not-chosen",
        )
        with serving("--port", "0", "--admin-port", "0", env=env, cwd=tmp_path) as served:
            assert "Serving OpenAI at 127.0.0.1 (OPENAI_API_KEY)" in served.output
            for model in ("gpt-4o-mini", "any-model-name-at-all"):
                reply = httpx.post(
                    f"{served.url}/v1/chat/completions",
                    json={"model": model, "messages": [{"role": "user", "content": "Hi"}]},
                    timeout=30,
                )
                assert reply.status_code == 200, reply.text
                assert reply.json()["model"] == model


def test_autoconfig_names_a_missing_azure_variable(tmp_path: Path) -> None:
    env = offline_env(AZURE_OPENAI_API_KEY="k", OPENAI_API_KEY="k2")
    proc = aigw("run", "--port", "0", "--admin-port", "0", env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: AZURE_OPENAI_ENDPOINT is required when AZURE_OPENAI_API_KEY is set\n"
    )


@pytest.mark.parametrize("which", ["--port", "--admin-port"])
def test_a_taken_port_names_the_address(which: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = {"--port": "0", "--admin-port": "0", which: str(port)}
        proc = aigw("run", *(x for pair in args.items() for x in pair))
    assert proc.returncode == 1
    what = "data plane" if which == "--port" else "admin"
    assert f"error: cannot listen on 127.0.0.1:{port} ({what}): address already in use" in (
        proc.stderr
    )
    assert "TaskGroup" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_admin_token_is_never_printed_nor_taken_from_the_command_line(
    tmp_path: Path,
) -> None:
    refused = aigw("run", "--admin-token", "secret-on-cmdline")
    assert refused.returncode == 2
    assert "AIGW_ADMIN_TOKEN" in refused.stderr and "secret-on-cmdline" not in refused.stderr

    env = offline_env(AIGW_RUNTIME_DIR=str(tmp_path / "run"))
    with serving("--port", "0", "--admin-port", "0", env=env) as served:
        line = next(x for x in served.lines if x.startswith("Admin token"))
        token_file = Path(line.split("written to ")[1].split(",")[0])
        assert token_file.parent == tmp_path / "run"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
        token = token_file.read_text().strip()
        assert token not in served.output
        ok = httpx.get(
            f"{served.admin_url}/config", headers={"authorization": f"Bearer {token}"}, timeout=10
        )
        assert ok.status_code == 200
    assert not token_file.exists()  # removed on exit

    secret_file = tmp_path / "token"
    secret_file.write_text("from-a-file\n")
    with serving(
        "--port", "0", "--admin-port", "0", "--admin-token-file", str(secret_file)
    ) as served:
        assert "Admin token" not in served.output
        ok = httpx.get(
            f"{served.admin_url}/config",
            headers={"authorization": "Bearer from-a-file"},
            timeout=10,
        )
        assert ok.status_code == 200
        assert "from-a-file" not in Path(f"/proc/{served.process.pid}/cmdline").read_text()


def test_runtime_dir_readable_by_others_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    proc = aigw(
        "run", "--port", "0", "--admin-port", "0", env=offline_env(AIGW_RUNTIME_DIR=str(shared))
    )
    assert proc.returncode == 1
    assert f"{shared}: not a directory that only you can read" in proc.stderr


def test_run_keeps_serving_when_its_stdout_reader_goes_away(tmp_path: Path) -> None:
    port = free_port()
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = subprocess.Popen(
        [AIGW, "run", "--port", str(port), "--admin-port", "0"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        env=offline_env(),
        cwd=tmp_path,
    )
    os.close(write_end)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _curl(
                    f"http://127.0.0.1:{port}" + SEED_REQUESTS[0][0], SEED_REQUESTS[0][1]
                )
                break
            except (httpx.ConnectError, subprocess.CalledProcessError):
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert status == 200, body
        assert (
            _curl(f"http://127.0.0.1:{port}" + SEED_REQUESTS[1][0], SEED_REQUESTS[1][1])[0] == 200
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    assert process.stderr is not None
    err = process.stderr.read()
    process.stderr.close()
    assert "Traceback" not in err and "Logging error" not in err, err


def test_the_simulator_names_a_taken_address() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = aigw("simulator", "--port", str(port))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} (simulator): address already in use\n"
    )


def test_local_gateway_serves_what_aigw_run_serves_too(tmp_path: Path) -> None:
    bundle = load_yaml(_ollama_like(tmp_path), substitute_env=True, env={})
    with LocalGateway(bundle, simulator=True) as gw:
        assert any("spec.timeouts: unknown field, ignored" in w for w in gw.warnings)
        reply = httpx.post(
            f"{gw.url}/v1/chat/completions",
            json={"model": "llama3", "messages": [{"role": "user", "content": "Hi!"}]},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text


def test_run_lists_each_refusal_once_without_repeating_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    too_many_rules = presets.anthropic(api_key="k", models=[f"m{i}" for i in range(16)])
    path.write_text(too_many_rules.to_yaml())
    proc = aigw("run", str(path), "--port", "0", "--admin-port", "0")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: the configuration cannot be served:\n")
    assert (
        "\n  - AIGatewayRoute 'default/envoy-ai-gateway-basic-anthropic': spec.rules: "
        "Too many: 16: must have at most 15 items\n"
    ) in proc.stderr
    assert "some validation rules were not checked because the object was invalid" in proc.stderr
    assert proc.stderr.count("error:") == 1 and "- error" not in proc.stderr, proc.stderr


def test_run_reads_stdin_and_names_a_missing_file(tmp_path: Path) -> None:
    missing = aigw("run", "no-such-bundle", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == "error: no-such-bundle: cannot read: No such file or directory\n"
    too_many = presets.anthropic(api_key="k", models=[f"m{i}" for i in range(16)]).to_yaml()
    from_stdin = aigw("run", "-", "--port", "0", "--admin-port", "0", stdin=too_many)
    assert from_stdin.returncode == 1
    assert "Too many: 16: must have at most 15 items" in from_stdin.stderr
