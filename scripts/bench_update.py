"""What an update costs: new article files dropped beside a collection, then ``akhbar index --update``.

    python scripts/bench_update.py --index var/antF --collection ANT_FOLDER [--new 100] [--work DIR] [--regroup]
    python scripts/bench_update.py --engine opensearch --url URL --index-name NAME --collection ANT_FOLDER

``--index`` (or the cluster index ``--index-name``) must be built from ``--collection`` (a folder of
article files, such as ANT extracted).  Three updates, each timed step by step (``BuildSummary.steps``): ``--new`` new
article files (copies of the collection's latest files under new ids and addresses, each with a
first line of its own) in a folder of their own given as a second collection;
the same again (nothing new); and that folder removed (the articles deleted).  The index is left
as it was, in a newer generation.  Figures in docs/performance.md ("What an update costs").
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import BuildOptions, open_store  # noqa: E402
from search.engines.settings import KINDS  # noqa: E402
from web.cli import settings_from_args  # noqa: E402

DOC = re.compile(r"<DOC>.*?</DOC>", re.S)


def latest_files(collection: Path, n: int) -> list[Path]:
    """The ``n`` most recently modified article files of the folder (a collection's newest, as a
    scraper adds them)."""
    files = [p for p in collection.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".md"]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, str(p)))[-n:]


def new_articles(collection: Path, folder: Path, n: int) -> int:
    """Write ``n`` new TREC articles into ``folder``: copies of the collection's files under a new
    DOCNO and URL, each with a sentence of its own (an updated version of a report)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = 0
    for k, path in enumerate(latest_files(collection, n)):
        text = path.read_text(encoding="utf-8")
        doc = DOC.search(text)
        if doc is None:
            continue
        body = re.sub(r"<DOCNO>\s*(.*?)\s*</DOCNO>", rf"<DOCNO>\1-update{k}</DOCNO>", doc.group(0))
        body = re.sub(r"<URL>\s*(.*?)\s*</URL>", rf"<URL>\1?update={k}</URL>", body)
        body = body.replace("<TEXT>", f"<TEXT>\nتحديث رقم {k} للخبر بعد ساعات من نشره الأول.\n", 1)
        (folder / f"update-{k}.txt").write_text(body, encoding="utf-8")
        made += 1
    return made


def timed(label: str, collections: list[str], store, regroup: bool = False) -> None:
    started = time.perf_counter()
    summary = store.build(collections, BuildOptions(update=True, progress=False, regroup=regroup))
    took = time.perf_counter() - started
    steps = " ".join(f"{k} {v:.1f}" for k, v in summary.steps.items())
    print(f"{label}: {took:.1f} s ({summary.added} added, {summary.deleted} deleted, {summary.unchanged} unchanged); "
          f"steps (s): {steps}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/index", help="the embedded index (default: var/index)")
    ap.add_argument("--engine", choices=KINDS, help="default: the embedded engine")
    ap.add_argument("--url", help="the cluster (--engine opensearch)")
    ap.add_argument("--index-name", help="the cluster's index (--engine opensearch)")
    ap.add_argument("--collection", required=True)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--work", help="where the new files go (default: a temporary folder)")
    ap.add_argument("--regroup", action="store_true", help="each update finds the spellings and groups the stories "
                                                           "again (akhbar index --update --regroup): the update before #34")
    args = ap.parse_args()
    store = open_store(settings_from_args(args))
    work = Path(args.work or tempfile.mkdtemp(prefix="akhbar-update-"))
    new = work / "new"
    made = new_articles(Path(args.collection), new, args.new)
    try:
        timed(f"{made} new files", [args.collection, str(new)], store, args.regroup)
        timed("nothing new", [args.collection, str(new)], store, args.regroup)
    finally:
        shutil.rmtree(new, ignore_errors=True)
    timed(f"{made} files removed", [args.collection], store, args.regroup)


if __name__ == "__main__":
    main()
