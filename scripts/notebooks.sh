#!/usr/bin/env bash
# Regenerate the executed notebooks from their sources: for each notebooks/NN-name.py
# (jupytext percent format, the file you edit), write notebooks/NN-name.ipynb with fresh
# outputs. With no arguments, every notebook; otherwise the .py (or .ipynb) files given.
#   scripts/notebooks.sh                                 # all
#   scripts/notebooks.sh notebooks/02-more-models.py    # one
# Runs offline (local gateway + simulator); notebook 06 starts a local etcd + kube-apiserver.
set -euo pipefail
cd "$(dirname "$0")/.."
JUPYTEXT=.venv/bin/jupytext

if [ "$#" -eq 0 ]; then
  set -- notebooks/[0-9][0-9]-*.py
fi
for path in "$@"; do
  source="${path%.ipynb}"
  source="${source%.py}.py"
  # sources into the .ipynb (keeping its metadata), then a fresh run in notebooks/
  "$JUPYTEXT" --quiet --update --to ipynb "$source"
  .venv/bin/jupyter nbconvert --to notebook --execute --inplace "${source%.py}.ipynb"
done
.venv/bin/ruff check notebooks
.venv/bin/ruff format --check notebooks
