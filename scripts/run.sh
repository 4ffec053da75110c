#!/usr/bin/env bash
# The main job: install Akhbar in .venv, index the bundled sample collection, serve the search page.
#   bash scripts/run.sh            -> http://127.0.0.1:8000/
# HOST, PORT, AKHBAR_INDEX and COLLECTION override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
INDEX=${AKHBAR_INDEX:-var/index}
.venv/bin/akhbar index --collection "${COLLECTION:-data/sample}" --index "$INDEX"
exec .venv/bin/akhbar serve --index "$INDEX" --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
