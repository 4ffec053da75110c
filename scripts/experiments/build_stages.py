"""Where a build's CPU goes: each stage of a one-process build over a collection, timed alone.

    python scripts/experiments/build_stages.py --collection <every 15th ANT file>

Reads the collection, then runs each stage over all of its articles before the next, in this
process: entity recognition, story features, Whoosh's ``add_document`` (Akhbar's analysis and
Whoosh's posting pool), and the segment's commit (the pool's merge and the codec), into a
scratch index.  Prints a Markdown table of the CPU seconds of each, a share and an average an
article.  Grouping and the arrays, which a build runs once at the end, are not included.  The
stages run from this checkout's code (run the script from another checkout to time its code).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.entities import extract_entities  # noqa: E402
from index.readers import read_collection  # noqa: E402
from index.stories.features import features  # noqa: E402
from search.engines.whoosh.writer import WhooshWriter  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collection", required=True)
    args = ap.parse_args()
    times: dict[str, float] = {}
    t = time.process_time()
    docs = [d for d in read_collection(args.collection) if isinstance(d, Document)]
    times["reading"] = time.process_time() - t
    t = time.process_time()
    for d in docs:
        found = extract_entities(d.title, d.body)
        d.persons, d.places, d.organizations = found["persons"], found["places"], found["organizations"]
    times["entity recognition"] = time.process_time() - t
    t = time.process_time()
    for d in docs:
        d.story = features(d.title, d.body)
    times["story features"] = time.process_time() - t
    with tempfile.TemporaryDirectory() as tmp:
        ix = WhooshWriter.create(Path(tmp) / "ix")
        with ix.writing() as w:
            t = time.process_time()
            for n, d in enumerate(docs):
                d.seq = n
                w.add(d)
            times["Whoosh add_document (analysis, posting pool)"] = time.process_time() - t
            t = time.process_time()
        times["Whoosh segment commit (merge, codec)"] = time.process_time() - t
    total = sum(times.values())
    print(f"| stage ({len(docs):,} articles, {ROOT.name}) | CPU | an article | share |")
    print("|---|---|---|---|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.1f} s | {seconds / len(docs) * 1000:.2f} ms | {seconds / total:.0%} |")
    print(f"| total | {total:.1f} s | {total / len(docs) * 1000:.2f} ms | |")


if __name__ == "__main__":
    main()
