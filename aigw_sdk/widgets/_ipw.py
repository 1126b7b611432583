"""Lazy access to ipywidgets (untyped, optional: ``pip install 'aigw-sdk[notebook]'``)."""

from __future__ import annotations

import importlib
from html import escape
from typing import Any

from aigw_sdk.client.errors import GatewayError


def ipywidgets() -> Any:
    """The ``ipywidgets`` module, or an ImportError saying how to install it."""
    try:
        return importlib.import_module("ipywidgets")
    except ImportError as exc:
        raise ImportError(
            "the notebook widgets need ipywidgets: pip install 'aigw-sdk[notebook]'"
        ) from exc


def mimebundle(widget: Any, text: str, **kwargs: Any) -> dict[str, Any]:
    """The widget's display data with a deterministic ``text/plain`` (nbval compares it)."""
    data: dict[str, Any] = dict(widget._repr_mimebundle_(**kwargs) or {})
    data["text/plain"] = text
    return data


def error_html(error: BaseException) -> str:
    """A readable error box: class, status, provider error type, message and the fix."""
    if isinstance(error, GatewayError):
        head = f"{type(error).__name__}"
        if error.status is not None:
            head += f" ({error.status})"
        detail = f"{error.error_type}: {error.message}" if error.error_type else error.message
        hint = f"<div style='color:#555'><i>{escape(error.hint)}</i></div>" if error.hint else ""
    else:
        head, detail, hint = type(error).__name__, str(error), ""
    return (
        "<div style='color:#b00020;border-left:3px solid #b00020;padding-left:6px'>"
        f"<b>{escape(head)}</b> {escape(detail)}{hint}</div>"
    )
