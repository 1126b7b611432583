"""Helpers shared by the validation tests: load YAML as typed resources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aigw_sdk.models import Resource, parse_resource


def load(text: str) -> list[Resource]:
    """Every document of a YAML text, parsed into models (ParseFailure when it does not fit)."""
    return [parse_resource(doc) for doc in yaml.safe_load_all(text) if doc]


def load_file(path: Path) -> list[Resource]:
    """:func:`load` of a file."""
    return load(path.read_text())


def parse(data: dict[str, Any]) -> Resource:
    """One wire object parsed into its model."""
    return parse_resource(data)
