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

import numpy as np
from whoosh import query as Q

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


def generation_key(reader) -> tuple:
    """Identifies the index generation a reader sees: its segments' ids and offsets."""
    leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
    ids = []
    for leaf, offset in leaves:
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        ids.append((segment.segment_id() if segment is not None else id(leaf), offset))
    return tuple(ids)


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
    """(document numbers, term frequencies) of a term over every segment, deleted documents left out.

    Read a block at a time from Whoosh's leaf matcher (its block arrays, not one call
    per posting); a matcher of another kind is read posting by posting."""
    def compute():
        ids, weights = [], []
        for leaf, offset in searcher.reader().leaf_readers():
            if (field, text) not in leaf:
                continue
            m = leaf.postings(field, text)
            while not hasattr(m, "_read_ids") and hasattr(m, "child"):  # deletions wrap the leaf matcher
                m = m.child
            if hasattr(m, "_read_ids"):
                block_ids, block_w = _read_blocks(m)
            else:
                items = list(m.items_as("weight"))
                block_ids = np.fromiter((d for d, _w in items), dtype=np.int64, count=len(items))
                block_w = np.fromiter((w for _d, w in items), dtype=np.float64, count=len(items))
            if leaf.has_deletions():
                keep = np.fromiter((not leaf.is_deleted(int(d)) for d in block_ids), dtype=bool, count=len(block_ids))
                block_ids, block_w = block_ids[keep], block_w[keep]
            ids.append(block_ids + offset)
            weights.append(block_w)
        table = np.zeros(sum(len(i) for i in ids), dtype=_POSTING)
        if ids:
            table["id"], table["tf"] = np.concatenate(ids), np.concatenate(weights)
        return table

    table = _cached((gen, "postings", field, text), compute)
    return table["id"], table["tf"]  # views: no copy per query


def _read_blocks(m) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, weight) of a Whoosh W3 leaf matcher, block by block."""
    ids, weights = [], []
    while m.is_active():
        ids.append(np.asarray(_block_ids(m), dtype=np.int64))
        weights.append(np.asarray(_block_weights(m), dtype=np.float64))
        if m._lastblock:
            break
        m._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(ids), np.concatenate(weights)


def _block_ids(m):
    if m._ids is None:
        m._read_ids()
    return m._ids


def _block_weights(m):
    if m._weights is None:
        m._read_weights()
    return m._weights


def _other(searcher, gen: tuple, q: Q.Query) -> np.ndarray:
    return _cached((gen, "query", repr(q)), lambda: _ids(q.docs(searcher)))


def _docs(searcher, gen: tuple, q: Q.Query) -> np.ndarray:
    if q is Q.NullQuery:
        return _EMPTY
    if isinstance(q, Q.Term):
        return _term(searcher, gen, q)
    if isinstance(q, Q.AndNot):
        return np.setdiff1d(_docs(searcher, gen, q.a), _docs(searcher, gen, q.b), assume_unique=True)
    if isinstance(q, Q.Or):
        parts = [_docs(searcher, gen, sub) for sub in q.subqueries]
        return np.unique(np.concatenate(parts)) if parts else _EMPTY
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


def matching_docs(searcher, q: Q.Query | None) -> np.ndarray | None:
    """Sorted document numbers matching ``q`` in ``searcher`` (None for no query)."""
    if q is None:
        return None
    return _docs(searcher, generation_key(searcher.reader()), q)
