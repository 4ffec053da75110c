"""The memory and CPU of the analysis one build worker does (the three analyzers and the story
features), and how full and how useful each word cache is.

    python scripts/experiments/analysis_memory.py [--collection ANT] [--articles 10000]

Analyzes the title and body of the first ``--articles`` of a collection in this process with the
index's three analyzers (exact, stemmed, broad) and computes their story features, as a worker
does (entities: scripts/experiments/worker_memory.py), then prints the resident memory before and
after, the CPU time an article and each cache's size and hit rate.
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.readers import read_collection  # noqa: E402
from index.stories.features import features  # noqa: E402
from search import normalize, stemming  # noqa: E402
from search.analysis import broad_analyzer, exact_analyzer, stemmed_analyzer  # noqa: E402


def rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collection", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    docs = [d for d in islice(read_collection(args.collection), args.articles) if isinstance(d, Document)]
    analyzers = [exact_analyzer(), stemmed_analyzer(), broad_analyzer()]
    before = rss_mb()
    began = time.process_time()
    tokens = 0
    for d in docs:
        for a in analyzers:
            for text in (d.title, d.body):
                tokens += sum(1 for _ in a(text))
        features(d.title, d.body)
    cpu = time.process_time() - began
    print(f"{len(docs)} articles, {tokens} tokens: {cpu / len(docs) * 1000:.2f} ms an article, "
          f"resident memory {before} -> {rss_mb()} MB")
    caches = {"normalize_word": normalize.normalize_word, "stem": stemming.stem,
              "clitic_alternative": stemming.clitic_alternative, "broad_stem": stemming.broad_stem,
              "clitic_readings": stemming.clitic_readings}
    for name, fn in caches.items():
        info = fn.cache_info()
        asked = info.hits + info.misses
        print(f"  {name}: {info.currsize} of {info.maxsize} entries, hit rate {info.hits / max(1, asked):.1%} "
              f"of {asked} calls")
    for a in analyzers:
        print(f"  analyzer memo {[type(s).__name__ for s in a.items][-1]}: {len(a._memo)} words")


if __name__ == "__main__":
    main()
