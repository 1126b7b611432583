"""Packaging metadata a user (and pip) sees: the licence and the version."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import metadata
from pathlib import Path

import pytest

from aigw_sdk.cli import COMMANDS
from tests.cli.support import aigw

REPO = Path(__file__).resolve().parents[2]


def test_licence_is_an_spdx_expression_matching_the_license_file() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert metadata("aigw-sdk")["License-Expression"] == "Apache-2.0"


def test_changelog_exists() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and "## [0.1.0]" in changelog


@pytest.mark.parametrize("name", list(COMMANDS))
def test_cli_reference_documents_every_option_of_every_command(name: str) -> None:
    reference = (REPO / "docs/cli.md").read_text()
    assert f"aigw-sdk {name}" in reference
    usage = aigw(name, "--help").stdout
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", usage)) - {"--help"}
    missing = sorted(option for option in options if f"`{option}" not in reference)
    assert not missing, f"docs/cli.md does not document {name} {missing}"
