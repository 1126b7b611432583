"""`aigw-sdk validate|convert|new` and `demo` through the console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from aigw_sdk import presets
from tests.cli.support import AIGW, aigw, offline_env

DUPLICATE_RULES = """\
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: dup, namespace: default}
spec:
  parentRefs: [{name: gw, kind: Gateway, group: gateway.networking.k8s.io}]
  rules:
    - name: same
      matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: a}]}]
      backendRefs: [{name: b}]
    - name: same
      matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: b}]}]
      backendRefs: [{name: b}]
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    good = tmp_path / "good.yaml"
    good.write_text(presets.anthropic(api_key="sk-ant-real-enough").to_yaml())
    bad = tmp_path / "bad.yaml"
    bad.write_text("---\n" + presets.openai(api_key="sk-x").to_yaml() + "---\n" + DUPLICATE_RULES)
    return good, bad


def test_validate_names_file_and_document_of_each_issue(tmp_path: Path) -> None:
    good, bad = _files(tmp_path)
    proc = aigw("validate", str(good), str(bad))
    assert proc.returncode == 1
    assert (
        f"{bad} (document 7): error: AIGatewayRoute 'default/dup': spec.rules: Invalid value"
        in proc.stdout
    )
    assert proc.stdout.endswith("13 object(s) in 2 file(s), 1 error(s), 2 warning(s)\n")
    assert "sk-ant-real-enough" not in proc.stdout + proc.stderr


def test_validate_json_has_file_document_and_summary(tmp_path: Path) -> None:
    good, bad = _files(tmp_path)
    proc = aigw("validate", "-o", "json", str(good), str(bad))
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["valid"] is False
    assert report["summary"]["files"] == 2 and report["summary"]["errors"] == 1
    assert report["summary"]["objects"] == 13
    [error] = [i for i in report["issues"] if i["severity"] == "error"]
    assert error["file"] == str(bad) and error["document"] == 7
    assert error["kind"] == "AIGatewayRoute" and error["path"] == "spec.rules"


def test_validate_reads_stdin_and_strict_fails_on_warnings() -> None:
    seed = aigw("new", "anthropic").stdout  # its Secret holds a placeholder: a warning
    relaxed = aigw("validate", "-", stdin=seed)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "<stdin> (document 6): warning: Secret" in relaxed.stdout
    assert "6 object(s) in 1 file(s), 0 error(s), 1 warning(s)" in relaxed.stdout
    strict = aigw("validate", "--strict", "-", stdin=seed)
    assert strict.returncode == 1
    as_json = json.loads(aigw("validate", "--strict", "-o", "json", "-", stdin=seed).stdout)
    assert as_json["valid"] is False and as_json["summary"]["warnings"] == 1


def test_validate_github_annotations(tmp_path: Path) -> None:
    _, bad = _files(tmp_path)
    proc = aigw("validate", "-o", "github", str(bad))
    assert proc.returncode == 1
    error = next(line for line in proc.stdout.splitlines() if line.startswith("::error "))
    assert error.startswith(
        f"::error file={bad},title=AIGatewayRoute default/dup (document 7)::spec.rules: "
    )
    assert any(line.startswith("::warning ") for line in proc.stdout.splitlines())


def test_validate_unreadable_exits_2() -> None:
    proc = aigw("validate", "does-not-exist.yaml")
    assert proc.returncode == 2
    assert proc.stderr == "error: does-not-exist.yaml: cannot read: No such file or directory\n"


def test_new_then_convert_round_trip() -> None:
    seed = aigw("new", "openai", "--model", "gpt-4o", "--model", "gpt-4o-mini").stdout
    assert seed.count("x-ai-eg-model") == 2
    down = aigw("convert", "--to", "v1alpha1", "-", stdin=seed)
    assert down.returncode == 0, down.stderr
    kinds = {(d["apiVersion"], d["kind"]) for d in yaml.safe_load_all(down.stdout)}
    assert ("aigateway.envoyproxy.io/v1alpha1", "AIGatewayRoute") in kinds
    up = aigw("convert", "-", stdin=down.stdout)
    assert up.returncode == 0, up.stderr
    assert "aigateway.envoyproxy.io/v1alpha1" not in up.stdout


def test_a_closed_stdout_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        for args in (["new", "anthropic"], ["--help"], ["validate", "-o", "json", "-"]):
            proc = subprocess.run(
                [AIGW, *args],
                input=presets.anthropic().to_yaml(),
                stdout=write_end,
                stderr=subprocess.PIPE,
                text=True,
                env=offline_env(),
                timeout=60,
                check=False,
            )
            assert proc.returncode == 141, (args, proc.stderr)
            assert proc.stderr == ""
    finally:
        os.close(write_end)


def test_demo_runs_the_walkthrough_offline() -> None:
    proc = aigw("demo", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Backends point at the simulator" in proc.stdout
    assert "claude-opus-4: Simulated reply to: Hello, Claude!" in proc.stdout
