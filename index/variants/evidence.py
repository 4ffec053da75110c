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

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

#: Places left and right of a word whose words are its neighbours.
WINDOW = 2
#: Words of text read at a time (:class:`Neighbours`).
CHUNK = 2_000_000
#: Above any article number and any word number (keys of two numbers in one int64).
DOCS = WIDTH = 1 << 31
#: Dimensions the articles' tf-idf vectors are projected to (:class:`Subjects`).
DIMENSIONS = 256


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
    PPMI vectors, and the articles each word stands in (:attr:`docs`, ascending).  ``pairs``:
    two-word spellings («عبد العزيز») read as one word where they stand together.

    The words are numbered as they are read and the neighbours found with numpy, CHUNK words
    of text at a time (bounded memory at any collection size)."""

    def __init__(self, words: Iterable[str], texts: Iterable[tuple[int, list[str]]],
                 pairs: Iterable[tuple[str, str]] = ()):
        pairs = set(pairs)
        self.row = {w: i for i, w in enumerate(sorted(set(words) | {f"{x} {y}" for x, y in pairs}))}
        self._number: dict[str, int] = {}
        self._rows: list[int] = []  # word number -> its row (-1: not looked at)
        self._pairs = pairs
        self._pair_rows: dict[int, int] = {}  # first * WIDTH + second (word numbers) -> row
        found: list[tuple[np.ndarray, np.ndarray]] = []  # (row, column) of each neighbour
        seen: list[np.ndarray] = []  # row * DOCS + article of each word read
        frequency = np.zeros(0, dtype=np.int64)
        ids: list[int] = []
        doc_of: list[np.ndarray] = []
        for doc, tokens in texts:
            ids.extend(map(self._word_number, tokens))
            doc_of.append(np.full(len(tokens), doc, dtype=np.int64))
            if len(ids) >= CHUNK:
                frequency = self._read(np.asarray(ids, dtype=np.int64), np.concatenate(doc_of), found, seen, frequency)
                ids, doc_of = [], []
        if ids:
            frequency = self._read(np.asarray(ids, dtype=np.int64), np.concatenate(doc_of), found, seen, frequency)
        width = len(self._number) + 1
        rows = np.concatenate([r for r, _c in found]) if found else np.zeros(0, dtype=np.int64)
        cols = np.concatenate([c for _r, c in found]) if found else np.zeros(0, dtype=np.int64)
        counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(self.row), 3 * width))
        counts.sum_duplicates()
        total = max(int(frequency.sum()), 1)
        chance = np.repeat(np.append(frequency, 0) / total, 3)  # a column's word: column // 3
        chance[chance == 0] = 1.0
        vectors = _ppmi(counts, chance)
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        self.unit = (sp.diags(1 / np.maximum(norms, 1e-12)) @ vectors).tocsr()
        names = sorted(self.row, key=self.row.get)
        keys = np.unique(np.concatenate(seen)) if seen else np.zeros(0, dtype=np.int64)
        rows_of, docs_of = keys // DOCS, keys % DOCS
        bounds = np.searchsorted(rows_of, np.arange(len(names) + 1))
        self.docs = {names[r]: docs_of[bounds[r]:bounds[r + 1]] for r in range(len(names)) if bounds[r + 1] > bounds[r]}

    def _word_number(self, word: str) -> int:
        n = self._number.get(word)
        if n is None:
            n = self._number[word] = len(self._number)
            self._rows.append(self.row.get(word, -1))
        return n

    def _read(self, ids: np.ndarray, doc: np.ndarray, found: list, seen: list, frequency: np.ndarray) -> np.ndarray:
        """The neighbours of the looked-at words in one chunk of text; returns the words' counts so far."""
        width = WIDTH
        if self._pairs and not self._pair_rows:
            self._pair_rows = {self._word_number(x) * width + self._word_number(y): self.row[f"{x} {y}"]
                               for x, y in self._pairs}
        rows_of = np.asarray(self._rows, dtype=np.int64)
        n = len(ids)
        frequency = np.bincount(ids, minlength=len(rows_of)) + np.pad(frequency, (0, len(rows_of) - len(frequency)))
        units = [(np.flatnonzero(rows_of[ids] >= 0), None)]  # (where a word stands, the pair's rows)
        if self._pair_rows:
            follow = np.append(ids[1:], -1)
            joined = ids * width + follow
            keys = np.fromiter(self._pair_rows, dtype=np.int64)
            at = np.flatnonzero(np.isin(joined, keys) & (np.append(doc[1:], -1) == doc))
            units.append((at, np.array([self._pair_rows[int(k)] for k in joined[at]], dtype=np.int64)))
        for at, pair_rows in units:
            if not len(at):
                continue
            row = rows_of[ids[at]] if pair_rows is None else pair_rows
            last = at if pair_rows is None else at + 1  # a pair's right neighbours follow its second word
            seen.append(row * DOCS + doc[at])
            for side in (-2, -1, 1, 2):
                where = (at + side) if side < 0 else (last + side)
                ok = (where >= 0) & (where < n)
                ok[ok] &= doc[where[ok]] == doc[at[ok]]
                kind = 0 if abs(side) == 2 else (1 if side < 0 else 2)  # farther words pooled; next words by side
                found.append((row[ok], ids[where[ok]] * 3 + kind))
        return frequency

    def similarities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The cosine of each pair's neighbours (0 for a word never seen), all at once."""
        if not pairs:
            return np.zeros(0)
        a = np.array([self.row[x] for x, _y in pairs])
        b = np.array([self.row[y] for _x, y in pairs])
        return np.asarray(self.unit[a].multiply(self.unit[b]).sum(axis=1)).ravel()


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


class Subjects:
    """What the articles of a word are about: the mean of their tf-idf vectors (``vectors``,
    unit rows, scipy CSR), less the collection's mean, compared by cosine without the columns of
    the two words compared (``column``).  The vectors are projected to DIMENSIONS dimensions
    first (a seeded random projection keeps cosines: the same collection gives the same groups)."""

    def __init__(self, vectors, column):
        rng = np.random.default_rng(0)
        self.column = column
        self.by_column = vectors.tocsc()
        self.projection = (rng.standard_normal((vectors.shape[1], DIMENSIONS)) / np.sqrt(DIMENSIONS)).astype(np.float32)
        self.projected = np.asarray(vectors @ self.projection, dtype=np.float32)
        self.mean = self.projected.mean(axis=0) if len(self.projected) else np.zeros(DIMENSIONS, np.float32)
        self._centroids: dict[str, np.ndarray] = {}

    def _centroid(self, word: str, docs: np.ndarray) -> np.ndarray:
        found = self._centroids.get(word)
        if found is None:
            found = self._centroids[word] = self.projected[docs].mean(axis=0) - self.mean
        return found

    def _weight(self, docs: np.ndarray, col: int) -> float:
        """The mean value of column ``col`` over ``docs``."""
        lo, hi = self.by_column.indptr[col], self.by_column.indptr[col + 1]
        rows, values = self.by_column.indices[lo:hi], self.by_column.data[lo:hi]
        return float(values[np.isin(rows, docs, assume_unique=True)].sum()) / len(docs)

    def similarity(self, a: str, docs_a: np.ndarray, b: str, docs_b: np.ndarray) -> float:
        va, vb = self._centroid(a, docs_a).copy(), self._centroid(b, docs_b).copy()
        for col in (self.column(a), self.column(b)):
            if col is not None:  # the words themselves are not their own subject
                va -= self._weight(docs_a, col) * self.projection[col]
                vb -= self._weight(docs_b, col) * self.projection[col]
        norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
        return float(va @ vb) / norm if norm else 0.0
