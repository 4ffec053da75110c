"""The memory and CPU of what one build worker does to each article: its entities, or its analysis.

    python scripts/experiments/worker_memory.py [--collection ANT] [--articles 6000]
    python scripts/experiments/worker_memory.py --analysis [--articles 10000]
    python scripts/experiments/worker_memory.py --segments 5000 [--articles 50000]

Does to the first ``--articles`` of a collection, in this process, what a worker does: recognizes
their entities, or with ``--analysis`` analyzes their title and body with the index's three
analyzers (exact, stemmed, broad) and computes their story features.  Prints the resident memory
before and after, the CPU time an article and how full and how useful each word cache is.  The
Whoosh segment writing a worker also does is not included, except with ``--segments N``: the
whole worker (entities, story features, analysis and Whoosh segments of N articles, into a
scratch index, ``index.pipeline.write_document``), the collection repeated with new ids as
``bench.py --scale`` does, printing the private memory and Python's allocated blocks after each
segment.
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index import ner  # noqa: E402
from index.documents import Document  # noqa: E402
from index.pipeline import recognize, write_document  # noqa: E402
from index.readers import read_collection  # noqa: E402
from index.stories.features import features  # noqa: E402
from search import normalize, stemming  # noqa: E402
from search.analysis import broad_analyzer, exact_analyzer, stemmed_analyzer  # noqa: E402


def rss_mb(kind: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) // 1024
    return 0


def _print_caches(functions) -> None:
    for f in functions:
        info = f.cache_info()
        asked = info.hits + info.misses
        print(f"  {f.__name__}: {info.currsize:,} of {info.maxsize:,} entries, "
              f"hit rate {info.hits / max(1, asked):.1%} of {asked:,} calls")


def entities(docs: list[Document]) -> None:
    memo: dict = {}
    recognize(docs[0], memo)
    print(f"after loading the recognizer: {rss_mb()} MB")
    t = time.process_time()
    for d in docs:
        recognize(d, memo)
    print(f"after {len(docs):,} articles: {rss_mb()} MB, {(time.process_time() - t) / len(docs) * 1000:.1f} ms of CPU an article")
    _print_caches((ner.default_recognizer()._features.token,))


def analysis(docs: list[Document]) -> None:
    analyzers = [exact_analyzer(), stemmed_analyzer(), broad_analyzer()]
    print(f"before: {rss_mb()} MB")
    t = time.process_time()
    for d in docs:
        for a in analyzers:
            for text in (d.title, d.body):
                for _ in a(text):
                    pass
        features(d.title, d.body)
    print(f"after {len(docs):,} articles: {rss_mb()} MB, {(time.process_time() - t) / len(docs) * 1000:.2f} ms of CPU an article")
    _print_caches((normalize.normalize_word, stemming.stem, stemming.clitic_alternative, stemming.broad_stem,
                   stemming.clitic_readings))
    for a in analyzers:
        print(f"  the memo of {a!r}: {len(a._memo):,} words")


def segments(docs: list[Document], per_segment: int, articles: int) -> None:
    from search.engines.whoosh.writer import WhooshWriter  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        sink = WhooshWriter.create(Path(tmp) / "ix").sink()
        sink.max_docs = per_segment
        sink.open()
        memo: dict = {}
        print("articles\tsegments\tRssAnon MB\tPython blocks\tgc objects\tCPU s")
        t = time.process_time()
        for n in range(articles):
            d = docs[n % len(docs)]
            doc = Document(id=f"{d.id}-r{n // len(docs)}", title=d.title, body=d.body, origin=d.origin,
                           source=d.source, date=d.date, date_precision=d.date_precision, url=d.url, category=d.category, seq=n)
            if write_document(doc, memo, sink):
                print(f"{n + 1}\t{len(sink.done)}\t{rss_mb('RssAnon')}\t{sys.getallocatedblocks():,}\t"
                      f"{len(gc.get_objects()):,}\t{time.process_time() - t:.0f}", flush=True)
        sink.finish()
        _print_caches((ner.default_recognizer()._features.token,))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collection", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--articles", type=int, default=6000)
    ap.add_argument("--analysis", action="store_true", help="the analyzers and story features, not the entities")
    ap.add_argument("--segments", type=int, metavar="N", help="the whole worker, with segments of N articles")
    args = ap.parse_args()
    if args.segments:
        docs = [d for d in read_collection(args.collection) if isinstance(d, Document)]
        segments(docs, args.segments, args.articles)
        return
    docs = [d for d in islice(read_collection(args.collection), args.articles) if isinstance(d, Document)]
    (analysis if args.analysis else entities)(docs)


if __name__ == "__main__":
    main()
