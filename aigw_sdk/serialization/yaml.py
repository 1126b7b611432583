"""Multi-document YAML in and out, with `aigw run`-style ``${VAR}`` substitution.

Loading is bounded (`LoadLimits`): text size, document count, nesting depth and alias
expansion each have a limit with a clear error, so a hostile file or `PUT /config` body cannot
exhaust memory or the stack; work is linear in the input. Duplicate mapping keys are an error
naming the key and its line (Kubernetes' strict decoding rejects them too).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """Bounds on one YAML text: what a hand-written bundle never reaches, a bomb always does."""

    max_bytes: int = 16 * 1024 * 1024
    """Characters of one file or text."""
    max_documents: int = 10_000
    """Documents in one file or text."""
    max_depth: int = 100
    """Nesting of mappings and sequences."""
    max_expanded_nodes: int = 1_000_000
    """Nodes of one document once every alias is expanded (an alias bomb expands to billions)."""


class _LimitExceeded(yaml.MarkedYAMLError):
    """A `LoadLimits` bound was passed; `problem` says which."""


# libyaml's parser when PyYAML has it (several times faster, and it bounds nesting itself).
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader with `LoadLimits`, duplicate-key errors, and timestamps kept as strings
    (Kubernetes treats them as strings)."""

    def __init__(self, stream: str, limits: LoadLimits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0
        self._documents = 0

    def get_node(self) -> Node | None:
        node: Node | None = super().get_node()
        if node is not None:
            self._documents += 1
            if self._documents > self.limits.max_documents:
                problem = f"more than {self.limits.max_documents} documents (max documents)"
                raise _LimitExceeded(None, None, problem, node.start_mark)
            _check_graph(node, self.limits)
        return node

    # The next two only run with the pure-Python parser (libyaml bounds nesting by itself).
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > self.limits.max_depth:
                raise _LimitExceeded(None, None, _too_deep(self.limits), self.get_mark())
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # The scanner reads a whole flow collection ahead (quadratic in its nesting): stop early.
        if self.flow_level >= self.limits.max_depth:
            raise _LimitExceeded(None, None, _too_deep(self.limits), self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping


def _too_deep(limits: LoadLimits) -> str:
    return f"nesting deeper than {limits.max_depth} levels (max depth)"


def _check_graph(root: Node, limits: LoadLimits) -> None:
    """Raise when `root` nests too deep, expands (through aliases) past the node limit or refers
    to itself; iterative and linear in the composed graph."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (expanded nodes, depth)
    stack: list[tuple[Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            size, depth = 1, 1
            for child in _children(node):
                child_size, child_depth = sizes[id(child)]
                size += child_size
                depth = max(depth, child_depth + 1)
            if depth > limits.max_depth:
                raise _LimitExceeded(None, None, _too_deep(limits), node.start_mark)
            if size > limits.max_expanded_nodes:
                problem = (
                    f"aliases expand the document beyond {limits.max_expanded_nodes} nodes "
                    "(max expanded nodes)"
                )
                raise _LimitExceeded(None, None, problem, node.start_mark)
            sizes[key] = (size, depth)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise _LimitExceeded(None, None, "an alias refers to itself", node.start_mark)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_documents(
    text: str, *, source: str = "<string>", limits: LoadLimits | None = None
) -> list[dict[str, Any]]:
    """Every non-empty document of a YAML stream, each a mapping; errors name source and line."""
    limits = limits or LoadLimits()
    if len(text) > limits.max_bytes:
        raise BundleLoadError(f"{source}: larger than {limits.max_bytes} characters (max bytes)")
    loader = _Loader(text, limits)
    try:
        docs: list[Any] = []
        while loader.check_data():
            docs.append(loader.get_data())
    except _LimitExceeded as exc:
        raise BundleLoadError(f"{source}{_where(exc)}: YAML too large: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        if exc.problem and "maximum nesting depth" in exc.problem:  # libyaml's own bound
            problem = _too_deep(limits)
            raise BundleLoadError(f"{source}{_where(exc)}: YAML too large: {problem}") from None
        raise BundleLoadError(f"{source}{_where(exc)}: YAML syntax error: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise BundleLoadError(f"{source}: YAML error: {exc}") from None
    finally:
        loader.dispose()
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


def _where(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark
    return f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""


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
    try:
        exists = Path(value).exists()
    except (OSError, ValueError):  # a name too long for the OS, or a NUL: not a path
        return False
    return exists or value.endswith((".yaml", ".yml", ".json"))


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
