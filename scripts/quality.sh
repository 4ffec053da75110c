#!/usr/bin/env bash
# Reproduce every figure of docs/quality.md (needs ../shared; about 2 h on 2 cores, runs two settings at a time).
#   bash scripts/quality.sh [akhbar|none|tashaphyne ...]     -> one JSON line per setting in var/quality/
set -euo pipefail
cd "$(dirname "$0")/.."
E=${SHARED:-../shared}/eval
ANT=${SHARED:-../shared}/corpus/ant-multisource-v2.1.tar.gz
OUT=var/quality
mkdir -p "$OUT"
stemmers=(${@:-akhbar none tashaphyne})
run() {  # name stemmer args...
  local name=$1 stemmer=$2; shift 2
  .venv/bin/akhbar eval --stemmer "$stemmer" --quiet "$@" > "$OUT/$name.$stemmer.json" 2> "$OUT/$name.$stemmer.log"
  echo "$name $stemmer $(tail -n1 "$OUT/$name.$stemmer.json")"
}
for s in "${stemmers[@]}"; do
  run arcd "$s" --corpus "$E/retrieval/arcd/corpus.jsonl" --queries "$E/retrieval/arcd/queries.jsonl" --qrels "$E/retrieval/arcd/qrels.tsv"
  run xquad_ar "$s" --corpus "$E/retrieval/xquad_ar/corpus.jsonl" --queries "$E/retrieval/xquad_ar/queries.jsonl" --qrels "$E/retrieval/xquad_ar/qrels.tsv"
  run arcd+ANT "$s" --corpus "$E/retrieval/arcd/corpus.jsonl" --corpus "$ANT" --queries "$E/retrieval/arcd/queries.jsonl" --qrels "$E/retrieval/arcd/qrels.tsv" &
  run xquad_ar+ANT "$s" --corpus "$E/retrieval/xquad_ar/corpus.jsonl" --corpus "$ANT" --queries "$E/retrieval/xquad_ar/queries.jsonl" --qrels "$E/retrieval/xquad_ar/qrels.tsv" &
  wait
  run ant-titles "$s" --corpus "$ANT" --no-title --queries "$E/known-item/ant-titles/queries.jsonl" --qrels "$E/known-item/ant-titles/qrels.tsv"
done
