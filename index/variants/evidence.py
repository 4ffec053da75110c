"""What a collection says of two words that may be one word's spellings.

* :func:`outlet_split`: each outlet writes mostly one of them, and outlets differ in which
  (house style: Al Arabiya's «ترمب», the others' «ترامب»);
* :class:`Neighbours`: the words written next to each (one and two places left and right,
  weighted by positive pointwise mutual information) are the same: a spelling stands where
  the other stands («عبر حسابه على إنستغرام», «على إنستجرام»); an Arabic word's derivations
  stand in other places (a verb, its verbal noun, a plural);
* :func:`subjects`: the articles of each are about the same things (the mean of their
  tf-idf vectors, less the collection's mean, the two words themselves left out).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

#: Places left and right of a word whose words are its neighbours.
WINDOW = 2


@dataclass(frozen=True)
class Evidence:
    """What the collection says of a candidate pair (see the module's docstring)."""

    split: float      # one spelling per outlet: 0 (every outlet mixes them alike) .. 1 (each writes one)
    g: float          # how sure the split is (log-likelihood ratio of the outlet-by-spelling table)
    each: bool        # some outlet writes one more, another the other (at least MIN_ARTICLES articles each)
    neighbours: float  # cosine of their neighbours' PPMI vectors
    subjects: float   # cosine of their articles' mean tf-idf vectors, centred


def outlet_split(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """How much outlets keep to one of two spellings (``a``, ``b``: the spellings' article counts
    per outlet): (split, G).  Split is 1 when each outlet writes one spelling only, 0 when every
    outlet mixes them in one proportion: the share of uses an outlet's own spelling accounts for,
    above what the commoner spelling alone accounts for.  G: the log-likelihood ratio of the
    outlet-by-spelling table."""
    na, nb = float(a.sum()), float(b.sum())
    if na == 0 or nb == 0:
        return 0.0, 0.0
    kept = float(np.maximum(a, b).sum()) / (na + nb)
    base = max(na, nb) / (na + nb)
    split = (kept - base) / (1 - base)
    table = np.array([a, b], dtype=float)
    table = table[:, table.sum(0) > 0]
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    nz = table > 0
    return split, 2 * float(np.sum(table[nz] * np.log(table[nz] / expected[nz])))


def prefers_each(a: np.ndarray, b: np.ndarray, least: int) -> bool:
    """Some outlet writes ``a`` more than ``b`` and another ``b`` more than ``a``, in ``least``
    articles or more."""
    return bool(((a > b) & (a >= least)).any() and ((b > a) & (b >= least)).any())


class Neighbours:
    """The neighbours of ``words`` in ``texts`` (``(article number, normalized words)`` each), as
    PPMI vectors.  ``pairs``: two-word spellings («عبد العزيز») read as one word where they
    stand together; the articles each pair stands in are kept (:attr:`docs`)."""

    def __init__(self, words: Iterable[str], texts: Iterable[tuple[int, list[str]]],
                 pairs: Iterable[tuple[str, str]] = ()):
        pairs = set(pairs)
        self.row = {w: i for i, w in enumerate(sorted(set(words) | {f"{x} {y}" for x, y in pairs}))}
        self.docs: dict[str, list[int]] = {}
        firsts = {x for x, _y in pairs}
        columns: dict = {}
        rows: list[int] = []
        cols: list[int] = []
        row = self.row
        frequency: Counter = Counter()  # every word's occurrences: how often a neighbour is by chance
        for doc, tokens in texts:
            frequency.update(tokens)
            n = len(tokens)
            for i, w in enumerate(tokens):
                end = i + 1
                if w in firsts and i + 1 < n and (w, tokens[i + 1]) in pairs:
                    w, end = f"{w} {tokens[i + 1]}", i + 2
                    found = self.docs.setdefault(w, [])
                    if not found or found[-1] != doc:
                        found.append(doc)
                r = row.get(w)
                if r is None:
                    continue
                for j in range(max(0, i - WINDOW), min(n, end + WINDOW)):
                    if i <= j < end:
                        continue
                    side = j - i if j < i else j - end + 1  # -2, -1 | +1, +2
                    key = (side, tokens[j]) if abs(side) == 1 else tokens[j]  # the next words by side
                    c = columns.get(key)
                    if c is None:
                        c = columns[key] = len(columns)
                    rows.append(r)
                    cols.append(c)
        counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(row), max(len(columns), 1)))
        counts.sum_duplicates()
        words_of = [key[1] if isinstance(key, tuple) else key for key in columns]
        total = sum(frequency.values()) or 1
        chance = np.array([frequency[w] / total for w in words_of] or [1.0], dtype=np.float64)
        self.vectors = _ppmi(counts, chance)
        self.norms = np.sqrt(np.asarray(self.vectors.multiply(self.vectors).sum(axis=1)).ravel())

    def similarity(self, a: str, b: str) -> float:
        i, j = self.row.get(a), self.row.get(b)
        if i is None or j is None or not self.norms[i] or not self.norms[j]:
            return 0.0
        return float(self.vectors[i].multiply(self.vectors[j]).sum()) / float(self.norms[i] * self.norms[j])


def _ppmi(counts: sp.csr_matrix, chance: np.ndarray) -> sp.csr_matrix:
    """Positive PMI of each (word, neighbour) count: against the word's neighbours in all
    (the row's sum) and the neighbour's share of the collection's words (``chance``)."""
    if not counts.nnz:
        return counts
    rows = np.asarray(counts.sum(axis=1)).ravel()
    c = counts.tocoo()
    pmi = np.log(c.data / (rows[c.row] * chance[c.col]))
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep].astype(np.float32), (c.row[keep], c.col[keep])), shape=counts.shape)


def subjects(vectors, docs_a: np.ndarray, docs_b: np.ndarray, mean: np.ndarray, leave_out: list[int]) -> float:
    """Cosine of the mean rows of ``vectors`` over ``docs_a`` and over ``docs_b``, less ``mean``,
    without the columns ``leave_out``."""
    va = np.asarray(vectors[docs_a].mean(axis=0)).ravel() - mean
    vb = np.asarray(vectors[docs_b].mean(axis=0)).ravel() - mean
    va[leave_out] = 0.0
    vb[leave_out] = 0.0
    norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb) / norm if norm else 0.0
