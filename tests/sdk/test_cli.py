"""The aigw-sdk console script: validate, convert, new — and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aigw_sdk.cli import main
from tests.support.upstream import Upstream


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _valid_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = _run(capsys, "new", "anthropic", "--api-key", "sk-ant-test")
    assert code == 0
    path = tmp_path / "bundle.yaml"
    path.write_text(out)
    return path


def test_validate_valid_bundle_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "validate", str(_valid_bundle(tmp_path, capsys)))
    assert code == 0
    assert "6 object(s) in 1 file(s), 0 error(s)" in out


def test_validate_invalid_exits_1_and_lists_every_error(
    capsys: pytest.CaptureFixture[str], upstream: Upstream
) -> None:
    files = [
        str(upstream.celtests / "aigatewayroutes/too_many_rules.yaml"),
        str(upstream.celtests / "aiservicebackends/unknown_schema.yaml"),
    ]
    code, out, _ = _run(capsys, "validate", *files)
    assert code == 1
    assert "spec.rules: Too many: 16: must have at most 15 items" in out
    assert 'spec.schema.name: Unsupported value: "SomeRandomVendor"' in out


def test_validate_json_output(capsys: pytest.CaptureFixture[str], upstream: Upstream) -> None:
    code, out, _ = _run(
        capsys,
        "validate",
        "-o",
        "json",
        str(upstream.celtests / "aigatewayroutes/duplicate_rule_names.yaml"),
    )
    assert code == 1
    issues = json.loads(out)["issues"]
    assert {"severity", "kind", "name", "namespace", "path", "message"} <= set(issues[0])
    assert any(
        i["path"] == "spec.rules" and "rule name must be unique within the route" in i["message"]
        for i in issues
    )


@pytest.mark.parametrize("content", [None, "kind: [unclosed\n"])
def test_unreadable_or_unparsable_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    path = tmp_path / "x.yaml"
    if content is not None:
        path.write_text(content)
    else:
        path.mkdir()
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    assert "x.yaml" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2


def test_convert_to_v1beta1(capsys: pytest.CaptureFixture[str], upstream: Upstream) -> None:
    src = upstream.root / "cmd/aigw/testdata/translate_basic_v1alpha1.in.yaml"
    code, out, _ = _run(capsys, "convert", "--to", "v1beta1", str(src))
    assert code == 0
    assert "aigateway.envoyproxy.io/v1alpha1" not in out
    assert "aigateway.envoyproxy.io/v1beta1" in out


def test_new_with_models(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "new", "anthropic", "--model", "claude-sonnet-4-5", "--model", "claude-opus-4"
    )
    assert code == 0
    assert out.count("x-ai-eg-model") == 2
    assert "value: claude-opus-4" in out


def test_console_script_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aigw_sdk.cli", "new", "openai"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "api.openai.com" in proc.stdout
