"""A parsed query as Whoosh queries: the engine-neutral tree (:mod:`search.querytree`), node by node."""
from __future__ import annotations

from whoosh import query as Q

from search import querytree as T
from search.engines.whoosh.analysis import chain_of
from search.query import ParsedQuery


def to_whoosh(pq: ParsedQuery, schema, expansion: T.Expansion | None = None) -> tuple[Q.Query | None, Q.Query | None]:
    """(scoring query, filter query) for a parsed query, analyzed with the index's own analyzers
    (``expansion``: the index's house spellings, :func:`search.querytree.build`)."""
    analyzers = {name: chain for name in schema.names() if (chain := chain_of(schema[name])) is not None}
    scoring, filters = T.build(pq, analyzers, expansion)
    return (convert(scoring) if scoring is not None else None), (convert(filters) if filters is not None else None)


def convert(node) -> Q.Query:
    """One tree node as the Whoosh query that scores it the same way."""
    if isinstance(node, T.Term):
        return Q.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, T.Phrase):
        return Q.Phrase(node.field, list(node.words), boost=node.boost)
    if isinstance(node, T.Or):
        return Q.Or([convert(p) for p in node.parts], boost=node.boost)
    if isinstance(node, T.And):
        return Q.And([convert(p) for p in node.parts], boost=node.boost)
    if isinstance(node, T.AndNot):
        return Q.AndNot(convert(node.a), convert(node.b))
    if isinstance(node, T.DateRange):
        return Q.DateRange("date", node.start, node.end)
    if isinstance(node, T.Every):
        return Q.Every()
    if isinstance(node, T.Nothing):
        return Q.NullQuery
    raise TypeError(f"not a query tree node: {node!r}")
