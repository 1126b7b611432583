"""The widgets' built front end (aigw_sdk/widgets/static/, committed package data) is fresh:
each file carries the sha256 of the sources it was built from (see
aigw_sdk/widgets/frontend/build.mjs); rebuild with scripts/build-widgets.sh when this fails."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from aigw_sdk.widgets._frontend import CSS, STATIC, esm

FRONTEND = Path(__file__).resolve().parents[2] / "aigw_sdk" / "widgets" / "frontend"
BANNER = re.compile(r"^/\* aigw-sdk widgets · built from sources sha256:([0-9a-f]{64}) \*/")
BUILT = [esm("chat"), esm("status"), esm("editor"), CSS]


def sources_hash() -> str:
    """build.mjs's definition: sorted relative paths, each hashed as ``path\\0bytes\\0``."""
    inputs = [p for p in (FRONTEND / "src").rglob("*") if p.is_file()]
    inputs += [FRONTEND / name for name in ("package.json", "package-lock.json", "build.mjs")]
    digest = hashlib.sha256()
    for name in sorted(p.relative_to(FRONTEND).as_posix() for p in inputs):
        digest.update(name.encode() + b"\0" + (FRONTEND / name).read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.mark.parametrize("built", BUILT, ids=lambda p: p.name)
def test_bundle_is_built_from_the_current_sources(built: Path) -> None:
    found = BANNER.match(built.read_text(encoding="utf-8"))
    assert found, f"{built}: no build banner; run scripts/build-widgets.sh"
    assert found.group(1) == sources_hash(), (
        f"{built.relative_to(STATIC.parent)} is stale: the front-end sources changed since it "
        "was built; run scripts/build-widgets.sh and commit aigw_sdk/widgets/static/"
    )


def test_bundle_loads_nothing_from_the_network() -> None:
    for built in BUILT:
        text = built.read_text(encoding="utf-8")
        assert not re.search(r"""import\s*\(?\s*["']https?://""", text), built.name
        assert not re.search(r"""from\s*["']https?://""", text), built.name
        assert "@import url(" not in text, built.name
        assert re.search(r"export\s*\{\s*\w+ as default\s*\}", text) or built == CSS, built.name


def test_pinned_dependencies_have_a_lockfile() -> None:
    import json

    package = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
