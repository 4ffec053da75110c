"""One generation of an embedded index as a server process reads it: one object that owns its state.

A generation (a ``gen-*`` folder, ``search.engines.whoosh.store``) is read through a Whoosh
searcher, beside which the process needs its memory-mapped arrays (``arrays``), its stories
(``search.stories``), its house spellings, and, for an index built before the arrays, the
tables computed once from Whoosh (field lengths, dates, ties, live documents, facet pairs:
``tables``, ``facets``).  All of them live on one :class:`Generation`, opened once per process
and per generation (:func:`opened`: the two opened last are kept, the one served and the one
before it, which a search under way may still read) and attached to the searcher
(:func:`of`).  A newer generation is a new object: nothing is keyed by generation elsewhere,
but the posting lists and sub-query results ``docsets`` keeps for the process, under one
byte budget across generations.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from search.engines.whoosh.arrays import Arrays, generation_key
from search.engines.whoosh.store import read_variants
from search.stories import StoryIndex

#: Generations a process keeps open.
KEEP = 2


class Generation:
    """The arrays, stories, house spellings and computed tables of one generation folder, as
    ``reader`` reads it (``key``: its segments, :func:`generation_key`)."""

    def __init__(self, folder: str | os.PathLike, reader):
        self.folder, self.key = str(folder), generation_key(reader)
        self.arrays: Arrays | None = Arrays.open(folder, reader)  # (None: built before them)
        self.stories: StoryIndex | None = StoryIndex.open(folder)
        self.variants = read_variants(folder)
        self._tables: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def without_arrays(self) -> Generation:
        """The same generation read as one built before the arrays (Whoosh serves every term and
        table): what tests and benchmarks compare the arrays with."""
        other = object.__new__(Generation)
        other.folder, other.key, other.arrays = self.folder, self.key, None
        other.stories, other.variants = self.stories, self.variants
        other._tables, other._lock = {}, threading.Lock()
        return other

    def table(self, name: tuple, compute: Callable[[], Any]) -> Any:
        """The table ``name``, computed once (an array is made read-only: every thread shares it)."""
        with self._lock:
            if name in self._tables:
                return self._tables[name]
        value = compute()
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
        with self._lock:
            return self._tables.setdefault(name, value)


_opened: OrderedDict[tuple, Generation] = OrderedDict()
_lock = threading.Lock()


def opened(folder: str | os.PathLike, reader) -> Generation:
    """The generation of ``folder`` that ``reader`` reads, opened once per process."""
    key = (str(folder), generation_key(reader))
    with _lock:
        if key in _opened:
            _opened.move_to_end(key)
            return _opened[key]
    found = Generation(folder, reader)
    with _lock:
        found = _opened.setdefault(key, found)
        while len(_opened) > KEEP:
            _opened.popitem(last=False)
    return found


def of(searcher) -> Generation | None:
    """The generation a searcher of the engine reads (None: a searcher opened by other code)."""
    return getattr(searcher, "akhbar_generation", None)
