"""An update's stories: the articles it adds or changes join or start stories; the others stay.

Grouping a whole collection reads every article's features twice and weighs every vector again
(about 20 s on ANT's 31.5k articles, ``scripts/experiments/stories_time.py``).  An update that
adds, changes or deletes at most :data:`UPDATE_SHARE` of the articles instead starts from the
stories folder it replaces: the articles kept keep their stories, duplicate groups, copies and
vectors; the new ones are weighed with the collection's document frequencies, compared for copies with the
articles of their days (MinHash LSH and the copy checks of a full grouping) and placed in date
order by the same rule (``grouping.assign_stories``); then the merge pass runs over all.

Where the result may differ from grouping everything again (``akhbar index --update
--regroup``, or a full build), all of them documented in docs/stories.md:

* the kept articles' vectors keep the weights of their last grouping, and the boilerplate shingles
  are those of the last full grouping;
* an article already grouped does not move: a new article dated before it may join its story,
  but the older article does not follow the newer one into another;
* a story (or duplicate group) whose first article is deleted is named after its next article.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.stories.features import overlap
from index.stories.grouping import (
    ENTITY_WEIGHT,
    LSH_THRESHOLD,
    TOP_TERMS,
    WINDOW_DAYS,
    Article,
    CopyCheck,
    Groups,
    InOrder,
    _copies,
    _repeated,
    _row,
    assign_stories,
    column_term,
    count_lines,
    days_of,
    frequent_lines,
    head_of,
    idf_of,
    merge_stories,
    order_key,
    reference_df,
    without,
)
from index.stories.lsh import candidate_pairs
from search.stories import Ids

#: An update that adds, changes or deletes more than this share of the articles groups them all again.
UPDATE_SHARE = 0.05


class _Previous:
    """What an update's grouping reads of the stories folder it replaces."""

    def __init__(self, folder: Path):
        from scipy.sparse import csr_matrix

        load = lambda name: np.load(folder / name)  # noqa: E731
        self.ids = list(Ids.open(folder))
        self.assigned, self.dup = load("assigned.npy"), load("dup.npy")
        indptr, indices = load("copies.indptr.npy"), load("copies.indices.npy")
        rows = np.repeat(np.arange(len(self.ids)), np.diff(indptr))
        self.copies = [(int(a), int(b)) for a, b in zip(rows.tolist(), indices.tolist()) if b < a]
        self.terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        self.vectors = csr_matrix((load("vec.data.npy"), load("vec.indices.npy"), load("vec.indptr.npy")),
                                  shape=(len(self.ids), max(1, len(self.terms))))
        self.vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        self.df = load("df.npy")
        self.boilerplate = load("boilerplate.npy")
        self.line_counts = Counter({(o, int(h)): int(c) for o, h, c in json.loads((folder / "lines.json").read_text(encoding="utf-8"))})
        self.furniture: set = set()  # (the collection's, new articles counted: extend() sets it)
        if len(self.assigned) != len(self.ids) or len(self.df) != len(self.vocabulary):
            raise ValueError("a stories folder whose arrays disagree")


def extend(previous: Path, articles: Sequence[Article], fresh: set[str]) -> Groups | None:
    """The groups of ``articles`` (every article of the new generation), grouping only ``fresh``
    (the ids added or changed) into the stories of the folder ``previous``; None when it cannot
    (a folder without what it needs, or more than ``UPDATE_SHARE`` changed): group them all."""
    try:
        prev = _Previous(previous)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    heads = _heads_of(articles)
    keys = [order_key(h) for h in heads]
    ids_now = [k[2] for k in keys]
    prev_row = {i: r for r, i in enumerate(prev.ids)}
    new = {i for i in ids_now if i in fresh or i not in prev_row}
    kept = len(ids_now) - len(new)
    if len(new) + (len(prev.ids) - kept) > UPDATE_SHARE * max(len(ids_now), 1):
        return None
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ids = [ids_now[k] for k in order]
    n = len(ids)
    days = days_of(keys, order)
    in_order = InOrder(articles, order)
    old = np.array([-1 if i in new else prev_row[i] for i in ids], dtype=np.int64)  # each row's previous row
    new_rows = np.flatnonzero(old < 0)
    before = frequent_lines(prev.line_counts)
    for r in new_rows.tolist():  # the outlets' page furniture, the new articles' lines counted
        count_lines(prev.line_counts, in_order[r])
    prev.furniture = frequent_lines(prev.line_counts)
    became = prev.furniture - before  # lines the new articles made furniture: the kept articles with one are weighed again
    sources = [heads[k][2] for k in order]
    weigh = old < 0
    for r in (range(n) if became else ()):  # (the kept articles read only when lines became furniture)
        a = in_order[r]
        weigh[r] = weigh[r] or any((a.source, h) in became for h in a.lines.tolist())
    kept_rows = np.flatnonzero(old >= 0)
    now_of_old = np.full(len(prev.ids), -1, dtype=np.int64)
    now_of_old[old[kept_rows]] = kept_rows
    placed = np.full(n, -1, dtype=np.int64)
    placed[kept_rows] = _heads(prev.assigned[old[kept_rows]], kept_rows, now_of_old)
    leader = np.arange(n, dtype=np.int64)
    leader[kept_rows] = _heads(prev.dup[old[kept_rows]], kept_rows, now_of_old)
    pairs = [(int(now_of_old[a]), int(now_of_old[b])) for a, b in prev.copies if now_of_old[a] >= 0 and now_of_old[b] >= 0]
    weigh_rows = np.flatnonzero(weigh)
    X, terms, vocabulary, df = _vectors(prev, old, [in_order[int(r)] for r in weigh_rows], weigh_rows)
    _copies_of_new(in_order, days, sources, prev, new_rows, leader, pairs)
    assigned = assign_stories(days, X, leader.tolist(), sources, placed)
    story = merge_stories(days, X, assigned, sources, terms)  # the whole pass again: merges are not incremental
    return Groups(in_order, ids, leader.tolist(), story, X, terms, sorted(pairs), prev.boilerplate, prev.line_counts,
                  vocabulary, df, assigned, incremental=True)


def _heads_of(articles: Sequence[Article]) -> list[tuple]:
    """Each article's id, time and outlet (``grouping.head_of``): from the file's table when the
    articles are in one, without reading them."""
    heads = getattr(articles, "heads", None)
    return list(heads) if heads is not None else [head_of(a) for a in articles]


def _heads(old_heads: np.ndarray, rows: np.ndarray, now_of_old: np.ndarray) -> np.ndarray:
    """The rows now heading the groups the kept ``rows`` were in (``old_heads``: their heads' previous
    rows): the same article, or if it is gone, the group's first kept article."""
    heads = now_of_old[old_heads]
    first: dict[int, int] = {}
    for r, h in zip(rows.tolist(), old_heads.tolist()):  # rows ascending: the first seen is the first
        first.setdefault(h, r)
    gone = heads < 0
    heads[gone] = [first[h] for h in old_heads[gone].tolist()]
    return heads


def _vectors(prev: _Previous, old: np.ndarray, fresh: list[Article], fresh_rows: np.ndarray):
    """Every row's vector (as stored; the rows ``fresh_rows``, whose articles are ``fresh``, weighed
    as a full grouping would, with the collection's document frequencies and the new articles'), the
    columns' terms (new words' appended), and the vocabulary with its frequencies, new
    articles counted (``old``: each row's previous row, -1 for a new article)."""
    from scipy.sparse import csr_matrix, vstack

    terms = list(prev.terms)
    column = {t: k for k, t in enumerate(terms)}
    rows = [_row(a, prev.furniture) for a in fresh]
    df = Counter(dict(zip(prev.vocabulary, prev.df.tolist())))
    df.update(w for (words, _c, _e), r in zip(rows, fresh_rows.tolist()) if old[r] < 0 for w in set(words))
    ref_n, ref = reference_df()
    documents = len(old) + ref_n

    def weight(term: str) -> float:
        return float(idf_of(df[term] + ref.get(term, 0), documents))

    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    for words, counts, ents in rows:
        cols = np.array([_column(w, column, terms, df) for w in words], dtype=np.int64)
        weights = np.concatenate([1 + np.log(counts.astype(np.float64)), np.full(ents, ENTITY_WEIGHT)])
        terms_only = np.arange(len(cols)) < len(words) - ents
        seen = np.zeros(len(cols), dtype=bool)
        seen[terms_only] = _repeated(cols[terms_only])
        keep = (cols >= 0) & ~seen
        c, at = np.unique(cols[keep], return_inverse=True)
        w = np.bincount(at, weights=weights[keep], minlength=len(c)) * np.array([weight(terms[k]) for k in c.tolist()])
        if len(c) > TOP_TERMS:
            top = np.argsort(-w, kind="stable")[:TOP_TERMS]
            w, c = w[top], c[top]
        data.append((w / (np.sqrt(np.dot(w, w)) or 1.0)).astype(np.float32))
        indices.append(c.astype(np.int32))
    width = max(1, len(terms))
    indptr = np.concatenate([[0], np.cumsum([len(c) for c in indices])]).astype(np.int64)
    fresh_X = csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                          np.concatenate(indices) if indices else np.zeros(0, np.int32), indptr),
                         shape=(len(fresh), width))
    stored = np.ones(len(old), dtype=bool)
    stored[fresh_rows] = False
    kept_X = prev.vectors[old[stored]]
    kept_X = csr_matrix((kept_X.data, kept_X.indices, kept_X.indptr), shape=(kept_X.shape[0], width))
    stacked = vstack([kept_X, fresh_X]).tocsr()
    # rows back in date order: the stored rows in theirs, the weighed ones where they fall
    position = np.empty(len(old), dtype=np.int64)
    position[np.flatnonzero(stored)] = np.arange(kept_X.shape[0])
    position[fresh_rows] = kept_X.shape[0] + np.arange(len(fresh))
    X = stacked[position]
    X.sort_indices()
    vocabulary = list(df)
    return X, terms, vocabulary, np.array([df[t] for t in vocabulary], dtype=np.int32)


def _column(word: str, column: dict[str, int], terms: list[str], df: Counter) -> int:
    """A word's column (-1: none), by the rule of a full grouping (``grouping.column_term``); a term
    no column has yet is given one."""
    target = column_term(word, df.__getitem__)
    if target is None:
        return -1
    if target not in column:
        column[target] = len(terms)
        terms.append(target)
    return column[target]


def _copies_of_new(articles: Sequence[Article], days: np.ndarray, sources: list, prev: _Previous,
                   new_rows: np.ndarray, leader: np.ndarray, pairs: list[tuple[int, int]]) -> None:
    """Copies between a new article and any of its days' (``pairs`` gets them, ``leader`` the new
    articles' duplicate groups), found as a full grouping finds them."""
    if not len(new_rows):
        return
    near = np.zeros(len(days), dtype=bool)
    near[new_rows] = True
    dated = days[new_rows][np.isfinite(days[new_rows])]
    if len(dated) < len(new_rows):  # an undated new article is compared with every article
        near[:] = True
    elif len(dated):
        near |= (days >= dated.min() - WINDOW_DAYS) & (days <= dated.max() + WINDOW_DAYS)
    rows = np.flatnonzero(near)
    local = {int(r): k for k, r in enumerate(rows.tolist())}
    chosen = [articles[int(r)] for r in rows]
    shingles = [without(a.shingles, prev.boilerplate) for a in chosen]
    check = CopyCheck(chosen, days[rows], [sources[int(r)] for r in rows], prev.furniture)
    candidates = candidate_pairs(shingles, LSH_THRESHOLD)
    is_new = np.zeros(len(days), dtype=bool)
    is_new[new_rows] = True
    found: dict[int, list[tuple[float, int]]] = {}
    for a, b in candidates.tolist():  # (local row, earlier local row)
        ra, rb = int(rows[a]), int(rows[b])
        if not (is_new[ra] or is_new[rb]):
            continue
        j, c = overlap(shingles[a], shingles[b])
        if _copies(j, c) and check(a, b):
            pairs.append((ra, rb))
            found.setdefault(ra, []).append((c, rb))
    for r in new_rows.tolist():  # in date order: an earlier new copy's group is known first
        if r in found and r in local:
            leader[r] = leader[max(found[r])[1]]


__all__ = ["UPDATE_SHARE", "extend"]
