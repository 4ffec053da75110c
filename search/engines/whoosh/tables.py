"""Per-generation tables every query needs: field lengths, dates, tie ranks, live documents.

Read from the generation's :mod:`arrays` when the build wrote them (memory-mapped,
nothing to compute), else computed from Whoosh once and kept by the searcher's
:class:`~search.engines.whoosh.generation.Generation`: an update or rebuild is a new one,
so no table is ever stale.
"""
from __future__ import annotations

import numpy as np

from search.engines.whoosh import arrays as _arrays
from search.engines.whoosh import generation
from search.engines.whoosh.arrays import NO_DATE  # noqa: F401  (re-exported: the date sort key)


def arrays_of(searcher) -> _arrays.Arrays | None:
    """The arrays of the generation ``searcher`` reads, if its build wrote them (see ``generation``)."""
    found = generation.of(searcher)
    return found.arrays if found is not None else None


def _table(searcher, name: tuple, compute) -> np.ndarray:
    """A table of the searcher's generation, computed once (by a searcher the engine did not open:
    computed each time)."""
    found = generation.of(searcher)
    if found is None:
        return compute()
    return found.table(name, compute)


def field_lengths(searcher, field: str) -> np.ndarray:
    """The (Whoosh-encoded) length of ``field`` in every document."""
    arrays = arrays_of(searcher)
    found = arrays.lengths(field) if arrays is not None else None
    if found is not None:
        return found
    return _table(searcher, ("lengths", field), lambda: _arrays.lengths_of(searcher.reader(), field))


def dates(searcher) -> np.ndarray:
    """Every document's date as Whoosh stores it (an integer), ``NO_DATE`` where there is none."""
    arrays = arrays_of(searcher)
    if arrays is not None:
        return arrays.dates()
    return _table(searcher, ("dates",), lambda: _arrays.dates_of(searcher.reader()))


def ties(searcher) -> np.ndarray:
    """Every document's place among equal scores: the order the articles were read in."""
    arrays = arrays_of(searcher)
    found = arrays.ties() if arrays is not None else None
    if found is not None:
        return found
    return _table(searcher, ("ties",), lambda: _arrays.tie_ranks(_arrays.stored_columns(searcher.reader())[2]))


def live(searcher) -> np.ndarray:
    """Sorted numbers of the documents not deleted."""
    arrays = arrays_of(searcher)
    if arrays is not None:
        return arrays.live()
    return _table(searcher, ("live",), lambda: _arrays.live_of(searcher.reader()))
