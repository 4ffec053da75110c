"""What searching every house spelling costs a query: ``search()`` (facets, snippets) with the
spellings and as typed, interleaved in one run, over the bench queries and the spellings of the
development groups (tests/data/variant_groups.tsv, each typed alone).

    python scripts/experiments/variants_cost.py --index var/ant [--repeat 3]

Prints p50 and p95 (ms) of each mode and their differences.  Timings vary with machine load:
compare within a run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.variants.evaluate import GROUPS, read_tsv  # noqa: E402
from scripts.bench_requests import queries  # noqa: E402
from search.engines import open_engine  # noqa: E402
from search.searching import search  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    spelled = [s for g in read_tsv(GROUPS) for s in g["spellings"].split("|")]
    sets = {"bench queries": queries(), "spellings of the groups": spelled}
    with open_engine(args.index) as engine:
        for name, qs in sets.items():
            times: dict[bool, list[float]] = {True: [], False: []}
            expanded = sum(1 for q in qs if search(engine, q)["variants"])  # (also warms the caches)
            for q in qs:
                search(engine, q, variants=False)
            for r in range(args.repeat):
                for q in qs:
                    for on in ((True, False) if r % 2 == 0 else (False, True)):  # each mode first in turn
                        t = time.perf_counter()
                        search(engine, q, variants=on)
                        times[on].append((time.perf_counter() - t) * 1000)
            on, off = times[True], times[False]
            print(f"{name}: {len(qs)} queries, {expanded} searched with other spellings; "
                  f"with spellings p50 {statistics.median(on):.1f} ms p95 {p95(on):.1f} ms; "
                  f"as typed p50 {statistics.median(off):.1f} ms p95 {p95(off):.1f} ms; "
                  f"p95 difference {p95(on) - p95(off):+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
