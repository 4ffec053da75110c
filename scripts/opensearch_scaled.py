"""Load bench.py's scaled collection (a collection repeated to N articles, each copy with its own id)
into a cluster index, analyzing each distinct article once.

    python scripts/opensearch_scaled.py --scale 300000 --url http://127.0.0.1:9200 --index-name akhbar-ant-300k

``bench.py --scale N`` writes copy ``r`` of article ``d`` as id ``{d}-r{r}`` with the
same title, text, source and date; its entities and analysis are those of ``d``,
so this script recognizes and analyzes the distinct articles once (the same
pipeline and ``prepare()`` as ``akhbar index --engine opensearch``) and sends
each prepared document under every copy's id and position.  The index is the one
``akhbar index --engine opensearch`` would build from the scaled file; only the
time to build it differs (this is for the query figures at scale, not a build
time: see docs/scale-out.md for the bulk-load figures).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.ner import recognizer_version  # noqa: E402
from index.pipeline import iter_items  # noqa: E402
from search.analysis import ANALYZER_VERSION  # noqa: E402
from search.engines.opensearch.writer import Writer, build_id, prepare  # noqa: E402
from search.fields import SCHEMA_VERSION  # noqa: E402
from search.vocabulary import Spellings  # noqa: E402

ANT = ROOT.parent / "shared" / "corpus" / "ant-multisource-v2.1.tar.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--collection", default=str(ANT))
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--index-name", required=True)
    ap.add_argument("--replicas", type=int, default=1)
    ap.add_argument("--workers", type=int)
    args = ap.parse_args()
    started = time.perf_counter()
    docs = [d for d in iter_items([args.collection], workers=args.workers, prepare=prepare)
            if isinstance(d, Document)]
    analyzed = time.perf_counter() - started
    print(f"{len(docs)} distinct articles recognized and analyzed in {analyzed:.0f} s", file=sys.stderr)
    writer = Writer(args.url, args.index_name)
    build = build_id()
    meta = {"analyzer_version": ANALYZER_VERSION, "recognizer_version": recognizer_version(),
            "schema_version": SCHEMA_VERSION, "stemmer": "akhbar", "titles": True,
            "collections": [f"{args.collection} x{args.scale}"]}
    index = writer.create(build, meta, shards=1, replicas=args.replicas)
    forms: Counter = Counter()

    def copies():
        for n in range(args.scale):
            d = docs[n % len(docs)]
            copy_id = f"{d.id}-r{n // len(docs)}"
            source = dict(d.prepared["source"], id=copy_id, seq=n)
            forms.update(d.prepared["forms"])
            yield replace(d, id=copy_id, seq=n, prepared={"source": source})

    def refused(info):
        raise SystemExit(f"OpenSearch refused an article: {info}")

    try:
        loaded = writer.load(index, copies(), refused)
        spellings = Spellings()
        for d in docs:
            spellings.add_title(d.title)
        spellings.pairs = Counter({k: v * args.scale // len(docs) for k, v in spellings.pairs.items()})
        writer.save_vocabulary(index, "all", forms, spellings.rows())
        writer.publish(build, args.replicas, wait=1800)
    except BaseException:
        writer.abort(build)
        raise
    print(f"{loaded} articles loaded into {index} (alias {args.index_name}) in "
          f"{time.perf_counter() - started - analyzed:.0f} s after the analysis", file=sys.stderr)


if __name__ == "__main__":
    main()
