"""The ``akhbar`` command: index, search, serve.

    akhbar index  [--collection PATH ...] [--index DIR] [--update] [--workers N]
    akhbar search "QUERY" [--index DIR] [--json] [--page N] [--sort relevance|date|oldest] [--latin on|off] [--variants on|off]
    akhbar serve  [--index DIR] [--host 127.0.0.1] [--port 8000] [--threads 2] [--processes 1]
    akhbar eval   --corpus PATH [--corpus PATH ...] --queries Q.jsonl --qrels QRELS.tsv [--no-title] [--run OUT.trec]
    (index, search, serve and eval take --engine opensearch --url URL [--index-name NAME] for a cluster;
     index also --shards N --replicas N, and --part K/N --build-id ID then --publish ID across machines)
    akhbar eval-ner --gold FILE [--split test|all]
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


def default_index() -> str:
    from search.engines.settings import default

    return default("index_dir")


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """--engine, --url, --index-name: which engine serves (defaults from the environment)."""
    from search.engines.settings import KINDS, default

    p.add_argument("--engine", choices=KINDS, default=default("engine"),
                   help="whoosh: the embedded index in --index (default); opensearch: a cluster (AKHBAR_ENGINE)")
    p.add_argument("--url", default=default("url"),
                   help="with --engine opensearch: the cluster, e.g. https://user:password@host:9200 "
                        "(AKHBAR_OPENSEARCH_URL; default %(default)s)")
    p.add_argument("--index-name", default=default("index_name"),
                   help="with --engine opensearch: the index (an alias) on the cluster (AKHBAR_OPENSEARCH_INDEX; "
                        "default %(default)s)")


def settings_from_args(args, index_dir: str | os.PathLike | None = None):
    """The :class:`~search.engines.settings.StoreSettings` the command-line arguments name
    (``index_dir``: instead of ``--index``)."""
    from search.engines.settings import StoreSettings

    given = {"engine": getattr(args, "engine", None), "url": getattr(args, "url", None),
             "index_name": getattr(args, "index_name", None)}
    return StoreSettings(index_dir=str(index_dir or args.index), **{k: v for k, v in given.items() if v is not None})


def open_from_args(args):
    """The engine the command-line arguments name."""
    from search.engines import open_engine

    return open_engine(settings_from_args(args))


def _part(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("a part is K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError("a part K/N needs 1 <= K <= N")
    return k, n


def cmd_index(args) -> int:
    from index.store import BuildOptions, open_store

    store = open_store(settings_from_args(args))
    if args.publish:
        served = store.publish(args.publish, replicas=args.replicas)
        print(f"serving {served} as {store.settings.where()}")
        return 0
    collections = args.collection or [str(SAMPLE_COLLECTION)]
    report = lambda p: print(f"{'skipped' if p.skipped else 'warning'} {p}", file=sys.stderr)  # noqa: E731
    options = BuildOptions(update=args.update, regroup=args.regroup, progress=False if args.no_progress else None, on_problem=report,
                           workers=args.workers, follow_links=args.follow_links, metadata=args.metadata,
                           shards=args.shards, replicas=args.replicas, part=args.part, build_id=args.build_id)
    summary = store.build(collections, options)
    print(summary.line())
    if args.part is not None:
        print(f"part {args.part[0]}/{args.part[1]} loaded into build {args.build_id}; when every part is in: "
              f"akhbar index --engine opensearch --publish {args.build_id}")
    return 0


def cmd_search(args) -> int:
    from search.searching import each_result, every_word_note, latin_note, search, variants_note

    if not args.query.strip():
        print("error: empty query: give words to search (the web answers 400 likewise)", file=sys.stderr)
        return 2
    latin, variants = args.latin == "on", args.variants == "on"
    if args.all:
        from web.export import chunks

        with open_from_args(args) as engine:
            total, warnings, results = each_result(engine, args.query, args.sort, latin=latin, match=args.match,
                                                   variants=variants)
            for w in warnings:
                print(f"note: {w}", file=sys.stderr)
            for chunk in chunks(args.format, results):
                sys.stdout.write(chunk)
        print(f"{total} articles exported", file=sys.stderr)
        return 0
    with open_from_args(args) as engine:
        res = search(engine, args.query, page=args.page, page_size=args.page_size, sort=args.sort,
                     facets=args.json, latin=latin, match=args.match, variants=variants)
    if res["page"] > max(res["pages"], 1):  # as the web's 404
        print(f"error: page {res['page']} is past the last page of results ({res['pages']}; "
              f"{res['total']} results)", file=sys.stderr)
        return 1
    if args.json:
        keys = ("id", "title", "source", "date", "time", "score", "snippet_html", "persons", "places", "organizations")
        res["results"] = [{k: r[k] for k in keys} for r in res["results"]]
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    notes = [latin_note(res["latin"])] if res["latin"] else []
    notes += [variants_note(res["variants"])] if res["variants"] else []
    notes += [every_word_note(res["total"], res["broader_total"])] if res["broader_total"] else []
    for w in notes + res["warnings"]:
        print(f"note: {w}", file=sys.stderr)
    print(f"{res['total']} results for {args.query!r} (page {res['page']}, {res['took_ms']} ms)")
    first = (res["page"] - 1) * res["page_size"]
    for n, r in enumerate(res["results"], first + 1):
        when = f"{r['date']} {r['time']} UTC" if r["time"] else r["date"]
        meta = " | ".join(x for x in (r["source"], when) if x)
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


def cmd_eval(args) -> int:
    """Build an index of the corpora with the real pipeline, run every query through search()."""
    import tempfile

    from index.store import BuildOptions, open_store
    from search.metrics import evaluate_run, read_qrels, write_run
    from search.searching import search

    progress = not args.quiet and sys.stderr.isatty()
    first_of: dict[str, str] = {}  # a republished copy's id -> the id it is indexed under
    with tempfile.TemporaryDirectory(prefix="akhbar-eval-") as tmp:
        store = open_store(settings_from_args(args, args.index or Path(tmp) / "index"))
        if not (args.reuse and store.exists()):
            summary = store.build(args.corpus, BuildOptions(progress=progress, titles=not args.no_title,
                                                            stemmer=args.stemmer, replicas=args.replicas))
            print(summary.line(), file=sys.stderr)
            first_of = {r.id: r.first for r in summary.republished}
        with open(args.queries, encoding="utf-8") as fh:
            queries = [json.loads(line) for line in fh if line.strip()]
        run: dict[str, list[tuple[str, float]]] = {}
        with store.engine() as engine:
            stories = engine.stories()
            # a judged article that republishes another (index.republished) is indexed, once, under the first id
            kept = lambda d: first_of.get(d) or (stories.republished_as(d) if stories is not None else None) or d  # noqa: E731
            qrels = {q: {kept(d) for d in docs} for q, docs in read_qrels(args.qrels).items()}
            for q in queries:
                res = search(engine, q["text"], page_size=100, facets=False, snippets=False)
                run[str(q["id"])] = [(r["id"], r["score"] or 0.0) for r in res["results"]]
    if args.run:
        write_run(args.run, run)
    scores = evaluate_run({q: [d for d, _ in hits] for q, hits in run.items()}, qrels)
    print(json.dumps(scores))
    return 0


def cmd_eval_ner(args) -> int:
    from index.bio import error_counts, read_bio, score, split_point
    from index.ner import recognize

    data = read_bio(args.gold)
    if data.problems:
        shown = "; ".join(data.problems[:3])
        print(f"{args.gold}: {len(data.problems)} malformed lines ({shown}; ...)", file=sys.stderr)
    start = split_point(data.tokens, 5 / 6) if args.split == "test" else 0
    tokens, gold = data.tokens[start:], data.tags[start:]
    predicted = recognize(tokens)
    result = {"split": args.split, "tokens": len(tokens), **score(gold, predicted),
              "errors": error_counts(gold, predicted)}
    print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_eval_stories(args) -> int:
    """Duplicate and same-story figures of an index's stories on labelled article pairs."""
    with open_from_args(args) as engine:
        return _eval_stories(args, engine.stories(), settings_from_args(args).where())


def _eval_stories(args, stories, where: str) -> int:
    from collections import Counter

    from index.stories.evaluate import pair_set, read_pairs, score

    if stories is None:
        print(f"{where}: no stories (an index built before them, a cluster's built in parts, or none): rebuild it",
              file=sys.stderr)
        return 2
    pairs = read_pairs(args.pairs)
    dup = {i: stories.duplicate_of(i) for i in stories.ids}
    story = {i: stories.story_of(i) for i in stories.ids}
    sizes = Counter(story.values())
    # a republished copy's id (index.republished) is scored as the article it republishes
    story.update((i, stories.story_of(i)) for p in pairs for i in (p["id_a"], p["id_b"]) if stories.republished_as(i))
    result = score(pairs, stories.is_copy, story)
    if result.pairs == 0:
        print(f"{where}: none of the pairs' articles is in this index (they are ANT articles: "
              "index ../shared/corpus/ant-multisource-v2.1.tar.gz)", file=sys.stderr)
        return 2
    # each set of pairs alone too (index.stories.evaluate.pair_set)
    names = sorted({pair_set(p["pair"]) for p in pairs})
    by_set = {name: score([p for p in pairs if pair_set(p["pair"]) == name], stories.is_copy, story).as_dict()
              for name in names} if len(names) > 1 else {}
    out = {**result.as_dict(), "sets": by_set, "articles": len(stories.ids), "stories": len(sizes),
           "stories_of_2_or_more": sum(1 for n in sizes.values() if n > 1), "largest_story": max(sizes.values(), default=0),
           "duplicate_groups_of_2_or_more": len({d for i, d in dup.items() if d != i}),
           "articles_with_copies": sum(1 for i in stories.ids if stories.copies(i))}
    print(json.dumps(out))
    return 0


def cmd_eval_variants(args) -> int:
    """House spellings: recall and precision of each spelling typed alone, look-alikes merged."""
    from index.variants.evaluate import report

    with open_from_args(args) as engine:
        for line in report(engine, Path(args.groups), Path(args.lookalikes), args.misses):
            print(line)
    return 0


def cmd_serve(args) -> int:
    from search.engines import SERVE_THREADS
    from search.engines.settings import STORE_SETTINGS
    from web import create_app
    from web.server import serve_app

    settings = settings_from_args(args, os.path.abspath(args.index))
    threads = args.threads or SERVE_THREADS[settings.engine]
    app = create_app({s.name: getattr(settings, s.field) for s in STORE_SETTINGS})
    print(f"Akhbar: serving {settings.where()} on http://{args.host}:{args.port}/"
          f" ({args.processes} process(es) x {threads} threads)", flush=True)
    return serve_app(app, args.host, args.port, threads=threads, processes=args.processes)


def build_parser() -> argparse.ArgumentParser:
    from search.engines import SERVE_THREADS
    from search.searching import MATCHES, SORTS

    p = argparse.ArgumentParser(prog="akhbar", description="Search engine for Arabic news collections.")
    sub = p.add_subparsers(dest="command", required=True)

    pi = sub.add_parser("index", help="build or update an index from collections")
    pi.add_argument("--collection", action="append", metavar="PATH",
                    help="folder, file or .tar.gz of articles (repeatable; default: the bundled sample)")
    pi.add_argument("--index", default=default_index(), metavar="DIR", help="index location (default: %(default)s)")
    pi.add_argument("--update", action="store_true", help="add new and changed articles, remove deleted ones")
    pi.add_argument("--regroup", action="store_true",
                    help="with --update: group every story and find the house spellings again, as a full build "
                         "does (an update of at most 5%% of the articles groups only those and keeps the spellings)")
    pi.add_argument("--no-progress", action="store_true", help="no progress bar")
    pi.add_argument("--workers", type=int, default=None, metavar="N",
                    help="worker processes recognizing entities and writing the index (default: one per core; 1: none)")
    pi.add_argument("--follow-links", action="store_true",
                    help="read symbolic links that lead out of a collection folder "
                         "(default: they are listed as skipped)")
    pi.add_argument("--metadata", default=None, metavar="FILE",
                    help="a table of the articles' source, date, url, title (CSV or JSON Lines, by file or id; "
                         "default: metadata.csv or metadata.jsonl at the top of a collection folder)")
    add_engine_arguments(pi)
    pi.add_argument("--shards", type=int, default=1, help="with --engine opensearch: primary shards (default 1)")
    pi.add_argument("--replicas", type=int, default=1, help="with --engine opensearch: replicas of each shard (default 1)")
    pi.add_argument("--part", type=_part, metavar="K/N",
                    help="with --engine opensearch: load only part K of N of the collection into --build-id "
                         "(one machine each), then --publish it")
    pi.add_argument("--build-id", metavar="ID", help="with --part: the build the parts load into (same on every machine)")
    pi.add_argument("--publish", metavar="ID", help="with --engine opensearch: serve the build ID that parts loaded")
    pi.set_defaults(func=cmd_index)

    ps = sub.add_parser("search", help="search an index")
    ps.add_argument("query")
    ps.add_argument("--index", default=default_index(), metavar="DIR")
    ps.add_argument("--json", action="store_true", help="print one JSON object")
    ps.add_argument("--page", type=int, default=1)
    ps.add_argument("--page-size", type=int, default=10)
    ps.add_argument("--sort", choices=SORTS, default="relevance",
                    help="relevance (default), date (newest first) or oldest (who reported first)")
    ps.add_argument("--match", choices=MATCHES, default=None,
                    help="date sorts: all (default) lists the articles with every word, any those with any word")
    ps.add_argument("--latin", choices=("on", "off"), default="on",
                    help="on (default): names in Latin letters are searched as the Arabic names they stand for; "
                         "off: as typed")
    ps.add_argument("--variants", choices=("on", "off"), default="on",
                    help="on (default): words are also searched as the other spellings outlets use («ترمب», «ترامب»); "
                         "off: as typed")
    ps.add_argument("--all", action="store_true", help="every match, not one page, as --format to standard output")
    ps.add_argument("--format", choices=("csv", "jsonl"), default="csv",
                    help="with --all: csv (UTF-8 with a BOM, for Excel) or jsonl (default csv)")
    add_engine_arguments(ps)
    ps.set_defaults(func=cmd_search)

    pe = sub.add_parser("eval", help="measure ranking quality on a test collection")
    pe.add_argument("--corpus", action="append", required=True, metavar="PATH",
                    help="collection to index (any format the indexer reads; repeatable)")
    pe.add_argument("--queries", required=True, help="JSON Lines with id and text")
    pe.add_argument("--qrels", required=True, help="TREC qrels: qid 0 docid 1")
    pe.add_argument("--no-title", action="store_true", help="index bodies only (known-item search)")
    pe.add_argument("--run", metavar="OUT.trec", help="also write a TREC run file")
    pe.add_argument("--index", metavar="DIR", help="build the evaluation index here instead of a temporary folder")
    pe.add_argument("--reuse", action="store_true",
                    help="reuse the index already built (--index, or --index-name on a cluster)")
    pe.add_argument("--stemmer", choices=("akhbar", "none", "tashaphyne"), default="akhbar",
                    help="for comparisons only: none = normalization only, tashaphyne = as shipped")
    pe.add_argument("--quiet", action="store_true", help="no progress bar")
    add_engine_arguments(pe)
    pe.set_defaults(index_name=os.environ.get("AKHBAR_EVAL_INDEX", "akhbar-eval"))  # never the served index
    pe.add_argument("--replicas", type=int, default=0, help="with --engine opensearch: replicas (default 0)")
    pe.set_defaults(func=cmd_eval)

    pn = sub.add_parser("eval-ner", help="measure the entity recognizer on a 'token TAG' gold file")
    pn.add_argument("--gold", required=True, help="BIO file, one 'token TAG' per line (ANERcorp, CoNLL)")
    pn.add_argument("--split", choices=("test", "all"), default="test",
                    help="test: the last sixth of the file (ANERcorp's usual split); all: the whole file")
    pn.set_defaults(func=cmd_eval_ner)

    pst = sub.add_parser("eval-stories", help="measure duplicate and story grouping on labelled article pairs")
    pst.add_argument("--index", default="var/ant", help="an index of the collection the pairs come from (ANT)")
    pst.add_argument("--pairs", default=None, help="labelled pairs (default: tests/data/story_pairs.tsv)")
    add_engine_arguments(pst)
    pst.set_defaults(func=cmd_eval_stories)

    from index.variants.evaluate import GROUPS, LOOKALIKES

    pva = sub.add_parser("eval-variants", help="measure house spellings on labelled groups and look-alikes")
    pva.add_argument("--index", default="var/ant", help="an index of the collection the groups come from (ANT)")
    add_engine_arguments(pva)
    pva.add_argument("--groups", default=str(GROUPS), help="spelling groups (default: tests/data/variant_groups.tsv)")
    pva.add_argument("--lookalikes", default=str(LOOKALIKES),
                     help="look-alike pairs (default: tests/data/variant_lookalikes.tsv)")
    pva.add_argument("--misses", action="store_true", help="list every search below 0.97 recall or precision")
    pva.set_defaults(func=cmd_eval_variants)

    pv = sub.add_parser("serve", help="serve the search page and API (waitress)")
    pv.add_argument("--index", default=default_index(), metavar="DIR")
    pv.add_argument("--host", default="127.0.0.1")
    pv.add_argument("--port", type=int, default=8000)
    pv.add_argument("--threads", type=int, default=None,
                    help=f"threads per process (default: {SERVE_THREADS['whoosh']} with the embedded index, whose searches "
                         f"hold Python's lock; {SERVE_THREADS['opensearch']} with a cluster, whose searches wait on it)")
    pv.add_argument("--processes", type=int, default=1,
                    help="server processes sharing the port (one per core to use them all; each holds its caches)")
    add_engine_arguments(pv)
    pv.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "page", 1) < 1:
        print("error: --page must be 1 or more", file=sys.stderr)
        return 2
    if getattr(args, "part", None) and not args.build_id:
        parser.error("--part needs --build-id (the same on every machine loading a part)")
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
