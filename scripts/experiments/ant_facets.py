"""Measurement (not part of the product): the entity facets of a sample of a collection.

    python scripts/experiments/ant_facets.py --collection ../shared/corpus/ant-multisource-v2.1.tar.gz \\
        --every 10 --out /tmp/facets-now.json

Runs :func:`index.entities.extract_entities` over every ``--every``-th article and
writes, per facet field, each value with the number of articles it names, commonest
first (equals by name, so that two runs compare byte for byte).  Run it on two checkouts and compare the files to see what a change to the
recognizer does to the facets a reader sees (30 s for every tenth ANT article).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from index.documents import Document  # noqa: E402
from index.entities import extract_entities  # noqa: E402
from index.readers import read_collection  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--collection", required=True)
    ap.add_argument("--every", type=int, default=10, help="take every N-th article [10]")
    ap.add_argument("--out", required=True, help="JSON file to write")
    args = ap.parse_args()
    counts: dict[str, Counter] = {}
    articles = [item for item in read_collection(args.collection) if isinstance(item, Document)]
    for article in articles[args.every - 1::args.every]:
        for field, names in extract_entities(article.title, article.body).items():
            counts.setdefault(field, Counter()).update(set(names))
    Path(args.out).write_text(json.dumps({f: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for f, c in counts.items()},
                                           ensure_ascii=False),
                              encoding="utf-8")
    print(f"{len(articles[args.every - 1::args.every])} articles -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
