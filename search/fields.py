"""The fields of an Akhbar index, whatever the engine: one table for each fact.

What is scored is one text per article, headline and body together (as Lucene's
reference setup does), indexed three ways (:data:`SCORED_TEXT_FIELDS`): light
stems (``text``) for recall, exact forms (``text_exact``: normalized, unstemmed,
with positions) so that exact forms outrank same-stem forms and phrases match
exactly, and broad stems (``text_broad``) for long queries.  The headline is
written :data:`TITLE_REPEAT` times, so its words weigh more while saturating with
the body's.  Facet fields keep each value whole in its display form; each has a
query-language prefix and a normalized text twin (``persons_text``) that filters
search, so ``person:حفتر`` matches any name containing that word.
"""
from __future__ import annotations

#: How many times the headline is written into the scored text.
TITLE_REPEAT = 2
#: The fields the scored text (headline and body) is written to, one analyzer each.
SCORED_TEXT_FIELDS = ("text", "text_exact", "text_broad")
#: BM25 parameters of every engine (Lucene's defaults for Arabic in the reference runs are k1=0.9 b=0.4).
BM25_K1 = 1.2
BM25_B = 0.75
#: Bump when the fields or analysis change in a way that needs a rebuild.
SCHEMA_VERSION = 5  # 5: dates with a zone stored as UTC instants, "time" precision; 4: date_precision; 3: text_broad

#: Entity and source facet fields, with the query-language prefix of each.
FACET_FIELDS = {"source": "source", "persons": "person", "places": "place", "organizations": "org"}
#: The facets whose values are names (entities), not outlets.
ENTITY_FIELDS = ("persons", "places", "organizations")
#: Query-language prefixes -> the text field they filter.
FILTER_FIELDS = {prefix: f"{name}_text" for name, prefix in FACET_FIELDS.items()}
#: The longest facet value, in characters: no outlet's or entity's name is longer, so the build
#: keeps no longer one (a metadata cell of a page's text is not a source), and a filter accepts
#: up to this, so that every facet value's link works.
MAX_FACET_CHARS = 200
#: Facet values listed per field, by every engine.
FACET_LIMIT = 15


def scored_text(title: str, body: str) -> str:
    """The text an article is scored on: the headline TITLE_REPEAT times, then the body."""
    return "\n".join([title] * TITLE_REPEAT + [body]) if title else body
