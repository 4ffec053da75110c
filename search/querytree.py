"""A parsed query as a tree of analyzed terms: what every engine evaluates.

:func:`build` turns a :class:`search.query.ParsedQuery` into a scoring tree and a
filter tree, analyzing each word with the index's own analyzer for each scored
field and weighting it by :data:`search.query.FIELD_WEIGHTS` (BM25F adds the
fields up).  Engines translate the tree node by node (``search/engines/*/queries.py``);
the structure, the boosts and therefore the scores are decided here, once.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from search.analysis import analyze
from search.fields import FILTER_FIELDS
from search.query import (
    ALL_WORDS_BOOST,
    FIELD_WEIGHTS,
    PHRASE_BOOST,
    PRECISE_FIELDS,
    SHORT_QUERY_WORDS,
    ParsedQuery,
    scored_fields,
)


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Analyzed words at consecutive positions of ``field``; scored as the sum of its words' scores."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Matches where any part matches; scored as the sum of the parts that match, times ``boost``."""

    parts: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    """Matches where every part matches; scored as the sum of the parts, times ``boost``."""

    parts: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    """``a``'s matches and scores, without the articles ``b`` matches."""

    a: object
    b: object


@dataclass(frozen=True)
class DateRange:
    """Articles dated from ``start`` to ``end`` (either may be None: open), both included."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Every:
    """Every article (a query of filters only)."""


@dataclass(frozen=True)
class Nothing:
    """No article (a filter whose value analyzes to nothing)."""


def with_boost(node, boost: float):
    """``node`` with its boost replaced (terms, phrases, Or and And carry one)."""
    return type(node)(**{**node.__dict__, "boost": boost})


def _word(word: str, analyzers: Mapping, fields: tuple[str, ...]) -> Or | None:
    """One user word over the scored text ``fields``, each analyzed with its own analyzer."""
    clauses = []
    for fieldname in fields:
        weight = FIELD_WEIGHTS[fieldname]
        if weight <= 0 or fieldname not in analyzers:  # Whoosh divides by the boost
            continue
        clauses.extend(Term(fieldname, t, weight) for t in dict.fromkeys(analyze(analyzers[fieldname], word)))
    return Or(tuple(clauses)) if clauses else None


def _phrase(text: str, exact, fields=("text_exact",)) -> Or | None:
    forms = analyze(exact, text)
    if not forms:
        return None
    if len(forms) == 1:
        return Or(tuple(Term(f, forms[0]) for f in fields))
    return Or(tuple(Phrase(f, tuple(forms)) for f in fields))


def build(pq: ParsedQuery, analyzers: Mapping) -> tuple[object | None, object | None]:
    """(scoring tree, filter tree) of a parsed query; ``analyzers``: field -> the index's analyzer."""
    exact = analyzers["text_exact"]
    fields = scored_fields(pq)
    groups = []
    for alternatives in pq.scored_words:
        alts = [q for q in (_word(w, analyzers, fields) for w in alternatives) if q is not None]
        if alts:
            groups.append(alts[0] if len(alts) == 1 else Or(tuple(alts)))
    phrases = [q for q in (_phrase(p, exact) for p in pq.phrases) if q is not None]

    scoring = None
    if groups and pq.all_words:
        scoring = And(tuple(groups)) if len(groups) > 1 else groups[0]
    elif groups:
        scoring = Or(tuple(groups))
        if 1 < len(groups) <= SHORT_QUERY_WORDS:
            scoring = Or((And(tuple(groups), ALL_WORDS_BOOST), scoring))
    if phrases and pq.phrases_required:
        scoring = And(tuple(phrases + ([scoring] if scoring else [])))
    elif phrases:
        scoring = Or(tuple(([scoring] if scoring else []) + [with_boost(p, PHRASE_BOOST) for p in phrases]))

    filters = []
    for prefix, value in pq.filters:
        q = _phrase(value, exact, fields=(FILTER_FIELDS[prefix],))
        filters.append(q if q is not None else Nothing())
    if pq.date_range:
        filters.append(DateRange(*pq.date_range))
    negatives = [q for q in (_word(w, analyzers, PRECISE_FIELDS) for w in pq.excluded_words) if q is not None]
    negatives += [q for q in (_phrase(p, exact) for p in pq.excluded_phrases) if q is not None]

    if scoring is None and filters:
        scoring = Every()
    if scoring is not None and negatives:
        scoring = AndNot(scoring, Or(tuple(negatives)))
    filter_q = And(tuple(filters)) if filters else None
    return scoring, filter_q
