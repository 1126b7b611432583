"""What `/config` shows of a configuration: its documents with every secret value masked."""

from __future__ import annotations

from typing import Any

from aigw_sdk.models import Resource, Secret

__all__ = ["redact"]


def redact(resource: Resource, credential_headers: frozenset[str]) -> dict[str, Any]:
    """The wire form for `/config`: Secret values and the values of credential headers masked.

    `credential_headers` are lower-case header names whose `{name, value}` items (e.g. in a
    headerMutation `set`) get their value masked.
    """
    doc = resource.to_dict()
    if isinstance(resource, Secret):
        for key in ("data", "stringData"):
            if isinstance(doc.get(key), dict):
                doc[key] = dict.fromkeys(doc[key], "***")
    else:
        _mask_credential_headers(doc, credential_headers)
    return doc


def _mask_credential_headers(node: Any, names: frozenset[str]) -> None:
    """Mask `{name, value}` items naming a credential header (e.g. a headerMutation `set`)."""
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str) and name.lower() in names and "value" in node:
            node["value"] = "***"
        for child in node.values():
            _mask_credential_headers(child, names)
    elif isinstance(node, list):
        for child in node:
            _mask_credential_headers(child, names)
