"""Autocompletion speed: the table's build time and /suggest's lookup latency on an index.

    python scripts/bench_suggest.py --index var/ant
    python scripts/bench_suggest.py --engine opensearch --url http://127.0.0.1:9200 --index-name akhbar-ant

What is typed: every prefix (1 to 6 letters) of every word of scripts/bench_queries.txt,
with «ال» and «و» prefixed variants, as a user types them letter by letter.  Prints
the median and 95th percentile of Suggester.suggest (the whole lookup of /suggest,
without HTTP), over --repeat passes.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.suggest import Suggester  # noqa: E402
from web.cli import add_engine_arguments, open_from_args  # noqa: E402

QUERIES = ROOT / "scripts" / "bench_queries.txt"


def typed_prefixes() -> list[str]:
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for word in line.replace('"', " ").split():
            if ":" in word or not word.isalpha():
                continue
            for n in range(1, min(6, len(word)) + 1):
                out += [word[:n], "و" + word[:n]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default="var/index")
    add_engine_arguments(ap)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    engine = open_from_args(args)
    started = time.perf_counter()
    table = Suggester.from_engine(engine)
    built = time.perf_counter() - started
    kinds: dict[str, int] = {}
    for e in table.entries:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    typed = typed_prefixes()
    times = []
    for _ in range(args.repeat):
        for t in typed:
            t0 = time.perf_counter()
            table.suggest(t)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"table: {len(table.entries)} entries {kinds}, {len(table.keys)} keys, built in {built:.1f} s")
    print(f"lookups: {len(typed)} typed prefixes x {args.repeat}: p50 {statistics.median(times):.2f} ms, "
          f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms")
    for t in ("حف", "طرا", "الدب", "اردو", "والمجلس ال"):
        print(f"  {t}: " + ", ".join(f"{s.value} ({s.kind} {s.count})" for s in table.suggest(t)[:5]))


if __name__ == "__main__":
    main()
