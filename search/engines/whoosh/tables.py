"""Per-generation tables every query needs: field lengths, dates, tie ranks, live documents.

Read from the generation's :mod:`arrays` when the build wrote them (memory-mapped,
nothing to compute), else computed from Whoosh once per generation and kept
(the served generation and the one before it).  Keys are generation keys
(:func:`docsets.generation_key`), so an update or rebuild never reads stale tables.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from search.engines.whoosh import arrays as _arrays
from search.engines.whoosh.arrays import NO_DATE  # noqa: F401  (re-exported: the date sort key)

_tables: OrderedDict[tuple, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def arrays_of(searcher) -> _arrays.Arrays | None:
    """The arrays of the generation ``searcher`` reads, if its engine found them (see ``engine``)."""
    return getattr(searcher, "akhbar_arrays", None)


def _table(key: tuple, compute) -> np.ndarray:
    """A per-generation table, computed once (the last few generations are kept)."""
    with _lock:
        if key in _tables:
            return _tables[key]
    value = compute()
    value.setflags(write=False)
    with _lock:
        _tables[key] = value
        while len({k[0] for k in _tables}) > 2:  # the served generation and the one before
            _tables.popitem(last=False)
    return value


def field_lengths(searcher, gen: tuple, field: str) -> np.ndarray:
    """The (Whoosh-encoded) length of ``field`` in every document."""
    arrays = arrays_of(searcher)
    found = arrays.lengths(field) if arrays is not None else None
    if found is not None:
        return found
    return _table((gen, "lengths", field), lambda: _arrays.lengths_of(searcher.reader(), field))


def dates(searcher, gen: tuple) -> np.ndarray:
    """Every document's date as Whoosh stores it (an integer), ``NO_DATE`` where there is none."""
    arrays = arrays_of(searcher)
    if arrays is not None:
        return arrays.dates()
    return _table((gen, "dates"), lambda: _arrays.dates_of(searcher.reader()))


def ties(searcher, gen: tuple) -> np.ndarray:
    """Every document's place among equal scores: the order the articles were read in."""
    arrays = arrays_of(searcher)
    found = arrays.ties() if arrays is not None else None
    if found is not None:
        return found
    return _table((gen, "ties"), lambda: _arrays.tie_ranks(_arrays.stored_columns(searcher.reader())[2]))


def live(searcher, gen: tuple) -> np.ndarray:
    """Sorted numbers of the documents not deleted."""
    arrays = arrays_of(searcher)
    if arrays is not None:
        return arrays.live()
    return _table((gen, "live"), lambda: _arrays.live_of(searcher.reader()))
