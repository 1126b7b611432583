"""Notebook helpers: HTML reprs, a chat playground, a bundle editor, a status board, streaming.

The reprs need nothing beyond the SDK; the widgets are anywidgets (on ipywidgets,
``aigw-sdk[notebook]``) imported only when first used, so ``import aigw_sdk`` never requires
them. Their front ends are bundled in the package (``static/``): nothing is loaded from the
network at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aigw_sdk.widgets.reprs import IssueList, bundle_html, issues_html, resource_html
from aigw_sdk.widgets.summary import RouteRow, route_rows, summarize
from aigw_sdk.widgets.view import View, view

if TYPE_CHECKING:
    from aigw_sdk.widgets.chat import ChatPlayground
    from aigw_sdk.widgets.display import stream_to_display
    from aigw_sdk.widgets.editor import BundleEditor
    from aigw_sdk.widgets.status import StatusPanel

__all__ = [
    "BundleEditor",
    "ChatPlayground",
    "IssueList",
    "RouteRow",
    "StatusPanel",
    "View",
    "bundle_html",
    "issues_html",
    "resource_html",
    "route_rows",
    "stream_to_display",
    "summarize",
    "view",
]

_LAZY = {
    "ChatPlayground": "aigw_sdk.widgets.chat",
    "BundleEditor": "aigw_sdk.widgets.editor",
    "StatusPanel": "aigw_sdk.widgets.status",
    "stream_to_display": "aigw_sdk.widgets.display",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aigw_sdk.widgets' has no attribute {name!r}")
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        if exc.name not in ("anywidget", "ipywidgets", "traitlets"):
            raise
        raise ImportError(
            f"{name} needs the notebook extra: pip install 'aigw-sdk[notebook]' ({exc})"
        ) from exc
