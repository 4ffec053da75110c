"""The Whoosh schema of an Akhbar index.

Text is indexed twice: stemmed (``title``, ``body``) for recall and exact
(``title_exact``, ``body_exact``: normalized, unstemmed, with positions) so that
exact forms outrank mere same-stem forms and "phrases" match exactly.
Facet fields (``source``, ``persons``, ``places``, ``organizations``) keep each
value whole in its display form; their ``*_text`` twins let ``person:حفتر``
match any name containing that word.
"""
from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from search.analysis import exact_analyzer, stemmed_analyzer

#: Entity and source facet fields, with the query-language prefix of each.
FACET_FIELDS = {"source": "source", "persons": "person", "places": "place", "organizations": "org"}


def build_schema(stemmer: str = "akhbar") -> Schema:
    """The schema; ``stemmer`` other than "akhbar" is for quality comparisons only."""
    stemmed, exact = stemmed_analyzer(stemmer), exact_analyzer()
    facet = dict(stored=True, commas=True, lowercase=False, scorable=False)
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, phrase=False),
        title_exact=TEXT(analyzer=exact, phrase=True),
        body=TEXT(analyzer=stemmed, stored=True, phrase=False),
        body_exact=TEXT(analyzer=exact, phrase=True),
        date=DATETIME(stored=True, sortable=True),
        month=ID(sortable=True),
        url=STORED(),
        category=KEYWORD(stored=True, commas=True, lowercase=False),
        digest=STORED(),
        source=KEYWORD(**facet),
        persons=KEYWORD(**facet),
        places=KEYWORD(**facet),
        organizations=KEYWORD(**facet),
        source_text=TEXT(analyzer=exact, phrase=True),
        persons_text=TEXT(analyzer=exact, phrase=True),
        places_text=TEXT(analyzer=exact, phrase=True),
        organizations_text=TEXT(analyzer=exact, phrase=True),
    )
