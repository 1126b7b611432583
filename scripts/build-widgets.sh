#!/usr/bin/env bash
# Rebuild the widgets' front-end bundle (aigw_sdk/widgets/static/) from
# aigw_sdk/widgets/frontend/ with the pinned npm dependencies (package-lock.json), then commit
# the result: the package ships the built files so `pip install` and notebooks need no Node
# and no network. tests/widgets/test_bundle.py fails while the bundle is older than the sources.
set -euo pipefail
cd "$(dirname "$0")/../aigw_sdk/widgets/frontend"
npm ci --no-audit --no-fund --ignore-scripts
node build.mjs
