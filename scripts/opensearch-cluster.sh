#!/usr/bin/env bash
# A local OpenSearch 2.19 cluster of real nodes, one JVM each, on 127.0.0.1 (for the tests and for trying
# `--engine opensearch`). Built from Maven Central artifacts (scripts/opensearch/pom.xml) on first use.
#   bash scripts/opensearch-cluster.sh start [N]   # N nodes (default 3); waits until the cluster is green
#   bash scripts/opensearch-cluster.sh status      # cluster health, and each node's pid
#   bash scripts/opensearch-cluster.sh stop        # stops every node and removes the cluster's data
# Settings (environment): AKHBAR_OS_HOME (default var/opensearch), AKHBAR_OS_HTTP_PORT (first node's HTTP
# port, default 9200, the URL `akhbar --engine opensearch` uses by default; node i listens on +i-1), AKHBAR_OS_TRANSPORT_PORT (default 9300), AKHBAR_OS_HEAP
# (per node, default 512m), JAVA_HOME (default: the java on PATH; Java 17 or newer).
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR=${AKHBAR_OS_HOME:-var/opensearch}
HTTP_PORT=${AKHBAR_OS_HTTP_PORT:-9200}
TRANSPORT_PORT=${AKHBAR_OS_TRANSPORT_PORT:-9300}
HEAP=${AKHBAR_OS_HEAP:-512m}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PROJECT=scripts/opensearch

build() {
  if [ ! -d "$PROJECT/target/lib" ] || [ "$PROJECT/pom.xml" -nt "$PROJECT/target/lib" ] \
      || [ -n "$(find "$PROJECT/src" -newer "$PROJECT/target/lib" -type f)" ]; then
    echo "building the OpenSearch node (Maven; first time downloads ~55 MB)..."
    (cd "$PROJECT" && mvn -B -q package -DskipTests) && touch "$PROJECT/target/lib"
  fi
}

health() {
  curl -s --max-time 5 "http://127.0.0.1:$HTTP_PORT/_cluster/health${1:-}" || true
}

start() {
  local n=${1:-3}
  build
  if [ -n "$(health)" ]; then
    echo "a cluster already answers on 127.0.0.1:$HTTP_PORT; stop it first" >&2
    exit 1
  fi
  mkdir -p "$HOME_DIR"
  local home
  home=$(cd "$HOME_DIR" && pwd)
  for i in $(seq 1 "$n"); do
    nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -Dlog4j2.disable.jmx=true \
      -cp "$PROJECT/target/classes:$PROJECT/target/lib/*" akhbar.ClusterNode \
      "$i" "$n" "$HTTP_PORT" "$TRANSPORT_PORT" "$home" akhbar-test >"$home/node-$i.log" 2>&1 &
    echo $! >"$home/node-$i.pid"
  done
  echo "started $n nodes (logs: $home/node-*.log); waiting for green..."
  for _ in $(seq 1 240); do
    if health "?wait_for_nodes=$n&wait_for_status=green&timeout=1s" | grep -q '"timed_out":false'; then
      echo "cluster green: $n nodes on http://127.0.0.1:$HTTP_PORT"
      return 0
    fi
    for f in "$home"/node-*.pid; do
      if ! kill -0 "$(cat "$f")" 2>/dev/null; then
        echo "node ${f##*/node-} exited; its log ends:" >&2
        tail -20 "${f%.pid}.log" >&2
        stop
        exit 1
      fi
    done
    sleep 1
  done
  echo "the cluster did not turn green in 4 minutes; see $home/node-*.log" >&2
  exit 1
}

stop() {
  [ -d "$HOME_DIR" ] || return 0
  for f in "$HOME_DIR"/node-*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    local alive=0
    for f in "$HOME_DIR"/node-*.pid; do
      [ -e "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  for f in "$HOME_DIR"/node-*.pid; do
    [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$HOME_DIR"
  echo "stopped"
}

status() {
  health "?pretty"
  for f in "$HOME_DIR"/node-*.pid; do
    [ -e "$f" ] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then echo "${f##*/} $(cat "$f") running"; else echo "${f##*/} $(cat "$f") gone"; fi
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  build) build ;;
  *) echo "usage: $0 start [N] | status | stop | build" >&2; exit 2 ;;
esac
