"""Sample cross-outlet ANT article pairs for the stories development set.

    python scripts/sample_story_pairs.py [--ant ../shared/corpus/ant-multisource-v2.1.tar.gz]
        [--out tests/data/story_pairs.tsv] [--per-bin 40] [--days 3] [--seed 18]

Every pair joins articles of two different outlets dated at most ``--days`` days apart.
Similarity is the cosine of their tf-idf vectors over stemmed terms (index.stories.features,
titles counted twice); pairs are drawn at random, ``--per-bin`` from each cosine bin below,
so that easy copies, rewritten reports, the same event told differently, the same topic and
unrelated articles are all represented (drawing at random from all pairs would give almost
only unrelated ones).  An article appears in at most two pairs.  Writes the pairs with their
similarities and an empty ``label`` column, and one reading file per chunk of pairs
(``--reading DIR``) with both articles in full, for judging by reading.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.readers import read_collection  # noqa: E402
from index.stories.features import containment, features, jaccard  # noqa: E402

BINS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _feat(doc):
    f = features(doc.title, doc.body)
    return f.terms, f.shingles


def vectors(term_counts: list[Counter]):
    """L2-normalized tf-idf rows (sublinear tf) as a scipy CSR matrix."""
    from scipy.sparse import csr_matrix

    df: Counter = Counter()
    for c in term_counts:
        df.update(c.keys())
    vocab = {t: i for i, t in enumerate(df)}
    n = len(term_counts)
    idf = {t: math.log((n + 1) / (d + 1)) + 1 for t, d in df.items()}
    rows, cols, vals = [], [], []
    for r, c in enumerate(term_counts):
        w = {t: (1 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        for t, v in w.items():
            rows.append(r)
            cols.append(vocab[t])
            vals.append(v / norm)
    return csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ant", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--out", default=str(ROOT / "tests/data/story_pairs.tsv"))
    ap.add_argument("--reading", default=None, help="folder for the reading files")
    ap.add_argument("--chunks", type=int, default=3)
    ap.add_argument("--per-bin", type=int, default=36)
    ap.add_argument("--days", type=float, default=3)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()

    docs = [d for d in read_collection(args.ant) if isinstance(d, Document) and d.date and d.source]
    docs.sort(key=lambda d: (d.date, d.id))
    with Pool() as pool:
        feats = pool.map(_feat, docs, chunksize=64)
    X = vectors([t for t, _ in feats])
    print(f"{len(docs)} dated articles, {X.shape[1]} terms", file=sys.stderr)
    days = np.array([d.date.timestamp() / 86400 for d in docs])
    sources = np.array([d.source for d in docs])
    window = args.days
    pairs_by_bin: dict[int, list[tuple[int, int, float]]] = {b: [] for b in range(len(BINS) - 1)}
    step = 500
    for lo in range(0, len(docs), step):
        hi = min(lo + step, len(docs))
        end = int(np.searchsorted(days, days[hi - 1] + window, side="right"))
        sims = (X[lo:hi] @ X[lo:end].T).toarray()
        for r in range(hi - lo):
            i = lo + r
            cols = np.nonzero(sims[r] >= BINS[0])[0]
            for c in cols:
                j = lo + c
                if j <= i or sources[i] == sources[j] or days[j] - days[i] > window:
                    continue
                b = int(np.searchsorted(BINS, sims[r, c], side="right")) - 1
                pairs_by_bin[b].append((i, j, float(sims[r, c])))
    rng = random.Random(args.seed)
    used: Counter = Counter()
    chosen = []
    for b, pool_ in pairs_by_bin.items():
        rng.shuffle(pool_)
        took = 0
        for i, j, s in pool_:
            if took == args.per_bin:
                break
            if used[i] >= 2 or used[j] >= 2:
                continue
            used[i] += 1
            used[j] += 1
            chosen.append((i, j, s))
            took += 1
        print(f"cosine [{BINS[b]:.2f}, {BINS[b + 1]:.2f}): {len(pool_)} pairs, {took} drawn", file=sys.stderr)
    rng.shuffle(chosen)
    out = Path(args.out)
    with out.open("w", encoding="utf-8") as fh:
        fh.write("pair\tid_a\tid_b\tsource_a\tsource_b\tdate_a\tdate_b\tcosine\tjaccard\tcontainment\tlabel\n")
        for n, (i, j, s) in enumerate(chosen, 1):
            a, b = docs[i], docs[j]
            sa, sb = feats[i][1], feats[j][1]
            fh.write(f"p{n:03d}\t{a.id}\t{b.id}\t{a.source}\t{b.source}\t{a.date:%Y-%m-%d}\t{b.date:%Y-%m-%d}\t"
                     f"{s:.3f}\t{jaccard(sa, sb):.3f}\t{containment(sa, sb):.3f}\t\n")
    print(f"{len(chosen)} pairs -> {out}", file=sys.stderr)
    if args.reading:
        folder = Path(args.reading)
        folder.mkdir(parents=True, exist_ok=True)
        size = math.ceil(len(chosen) / args.chunks)
        for k in range(args.chunks):
            with (folder / f"chunk{k + 1}.md").open("w", encoding="utf-8") as fh:
                for n, (i, j, _s) in enumerate(chosen[k * size:(k + 1) * size], k * size + 1):
                    fh.write(f"\n\n==================== PAIR p{n:03d} ====================\n")
                    for tag, d in (("A", docs[i]), ("B", docs[j])):
                        fh.write(f"\n--- {tag}: {d.id} | {d.source} | {d.date:%Y-%m-%d %H:%M} ---\n"
                                 f"TITLE: {d.title}\n{d.body.strip()}\n")


if __name__ == "__main__":
    main()
