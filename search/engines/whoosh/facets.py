"""Facet counts over every document a query matched.

Whoosh's overlapping facets rebuild a document -> values map from every
posting list of the field on each query (~0.2 s a field on 32k articles).  Here
that map is built once per index generation by the build (:mod:`facet_columns`,
written with the generation's arrays and memory-mapped, shared by every server
process) and each query only counts the values of its matched documents.  Entity
names spelled differently across articles (diacritics, hamza, ta marbuta) are
counted as one; a facet filter matches them all, since it searches the
normalized ``*_text`` twin of the field.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from search.engines.whoosh import facet_columns, generation
from search.engines.whoosh.arrays import NO_DATE
from search.engines.whoosh.tables import arrays_of, dates
from search.fields import FACET_FIELDS, FACET_LIMIT

_EPOCH = 62135596800 * 1_000_000  # Whoosh's date integers count microseconds from 1 January of year 1



def doc_values(searcher) -> dict[str, facet_columns.Column]:
    """field -> its (document, value) pairs, for the searcher's index generation: the build's,
    memory-mapped from its arrays, or built from Whoosh once (an index built before them)."""
    arrays = arrays_of(searcher)
    found = arrays.facets() if arrays is not None else None
    if found is not None:
        return found
    kept = generation.of(searcher)
    if kept is None:
        return facet_columns.build(searcher.reader())
    return kept.table(("facets",), lambda: facet_columns.build(searcher.reader()))


def years_of(searcher, docnums) -> Counter:
    """Year -> how many of the documents are dated in it (a day, a month or the year alone)."""
    stamps = dates(searcher)[np.asarray(docnums, dtype=np.int64)]
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
