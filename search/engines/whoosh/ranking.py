"""BM25F ranking with numpy: Whoosh's scores, computed a whole posting list at a time.

Whoosh scores a query by walking a tree of matchers document by document in
Python: a long query of common words (a pasted paragraph, 32 words in three
fields) took 17 s on ANT, two-word phrases of common words 28 s.  Here each
term's posting list (document numbers and term frequencies, read block by block
and cached like ``docsets``) is scored in one vector operation with Whoosh's own
statistics (``searcher.idf``, ``avg_field_length``, the stored field lengths) and
BM25 formula, and the query tree is combined on dense arrays:

* ``Term``: ``idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avgfl))``, times its boost;
* ``Or``: the sum of the scores of the parts a document matches; ``And``: the sum,
  where every part matches; either times its boost;
* ``AndNot``: the scores of the first part where the second does not match;
* ``Phrase``: where the phrase occurs (``docsets``), the sum of its words' term
  scores, times its boost (Whoosh's span matcher scores the words it wraps).

tests/test_ranking.py checks scores and order against Whoosh's own search.
"""
from __future__ import annotations

import numpy as np
from whoosh import query as Q

from search.engines.base import OLDEST
from search.engines.whoosh.arrays import NO_DATE
from search.engines.whoosh.docsets import _docs, postings
from search.engines.whoosh.tables import dates, field_lengths, ties

_FLOAT = np.float64


class Scorer:
    """Scores of every document for query trees, on one searcher (one generation)."""

    def __init__(self, searcher, gen: tuple):
        self.searcher, self.gen = searcher, gen
        self.n = searcher.reader().doc_count_all()
        w = searcher.weighting
        self.k1, self.b = w.K1, w.B

    def term(self, fieldname: str, text, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) of one term."""
        mask, scores = np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=_FLOAT)
        ids, tf = postings(self.searcher, self.gen, fieldname, text)
        if len(ids):
            tf = np.asarray(tf, dtype=_FLOAT)  # the arrays keep Whoosh's float32 weights
            s = self.searcher
            idf = s.idf(fieldname, text)
            avgfl = s.avg_field_length(fieldname) or 1
            fl = field_lengths(s, fieldname)[ids]
            mask[ids] = True
            scores[ids] = idf * ((tf * (self.k1 + 1)) / (tf + self.k1 * ((1 - self.b) + self.b * fl / avgfl))) * boost
        return mask, scores

    def score(self, q) -> tuple[np.ndarray, np.ndarray]:
        """(mask of matching documents, their scores) of query ``q``."""
        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, Q.Or | Q.And) and q.subqueries:
            parts = [self.score(sub) for sub in q.subqueries]
            mask = parts[0][0].copy()
            for m, _s in parts[1:]:
                mask = (mask | m) if isinstance(q, Q.Or) else (mask & m)
            scores = np.zeros(self.n, dtype=_FLOAT)
            for _m, s in parts:
                scores += s  # zero where a part does not match
            return mask, np.where(mask, scores * q.boost, 0.0)
        if isinstance(q, Q.AndNot):
            mask, scores = self.score(q.a)
            excluded = np.zeros(self.n, dtype=bool)
            excluded[_docs(self.searcher, self.gen, q.b)] = True
            mask = mask & ~excluded
            return mask, np.where(mask, scores, 0.0)
        if isinstance(q, Q.Phrase):
            mask = np.zeros(self.n, dtype=bool)
            mask[_docs(self.searcher, self.gen, q)] = True
            scores = np.zeros(self.n, dtype=_FLOAT)
            for word in q.words:
                scores += self.term(q.fieldname, word)[1]
            return mask, np.where(mask, scores * q.boost, 0.0)
        # anything else (Every, date ranges, NullQuery): its matches, all scored alike
        mask = np.zeros(self.n, dtype=bool)
        mask[_docs(self.searcher, self.gen, q)] = True
        return mask, np.where(mask, float(q.boost) if hasattr(q, "boost") else 1.0, 0.0)


def order(searcher, gen: tuple, scoring_q, allowed: np.ndarray,
          by_date: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """(document numbers, their scores) of ``allowed`` (sorted document numbers), best score
    first, or newest first with ``by_date`` (no scores); ties in the order the articles were
    read (:func:`tables.ties`)."""
    tie = ties(searcher)[allowed]
    if by_date:
        keys = dates(searcher)[allowed]
        if by_date == OLDEST:  # undated (NO_DATE, the smallest key) last
            keys = np.where(keys == NO_DATE, np.iinfo(np.int64).max, keys)
            return allowed[np.lexsort((tie, keys))], None
        return allowed[np.lexsort((tie, -keys))], None
    _mask, scores = Scorer(searcher, gen).score(scoring_q)
    s = scores[allowed]
    ranks = np.lexsort((tie, -s))
    return allowed[ranks], s[ranks]


def top(searcher, gen: tuple, scoring_q, allowed: np.ndarray, first: int, count: int,
        by_date: bool = False) -> list[tuple[int, float | None]]:
    """(document number, score) of ranks ``first`` .. ``first + count`` of :func:`order`."""
    if len(allowed) == 0 or first >= len(allowed):
        return []
    docs, scores = order(searcher, gen, scoring_q, allowed, by_date)
    docs = docs[first:first + count]
    if scores is None:
        return [(int(d), None) for d in docs]
    return [(int(d), float(x)) for d, x in zip(docs, scores[first:first + count])]
