"""How many first-page rows repeat a higher row's report or story, without and with grouping.

    python scripts/experiments/stories_copies.py --index var/ant [--queries scripts/bench_queries.txt]

For each query, the first page (10 rows) of /search's ranking with every article listed
(group=off) and grouped by story (the default): a row is a *copy* when it is in the same
duplicate group as a row above it, *same story* when it is in the same story.  Prints the
shares over all first-page rows.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from search.engines import open_engine  # noqa: E402
from search.searching import search  # noqa: E402


def repeats(rows: list[dict], key) -> int:
    seen, n = set(), 0
    for r in rows:
        k = key(r["id"])
        n += k in seen
        seen.add(k)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--queries", default=str(ROOT / "scripts" / "bench_queries.txt"))
    args = ap.parse_args()
    queries = [q.strip() for q in Path(args.queries).read_text(encoding="utf-8").splitlines()
               if q.strip() and not q.startswith("#")]
    with open_engine(args.index) as engine:
        stories = engine.stories()
        for grouped in (False, True):
            rows = copies = same_story = 0
            for q in queries:
                page = search(engine, q, group=grouped, facets=False, snippets=False)["results"]
                rows += len(page)
                copies += repeats(page, stories.duplicate_of)
                same_story += repeats(page, stories.story_of)
            print(f"{'grouped by story' if grouped else 'every article (group=off)'}: {len(queries)} queries, "
                  f"{rows} first-page rows; copies of a higher row {copies} ({copies / max(1, rows):.1%}), "
                  f"same story as a higher row {same_story} ({same_story / max(1, rows):.1%})")


if __name__ == "__main__":
    main()
