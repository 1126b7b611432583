"""``aigw-sdk apply|diff|delete|status`` against a real API server: exit codes and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import aigw_sdk as aigw
from aigw_sdk.cli import main
from tests.apply.conftest import DUPLICATE_RULE_NAMES
from tests.support.kube import APIServer

ROUTE = "envoy-ai-gateway-basic-anthropic"


@pytest.fixture
def seed_file(tmp_path: Path, seed: aigw.Bundle) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(seed.to_yaml(), encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_apply_diff_status_delete_json(
    kubeconfig: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["-f", str(seed_file), "--kubeconfig", str(kubeconfig), "-o", "json"]
    assert main(["apply", *common, "--dry-run=server"]) == 0
    dry = _json(capsys)
    assert dry["dryRun"] == "server" and dry["ok"] is True
    assert {r["action"] for r in dry["results"]} == {"created"}
    assert main(["apply", *common, "--wait", "--timeout", "30"]) == 0
    applied = _json(capsys)
    assert [r["kind"] for r in applied["results"]][-1] == "AIGatewayRoute"
    assert all(w["ready"] for w in applied["wait"]) and len(applied["wait"]) == 3
    assert main(["diff", *common]) == 0
    assert {o["action"] for o in _json(capsys)["objects"]} == {"unchanged"}
    assert main(["status", *common]) == 0
    status = _json(capsys)
    assert len(status["objects"]) == 6 and all(o["exists"] for o in status["objects"])
    assert main(["delete", *common]) == 0
    assert {r["action"] for r in _json(capsys)["results"]} == {"deleted"}
    assert main(["status", *common]) == 1
    assert not any(o["exists"] for o in _json(capsys)["objects"])


def test_text_output_and_diff_flag(
    kubeconfig: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", "-f", str(seed_file), "--kubeconfig", str(kubeconfig), "--diff"]) == 0
    out = capsys.readouterr().out
    assert f"+++ applied/AIGatewayRoute/default/{ROUTE}" in out
    assert f"AIGatewayRoute default/{ROUTE} created" in out
    assert "sk-test" not in out and "c2stdGVzdA" not in out


def test_validation_failure_exits_1(
    kubeconfig: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "invalid.yaml"
    path.write_text(DUPLICATE_RULE_NAMES)
    invalid = str(path)
    assert main(["apply", "-f", invalid, "--kubeconfig", str(kubeconfig), "-o", "json"]) == 1
    out = _json(capsys)
    assert out["ok"] is False and out["error"]["type"] == "BundleInvalidError"
    assert any("rule name must be unique" in i["message"] for i in out["issues"])
    args = ["apply", "-f", invalid, "--kubeconfig", str(kubeconfig), "--no-validate"]
    assert main([*args, "--dry-run=server"]) == 1
    assert "rule name must be unique" in capsys.readouterr().err


def test_usage_errors_exit_2(kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apply", "--kubeconfig", str(kubeconfig)]) == 2  # no -f
    assert main(["apply", "-f", "x.yaml", "--dry-run=maybe"]) == 2
    assert main(["diff", "-f", "does-not-exist.yaml", "--kubeconfig", str(kubeconfig)]) == 2
    assert "does-not-exist.yaml" in capsys.readouterr().err


def test_wait_timeout_exits_3(
    no_controller: APIServer, kubeconfig: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["-f", str(seed_file), "--kubeconfig", str(kubeconfig)]
    assert main(["apply", *args, "--wait", "--timeout", "1", "-o", "json"]) == 3
    out = _json(capsys)
    assert out["error"]["type"] == "WaitTimeoutError" and len(out["pending"]) == 3
    assert main(["status", *args, "--wait", "--timeout", "1"]) == 3


def test_missing_crds_exit_1(
    server_without_crds: APIServer,
    tmp_path: Path,
    seed_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kubeconfig = str(server_without_crds.kubeconfig_path(tmp_path))
    assert main(["apply", "-f", str(seed_file), "--kubeconfig", kubeconfig]) == 1
    assert "does not serve AIGatewayRoute" in capsys.readouterr().err
