"""nbval collection: notebook 06 needs the pinned upstream's CRDs for its local cluster."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.upstream import (
    ENV_DIR,
    ENV_REQUIRE,
    MODULE,
    VERSION,
    UpstreamUnavailable,
    upstream_root,
)

NEEDS_UPSTREAM = ("06-apply-to-a-cluster.ipynb",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip, with the reason, the notebooks whose cluster cannot be started without upstream."""
    wanted = [i for i in items if Path(str(i.path)).name in NEEDS_UPSTREAM]
    if not wanted:
        return
    try:
        upstream_root()
    except UpstreamUnavailable as exc:
        if os.environ.get(ENV_REQUIRE) == "1":
            raise
        reason = f"upstream {MODULE}@{VERSION} unavailable ({exc}); set {ENV_DIR} to a checkout"
        for item in wanted:
            item.add_marker(pytest.mark.skip(reason=reason))
