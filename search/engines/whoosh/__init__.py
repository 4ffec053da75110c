"""The embedded engine (Whoosh): the default, no server needed.

``engine`` answers searches (:class:`WhooshEngine`); ``store`` finds the served
generation; ``queries`` turns a parsed query into Whoosh queries; ``docsets`` and
``facets`` compute match sets and facet counts with numpy; ``schema`` is the
Whoosh schema.  The write side is ``index.builder``.
"""
from search.engines.whoosh.engine import WhooshEngine

__all__ = ["WhooshEngine"]
