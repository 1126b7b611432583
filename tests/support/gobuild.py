"""Reference components built from Go modules once, cached by version under the user's cache dir.

Each component is a small wrapper module in ``tests/realk8s/modules/<name>/`` whose ``go.mod`` pins
the upstream module (and, for kube-apiserver, its staging modules with ``replace``). The binary
lands in ``~/.cache/aigw-sdk/bin/<name>-<version>-<go.mod digest>/<name>``
(``$XDG_CACHE_HOME`` respected); a second run finds it and builds nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.upstream import go_binary, go_env

MODULES = Path(__file__).resolve().parents[1] / "realk8s" / "modules"
BUILD_TIMEOUT = 3600


class BuildFailed(RuntimeError):
    """``go build`` of a reference component failed (the message carries go's output)."""


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/aigw-sdk/bin`` (default ``~/.cache/aigw-sdk/bin``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aigw-sdk" / "bin"


@dataclass(frozen=True)
class GoComponent:
    """A binary built from ``package`` inside the wrapper module ``MODULES / name``."""

    name: str
    package: str
    pinned: str  # the required module whose version names the build

    @property
    def module_dir(self) -> Path:
        return MODULES / self.name

    @property
    def version(self) -> str:
        go_mod = (self.module_dir / "go.mod").read_text()
        found = re.search(rf"^(?:require\s+)?\s*{re.escape(self.pinned)}\s+(\S+)", go_mod, re.M)
        if found is None:
            raise BuildFailed(f"{self.module_dir}/go.mod does not require {self.pinned}")
        return found[1]

    @property
    def binary(self) -> Path:
        digest = hashlib.sha256()
        for name in ("go.mod", "go.sum"):
            digest.update((self.module_dir / name).read_bytes())
        return cache_dir() / f"{self.name}-{self.version}-{digest.hexdigest()[:10]}" / self.name

    def ensure(self) -> Path:
        """The cached binary, built first if missing (one build at a time across processes)."""
        target = self.binary
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with (target.parent / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if target.is_file():
                return target
            partial = target.with_suffix(".partial")
            cmd = [str(go_binary()), "build", "-trimpath", "-ldflags=-s", "-o", str(partial)]
            proc = subprocess.run(
                [*cmd, self.package],
                cwd=self.module_dir,
                env=go_env(),
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT,
                check=False,
            )
            if proc.returncode != 0:
                raise BuildFailed(f"go build {self.package} failed:\n{proc.stderr[-4000:]}")
            partial.rename(target)
        return target


ETCD = GoComponent("etcd", "go.etcd.io/etcd/server/v3", "go.etcd.io/etcd/server/v3")
# Kubernetes 1.33, the version upstream's own CRD validation suite runs on (envtest 1.33.0): its
# messages are the ones upstream's tests/crdcel expectations quote (1.34+ dropped the value type
# from CEL errors, `Invalid value: "object": ...`).
KUBE_APISERVER = GoComponent(
    "kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver", "k8s.io/kubernetes"
)
COMPONENTS = (ETCD, KUBE_APISERVER)


def main() -> int:
    """Build every component (``python -m tests.support.gobuild``), printing where each is.

    Run before the tests (scripts/test.sh) so that no test waits for a build.
    """
    for component in COMPONENTS:
        cached = component.binary.is_file()
        started = time.monotonic()
        path = component.ensure()
        how = "cached" if cached else f"built in {time.monotonic() - started:.0f}s"
        print(f"{component.name} {component.version}: {path} ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
