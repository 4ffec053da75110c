"""A parsed query as Whoosh queries: a scoring query and a filter query.

Each word is looked for in the scored text fields (:func:`search.query.scored_fields`),
analyzed with the index's own analyzer for that field and weighted by
:data:`search.query.FIELD_WEIGHTS` (BM25F adds the fields up).
"""
from __future__ import annotations

from whoosh import query as Q

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


def _word_query(word: str, schema, fields: tuple[str, ...]) -> Q.Query | None:
    """One user word over the scored text ``fields``, each analyzed with its own analyzer."""
    clauses = []
    for fieldname in fields:
        weight = FIELD_WEIGHTS[fieldname]
        if weight <= 0 or fieldname not in schema:  # Whoosh divides by the boost
            continue
        terms = dict.fromkeys(analyze(schema[fieldname].analyzer, word))
        clauses.extend(Q.Term(fieldname, t, boost=weight) for t in terms)
    return Q.Or(clauses) if clauses else None


def _phrase_query(text: str, exact, fields=("text_exact",)) -> Q.Query | None:
    forms = analyze(exact, text)
    if not forms:
        return None
    if len(forms) == 1:
        return Q.Or([Q.Term(f, forms[0]) for f in fields])
    return Q.Or([Q.Phrase(f, forms) for f in fields])


def to_whoosh(pq: ParsedQuery, schema) -> tuple[Q.Query | None, Q.Query | None]:
    """(scoring query, filter query) for a parsed query, analyzed with the index's own analyzers."""
    exact = schema["text_exact"].analyzer
    fields = scored_fields(pq)
    groups = []
    for alternatives in pq.scored_words:
        alts = [q for q in (_word_query(w, schema, fields) for w in alternatives) if q is not None]
        if alts:
            groups.append(alts[0] if len(alts) == 1 else Q.Or(alts))
    phrases = [q for q in (_phrase_query(p, exact) for p in pq.phrases) if q is not None]

    scoring = None
    if groups:
        scoring = Q.Or(groups)
        if 1 < len(groups) <= SHORT_QUERY_WORDS:
            scoring = Q.Or([Q.And(groups, boost=ALL_WORDS_BOOST), scoring])
    if phrases and pq.phrases_required:
        scoring = Q.And(phrases + ([scoring] if scoring else []))
    elif phrases:
        scoring = Q.Or([scoring] + [p.with_boost(PHRASE_BOOST) for p in phrases])

    filters = []
    for prefix, value in pq.filters:
        q = _phrase_query(value, exact, fields=(FILTER_FIELDS[prefix],))
        filters.append(q if q is not None else Q.NullQuery)
    if pq.date_range:
        start, end = pq.date_range
        filters.append(Q.DateRange("date", start, end))
    negatives = [q for q in (_word_query(w, schema, PRECISE_FIELDS) for w in pq.excluded_words)
                 if q is not None]
    negatives += [q for q in (_phrase_query(p, exact) for p in pq.excluded_phrases) if q is not None]

    if scoring is None and filters:
        scoring = Q.Every()
    if scoring is not None and negatives:
        scoring = Q.AndNot(scoring, Q.Or(negatives))
    filter_q = Q.And(filters) if filters else None
    return scoring, filter_q
