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

import numpy as np

from search.engines.whoosh.arrays import NO_DATE
from search.engines.whoosh.docsets import generation_key
from search.engines.whoosh.tables import dates
from search.fields import FACET_FIELDS
from search.normalize import normalize_arabic

#: Facet fields counted for each query (entity and source facets, and the month).
COUNTED_FIELDS = tuple(FACET_FIELDS) + ("month",)
ENTITY_FIELDS = ("persons", "places", "organizations")
FACET_LIMIT = 15
_CACHE_SIZE = 4
_EPOCH = 62135596800 * 1_000_000  # Whoosh's date integers count microseconds from 1 January of year 1

_cache: OrderedDict[tuple, dict[str, "_Column"]] = OrderedDict()
_lock = threading.Lock()


class _Column:
    """One facet field of one generation: (document, value) pairs as numpy arrays."""

    def __init__(self, values: list[str], docs: np.ndarray, value_ids: np.ndarray):
        self.values, self.docs, self.value_ids = values, docs, value_ids

    def count(self, mask: np.ndarray, limit: int | None = None) -> list[tuple[str, int]]:
        """(value, count) of the values of the masked documents, most frequent first, then by value."""
        counts = np.bincount(self.value_ids[mask[self.docs]], minlength=len(self.values))
        present = np.flatnonzero(counts)
        order = present[np.argsort(-counts[present], kind="stable")]  # values are sorted: ties by value
        if limit is not None:
            order = order[:limit]
        return [(self.values[i], int(counts[i])) for i in order]


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


def _build(reader) -> dict[str, _Column]:
    table: dict[str, _Column] = {}
    for field in COUNTED_FIELDS:
        postings: dict[str, list[int]] = {}
        if field in reader.schema:
            for leaf, offset in reader.leaf_readers():  # segment by segment: a multi-segment lexicon
                for term in leaf.lexicon(field):        # looks each term up in every segment
                    value = term.decode("utf-8") if isinstance(term, bytes) else term
                    postings.setdefault(value, []).extend(offset + d for d in leaf.postings(field, term).all_ids())
        shown = _spellings(postings) if field in ENTITY_FIELDS else {v: v for v in postings}
        values = sorted(set(shown.values()))
        number = {v: i for i, v in enumerate(values)}
        pairs = sorted({(d, number[shown[v]]) for v, docnums in postings.items() for d in docnums})
        docs = np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs))
        ids = np.fromiter((i for _, i in pairs), dtype=np.int64, count=len(pairs))
        table[field] = _Column(values, docs, ids)
    return table


def doc_values(searcher) -> dict[str, _Column]:
    """field -> its (document, value) pairs, for the searcher's index generation (cached)."""
    reader = searcher.reader()
    key = generation_key(reader)
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


def years_of(searcher, docnums) -> Counter:
    """Year -> how many of the documents are dated in it (a day, a month or the year alone)."""
    stamps = dates(searcher, generation_key(searcher.reader()))[np.asarray(docnums, dtype=np.int64)]
    stamps = stamps[stamps != NO_DATE]
    micros = (stamps - _EPOCH).astype("datetime64[us]")
    years = micros.astype("datetime64[Y]").astype(np.int64) + 1970
    values, counts = np.unique(years, return_counts=True)
    return Counter({f"{int(v):04d}": int(c) for v, c in zip(values, counts)})


def count_facets(searcher, docnums) -> dict[str, list[dict]]:
    """Top values with counts for each facet field, plus years and months (newest first)."""
    table = doc_values(searcher)
    mask = np.zeros(searcher.reader().doc_count_all(), dtype=bool)
    mask[np.asarray(docnums, dtype=np.int64)] = True
    out = {}
    for field in FACET_FIELDS:
        out[field] = [{"value": k, "count": n} for k, n in table[field].count(mask, FACET_LIMIT)]
    months = dict(table["month"].count(mask))  # (an article dated by its year alone has no month)
    out["year"] = [{"value": y, "count": n} for y, n in sorted(years_of(searcher, docnums).items(), reverse=True)]
    out["month"] = [{"value": m, "count": n} for m, n in sorted(months.items(), reverse=True)]
    return out
