"""Bounded YAML loading: alias bombs, deep nesting, document count and size, duplicate keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import aigw_sdk as aigw
from aigw_sdk.bundle import Bundle
from aigw_sdk.models.base import Resource
from aigw_sdk.serialization.yaml import LoadLimits, parse_documents

AIGW = str(Path(sys.executable).with_name("aigw-sdk"))


def _alias_bomb(levels: int = 9) -> str:
    """The classic "billion laughs": 9 levels of 9 aliases, about 600 bytes."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijklmn"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_alias_bomb_is_refused_by_its_expanded_size() -> None:
    with pytest.raises(aigw.BundleLoadError, match=r"<string>:\d+:\d+: YAML too large: aliases "):
        aigw.load_yaml(_alias_bomb())


def test_a_few_aliases_still_load() -> None:
    docs = parse_documents("a: &x {k: v}\nb: *x\nc: {<<: *x, j: w}\n")
    assert docs == [{"a": {"k": "v"}, "b": {"k": "v"}, "c": {"k": "v", "j": "w"}}]


def test_recursive_alias_is_an_error_not_a_cycle() -> None:
    with pytest.raises(aigw.BundleLoadError, match="an alias refers to itself"):
        aigw.load_yaml("a: &a [*a]\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000,
        "a: " + "{a: " * 5_000 + "1" + "}" * 5_000,
        "".join("  " * i + "a:\n" for i in range(2_000)),
        "a: " + "[" * 150 + "]" * 150,
    ],
    ids=["flow-10000", "flow-mappings-5000", "block-2000", "flow-150"],
)
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(text: str) -> None:
    with pytest.raises(aigw.BundleLoadError, match=r"nesting deeper than 100 levels"):
        aigw.load_yaml(text)


def test_document_count_and_size_limits() -> None:
    text = "---\na: 1\n" * 4
    with pytest.raises(aigw.BundleLoadError, match=r"more than 3 documents \(max documents\)"):
        parse_documents(text, limits=LoadLimits(max_documents=3))
    assert len(parse_documents(text, limits=LoadLimits(max_documents=4))) == 4
    with pytest.raises(aigw.BundleLoadError, match=r"larger than 10 characters"):
        aigw.load_yaml("a: 1234567890\n", limits=LoadLimits(max_bytes=10))


def test_duplicate_key_names_the_key_and_line() -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n  name: b\n"
    with pytest.raises(aigw.BundleLoadError, match=r"<string>:5:3: .*duplicate key 'name'"):
        aigw.load_yaml(text)


def test_bundle_add_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding n resources computes each key a bounded number of times (it was n²/2)."""
    calls = 0
    key = Resource.key

    def counting(self: Resource) -> tuple[str, str, str, str]:
        nonlocal calls
        calls += 1
        return key.fget(self)  # type: ignore[no-any-return,attr-defined]

    monkeypatch.setattr(Resource, "key", property(counting))
    secrets = [aigw.Secret(metadata={"name": f"s{i}"}, string_data={"k": "v"}) for i in range(500)]
    bundle = Bundle(secrets)
    bundle.add(aigw.Secret(metadata={"name": "s7"}, string_data={"k": "w"}))
    assert len(bundle) == 500 and bundle[7].string_data == {"k": "w"}  # type: ignore[attr-defined]
    assert calls <= 2 * 501


def test_cli_validate_refuses_an_alias_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb())
    result = subprocess.run(
        [AIGW, "validate", str(bomb)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert f"{bomb}:" in result.stderr and "max expanded nodes" in result.stderr
