"""Search engines: one object opens an index and answers searches and look-ups.

In the spirit of pyserini's ``LuceneSearcher``: callers (the page, ``/search``,
``akhbar search``, ``akhbar eval``, benchmarks, tests) hold an :class:`Engine`
and never touch the engine's internals.  :func:`search.searching.search` is the
one search function; it hands the engine a parsed query and gets back matches,
totals and facet counts.

    engine = open_engine("var/index")               # the embedded Whoosh engine (the default)
    res = search(engine, "حفتر date:2021")
    engine.document("000_7d249ea639f1103d")

The Whoosh engine is ``search.engines.whoosh``; nothing outside ``search/engines``
builds Whoosh queries or opens Whoosh searchers.
"""
from __future__ import annotations

from search.engines.base import Engine, Hit, Matches

#: Engine kinds ``open_engine`` knows, by name.
KINDS = ("whoosh",)
DEFAULT_KIND = "whoosh"


def open_engine(location: str, kind: str = DEFAULT_KIND) -> Engine:
    """An engine serving the index at ``location`` (a folder for Whoosh)."""
    if kind == "whoosh":
        from search.engines.whoosh import WhooshEngine

        return WhooshEngine(location)
    raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(KINDS)}")


__all__ = ["DEFAULT_KIND", "KINDS", "Engine", "Hit", "Matches", "open_engine"]
