"""The set of documents a query matches, as a sorted numpy array, computed once per search.

Whoosh counts the matches of a query (``len(results)``) and lists them again for
facets by walking the whole matcher tree in Python, document by document.  Here
the Boolean structure of Akhbar's queries (terms under Or/And/AndNot) is
evaluated on posting lists with numpy set operations; every other query (phrases,
date ranges, filters) is evaluated by Whoosh once and cached.  Both caches are
keyed by the index generation (its segment ids), so a rebuild or an update is
never answered from stale sets.  The total, the facet counts and the filter of
the ranked search all come from this one array.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import overload

import numpy as np
from whoosh import query as Q

from search.engines.whoosh import tables
from search.engines.whoosh.arrays import generation_key
from search.engines.whoosh.postings import TermPostings, read_term
from search.engines.whoosh.tables import NO_DATE, arrays_of

#: Posting lists and sub-query results kept per process (a news query log repeats its words),
#: at most this many and this many bytes (an attacker cycling through common words cannot
#: make the cache grow without bound).
CACHE_ENTRIES = 4096
CACHE_BYTES = 192 * 2**20

_cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
_cache_bytes = 0
_lock = threading.Lock()
_EMPTY = np.zeros(0, dtype=np.int64)
#: A cached posting list: document number and term frequency, one record a posting.
_POSTING = np.dtype([("id", np.int64), ("tf", np.float64)])


def _cached(key: tuple, compute) -> np.ndarray:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    value.setflags(write=False)
    global _cache_bytes
    with _lock:
        if key not in _cache:
            _cache[key] = value
            _cache_bytes += value.nbytes
        while len(_cache) > CACHE_ENTRIES or (_cache_bytes > CACHE_BYTES and len(_cache) > 1):
            _cache_bytes -= _cache.popitem(last=False)[1].nbytes
    return value


def _ids(iterable) -> np.ndarray:
    return np.unique(np.fromiter(iterable, dtype=np.int64))


def _term(searcher, gen: tuple, q: Q.Term) -> np.ndarray:
    return postings(searcher, gen, q.fieldname, q.text)[0]  # cached there, with the term frequencies


def postings(searcher, gen: tuple, field: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, term frequencies) of a term over every segment, deleted documents left out:
    a frequent term's from the generation's arrays, any other's read from Whoosh and cached."""
    arrays = arrays_of(searcher)
    if arrays is not None:
        found = arrays.term(field, text)
        if found is not None:
            return found.ids, found.tf

    def compute():
        p = read_term(searcher.reader(), field, text)
        table = np.zeros(len(p.ids), dtype=_POSTING)
        table["id"], table["tf"] = p.ids, p.tf
        return table

    table = _cached((gen, "postings", field, text), compute)
    return table["id"], table["tf"]  # views: no copy per query


def positions(searcher, field: str, text) -> TermPostings:
    """A term's postings with positions (from the arrays if frequent; else from Whoosh, at most
    ``arrays.MIN_DF`` postings when the arrays exist)."""
    arrays = arrays_of(searcher)
    found = arrays.term(field, text, positions=True) if arrays is not None else None
    return found if found is not None else read_term(searcher.reader(), field, text, positions=True)


def _phrase(searcher, gen: tuple, q: Q.Phrase) -> np.ndarray:
    """Documents where ``q.words`` occur at consecutive positions (Whoosh's ``Phrase`` with slop 1):
    the words' common documents, then their positions shifted by the word's place compared
    as (document, position) keys."""
    def compute():
        terms = [positions(searcher, q.fieldname, w) for w in q.words]
        common = terms[0].ids
        for t in terms[1:]:
            common = np.intersect1d(common, t.ids, assume_unique=True)
        keys = None
        for place, t in enumerate(terms):
            if not len(common):
                break
            chosen = np.flatnonzero(np.isin(t.ids, common, assume_unique=True))
            counts = t.starts[chosen + 1] - t.starts[chosen]
            first = np.repeat(t.starts[chosen] - (np.cumsum(counts) - counts), counts)
            pos = np.asarray(t.positions[first + np.arange(len(first))], dtype=np.int64) - place
            doc = np.repeat(np.asarray(t.ids[chosen], dtype=np.int64), counts)
            k = np.unique((doc[pos >= 0] << 32) | pos[pos >= 0])
            keys = k if keys is None else np.intersect1d(keys, k, assume_unique=True)
            common = np.unique(keys >> 32)
        return np.asarray(common, dtype=np.int64)

    return _cached((gen, "phrase", q.fieldname, tuple(q.words)), compute)


def _dates(searcher, gen: tuple, q: Q.DateRange) -> np.ndarray:
    """Live documents with a date in the range (Whoosh's inclusive or exclusive ends)."""
    d = tables.dates(searcher)
    keep = d != NO_DATE
    if q.start is not None:
        keep &= (d > q.start) if q.startexcl else (d >= q.start)
    if q.end is not None:
        keep &= (d < q.end) if q.endexcl else (d <= q.end)
    docs = np.flatnonzero(keep)
    live = tables.live(searcher)
    return docs if len(live) == len(d) else np.intersect1d(docs, live, assume_unique=True)


def _other(searcher, gen: tuple, q: Q.Query) -> np.ndarray:
    return _cached((gen, "query", repr(q)), lambda: _ids(q.docs(searcher)))


def _docs(searcher, gen: tuple, q: Q.Query) -> np.ndarray:
    if q is Q.NullQuery:
        return _EMPTY
    if isinstance(q, Q.Term):
        return _term(searcher, gen, q)
    if isinstance(q, Q.Phrase) and q.slop == 1 and len(q.words) > 1:
        return _phrase(searcher, gen, q)
    if isinstance(q, Q.DateRange):
        return _dates(searcher, gen, q)
    if isinstance(q, Q.AndNot):
        return np.setdiff1d(_docs(searcher, gen, q.a), _docs(searcher, gen, q.b), assume_unique=True)
    if isinstance(q, Q.Or):
        parts = [_docs(searcher, gen, sub) for sub in q.subqueries]
        if len(parts) < 2:
            return parts[0] if parts else _EMPTY
        n = searcher.reader().doc_count_all()
        if sum(map(len, parts)) < n // 16:
            return np.unique(np.concatenate(parts))
        union = np.zeros(n, dtype=bool)  # long lists: marking a mask beats sorting them together
        for part in parts:
            union[part] = True
        return np.flatnonzero(union)
    if isinstance(q, Q.And):
        parts = sorted((_docs(searcher, gen, sub) for sub in q.subqueries), key=len)
        if not parts:
            return _EMPTY
        out = parts[0]
        for part in parts[1:]:
            out = np.intersect1d(out, part, assume_unique=True)
        return out
    return _other(searcher, gen, q)


def clear() -> None:
    """Forget every cached set (benchmarks measure searches that start cold)."""
    global _cache_bytes
    with _lock:
        _cache.clear()
        _cache_bytes = 0


@overload
def matching_docs(searcher, q: Q.Query) -> np.ndarray: ...
@overload
def matching_docs(searcher, q: None) -> None: ...
def matching_docs(searcher, q: Q.Query | None) -> np.ndarray | None:
    """Sorted document numbers matching ``q`` in ``searcher`` (None for no query)."""
    if q is None:
        return None
    return _docs(searcher, generation_key(searcher.reader()), q)
