"""Top-level help, `--version` and each subcommand's own `--help`."""

from __future__ import annotations

import pytest

from aigw_sdk.bundle import load_yaml
from aigw_sdk.cli import COMMANDS, package_version
from aigw_sdk.errors import APIDeprecationWarning
from tests.cli.support import aigw


def test_top_level_help_lists_every_command_with_one_line() -> None:
    proc = aigw("--help")
    assert proc.returncode == 0, proc.stderr
    for name, command in COMMANDS.items():
        assert f"  {name}" in proc.stdout
        assert command.summary in proc.stdout


def test_no_command_prints_help_and_exits_2() -> None:
    proc = aigw()
    assert proc.returncode == 2
    assert "commands:" in proc.stderr


def test_unknown_command_exits_2_naming_it() -> None:
    proc = aigw("lint", "x.yaml")
    assert proc.returncode == 2
    assert "unknown command 'lint'" in proc.stderr


def test_version() -> None:
    proc = aigw("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"aigw-sdk {package_version()}\n"
    assert package_version()[0].isdigit()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_subcommand_has_its_own_help(name: str) -> None:
    proc = aigw(name, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: aigw-sdk {name} ")


def test_deprecation_warnings_point_at_the_callers_line() -> None:
    v1alpha1 = (
        "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\n"
        "metadata: {name: r}\nspec: {parentRefs: [{name: g}], rules: []}\n"
    )
    with pytest.warns(APIDeprecationWarning) as record:
        load_yaml(v1alpha1)
    assert [w.filename for w in record] == [__file__]
