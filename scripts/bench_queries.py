"""Query latency through search(), with and without facets and snippets.

    python scripts/bench_queries.py --index DIR [--repeat 5]

Prints the median and p95 in milliseconds over the query list below, repeated
(the first pass warms the caches and is not counted).  A figure for comparing
changes on one machine, not an absolute: shared machines are noisy.
"""
from __future__ import annotations

import argparse
import statistics
import time

from search.searching import search, weighting
from search.store import open_index

QUERIES = [
    "ترامب كوريا الشمالية", "أسعار النفط", "محمد صلاح ليفربول", "الانتخابات العراقية", "اللاجئين السوريين لبنان",
    "person:ترامب", "place:دمشق date:2018-04", '"وقف إطلاق النار" سوريا', "السعودية OR الإمارات قطر",
    "من هو رئيس المخابرات المصرية الذي زار بنغازي؟", "كأس العالم روسيا", "الاتحاد الأوروبي بريطانيا -فرنسا",
]
MODES = {"full (facets + snippets)": {}, "no facets": {"facets": False}, "ranking only": {"facets": False, "snippets": False}}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    with open_index(args.index).searcher(weighting=weighting()) as s:
        for q in QUERIES:
            search(s, q)
        for name, kwargs in MODES.items():
            times = []
            for _ in range(args.repeat):
                for q in QUERIES:
                    t = time.perf_counter()
                    search(s, q, **kwargs)
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{name:26s} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   ({len(times)} searches)")


if __name__ == "__main__":
    main()
