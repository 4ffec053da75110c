"""The embedded index and a cluster index of the same collection, query by query.

    python scripts/compare_engines.py --index var/ant --url http://127.0.0.1:9200 --index-name akhbar-ant

For each query of scripts/bench_queries.txt (or ``--queries FILE``), through
``search()`` as the page and ``/search`` use it: whether the totals and the facet
counts are equal, and the overlap of the top 10 (the share of the embedded
engine's top 10 that the cluster also returns in its top 10), and grouped by story: whether
the stories counted are equal.  Then the stories themselves: the share of the embedded
index's articles that the cluster puts in the same story (and duplicate group).  Prints one
line per query that differs and the summary.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.engines import open_engine  # noqa: E402
from search.searching import search  # noqa: E402

QUERIES = ROOT / "scripts" / "bench_queries.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", required=True, help="the embedded index")
    ap.add_argument("--url", required=True, help="the cluster")
    ap.add_argument("--index-name", required=True, help="the cluster index (alias)")
    ap.add_argument("--queries", default=str(QUERIES))
    args = ap.parse_args()
    queries = [q.strip() for q in Path(args.queries).read_text(encoding="utf-8").splitlines()
               if q.strip() and not q.startswith("#")]
    overlaps, identical, totals, facets, stories = [], 0, 0, 0, 0
    with open_engine(args.index) as whoosh, open_engine(args.url, "opensearch", args.index_name) as cluster:
        for q in queries:
            grouped = [search(e, q, page_size=10, group=True, facets=False, snippets=False)["stories"]
                       for e in (whoosh, cluster)]
            stories += grouped[0] == grouped[1]
            a, b = search(whoosh, q, page_size=10), search(cluster, q, page_size=10)
            totals += a["total"] == b["total"]
            facets += a["facets"] == b["facets"]
            ids_a, ids_b = [r["id"] for r in a["results"]], [r["id"] for r in b["results"]]
            if ids_a:
                overlaps.append(len(set(ids_a) & set(ids_b)) / len(ids_a))
                identical += ids_a == ids_b
            if a["total"] != b["total"] or a["facets"] != b["facets"] or (ids_a and overlaps[-1] < 1):
                print(f"{q[:60]!r}: totals {a['total']}/{b['total']}, stories {grouped[0]}/{grouped[1]}, facets "
                      f"{'equal' if a['facets'] == b['facets'] else 'differ'}, top-10 overlap "
                      f"{overlaps[-1] if ids_a else '-'}")
        mean = sum(overlaps) / len(overlaps) if overlaps else float("nan")
        print(f"{len(queries)} queries: equal totals {totals}, equal stories counted {stories}, equal facet counts "
              f"{facets}; top-10 overlap {mean:.3f} (mean over the {len(overlaps)} queries with results), "
              f"identical top 10 on {identical}")
        a, b = whoosh.stories(), cluster.stories()
        if a is None or b is None:
            print("stories: " + ("the embedded index has none" if a is None else "the cluster index has none"))
            return
        ids = list(a.ids)
        story = sum(a.story_of(i) == b.story_of(i) for i in ids)
        dup = sum(a.duplicate_of(i) == b.duplicate_of(i) for i in ids)
        print(f"stories: {len(ids)} articles embedded, {len(b)} on the cluster; the same story for {story} "
              f"({story / max(len(ids), 1):.2%}), the same duplicate group for {dup} ({dup / max(len(ids), 1):.2%})")


if __name__ == "__main__":
    main()
