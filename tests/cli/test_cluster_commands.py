"""`aigw-sdk apply|diff|delete|status` through the console script against the test API server:
kubectl-like exit codes, `-o json|yaml|name`, durations, stdin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from aigw_sdk import presets
from tests.cli.support import aigw
from tests.support.kube import APIServer

ROUTE = "aigatewayroute.aigateway.envoyproxy.io/envoy-ai-gateway-basic-anthropic"
TEST_GROUPS = ("aigateway.envoyproxy.io", "gateway.envoyproxy.io", "gateway.networking.k8s.io")


@pytest.fixture
def kubeconfig(kube: APIServer, tmp_path: Path) -> Iterator[Path]:
    """The shared real API server (tests/support/kube_fixtures.py), emptied afterwards."""
    yield kube.kubeconfig_path(tmp_path)
    kube.delete_test_objects(TEST_GROUPS)


def test_cluster_commands_behave_like_kubectl(kubeconfig: Path, tmp_path: Path) -> None:
    seed = presets.anthropic(api_key="sk-ant-cli-test")
    path = tmp_path / "seed.yaml"
    path.write_text(seed.to_yaml())
    target = ["-f", str(path), "--kubeconfig", str(kubeconfig)]

    before = aigw("diff", *target)
    assert before.returncode == 1, before.stderr  # differences: kubectl diff's 1
    assert "+++ applied/AIGatewayRoute/default/envoy-ai-gateway-basic-anthropic" in before.stdout
    assert "sk-ant-cli-test" not in before.stdout

    applied = aigw("apply", *target, "-o", "name", "--wait", "--timeout", "1m")
    assert applied.returncode == 0, applied.stderr
    names = applied.stdout.splitlines()
    assert ROUTE in names and "secret/envoy-ai-gateway-basic-anthropic-apikey" in names
    assert len(names) == len(seed)

    after = aigw("diff", *target, "-o", "yaml")
    assert after.returncode == 0, after.stderr  # no differences
    document = yaml.safe_load(after.stdout)
    assert document["ok"] is True
    assert {o["action"] for o in document["objects"]} == {"unchanged"}

    from_stdin = aigw(
        "status", "-f", "-", "--kubeconfig", str(kubeconfig), "-o", "json",
        "--wait", "--timeout", "90s", stdin=seed.to_yaml(),
    )  # fmt: skip
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert all(o["exists"] for o in json.loads(from_stdin.stdout)["objects"])

    deleted = aigw("delete", *target, "-o", "name")
    assert deleted.returncode == 0, deleted.stderr
    assert ROUTE in deleted.stdout.splitlines()

    gone = aigw("status", *target)
    assert gone.returncode == 1


def test_bad_duration_and_diff_errors_exit_above_1(kubeconfig: Path, tmp_path: Path) -> None:
    bad = aigw("apply", "-f", "x.yaml", "--wait", "--timeout", "3 minutes")
    assert bad.returncode == 2
    assert "invalid duration '3 minutes'" in bad.stderr
    missing = aigw("diff", "-f", str(tmp_path / "nope.yaml"), "--kubeconfig", str(kubeconfig))
    assert missing.returncode == 2
    assert "nope.yaml" in missing.stderr
