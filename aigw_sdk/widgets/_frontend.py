"""The built front ends (package data in ``static/``, made by ``scripts/build-widgets.sh``).

anywidget sends a module's text to the browser with the widget, so nothing is fetched at run
time: the notebooks work offline, in JupyterLab, Notebook 7 and VS Code alike.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
CSS = STATIC / "widgets.css"


def esm(name: str) -> Path:
    """The bundled ESM module of one widget (``chat``, ``status`` or ``editor``)."""
    return STATIC / f"{name}.js"
