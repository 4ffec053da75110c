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

    python scripts/sample_story_pairs.py --from-index DIR [--per-kind 50] [--seed 33] [--reading DIR]

draws instead from what a build grouped (the ANT index at DIR, built by the current code),
reproducibly, pairs of five kinds, each named by its pair id's prefix: ``q-big`` two members
of one of the 30 largest stories at least 2 days apart; ``q-long`` two members of a story whose
members span 3 days or more, at least 3 days apart; ``q-outlet`` two articles of one outlet
the build put in one story, or of one outlet with a tf-idf cosine of at least 0.5 within 3
days; ``q-split`` two outlets' articles at most a day apart with similar titles (title cosine
0.4 or more) the build did not group; ``q-copy`` pairs the build marks as copies of one
report whose containment is below 0.5 (a shared background paragraph is not a copy).  Pairs
already in ``--out`` are skipped, an article is in at most two new pairs (republished copies,
not indexed, in none), and the new pairs are appended to ``--out`` unlabelled.
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


HEADER = "pair\tid_a\tid_b\tsource_a\tsource_b\tdate_a\tdate_b\tcosine\tjaccard\tcontainment\tlabel\treason\n"
#: --from-index: the largest stories sampled, and the least span of a long-lived one (days).
BIG_STORIES, LONG_DAYS = 30, 3
#: --from-index: least cosine of two same-outlet articles, least title cosine of two outlets' ungrouped
#: articles, highest containment of a copy pair sampled as a possible false copy.
OUTLET_COSINE, TITLE_COSINE, COPY_CONTAINMENT = 0.5, 0.4, 0.5


def close_pairs(X, days: np.ndarray, window: float, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) of rows of ``X`` (articles in date order) dated at most ``window``
    days apart whose cosine is at least ``threshold``: rows i, rows j, cosines."""
    found_i, found_j, found_s = [], [], []
    step = 500
    for lo in range(0, X.shape[0], step):
        hi = min(lo + step, X.shape[0])
        end = int(np.searchsorted(days, days[hi - 1] + window, side="right"))
        sims = (X[lo:hi] @ X[lo:end].T).toarray()
        r, c = np.nonzero(sims >= threshold)
        i, j = lo + r, lo + c
        keep = (j > i) & (days[j] - days[i] <= window)
        found_i.append(i[keep])
        found_j.append(j[keep])
        found_s.append(sims[r[keep], c[keep]])
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)


def write_reading(folder: Path, name: str, rows: list[tuple[str, object, object]], chars: int | None) -> None:
    """A reading file of pairs (pair id, article a, article b), each article's title and body
    (its first ``chars`` characters if given)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", encoding="utf-8") as fh:
        for pid, a, b in rows:
            fh.write(f"\n\n==================== PAIR {pid} ====================\n")
            for tag, d in (("A", a), ("B", b)):
                body = d.body.strip()
                if chars and len(body) > chars:
                    body = body[:chars] + " [...]"
                fh.write(f"\n--- {tag}: {d.id} | {d.source} | {d.date:%Y-%m-%d %H:%M} ---\nTITLE: {d.title}\n{body}\n")


def sample_bins(docs, X, args, rng: random.Random) -> list[tuple[str, int, int, float]]:
    """Cross-outlet pairs at most ``--days`` apart, ``--per-bin`` at random from each cosine bin."""
    days = np.array([d.date.timestamp() / 86400 for d in docs])
    sources = np.array([d.source for d in docs])
    pi, pj, ps = close_pairs(X, days, args.days, BINS[0])
    cross = sources[pi] != sources[pj]
    pi, pj, ps = pi[cross], pj[cross], ps[cross]
    bins = np.searchsorted(BINS, ps, side="right") - 1
    used: Counter = Counter()
    chosen = []
    for b in range(len(BINS) - 1):
        pool_ = [(int(i), int(j), float(s)) for i, j, s in zip(pi[bins == b], pj[bins == b], ps[bins == b])]
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
    return [(f"p{n:03d}", i, j, s) for n, (i, j, s) in enumerate(chosen, 1)]


def sample_index(docs, feats, X, args, rng: random.Random, known: set[frozenset]) -> list[tuple[str, int, int, float]]:
    """Pairs drawn from the stories of the index at ``--from-index`` (see the module's docstring)."""
    from search.engines.whoosh.store import current_dir
    from search.stories import StoryIndex

    stories = StoryIndex.open(current_dir(args.from_index))
    if stories is None:
        sys.exit(f"{args.from_index}: no stories (build the index of {args.ant} first)")
    row = {d.id: n for n, d in enumerate(docs)}
    indexed = {i for i in stories.ids if i in row}  # republished copies are not in stories.ids
    print(f"{len(indexed)} of {len(docs)} dated articles indexed", file=sys.stderr)
    days = np.array([d.date.timestamp() / 86400 for d in docs])
    sources = [d.source for d in docs]
    story = {n: stories.story_of(docs[n].id) if docs[n].id in indexed else None for n in range(len(docs))}
    used: Counter = Counter()
    chosen: list[tuple[str, int, int, float]] = []

    def cos(i: int, j: int) -> float:
        return float(X[i].multiply(X[j]).sum())

    def take(kind: str, candidates, want: int) -> None:
        """Draw up to ``want`` pairs (i, j) from ``candidates`` in their order, skipping known pairs,
        articles not indexed and articles already in two new pairs."""
        took = 0
        for i, j in candidates:
            if took == want:
                break
            i, j = (i, j) if (days[i], docs[i].id) <= (days[j], docs[j].id) else (j, i)
            if (i == j or story[i] is None or story[j] is None or used[i] >= 2 or used[j] >= 2
                    or frozenset((docs[i].id, docs[j].id)) in known):
                continue
            known.add(frozenset((docs[i].id, docs[j].id)))
            used[i] += 1
            used[j] += 1
            took += 1
            chosen.append((f"q-{kind}-{took:03d}", i, j, cos(i, j)))
        print(f"{kind}: {took} pairs", file=sys.stderr)

    def apart(members: list[int], gap: float) -> list[tuple[int, int]]:
        """Random member pairs at least ``gap`` days apart (one member pair per story is tried first)."""
        pairs = [(i, j) for x, i in enumerate(members) for j in members[x + 1:] if abs(days[j] - days[i]) >= gap]
        rng.shuffle(pairs)
        return pairs

    by_story: dict[str, list[int]] = {}
    for n in sorted(story, key=lambda n: (days[n], docs[n].id)):
        if story[n] is not None:
            by_story.setdefault(story[n], []).append(n)
    groups = sorted((m for m in by_story.values() if len(m) > 1), key=lambda m: (-len(m), docs[m[0]].id))
    big, rest = groups[:BIG_STORIES], groups[BIG_STORIES:]
    long_lived = [m for m in rest if days[m[-1]] - days[m[0]] >= LONG_DAYS]
    print(f"{len(groups)} stories of 2 or more, largest {len(groups[0])}; {len(long_lived)} others span "
          f"{LONG_DAYS}+ days", file=sys.stderr)
    per = args.per_kind
    # one pair from each big story first, then a second from each
    firsts = [apart(m, 2) for m in big]
    take("big", [p for k in range(2) for ps in firsts for p in ps[k:k + 1]], per // 2)
    rng.shuffle(long_lived)
    take("long", [p for m in long_lived for p in apart(m, LONG_DAYS)[:1]], per - per // 2)

    same_outlet = [(i, j) for m in groups for x, i in enumerate(m) for j in m[x + 1:] if sources[i] == sources[j]]
    rng.shuffle(same_outlet)
    pi, pj, ps = close_pairs(X, days, args.days, OUTLET_COSINE)
    near = [(int(i), int(j)) for i, j in zip(pi, pj) if sources[i] == sources[j]]
    rng.shuffle(near)
    print(f"same outlet: {len(same_outlet)} pairs in one story, {len(near)} at cosine {OUTLET_COSINE}+", file=sys.stderr)
    outlet = [p for k in range(max(len(same_outlet), len(near))) for p in (same_outlet[k:k + 1] + near[k:k + 1])]
    take("outlet", outlet, per)

    T = vectors([features(d.title, "").terms for d in docs])
    pi, pj, ps = close_pairs(T, days, 1.0, TITLE_COSINE)
    split = [(int(i), int(j)) for i, j in zip(pi, pj)
             if sources[i] != sources[j] and story[i] is not None and story[j] is not None and story[i] != story[j]]
    print(f"split: {len(split)} cross-outlet pairs a day apart at title cosine {TITLE_COSINE}+ not grouped", file=sys.stderr)
    rng.shuffle(split)
    take("split", split, per)

    copies = set()
    for i in sorted(indexed):
        for c in stories.copies(i):
            if c in row:
                a, b = sorted((row[i], row[c]))
                if containment(feats[a][1], feats[b][1]) < COPY_CONTAINMENT:
                    copies.add((a, b))
    copies = sorted(copies)
    print(f"copy: {len(copies)} copy pairs at containment below {COPY_CONTAINMENT}", file=sys.stderr)
    rng.shuffle(copies)
    take("copy", copies, per)
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ant", default=str(ROOT.parent / "shared/corpus/ant-multisource-v2.1.tar.gz"))
    ap.add_argument("--out", default=str(ROOT / "tests/data/story_pairs.tsv"))
    ap.add_argument("--reading", default=None, help="folder for the reading files")
    ap.add_argument("--chunks", type=int, default=3)
    ap.add_argument("--chars", type=int, default=None, help="cut each body in the reading files to this many characters")
    ap.add_argument("--per-bin", type=int, default=36)
    ap.add_argument("--days", type=float, default=3)
    ap.add_argument("--seed", type=int, default=None, help="18 by default; 33 with --from-index")
    ap.add_argument("--from-index", metavar="DIR", default=None,
                    help="draw pairs from the stories of this index of the ANT collection (appended to --out)")
    ap.add_argument("--per-kind", type=int, default=50, help="with --from-index: pairs of each kind (big and long: half each)")
    args = ap.parse_args()

    docs = [d for d in read_collection(args.ant) if isinstance(d, Document) and d.date and d.source]
    docs.sort(key=lambda d: (d.date, d.id))
    with Pool() as pool:
        feats = pool.map(_feat, docs, chunksize=64)
    X = vectors([t for t, _ in feats])
    print(f"{len(docs)} dated articles, {X.shape[1]} terms", file=sys.stderr)
    out = Path(args.out)
    if args.from_index:
        rng = random.Random(33 if args.seed is None else args.seed)
        known = set()
        if out.exists():
            with out.open(encoding="utf-8") as fh:
                known = {frozenset(line.split("\t")[1:3]) for line in list(fh)[1:] if line.strip()}
        chosen = sample_index(docs, feats, X, args, rng, known)
    else:
        rng = random.Random(18 if args.seed is None else args.seed)
        chosen = sample_bins(docs, X, args, rng)
    append = bool(args.from_index) and out.exists()
    with out.open("a" if append else "w", encoding="utf-8") as fh:
        if not append:
            fh.write(HEADER)
        for pid, i, j, s in chosen:
            a, b = docs[i], docs[j]
            sa, sb = feats[i][1], feats[j][1]
            fh.write(f"{pid}\t{a.id}\t{b.id}\t{a.source}\t{b.source}\t{a.date:%Y-%m-%d}\t{b.date:%Y-%m-%d}\t"
                     f"{s:.3f}\t{jaccard(sa, sb):.3f}\t{containment(sa, sb):.3f}\t\t\n")
    print(f"{len(chosen)} pairs -> {out}", file=sys.stderr)
    if args.reading:
        folder = Path(args.reading)
        rows = [(pid, docs[i], docs[j]) for pid, i, j, _s in chosen]
        if args.from_index:
            for kind in dict.fromkeys(pid.rsplit("-", 1)[0] for pid, *_ in chosen):
                write_reading(folder, f"{kind}.md", [r for r in rows if r[0].startswith(kind + "-")], args.chars)
        else:
            size = math.ceil(len(rows) / args.chunks)
            for k in range(args.chunks):
                write_reading(folder, f"chunk{k + 1}.md", rows[k * size:(k + 1) * size], args.chars)


if __name__ == "__main__":
    main()
