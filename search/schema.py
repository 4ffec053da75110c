"""The Whoosh schema of an Akhbar index.

``title`` and ``body`` are stored for display and highlighting.  What is scored
is one text per article, headline and body together (as Lucene's reference
setup does), indexed twice: stemmed (``text``) for recall and exact
(``text_exact``: normalized, unstemmed, with positions) so that exact forms
outrank mere same-stem forms and "phrases" match exactly.  The headline is
written :data:`TITLE_REPEAT` times, so its words weigh more while saturating
with the body's (BM25F by repetition; separately scored title fields let any
headline sharing a word outrank the body that answers the query).
Facet fields (``source``, ``persons``, ``places``, ``organizations``) keep each
value whole in its display form; their ``*_text`` twins let ``person:حفتر``
match any name containing that word.
"""
from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

#: How many times the headline is written into the scored text.
TITLE_REPEAT = 2
#: The fields the scored text (headline and body) is written to, one analyzer each.
SCORED_TEXT_FIELDS = ("text", "text_exact", "text_broad")
#: Bump when the schema or analysis changes in a way that needs a rebuild.
SCHEMA_VERSION = 3  # 3: text_broad

from search.analysis import broad_analyzer, exact_analyzer, stemmed_analyzer

#: Entity and source facet fields, with the query-language prefix of each.
FACET_FIELDS = {"source": "source", "persons": "person", "places": "place", "organizations": "org"}


def build_schema(stemmer: str = "akhbar") -> Schema:
    """The schema; ``stemmer`` other than "akhbar" is for quality comparisons only."""
    stemmed, exact = stemmed_analyzer(stemmer), exact_analyzer()
    facet = dict(stored=True, commas=True, lowercase=False, scorable=False)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        body=STORED(),
        text=TEXT(analyzer=stemmed, phrase=False),
        text_exact=TEXT(analyzer=exact, phrase=True),
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
    if stemmer == "akhbar":  # the comparison columns of docs/quality.md differ only in `text`
        schema.add("text_broad", TEXT(analyzer=broad_analyzer(), phrase=False))
    return schema


def scored_text(title: str, body: str) -> str:
    """The text an article is scored on: the headline TITLE_REPEAT times, then the body."""
    return "\n".join([title] * TITLE_REPEAT + [body]) if title else body
