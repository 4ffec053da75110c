"""Facet counts over every document a query matched.

Whoosh's overlapping facets rebuild a document -> values map from every
posting list of the field on each query (~0.2 s a field on 32k articles).  Here
that map is built once per index generation (keyed by its segment ids, so a
rebuild or an update gets a fresh one) and each query only counts the values
of its matched documents.  Entity names spelled differently across articles
(diacritics, hamza, ta marbuta) are counted as one; a facet filter matches
them all, since it searches the normalized ``*_text`` twin of the field.
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict

from search.normalize import normalize_arabic
from search.schema import FACET_FIELDS

#: Facet fields counted for each query (entity and source facets, and the month).
COUNTED_FIELDS = tuple(FACET_FIELDS) + ("month",)
ENTITY_FIELDS = ("persons", "places", "organizations")
FACET_LIMIT = 15
_CACHE_SIZE = 4

_cache: OrderedDict[tuple, dict[str, dict[int, tuple[str, ...]]]] = OrderedDict()
_lock = threading.Lock()


def _key(reader) -> tuple:
    leaves = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
    ids = []
    for leaf, offset in leaves:
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        ids.append((segment.segment_id() if segment is not None else id(leaf), offset))
    return tuple(ids)


def _spellings(postings: dict[str, list[int]]) -> dict[str, str]:
    """Each value -> the spelling shown for it: values that normalize alike («الدبيبة»,
    «الدبيبه», «الدّبيبة») are one name, shown as the spelling most articles use."""
    groups: dict[str, list[str]] = {}
    for value in postings:
        groups.setdefault(normalize_arabic(value), []).append(value)
    shown = {}
    for variants in groups.values():
        best = min(variants, key=lambda v: (-len(postings[v]), v))
        shown.update((v, best) for v in variants)
    return shown


def _build(reader) -> dict[str, dict[int, tuple[str, ...]]]:
    table: dict[str, dict[int, tuple[str, ...]]] = {}
    for field in COUNTED_FIELDS:
        postings: dict[str, list[int]] = {}
        if field in reader.schema:
            for term in reader.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                postings[value] = list(reader.postings(field, term).all_ids())
        shown = _spellings(postings) if field in ENTITY_FIELDS else {v: v for v in postings}
        values: dict[int, dict[str, None]] = {}
        for value, docnums in postings.items():
            for docnum in docnums:
                values.setdefault(docnum, {})[shown[value]] = None
        table[field] = {d: tuple(v) for d, v in values.items()}
    return table


def doc_values(searcher) -> dict[str, dict[int, tuple[str, ...]]]:
    """field -> docnum -> its values, for the searcher's index generation (cached)."""
    reader = searcher.reader()
    key = _key(reader)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    table = _build(reader)
    with _lock:
        _cache[key] = table
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return table


def count_facets(searcher, docnums) -> dict[str, list[dict]]:
    """Top values with counts for each facet field, plus years and months (newest first)."""
    table = doc_values(searcher)
    docnums = list(docnums)
    counts = {field: Counter() for field in COUNTED_FIELDS}
    for field in COUNTED_FIELDS:
        column, counter = table[field], counts[field]
        for d in docnums:
            vals = column.get(d)
            if vals:
                counter.update(vals)
    out = {}
    for field in FACET_FIELDS:
        items = sorted(counts[field].items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
        out[field] = [{"value": k, "count": n} for k, n in items]
    years: Counter = Counter()
    for month, n in counts["month"].items():
        years[month[:4]] += n
    out["year"] = [{"value": y, "count": n} for y, n in sorted(years.items(), reverse=True)]
    out["month"] = [{"value": m, "count": n} for m, n in sorted(counts["month"].items(), reverse=True)]
    return out
