"""The ``akhbar`` command: index, search, serve.

    akhbar index  [--collection PATH ...] [--index DIR] [--update]
    akhbar search "QUERY" [--index DIR] [--json] [--page N] [--sort relevance|date]
    akhbar serve  [--index DIR] [--host 127.0.0.1] [--port 8000]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from search.errors import AkhbarError

#: The sample collection bundled with the project.
SAMPLE_COLLECTION = Path(__file__).resolve().parent.parent / "data" / "sample"
DEFAULT_INDEX = "var/index"


def default_index() -> str:
    return os.environ.get("AKHBAR_INDEX", DEFAULT_INDEX)


def cmd_index(args) -> int:
    from index.builder import build_index

    collections = args.collection or [str(SAMPLE_COLLECTION)]
    progress = False if args.no_progress else None
    summary = build_index(collections, args.index, update=args.update, progress=progress,
                          on_problem=lambda p: print(f"skipped {p}", file=sys.stderr))
    print(summary.line())
    return 0


def cmd_search(args) -> int:
    from search.searching import search, weighting
    from search.store import open_index

    ix = open_index(args.index)
    with ix.searcher(weighting=weighting()) as searcher:
        res = search(searcher, args.query, page=args.page, page_size=args.page_size, sort=args.sort,
                     facets=args.json)
    if args.json:
        keys = ("id", "title", "source", "date", "score", "snippet_html", "persons", "places", "organizations")
        res["results"] = [{k: r[k] for k in keys} for r in res["results"]]
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    for w in res["warnings"]:
        print(f"note: {w}", file=sys.stderr)
    print(f"{res['total']} results for {args.query!r} (page {res['page']}, {res['took_ms']} ms)")
    first = (res["page"] - 1) * res["page_size"]
    for n, r in enumerate(res["results"], first + 1):
        meta = " | ".join(x for x in (r["source"], r["date"]) if x)
        score = f" score {r['score']}" if r["score"] is not None else ""
        print(f"\n{n}. {r['title']}  [{r['id']}]{score}" + (f"\n   {meta}" if meta else ""))
        print("   " + _plain(r["snippet_html"]))
    return 0


def _plain(snippet_html: str) -> str:
    """A snippet for the terminal: <mark> as [..], entities unescaped."""
    import html
    import re
    text = re.sub(r"<mark[^>]*>", "[", snippet_html).replace("</mark>", "]")
    return html.unescape(text).replace("\n", " ")


def cmd_serve(args) -> int:
    from waitress import serve

    from web import create_app

    app = create_app({"INDEX_DIR": os.path.abspath(args.index)})
    print(f"Akhbar: serving {os.path.abspath(args.index)} on http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="akhbar")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="akhbar", description="Search engine for Arabic news collections.")
    sub = p.add_subparsers(dest="command", required=True)

    pi = sub.add_parser("index", help="build or update an index from collections")
    pi.add_argument("--collection", action="append", metavar="PATH",
                    help="folder, file or .tar.gz of articles (repeatable; default: the bundled sample)")
    pi.add_argument("--index", default=default_index(), metavar="DIR", help="index location (default: %(default)s)")
    pi.add_argument("--update", action="store_true", help="add new and changed articles, remove deleted ones")
    pi.add_argument("--no-progress", action="store_true", help="no progress bar")
    pi.set_defaults(func=cmd_index)

    ps = sub.add_parser("search", help="search an index")
    ps.add_argument("query")
    ps.add_argument("--index", default=default_index(), metavar="DIR")
    ps.add_argument("--json", action="store_true", help="print one JSON object")
    ps.add_argument("--page", type=int, default=1)
    ps.add_argument("--page-size", type=int, default=10)
    ps.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    ps.set_defaults(func=cmd_search)

    pv = sub.add_parser("serve", help="serve the search page and API (waitress)")
    pv.add_argument("--index", default=default_index(), metavar="DIR")
    pv.add_argument("--host", default="127.0.0.1")
    pv.add_argument("--port", type=int, default=8000)
    pv.add_argument("--threads", type=int, default=8)
    pv.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "page", 1) < 1:
        print("error: --page must be 1 or more", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except AkhbarError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head(1) and closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
