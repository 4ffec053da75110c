"""Write the reference document frequencies story detection adds to a collection's own.

    python scripts/build_reference_df.py [--ant ../shared/corpus/ant-multisource-v2.1.tar.gz]

A small collection cannot tell which words are common (with five articles every word is
in one to five of them), so its tf-idf weights say little.  Story detection therefore
counts document frequencies over the collection plus a reference collection: ANT v2.1
(31,523 articles from five outlets, 2018; Apache-2.0, Chouigui et al., AICCSA 2017).
Writes index/stories/reference_df.tsv.gz: a first line ``N<TAB>articles``, then each
stemmed term found in at least ``--min-df`` articles with its count.
"""
from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.readers import read_collection  # noqa: E402
from index.stories.features import features  # noqa: E402
from index.stories.grouping import REFERENCE_DF  # noqa: E402


def _terms(doc: Document) -> list[str]:
    return list(features(doc.title, doc.body).terms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ant", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--min-df", type=int, default=5)
    args = ap.parse_args()
    docs = [d for d in read_collection(args.ant) if isinstance(d, Document)]
    df: Counter = Counter()
    with Pool() as pool:
        for terms in pool.imap_unordered(_terms, docs, chunksize=64):
            df.update(terms)
    lines = [f"N\t{len(docs)}\n"] + [f"{t}\t{n}\n" for t, n in sorted(df.items()) if n >= args.min_df]
    with gzip.open(REFERENCE_DF, "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    print(f"{len(lines) - 1} terms of {len(docs)} articles -> {REFERENCE_DF}", file=sys.stderr)


if __name__ == "__main__":
    main()
