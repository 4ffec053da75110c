"""Search engines: one object opens an index and answers searches and look-ups.

In the spirit of pyserini's ``LuceneSearcher``: callers (the page, ``/search``,
``akhbar search``, ``akhbar eval``, benchmarks, tests) hold an :class:`Engine`
and never touch the engine's internals.  :func:`search.searching.search` is the
one search function; it hands the engine a parsed query and gets back matches,
totals and facet counts.

    engine = open_engine("var/index")               # the embedded Whoosh engine (the default)
    res = search(engine, "حفتر date:2021")
    engine.document("000_7d249ea639f1103d")
    open_engine("https://user:pw@search.example:9200", "opensearch", "akhbar")   # an OpenSearch cluster
    open_engine(StoreSettings(engine="opensearch", url=...))   # what the app's and CLI's settings name

The Whoosh engine is ``search.engines.whoosh``, the OpenSearch engine
``search.engines.opensearch``; nothing outside ``search/engines`` builds their
queries or opens their searchers and clients.
"""
from __future__ import annotations

from search.engines.base import Engine, Hit, Matches
from search.engines.settings import DEFAULT_KIND, KINDS, StoreSettings

#: ``akhbar serve``'s threads per process for each engine.  An embedded search is Python
#: work, and one process runs one thread at a time: past two threads they only contend for
#: the lock (more server CPU a request, fewer requests a second: docs/performance.md,
#: "Server threads").  A cluster's searches wait on the network, so more threads overlap the waits.
SERVE_THREADS = {"whoosh": 2, "opensearch": 8}


def open_engine(location: str | StoreSettings, kind: str = DEFAULT_KIND, index_name: str | None = None) -> Engine:
    """An engine serving the index at ``location``: a folder for Whoosh, the cluster's URL for
    OpenSearch (``index_name``: the alias, default "akhbar"); or the index ``location``'s
    :class:`StoreSettings` name."""
    if isinstance(location, StoreSettings):
        settings = location
        location, kind, index_name = (settings.url if settings.engine == "opensearch" else settings.index_dir,
                                      settings.engine, settings.index_name)
    if kind == "whoosh":
        from search.engines.whoosh import WhooshEngine

        return WhooshEngine(location)
    if kind == "opensearch":
        from search.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(location, index_name or StoreSettings().index_name)
    raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(KINDS)}")


__all__ = ["DEFAULT_KIND", "KINDS", "SERVE_THREADS", "Engine", "Hit", "Matches", "StoreSettings", "open_engine"]
