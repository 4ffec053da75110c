"""A parsed query as OpenSearch query DSL: the engine-neutral tree (:mod:`search.querytree`), node by node.

Each node scores as the Whoosh engine scores it: a term by BM25F (the index's
scripted similarity, times its boost), ``Or`` the sum of the parts that match,
``And`` the sum of all parts, a phrase the sum of its words' scores where the
words occur in order (``match_phrase`` as a filter), a date range or ``Every``
a constant 1.
"""
from __future__ import annotations

from search import querytree as T


def to_dsl(node) -> dict:
    """One tree node as a query clause."""
    if isinstance(node, T.Term):
        return {"term": {node.field: {"value": node.text, "boost": node.boost}}}
    if isinstance(node, T.Phrase):
        return {"bool": {"filter": [{"match_phrase": {node.field: {"query": " ".join(node.words)}}}],
                         "must": [{"term": {node.field: w}} for w in node.words], "boost": node.boost}}
    if isinstance(node, T.Or):
        return {"bool": {"should": [to_dsl(p) for p in node.parts], "minimum_should_match": 1, "boost": node.boost}}
    if isinstance(node, T.And):
        return {"bool": {"must": [to_dsl(p) for p in node.parts], "boost": node.boost}}
    if isinstance(node, T.AndNot):
        return {"bool": {"must": [to_dsl(node.a)], "must_not": [to_dsl(node.b)]}}
    if isinstance(node, T.DateRange):
        bounds = {}
        if node.start is not None:
            bounds["gte"] = node.start.isoformat()
        if node.end is not None:
            bounds["lte"] = node.end.isoformat()
        return {"constant_score": {"filter": {"range": {"date": bounds} if bounds else {"exists": {"field": "date"}}}}}
    if isinstance(node, T.Every):
        return {"match_all": {}}
    if isinstance(node, T.Nothing):
        return {"match_none": {}}
    raise TypeError(f"not a query tree node: {node!r}")


def search_query(scoring, filters) -> dict:
    """The query of a search: the scoring tree, restricted by the filter tree (which does not score)."""
    q = to_dsl(scoring)
    if filters is None:
        return q
    return {"bool": {"must": [q], "filter": [to_dsl(filters)]}}
