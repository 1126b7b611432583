"""YAML parsing errors, ${VAR} substitution and deterministic dumps."""

from __future__ import annotations

from pathlib import Path

import pytest

import aigw_sdk as aigw
from aigw_sdk.serialization.yaml import substitute_env


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n")
    with pytest.raises(aigw.BundleLoadError, match=r"bad\.yaml:\d+:\d+: YAML syntax error"):
        aigw.load_yaml(bad)


def test_document_without_kind_is_kept_and_reported() -> None:
    bundle = aigw.load_yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n---\nfoo: 1\n")
    assert bundle.to_dicts()[1] == {"foo": 1}
    problems = [str(i) for i in bundle.validate() if i.severity == "error"]
    assert any("apiVersion: Required value" in p for p in problems)
    assert any("kind: Required value" in p for p in problems)


def test_non_mapping_document_is_rejected() -> None:
    with pytest.raises(aigw.BundleLoadError, match="document 1 is a list"):
        aigw.load_yaml("- a\n- b\n")


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    target = tmp_path / "nope.yaml"
    target.mkdir()
    with pytest.raises(aigw.BundleLoadError, match=r"nope\.yaml: no \*\.yaml"):
        aigw.load_yaml(target)
    with pytest.raises(aigw.BundleLoadError, match=r"missing\.yaml: cannot read"):
        aigw.load_yaml(str(tmp_path / "missing.yaml"))


def test_directory_loads_every_yaml_file(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n")
    (tmp_path / "a.yml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    assert [r.name for r in aigw.load_yaml(tmp_path)] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A}", {"A": "x"}, "x"),
        ("${A}", {}, ""),
        ("${A:=d}", {}, "d"),
        ("${A:=d}", {"A": ""}, "d"),
        ("${A=d}", {"A": ""}, ""),
        ("${A:-d}", {"A": "v"}, "v"),
        ("${A-d}", {}, "d"),
        ("cost $$5 ${B}", {"B": "b"}, "cost $5 b"),
        ("$A stays", {"A": "x"}, "$A stays"),
    ],
)
def test_substitution(text: str, env: dict[str, str], expected: str) -> None:
    assert substitute_env(text, env) == expected


def test_substitution_is_opt_in() -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {apiKey: '${KEY}'}\n"
    plain = aigw.load_yaml(text).of_kind(aigw.Secret)[0]
    assert plain.value("apiKey") == "${KEY}"
    expanded = aigw.load_yaml(text, substitute_env=True, env={"KEY": "sk-1"}).of_kind(aigw.Secret)[
        0
    ]
    assert expanded.value("apiKey") == "sk-1"


def test_dump_is_deterministic_and_keeps_timestamps_as_strings() -> None:
    text = (
        "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIGatewayRoute\nmetadata: {name: r}\n"
        "spec:\n  rules:\n    - modelsCreatedAt: 2025-01-01T00:00:00Z\n"
    )
    bundle = aigw.load_yaml(text)
    assert bundle.to_yaml() == aigw.load_yaml(bundle.to_yaml()).to_yaml()
    assert "modelsCreatedAt: '2025-01-01T00:00:00Z'" in bundle.to_yaml()


def test_list_kind_is_flattened() -> None:
    text = (
        "apiVersion: v1\nkind: List\n"
        "items:\n  - {apiVersion: v1, kind: Secret, metadata: {name: a}}\n"
    )
    assert [r.name for r in aigw.load_yaml(text)] == ["a"]


def test_same_object_twice_is_one() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: one}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: two}\n"
    )
    bundle = aigw.load_yaml(text)
    assert len(bundle) == 1
    assert bundle.of_kind(aigw.Secret)[0].value("k") == "two"
