"""YAML text as the bundle editor needs it: Secret values masked in place (comments and layout
kept), and validation issues located at the line of the field they name.

Both work on the node tree (``yaml.compose_all``: aliases are not expanded, nothing is
constructed); text that does not even compose is masked line by line, so a Secret value never
reaches the browser whatever the editor is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from aigw_sdk.validation.issues import ValidationIssue

MASK = "***"
SECRET_FIELDS = {"data": "data", "stringData": "string_data"}
SecretKey = tuple[str | None, str, str, str]  # namespace, name, model field, key
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Document:
    """One composed document: its node and identity (kind, name, namespace)."""

    node: yaml.Node
    kind: str
    name: str
    namespace: str | None


def _get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _scalar(node: yaml.Node, *keys: str) -> str | None:
    for key in keys:
        found = _get(node, key)
        if found is None:
            return None
        node = found[1]
    return node.value if isinstance(node, yaml.ScalarNode) else None


def documents(text: str) -> list[Document]:
    """The documents of ``text`` (raises ``yaml.YAMLError`` when it does not compose)."""
    out = []
    for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
        if node is None:
            continue
        out.append(
            Document(
                node,
                _scalar(node, "kind") or "",
                _scalar(node, "metadata", "name") or "",
                _scalar(node, "metadata", "namespace"),
            )
        )
    return out


def mask_secrets(text: str) -> tuple[str, dict[SecretKey, str]]:
    """``text`` with every Secret ``data``/``stringData`` value replaced by ``'***'``, and the
    values taken out (to put back when the edited text is parsed)."""
    try:
        docs = documents(text)
    except yaml.YAMLError:
        return _mask_lines(text), {}
    spans: list[tuple[int, int]] = []
    values: dict[SecretKey, str] = {}
    for doc in docs:
        if doc.kind != "Secret":
            continue
        for wire_field, model_field in SECRET_FIELDS.items():
            found = _get(doc.node, wire_field)
            if found is None or not isinstance(found[1], yaml.MappingNode):
                continue
            for key, value in found[1].value:
                if isinstance(value, yaml.ScalarNode) and isinstance(key, yaml.ScalarNode):
                    values[(doc.namespace, doc.name, model_field, key.value)] = value.value
                spans.append((value.start_mark.index, value.end_mark.index))
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + f"'{MASK}'" + text[end:]
    return text, values


_SECRET_KIND = re.compile(r"^kind:\s*['\"]?Secret['\"]?\s*$", re.MULTILINE)
_FIELD = re.compile(r"^(\s*)(data|stringData)\s*:\s*(\S.*)?$")
_ENTRY = re.compile(r"^(\s*[^:#\s][^:#]*:)(\s*)(\S.*)$")


def _mask_lines(text: str) -> str:
    """Masking for text that is not YAML: inside documents of kind Secret, every value under
    ``data:``/``stringData:`` (and any inline mapping after them) is masked."""
    out: list[str] = []
    for document in re.split(r"(?m)^(?=---)", text):
        if not _SECRET_KIND.search(document):
            out.append(document)
            continue
        lines, indent = [], None
        for line in document.splitlines(keepends=True):
            field = _FIELD.match(line)
            if field:
                indent = len(field.group(1))
                if field.group(3):
                    line = f"{field.group(1)}{field.group(2)}: {{}}  # {MASK}\n"
            elif indent is not None and line.strip():
                if len(line) - len(line.lstrip()) <= indent:
                    indent = None
                else:
                    entry = _ENTRY.match(line.rstrip("\n"))
                    line = (
                        f"{entry.group(1)} '{MASK}'\n" if entry else f"{line[: indent + 2]}{MASK}\n"
                    )
            lines.append(line)
        out.append("".join(lines))
    return "".join(out)


def _path(path: str) -> Iterator[str | int]:
    for key, index in _PATH_TOKEN.findall(path):
        yield int(index) if index else key


def issue_line(docs: list[Document], issue: ValidationIssue) -> int | None:
    """The 1-based line of the field an issue names (the deepest part of its path that exists;
    the document's first line when none does), or None when no document matches."""
    doc = next(
        (
            d
            for d in docs
            if (d.kind, d.name, d.namespace or "")
            == (issue.kind, issue.name, issue.namespace or "")
        ),
        None,
    )
    if doc is None:
        return None
    node, line = doc.node, doc.node.start_mark.line
    for token in _path(issue.path):
        if isinstance(token, int):
            if not isinstance(node, yaml.SequenceNode) or token >= len(node.value):
                break
            node = node.value[token]
            line = node.start_mark.line
        else:
            found = _get(node, token)
            if found is None:
                break
            line = found[0].start_mark.line
            node = found[1]
    return line + 1
