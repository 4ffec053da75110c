"""The memory and CPU of what one build worker does to each article (entities and story features).

    python scripts/experiments/worker_memory.py [--collection ANT] [--articles 6000]

Recognizes the first ``--articles`` of a collection in this process, as a worker does, and
prints its resident memory before and after, the CPU time an article and how full the
recognizer's word caches are.  The Whoosh segment writing a worker also does is not included.
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index import ner  # noqa: E402
from index.documents import Document  # noqa: E402
from index.pipeline import recognize  # noqa: E402
from index.readers import read_collection  # noqa: E402


def rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collection", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--articles", type=int, default=6000)
    args = ap.parse_args()
    docs = [d for d in islice(read_collection(args.collection), args.articles) if isinstance(d, Document)]
    memo: dict = {}
    recognize(docs[0], memo)
    print(f"after loading the recognizer: {rss_mb()} MB")
    t = time.process_time()
    for d in docs:
        recognize(d, memo)
    print(f"after {len(docs):,} articles: {rss_mb()} MB, {(time.process_time() - t) / len(docs) * 1000:.1f} ms of CPU an article")
    for f in (ner.word_features, ner._neighbour_features):
        info = f.cache_info()
        print(f"  {f.__name__}: {info.currsize:,} of {info.maxsize:,} entries, hit rate {info.hits / (info.hits + info.misses):.1%}")


if __name__ == "__main__":
    main()
