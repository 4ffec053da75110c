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

The Whoosh engine is ``search.engines.whoosh``, the OpenSearch engine
``search.engines.opensearch``; nothing outside ``search/engines`` builds their
queries or opens their searchers and clients.
"""
from __future__ import annotations

from search.engines.base import Engine, Hit, Matches

#: Engine kinds ``open_engine`` knows, by name.
KINDS = ("whoosh", "opensearch")
DEFAULT_KIND = "whoosh"


def open_engine(location: str, kind: str = DEFAULT_KIND, index_name: str | None = None) -> Engine:
    """An engine serving the index at ``location``: a folder for Whoosh, the cluster's URL for
    OpenSearch (``index_name``: the alias, default "akhbar")."""
    if kind == "whoosh":
        from search.engines.whoosh import WhooshEngine

        return WhooshEngine(location)
    if kind == "opensearch":
        from search.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(location, index_name or "akhbar")
    raise ValueError(f"unknown engine {kind!r}: choose one of {', '.join(KINDS)}")


__all__ = ["DEFAULT_KIND", "KINDS", "Engine", "Hit", "Matches", "open_engine"]
