"""Time /search JSON for the bench queries in-process (the Flask test client, one request at a time).

    python scripts/experiments/inprocess_json.py --index var/ant [--extra '&group=off']

Three passes over scripts/bench_queries.txt after one warm-up pass; prints p50, mean, p95 in ms.
It separates the cost of a request from the HTTP server's (compare with bench.py's wrk figure).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from web import create_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--extra", default="", help="more query parameters, e.g. '&group=off'")
    args = ap.parse_args()
    client = create_app({"INDEX_DIR": args.index, "TESTING": True}).test_client()
    queries = [q.strip() for q in (ROOT / "scripts" / "bench_queries.txt").read_text(encoding="utf-8").splitlines()
               if q.strip() and not q.startswith("#")]
    urls = [f"/search?format=json&q={quote(q)}{args.extra}" for q in queries]
    for url in urls:
        client.get(url)
    time.sleep(3)  # the server's tables are built in a background thread
    times = []
    for _ in range(3):
        for url in urls:
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{args.index}{args.extra}: p50 {statistics.median(times):.1f} ms, mean {statistics.fmean(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms")


if __name__ == "__main__":
    main()
