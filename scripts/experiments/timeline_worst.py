"""Measurement (not part of the product): the timeline's worst page on hostile dates (issue #35).

    python scripts/experiments/timeline_worst.py [--articles 6000] [--outlets 60] [--runs 5]

Builds, in a temporary folder, collections of ``--articles`` articles from ``--outlets``
outlets, every one mentioning «طرابلس» (the sample's paragraphs), dated
  - ``centuries``: evenly from the year 1000 to 9850 (the issue's collection),
  - ``year-one``: all in 2021 but one of 2 January of year 1,
  - ``400-years``: evenly from 2021 to 2420 (the most buckets the timeline makes: 400 years),
serves each through the Flask app's test client and prints, for /search?q=طرابلس as a page
and as JSON, without and with ``series=on``: the timeline's unit, buckets and series, its
size as JSON, the response's size (the page of results included), the median time of ``--runs`` requests (after one warm-up), and the peak
Python memory of one request (tracemalloc).

The build keeps only dates from 1900 to next year (``index.metadata.read_date``); to measure the
timeline's own bound (an index built before that rule, another writer, the cluster) this script
lets the build keep any date of the calendar.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from index import metadata  # noqa: E402
from index.builder import build_index  # noqa: E402

metadata.FIRST_YEAR, metadata.latest_year = 1, lambda: 9999  # see the docstring
from web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
Q = "طرابلس"


def _paragraphs() -> list[str]:
    texts = (p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "sample").glob("*.txt")))
    return [p for t in texts for p in t.split("\n") if len(p.split()) > 4]


def _dates(kind: str, n: int) -> list[str]:
    if kind == "centuries":
        return [f"{1000 + k * 8850 // (n - 1):04d}-{1 + k % 12:02d}-{1 + k % 28:02d}" for k in range(n)]
    if kind == "year-one":
        return ["0001-01-02"] + [f"2021-{1 + k % 12:02d}-{1 + k % 28:02d}" for k in range(n - 1)]
    return [f"{2021 + k * 399 // (n - 1):04d}-{1 + k % 12:02d}-{1 + k % 28:02d}" for k in range(n)]


def _build(folder: Path, kind: str, articles: int, outlets: int) -> Path:
    paras = _paragraphs()
    rows = [{"id": f"a{k:05d}", "title": paras[k % len(paras)][:80], "date": day, "source": f"وكالة {k % outlets:02d}",
             "text": f"طرابلس، الخبر {k}\n" + "\n".join(paras[(k * j) % len(paras)] for j in (1, 3))}
            for k, day in enumerate(_dates(kind, articles))]
    (folder / "c").mkdir(parents=True)
    (folder / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    summary = build_index([folder / "c"], folder / "ix", progress=False)
    print(f"{kind}: {summary.documents} articles built in {summary.seconds:.1f} s", flush=True)
    return folder / "ix"


def _measure(client, params: dict, runs: int) -> tuple[int, float, float]:
    """(bytes, median seconds, peak MB of one request)."""
    client.get("/search", query_string=params)  # warm-up: the index opened, the arrays read
    times, size = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get("/search", query_string=params)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
        size = len(r.data)
    tracemalloc.start()
    client.get("/search", query_string=params)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return size, statistics.median(times), peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=6000)
    ap.add_argument("--outlets", type=int, default=60)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("| collection | request | unit | buckets | series | timeline bytes (JSON) | response bytes | median s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for kind in ("centuries", "year-one", "400-years"):
            ix = _build(Path(tmp) / kind, kind, args.articles, args.outlets)
            client = create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()
            for series in ("off", "on"):
                tl = client.get("/search", query_string={"q": Q, "series": series, "format": "json"}).get_json()["timeline"]
                shown = len(tl["buckets"][0].get("sources", {})) + ("other" in tl["buckets"][0])
                for fmt in ("html", "json"):
                    size, seconds, peak = _measure(client, {"q": Q, "series": series, "format": fmt}, args.runs)
                    print(f"| {kind} | {fmt}, series={series} | {tl['unit']} | {len(tl['buckets'])} | {shown} | "
                          f"{len(json.dumps(tl, ensure_ascii=False).encode()):,} | {size:,} | {seconds:.3f} | {peak:.1f} |", flush=True)


if __name__ == "__main__":
    main()
