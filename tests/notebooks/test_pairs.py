"""Each notebook is kept as code: ``notebooks/NN-name.py`` (jupytext percent format) is the
source, ``notebooks/NN-name.ipynb`` beside it the executed copy that nbval runs.

These tests fail when one side was edited without the other (regenerate with
``scripts/notebooks.sh``), when a notebook lacks its twin, or when the ``.ipynb`` was
committed without being executed.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))
EXECUTED = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_every_notebook_has_both_forms() -> None:
    assert SOURCES, f"no notebooks found in {NOTEBOOKS}"
    assert [p.stem for p in SOURCES] == [p.stem for p in EXECUTED], (
        "each notebooks/NN-name.py needs its executed NN-name.ipynb and vice versa "
        "(create the .ipynb with scripts/notebooks.sh)"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_cells_equal_the_py_source(source: Path) -> None:
    executed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    expected = _cells(jupytext.read(source))
    actual = _cells(executed)
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        assert got == want, (
            f"{source.name}: cell {index} differs from the .ipynb; "
            f"run scripts/notebooks.sh {source.relative_to(NOTEBOOKS.parent)}"
        )
    assert len(actual) == len(expected), (
        f"{source.name}: {len(expected)} cells, the .ipynb has {len(actual)}; "
        "run scripts/notebooks.sh"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_is_executed_and_paired(source: Path) -> None:
    executed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert None not in counts, f"{source.with_suffix('.ipynb').name}: not executed"
    assert counts == list(range(1, len(code) + 1)), (
        f"{source.with_suffix('.ipynb').name}: cells executed out of order {counts}"
    )
    assert executed.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
