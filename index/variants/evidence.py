"""What a collection says of two words that may be one word's spellings.

* :func:`outlet_split`: each outlet writes mostly one of them, and outlets differ in which
  (house style: Al Arabiya's «ترمب», the others' «ترامب»);
* :meth:`Contexts.neighbours`: the words written next to each (one and two places left and right,
  weighted by positive pointwise mutual information) are the same: a spelling stands where
  the other stands («عبر حسابه على إنستغرام», «على إنستجرام»); an Arabic word's derivations
  stand in other places (a verb, its verbal noun, a plural);
* :meth:`Contexts.subjects`: the articles of each are about the same things (the mean of their
  tf-idf vectors, less the collection's mean, the two words themselves left out).
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

#: Places left and right of a word whose words are its neighbours.
WINDOW = 2
#: Words of text read at a time (:class:`Contexts`).
CHUNK = 1_000_000
#: Distinct words a collection may have (three neighbour columns each, int32 column numbers).
MAX_WORDS = 1 << 29
#: Above any article number and any word number (keys of two numbers in one int64).
DOCS = WIDTH = 1 << 31
#: Dimensions the articles' tf-idf vectors are projected to, and the random directions words are
#: hashed to (:class:`Contexts`).
DIMENSIONS = 256
BUCKETS = 1 << 16


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


class Contexts:
    """What the collection writes around ``words``, read from ``texts`` (``(article number,
    normalized words)`` each, every article once):

    * their neighbours, one and two places left and right, as PPMI vectors (:meth:`neighbours`);
    * the subjects of their articles: each article's tf-idf vector (``idf``: word -> inverse
      document frequency; words without one do not count), projected to DIMENSIONS dimensions
      (a seeded random projection keeps cosines), and each word's mean article, less the
      collection's mean (:meth:`subjects`);
    * the articles each stands in (:attr:`docs`, ascending).

    ``pairs``: two-word spellings («عبد العزيز») read as one word where they stand together.
    The words are numbered as they are read and everything found with numpy, a chunk of
    CHUNK words of text at a time (bounded memory at any collection size)."""

    def __init__(self, words: Iterable[str], texts: Iterable[tuple[int, list[str]]], idf: dict[str, float],
                 pairs: Iterable[tuple[str, str]] = ()):
        pairs = set(pairs)
        self.row = {w: i for i, w in enumerate(sorted(set(words) | {f"{x} {y}" for x, y in pairs}))}
        self._idf = idf
        self._number: dict[str, int] = {}
        self._rows: list[int] = []  # word number -> its row (-1: not looked at)
        self._weights: list[float] = []  # word number -> its idf
        self._buckets: list[int] = []  # word number -> its row of the projection (a hash of the word)
        self._pairs = pairs
        self._pair_rows: dict[int, int] = {}  # first * WIDTH + second (word numbers) -> row
        # each word's random direction: a row of one seeded matrix, chosen by a hash of the word (the
        # same whatever order the articles are read in, and bounded memory)
        self._projection = (np.random.default_rng(0).standard_normal((BUCKETS, DIMENSIONS))
                            / np.sqrt(DIMENSIONS)).astype(np.float32)
        self._counts = sp.csr_matrix((len(self.row), 3 * MAX_WORDS), dtype=np.float32)  # (row, neighbour) counts
        self._seen: list[np.ndarray] = []  # row * DOCS + article of each word read
        self._sums = np.zeros((len(self.row), DIMENSIONS), dtype=np.float32)  # each row's articles' vectors, summed
        self._total = np.zeros(DIMENSIONS, dtype=np.float64)
        self._articles = 0
        self._frequency = np.zeros(0, dtype=np.int64)
        ids: list[int] = []
        doc_of: list[np.ndarray] = []
        for doc, tokens in texts:
            ids.extend(map(self._word_number, tokens))
            doc_of.append(np.full(len(tokens), doc, dtype=np.int64))
            if len(ids) >= CHUNK:
                self._read(np.asarray(ids, dtype=np.int64), np.concatenate(doc_of))
                ids, doc_of = [], []
        if ids:
            self._read(np.asarray(ids, dtype=np.int64), np.concatenate(doc_of))
        self._finish()

    def _word_number(self, word: str) -> int:
        n = self._number.get(word)
        if n is None:
            n = self._number[word] = len(self._number)
            self._rows.append(self.row.get(word, -1))
            self._weights.append(self._idf.get(word, 0.0))
            self._buckets.append(zlib.crc32(word.encode("utf-8")) % BUCKETS)
        return n

    def _read(self, ids: np.ndarray, doc: np.ndarray) -> None:
        """One chunk of text (whole articles)."""
        if self._pairs and not self._pair_rows:
            self._pair_rows = {self._word_number(x) * WIDTH + self._word_number(y): self.row[f"{x} {y}"]
                               for x, y in self._pairs}
        rows_of = np.asarray(self._rows, dtype=np.int64)
        words = len(rows_of)
        self._frequency = np.bincount(ids, minlength=words) + np.pad(self._frequency, (0, words - len(self._frequency)))
        # the chunk's articles as unit vectors: (1 + log tf) * idf, projected
        articles, local = np.unique(doc, return_inverse=True)
        tf = sp.csr_matrix((np.ones(len(ids), dtype=np.float32), (local, ids)), shape=(len(articles), words))
        tf.sum_duplicates()
        tf.data = (1 + np.log(tf.data)) * np.asarray(self._weights, dtype=np.float32)[tf.indices]
        tf.indices = np.asarray(self._buckets, dtype=tf.indices.dtype)[tf.indices]  # words -> their directions
        tf = sp.csr_matrix((tf.data, tf.indices, tf.indptr), shape=(len(articles), BUCKETS))
        vectors = np.asarray(tf @ self._projection, dtype=np.float64)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        self._total += vectors.sum(axis=0)
        self._articles += len(articles)
        # where the looked-at words stand, and their neighbours
        n = len(ids)
        units = [(np.flatnonzero(rows_of[ids] >= 0), None)]  # (where a word stands, a pair's rows)
        if self._pair_rows:
            joined = ids * WIDTH + np.append(ids[1:], -1)
            keys = np.fromiter(self._pair_rows, dtype=np.int64)
            at = np.flatnonzero(np.isin(joined, keys) & (np.append(doc[1:], -1) == doc))
            units.append((at, np.array([self._pair_rows[int(k)] for k in joined[at]], dtype=np.int64)))
        found_rows, found_cols = [], []
        for at, pair_rows in units:
            if not len(at):
                continue
            row = rows_of[ids[at]] if pair_rows is None else pair_rows
            last = at if pair_rows is None else at + 1  # a pair's right neighbours follow its second word
            keys = np.unique(row * DOCS + doc[at])  # each (row, article) once
            self._seen.append(keys)
            where_row = sp.csr_matrix((np.ones(len(keys)), (keys // DOCS, np.searchsorted(articles, keys % DOCS))),
                                      shape=(len(self.row), len(articles)))
            self._sums += where_row @ vectors
            for side in (-2, -1, 1, 2):
                where = (at + side) if side < 0 else (last + side)
                ok = (where >= 0) & (where < n)
                ok[ok] &= doc[where[ok]] == doc[at[ok]]
                kind = 0 if abs(side) == 2 else (1 if side < 0 else 2)  # farther words pooled; next words by side
                found_rows.append(row[ok])
                found_cols.append(ids[where[ok]] * 3 + kind)
        if found_rows:  # counted a chunk at a time: memory holds the distinct pairs, not every occurrence
            rows, cols = np.concatenate(found_rows), np.concatenate(found_cols)
            chunk = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=self._counts.shape)
            chunk.sum_duplicates()
            self._counts = self._counts + chunk

    def _finish(self) -> None:
        width = len(self._number) + 1  # every column is below 3 * width: the same arrays, a narrower matrix
        counts = sp.csr_matrix((self._counts.data, self._counts.indices, self._counts.indptr), shape=(len(self.row), 3 * width))
        self._counts = None
        total = max(int(self._frequency.sum()), 1)
        chance = np.repeat(np.append(self._frequency, 0) / total, 3)  # a column's word: column // 3
        chance[chance == 0] = 1.0
        vectors = _ppmi(counts, chance)
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        self.unit = (sp.diags(1 / np.maximum(norms, 1e-12)) @ vectors).tocsr()
        names = sorted(self.row, key=self.row.get)
        keys = np.unique(np.concatenate(self._seen)) if self._seen else np.zeros(0, dtype=np.int64)
        self._seen = []
        rows_of, docs_of = keys // DOCS, keys % DOCS
        bounds = np.searchsorted(rows_of, np.arange(len(names) + 1))
        self.docs = {names[r]: docs_of[bounds[r]:bounds[r + 1]] for r in range(len(names)) if bounds[r + 1] > bounds[r]}
        sizes = np.diff(bounds).astype(np.float64)
        self._mean = self._total / max(self._articles, 1)
        self._centroids = (self._sums / np.maximum(sizes, 1)[:, None].astype(np.float32) - self._mean).astype(np.float32)
        self._sums = None

    def neighbours(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The cosine of each pair's neighbours (0 for a word never seen), all at once."""
        if not pairs:
            return np.zeros(0)
        a = np.array([self.row[x] for x, _y in pairs])
        b = np.array([self.row[y] for _x, y in pairs])
        return np.asarray(self.unit[a].multiply(self.unit[b]).sum(axis=1)).ravel()

    def subjects(self, a: str, b: str) -> float:
        """The cosine of the two words' articles' subjects, the two words' own directions left out
        (a spelling is not its own subject)."""
        va, vb = self._centroids[self.row[a]].copy(), self._centroids[self.row[b]].copy()
        for word in {*a.split(), *b.split()}:
            n = self._number.get(word)
            if n is not None:
                d = self._projection[self._buckets[n]]
                d = d / max(float(np.linalg.norm(d)), 1e-12)
                va -= (va @ d) * d
                vb -= (vb @ d) * d
        norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
        return float(va @ vb) / norm if norm else 0.0


def _ppmi(counts: sp.csr_matrix, chance: np.ndarray) -> sp.csr_matrix:
    """Positive PMI of each (word, neighbour) count: against the word's neighbours in all
    (the row's sum) and the neighbour's share of the collection's words (``chance``)."""
    if not counts.nnz:
        return counts
    counts = counts.tocsr()
    sums = np.asarray(counts.sum(axis=1)).ravel()
    row_of = np.repeat(np.arange(counts.shape[0], dtype=np.int32), np.diff(counts.indptr))
    counts.data = np.log(counts.data / (sums[row_of] * chance[counts.indices])).astype(np.float32)
    del row_of
    counts.data[counts.data < 0] = 0
    counts.eliminate_zeros()
    return counts
