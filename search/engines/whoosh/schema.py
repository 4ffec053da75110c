"""The Whoosh schema of an Akhbar index (the fields themselves: :mod:`search.fields`).

``title`` and ``body`` are stored for display and highlighting; the scored text
is indexed stemmed, exact (with positions) and broad-stemmed; facet fields are
keywords stored whole, with normalized ``*_text`` twins for filters.
"""
from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from search.engines.whoosh.analysis import WhooshAnalyzer
from search.fields import FACET_FIELDS, FILTER_FIELDS


def build_schema(stemmer: str = "akhbar") -> Schema:
    """The schema; ``stemmer`` other than "akhbar" is for quality comparisons only."""
    stemmed, exact = WhooshAnalyzer("stemmed", stemmer), WhooshAnalyzer("exact")
    facet: dict = dict(stored=True, commas=True, lowercase=False, scorable=False)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        body=STORED(),
        text=TEXT(analyzer=stemmed, phrase=False),
        text_exact=TEXT(analyzer=exact, phrase=True),
        date=DATETIME(stored=True, sortable=True),
        date_precision=STORED(),  # "time" (a time of day known), "month" or "year" (only that known); absent: a day
        month=ID(sortable=True),
        url=STORED(),
        category=KEYWORD(stored=True, commas=True, lowercase=False),
        digest=STORED(),
        indexed=STORED(),  # when the article first entered the index (index.first_indexed)
        seq=STORED(),  # the order the articles were read in: ties rank in it, whichever segment holds them
    )
    for name in FACET_FIELDS:  # each facet field, and the normalized twin its filter searches
        schema.add(name, KEYWORD(**facet))
    for twin in FILTER_FIELDS.values():
        schema.add(twin, TEXT(analyzer=exact, phrase=True))
    if stemmer == "akhbar":  # the comparison columns of docs/quality.md differ only in `text`
        schema.add("text_broad", TEXT(analyzer=WhooshAnalyzer("broad"), phrase=False))
    return schema
