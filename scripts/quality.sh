#!/usr/bin/env bash
# Reproduce every figure of docs/quality.md (needs ../shared; about 2 h on 2 cores, runs two settings at a time).
#   bash scripts/quality.sh [akhbar|none|tashaphyne ...]     -> one JSON line per setting in var/quality/
# ENGINE=opensearch (with AKHBAR_OPENSEARCH_URL, default http://127.0.0.1:9200, e.g. scripts/opensearch-cluster.sh)
# runs the same evaluations on the cluster engine, one index per setting (akhbar-eval-SETTING-STEMMER), one at a time;
# SETTINGS="arcd+ANT ant-titles" runs only those settings.
set -euo pipefail
cd "$(dirname "$0")/.."
E=${SHARED:-../shared}/eval
ANT=${SHARED:-../shared}/corpus/ant-multisource-v2.1.tar.gz
OUT=var/quality
ENGINE=${ENGINE:-whoosh}
SETTINGS=${SETTINGS:-arcd xquad_ar arcd+ANT xquad_ar+ANT ant-titles}
mkdir -p "$OUT"
stemmers=(${@:-akhbar none tashaphyne})
suffix=""
[ "$ENGINE" = whoosh ] || suffix=".$ENGINE"
run() {  # name stemmer args...
  local name=$1 stemmer=$2; shift 2
  case " $SETTINGS " in *" $name "*) ;; *) return 0 ;; esac
  local engine_args=()
  if [ "$ENGINE" = opensearch ]; then
    local index="akhbar-eval-$(echo "$name" | tr 'A-Z+_' 'a-z--')-$stemmer"
    engine_args=(--engine opensearch --url "${AKHBAR_OPENSEARCH_URL:-http://127.0.0.1:9200}" --index-name "$index")
  fi
  .venv/bin/akhbar eval --stemmer "$stemmer" --quiet "${engine_args[@]}" "$@" \
    > "$OUT/$name.$stemmer$suffix.json" 2> "$OUT/$name.$stemmer$suffix.log"
  echo "$name $stemmer $ENGINE $(tail -n1 "$OUT/$name.$stemmer$suffix.json")"
}
parallel() {  # two settings at a time with the embedded engine; one at a time on a cluster (it has the cores)
  if [ "$ENGINE" = whoosh ]; then "$@" & else "$@"; fi
}
for s in "${stemmers[@]}"; do
  run arcd "$s" --corpus "$E/retrieval/arcd/corpus.jsonl" --queries "$E/retrieval/arcd/queries.jsonl" --qrels "$E/retrieval/arcd/qrels.tsv"
  run xquad_ar "$s" --corpus "$E/retrieval/xquad_ar/corpus.jsonl" --queries "$E/retrieval/xquad_ar/queries.jsonl" --qrels "$E/retrieval/xquad_ar/qrels.tsv"
  parallel run arcd+ANT "$s" --corpus "$E/retrieval/arcd/corpus.jsonl" --corpus "$ANT" --queries "$E/retrieval/arcd/queries.jsonl" --qrels "$E/retrieval/arcd/qrels.tsv"
  parallel run xquad_ar+ANT "$s" --corpus "$E/retrieval/xquad_ar/corpus.jsonl" --corpus "$ANT" --queries "$E/retrieval/xquad_ar/queries.jsonl" --qrels "$E/retrieval/xquad_ar/qrels.tsv"
  wait
  run ant-titles "$s" --corpus "$ANT" --no-title --queries "$E/known-item/ant-titles/queries.jsonl" --qrels "$E/known-item/ant-titles/qrels.tsv"
done
