"""The worst a single request or article can cost: adversarial queries and a worst-case article.

    python scripts/worst_case.py queries --index var/ant          # on the ANT index (docs/reliability.md)
    python scripts/worst_case.py article                           # one article at the size limit

``queries`` sends each adversarial query of :func:`adversarial_queries` (all within
the 500-character limit, built from the index's own vocabulary and facets) through
the real request path: ``/search`` of the Flask app, JSON and the HTML page
(parsing, ranking, facets, snippets, the spelling suggestion).  Each query runs
once cold (the posting-list cache emptied: an attacker varies the words) and
``--repeat`` times warm; it prints a markdown table of milliseconds, slowest first.

``article`` indexes one article of ``MAX_ARTICLE_CHARS`` characters of
all-distinct made-up words (every word a new term: the costliest text there is
for the analyzer, the entity recognizer and the writer) in a subprocess, and
prints its wall time and peak resident memory.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.readers import MAX_ARTICLE_CHARS  # noqa: E402
from search.engines import open_engine  # noqa: E402
from search.engines.whoosh import docsets  # noqa: E402
from search.query import parse_query  # noqa: E402
from search.stopwords import stopwords  # noqa: E402

LIMIT = 500
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _fill(parts, sep: str = " ", limit: int = LIMIT) -> str:
    """As many of ``parts`` as fit in ``limit`` characters."""
    out = ""
    for p in parts:
        nxt = p if not out else out + sep + p
        if len(nxt) > limit:
            break
        out = nxt
    return out


def _vocabulary(engine, n: int) -> list[str]:
    """The ``n`` words in most articles (normalized forms), stopwords left out."""
    stops = stopwords()
    freq = [(df, word) for word, df in engine.terms("text_exact")
            if word.isalpha() and word not in stops and len(word) > 2]
    return [w for _f, w in sorted(freq, reverse=True)[:n]]


def adversarial_queries(engine, seed: int = 7) -> dict[str, dict]:
    """name -> request parameters, each within the query-length limit."""
    rnd = random.Random(seed)
    common = _vocabulary(engine, 400)
    matches = engine.match(parse_query(common[0]))
    facets = {name: [f["value"] for f in counts] for name, counts in engine.facets(matches).items()}
    headline = next(h.fields["title"] for h in engine.ranked(matches, 0, 100) if len(h.fields["title"]) > 60)
    made_up = [f"قز{rnd.choice(LETTERS)}{rnd.choice(LETTERS)}ل" for _ in range(82)]
    typos = [w[:2] + w[3:] for w in common if len(w) >= 6][:80]
    typos = [t for t in typos if engine.doc_frequency("text_exact", t) == 0]
    q = {
        "82 made-up words (the report)": {"q": _fill(made_up)},
        "one 500-letter word": {"q": "".join(rnd.choice(LETTERS) for _ in range(LIMIT))},
        "250 one-letter words": {"q": _fill(rnd.choice(LETTERS) for _ in range(LIMIT))},
        "misspelled common words": {"q": _fill(typos)},
        "common words (long query)": {"q": _fill(common)},
        "common words OR'd": {"q": _fill(common, sep=" OR ")},
        "4 most common words": {"q": " ".join(common[:4])},
        "4 most common words, by date": {"q": " ".join(common[:4]), "sort": "date"},
        "4 common words, last page": {"q": " ".join(common[:4]), "page": "10000"},
        "two-word phrases of common words": {"q": _fill(f'"{a} {b}"' for a, b in zip(common[::2], common[1::2]))},
        "one long phrase": {"q": '"' + _fill(common, limit=LIMIT - 2) + '"'},
        "a word and 60 exclusions": {"q": _fill([common[0]] + [f"-{w}" for w in common[1:]])},
        "person/place/org filters": {"q": _fill([common[0]] + [f'person:"{p}"' for p in facets["persons"][:5]]
                                                + [f'place:"{p}"' for p in facets["places"][:5]]
                                                + [f'org:"{p}"' for p in facets["organizations"]])},
        "many date filters": {"q": _fill([common[0]] + ["date:2018-01..2018-12"] * 40)},
        "operator soup": {"q": _fill(rnd.choice(['"', "OR", "-", "«", "»", ":", "x:", "-\"", "person:"])
                                     for _ in range(LIMIT))},
        "pasted headline twice": {"q": _fill((headline + " " + headline).split())},
        "filters only (f=), 30 of them": {"q": "", "f": [f"person:{p}" for p in facets["persons"][:10]]
                                          + [f"place:{p}" for p in facets["places"][:10]]
                                          + [f"source:{p}" for p in facets["source"][:10]]},
    }
    return q


def _request(client, params: dict, as_json: bool) -> tuple[float, int, int]:
    """(milliseconds, HTTP status, total) of one request."""
    started = time.perf_counter()
    args = dict(params)
    if as_json:
        args["format"] = "json"
    r = client.get("/search", query_string=args)
    ms = (time.perf_counter() - started) * 1000
    total = r.get_json().get("total", -1) if as_json and r.is_json else -1
    return ms, r.status_code, total


def cmd_queries(args) -> None:
    from web import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(Path(args.index).resolve())})
    client = app.test_client()
    with open_engine(args.index) as s:
        queries = adversarial_queries(s)
    client.get("/search", query_string={"q": "قزقزقز", "format": "json"})  # load the server's caches once
    rows = []
    for name, params in queries.items():
        assert len(params.get("q", "")) <= LIMIT, name
        docsets.clear()
        cold, status, total = _request(client, params, as_json=True)
        warm = [_request(client, params, as_json=True)[0] for _ in range(args.repeat)]
        docsets.clear()
        page = _request(client, params, as_json=False)[0]
        rows.append((max(cold, page), name, len(params.get("q", "")), status, total, cold,
                     statistics.median(warm), page))
    rows.sort(reverse=True)
    print(f"index: {args.index}; {len(rows)} adversarial queries, cold = posting-list cache emptied first\n")
    print("| query | chars | status | total | JSON cold ms | JSON warm ms (median) | page cold ms |")
    print("|---|---|---|---|---|---|---|")
    for _worst, name, chars, status, total, cold, warm, page in rows:
        print(f"| {name} | {chars} | {status} | {total} | {cold:.0f} | {warm:.0f} | {page:.0f} |")
    print(f"\nworst request: {rows[0][0]:.0f} ms ({rows[0][1]})")


_ARTICLE_BUILD = """
import resource, sys, time
from index.builder import build_index
started = time.perf_counter()
summary = build_index([sys.argv[1]], sys.argv[2], progress=False, workers=1)
print(summary.added, summary.skipped, round(time.perf_counter() - started, 1),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def cmd_article(args) -> None:
    rnd = random.Random(3)
    words, length = [], 6  # "عنوان\n"
    while length < MAX_ARTICLE_CHARS:
        w = "".join(rnd.choice(LETTERS) for _ in range(rnd.randint(3, 8)))
        words.append(w + (". " if len(words) % 15 == 14 else " "))
        length += len(words[-1])
    body = "".join(words)[:MAX_ARTICLE_CHARS]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "c").mkdir()
        (Path(tmp) / "c" / "worst.txt").write_text("عنوان\n" + body, encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", _ARTICLE_BUILD, str(Path(tmp) / "c"), str(Path(tmp) / "ix")],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    added, skipped, seconds, peak_mb = out
    print(f"one article of {len(body):,} characters ({len(set(body.split())):,} distinct words): "
          f"indexed {added}, skipped {skipped}, {seconds} s, peak resident memory {peak_mb} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    pq = sub.add_parser("queries", help="adversarial queries through /search")
    pq.add_argument("--index", required=True)
    pq.add_argument("--repeat", type=int, default=3)
    pq.set_defaults(func=cmd_queries)
    pa = sub.add_parser("article", help="index one worst-case article at the size limit")
    pa.set_defaults(func=cmd_article)
    args = ap.parse_args()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    args.func(args)


if __name__ == "__main__":
    main()
