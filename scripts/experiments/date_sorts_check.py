"""Measurement (issue #33): date sorts list whole matches, and "first" is first.

    python scripts/experiments/date_sorts_check.py --index var/ant [--queries scripts/bench_queries.txt]

For every query of two words or more in the file (filters, OR and exclusions left out), the first
page of ``sort=oldest`` (grouped, as the page shows it): does every article on it hold every word of
the query (a reading of it the index matches on: its stem, a clitic reading, its exact form; a phrase's
words too), and, for each row
whose story has two articles or more, is the article the story page marks «أول من نشر» the one with
the earliest instant of its dated members?  Prints one line a query and the totals.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from search.analysis import analyze  # noqa: E402
from search.engines import open_engine  # noqa: E402
from search.query import parse_query  # noqa: E402
from search.searching import get_article, search  # noqa: E402


def _multi_word(line: str) -> bool:
    pq = parse_query(line)
    words = len(pq.words) + sum(len(p.split()) for p in pq.phrases)
    plain = not (pq.filters or pq.excluded_words or pq.excluded_phrases or any(len(g) > 1 for g in pq.words))
    return plain and words >= 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--queries", default=str(ROOT / "scripts" / "bench_queries.txt"))
    args = ap.parse_args()
    queries = [q.strip() for q in Path(args.queries).read_text(encoding="utf-8").splitlines()
               if q.strip() and not q.startswith("#") and _multi_word(q.strip())]
    rows = whole = stories = first_ok = 0
    with open_engine(args.index) as engine:
        readings = [engine.analyzer(field) for field in ("text", "text_exact")]
        for q in queries:
            pq = parse_query(q)
            words = [g[0] for g in pq.words] + [x for p in pq.phrases for x in p.split()]
            wanted = [[set(analyze(a, w)) for a in readings] for w in words]
            res = search(engine, q, sort="oldest", group=True, facets=False, snippets=False)
            q_whole = q_first = q_stories = 0
            for r in res["results"]:
                doc = engine.document(r["id"])
                have = [set(analyze(a, doc["title"] + " " + doc["body"])) for a in readings]
                # a word is there when one of its readings is (its stem, a clitic reading, its exact form)
                q_whole += all(any(forms & got for forms, got in zip(w, have)) for w in wanted if any(w))
                if r["story_size"] > 1:
                    story = [a for a in get_article(engine, r["id"])["story"] if a["date"]]
                    if story:
                        q_stories += 1
                        earliest = min((a["date"], a["time"] or "00:00") for a in story)
                        marked = [(a["date"], a["time"] or "00:00") for a in story if a["first"]]
                        q_first += marked == [earliest]
            rows += len(res["results"])
            whole += q_whole
            stories += q_stories
            first_ok += q_first
            print(f"{q}\t{res['total']} of {res['broader_total'] or res['total']}\tpage: {q_whole}/{len(res['results'])} "
                  f"with every word\tfirst report earliest: {q_first}/{q_stories}")
    print(f"{len(queries)} queries: {whole}/{rows} first-page articles with every word; "
          f"first report earliest in {first_ok}/{stories} stories")


if __name__ == "__main__":
    main()
