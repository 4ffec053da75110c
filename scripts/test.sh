#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Python packages, Debian's Chromium, a JDK and Maven for the
# OpenSearch cluster the tests start and stop themselves, npm's axe-core), runs ruff, then pytest.
#   bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"   # the browser test
command -v wrk >/dev/null || missing="$missing wrk"        # the load test
command -v java >/dev/null || missing="$missing default-jdk-headless"  # the OpenSearch test cluster (Java 17+)
command -v mvn >/dev/null || missing="$missing maven"      # ...built from Maven Central (scripts/opensearch/pom.xml)
command -v npm >/dev/null || missing="$missing npm"        # axe-core for the browser test's accessibility checks
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=none; fi
  if [ "$SUDO" != none ] && command -v apt-get >/dev/null; then
    echo "installing Debian's$missing for the tests..."
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  else
    echo "note:$missing missing and cannot be installed here; the tests that need them will be skipped"
  fi
fi
.venv/bin/ruff check .                                   # the linter (settings in pyproject.toml)
.venv/bin/mypy                                           # types of search/ (pyproject.toml): the engines satisfy the Engine protocol
if command -v npm >/dev/null; then (cd tests/axe && npm ci --no-audit --no-fund --silent); fi  # axe-core (tests/axe/package.json)
bash scripts/opensearch-cluster.sh build                 # the test cluster's node (Maven artifacts; the tests start it)
exec .venv/bin/python -m pytest "$@"
