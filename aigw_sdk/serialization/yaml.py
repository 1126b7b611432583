"""Multi-document YAML in and out, with `aigw run`-style ``${VAR}`` substitution."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from aigw_sdk.errors import BundleLoadError

# ${VAR}, ${VAR:=default}, ${VAR:-default}, ${VAR=default}, ${VAR-default}; $$ escapes a dollar.
_VAR = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-=])(?P<default>[^}]*))?\}"
)


def substitute_env(text: str, env: Mapping[str, str] | None = None) -> str:
    """Replace ``${VAR}`` references the way ``aigw run`` (envsubst) does.

    ``${VAR:=default}`` / ``${VAR:-default}`` use the default when VAR is unset or empty;
    ``${VAR=default}`` / ``${VAR-default}`` only when unset. A bare ``${VAR}`` that is unset
    becomes the empty string, as in envsubst.
    """
    values = os.environ if env is None else env

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, default = match.group("name"), match.group("op"), match.group("default")
        value = values.get(name)
        if op is None:
            return value or ""
        if op.startswith(":"):
            return value if value else default
        return value if value is not None else default

    return _VAR.sub(replace, text)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (Kubernetes treats them as strings)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_documents(text: str, *, source: str = "<string>") -> list[dict[str, Any]]:
    """Every non-empty document of a YAML stream, each a mapping; errors name source and line."""
    try:
        docs = list(yaml.load_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise BundleLoadError(f"{source}{line}: YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise BundleLoadError(f"{source}: YAML error: {exc}") from None
    out: list[dict[str, Any]] = []
    for index, doc in enumerate(docs):
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise BundleLoadError(
                f"{source}: document {index + 1} is a {type(doc).__name__}, not a Kubernetes object"
            )
        if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            out.extend(item for item in doc["items"] if isinstance(item, dict))
            continue
        # Documents without apiVersion/kind (Helm values, compose files) are kept verbatim;
        # validation reports them, so nothing in a file is silently dropped.
        out.append(doc)
    return out


def read_sources(path_or_text: str | Path) -> list[tuple[str, str]]:
    """[(text, source name)]: a file is read, a directory gives its *.yaml / *.yml files in name
    order (like ``kubectl apply -f DIR``), and a string that names no path is YAML text."""
    if not _is_path(path_or_text):
        return [(str(path_or_text), "<string>")]
    path = Path(path_or_text)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise BundleLoadError(f"{path}: no *.yaml or *.yml files in this directory")
        return [(_read(p), str(p)) for p in files]
    return [(_read(path), str(path))]


def _is_path(value: str | Path) -> bool:
    if isinstance(value, Path):
        return True
    if "\n" in value or len(value) > 4096:
        return False
    return Path(value).exists() or value.endswith((".yaml", ".yml", ".json"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BundleLoadError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BundleLoadError(f"{path}: not UTF-8 text") from None


class _Dumper(yaml.SafeDumper):
    """Block-style dumper that indents lists under their key, like kubectl."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_documents(docs: Iterable[dict[str, Any]]) -> str:
    """Deterministic multi-document YAML: keys in the order given, ``---`` between documents."""
    parts = [
        yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        for doc in docs
    ]
    return "---\n".join(parts)
