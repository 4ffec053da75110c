"""A parsed query as a tree of analyzed terms: what every engine evaluates.

:func:`build` turns a :class:`search.query.ParsedQuery` into a scoring tree and a
filter tree, analyzing each word with the index's own analyzer for each scored
field and weighting it by :data:`search.query.FIELD_WEIGHTS` (BM25F adds the
fields up).  Engines translate the tree node by node (``search/engines/*/queries.py``);
the structure, the boosts and therefore the scores are decided here, once.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice, product

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
from search.variants import NONE, Variants


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


#: A node of a query tree.
Node = Term | Phrase | Or | And | AndNot | DateRange | Every | Nothing

#: Spellings of a phrase searched, at most (each word's house spellings, combined).
MAX_PHRASE_SPELLINGS = 8


@dataclass(frozen=True)
class Expansion:
    """What a query's words are expanded with: the index's house spellings (search.variants),
    and the statistics that score a word's spellings as one term: ``df(field, term)`` and the
    number of ``documents`` (the engines' idf: ``ln(documents / (df + 1)) + 1``)."""

    variants: Variants
    df: Callable[[str, str], int]
    documents: int

    def idf(self, df: int) -> float:
        return math.log(max(self.documents, 1) / (df + 1)) + 1


def spellings(word: str, exact, variants: Variants) -> tuple[str, ...]:
    """``word`` (a word, or two: «عبد العزيز») and its house spellings (normalized forms; a
    spelling may be two words), ``word`` as typed first."""
    forms = analyze(exact, word) if variants else ()
    if not 1 <= len(forms) <= 2:
        return (word,)
    return (word,) + variants.spellings(" ".join(forms))[1:]


def phrase_spellings(forms: list[str], exact, variants: Variants) -> list[list[str]]:
    """The analyzed words of a phrase in each combination of their house spellings (at most
    MAX_PHRASE_SPELLINGS), and the whole phrase's other spellings («عبد العزيز»: «عبدالعزيز»)."""
    if not forms:
        return []
    options = [spellings(f, exact, variants) for f in forms]
    combos = [" ".join(c).split() for c in islice(product(*options), MAX_PHRASE_SPELLINGS)]
    return combos + [w.split() for w in spellings(" ".join(forms), exact, variants)[1:]]


def _compounds(groups: list[list[str]], exact, variants: Variants) -> list[list[str]]:
    """Word groups with two words typed apart that the index writes together too («عبد العزيز»,
    «عبدالعزيز») made one: searched as either spelling, scored as one word."""
    if not variants:
        return groups
    out: list[list[str]] = []
    for group in groups:
        if (out and len(out[-1]) == 1 and len(group) == 1 and " " not in out[-1][0]
                and len(spellings(pair := f"{out[-1][0]} {group[0]}", exact, variants)) > 1):
            out[-1] = [pair]
        else:
            out.append(group)
    return out


def expands_words(pq: ParsedQuery) -> bool:
    """Whether a query's words and phrases are searched with their house spellings: in a short
    query (a name, a topic), not in a long one (a question, a pasted headline), whose other words
    reach the other outlets' articles already and where each added spelling brings competitors
    for the article asked for (nDCG@10 on ant-titles 0.717 -> 0.704 when they did: docs/quality.md).
    Filters and exclusions always are."""
    return pq.variants and len(pq.scored_words) <= SHORT_QUERY_WORDS


def with_boost(node, boost: float):
    """``node`` with its boost replaced (terms, phrases, Or and And carry one)."""
    return type(node)(**{**node.__dict__, "boost": boost})


def _word(word: str, analyzers: Mapping, fields: tuple[str, ...], expansion: Expansion | None = None) -> Or | None:
    """One user word over the scored text ``fields``, each analyzed with its own analyzer; with
    its house spellings (``expansion``), each field's terms of every spelling scored as one
    term: with the idf of them all (an article is not favoured for the spelling typed)."""
    exact = analyzers["text_exact"]
    every = spellings(word, exact, expansion.variants if expansion else NONE)
    forms = {w: tuple(analyze(exact, w)) for w in every}
    words = [w for w in every if len(forms[w]) == 1]  # a spelling of two words is a phrase
    clauses: list[Node] = [Phrase("text_exact", forms[w], FIELD_WEIGHTS["text"] + FIELD_WEIGHTS["text_exact"])
                           for w in every if len(forms[w]) > 1]
    for fieldname in fields:
        weight = FIELD_WEIGHTS[fieldname]
        if weight <= 0 or fieldname not in analyzers:  # Whoosh divides by the boost
            continue
        terms = list(dict.fromkeys(t for w in words for t in analyze(analyzers[fieldname], w)))
        if len(every) == 1 or expansion is None:
            clauses.extend(Term(fieldname, t, weight) for t in terms)
            continue
        dfs = {t: expansion.df(fieldname, t) for t in terms}
        union = expansion.idf(sum(dfs.values()))
        clauses.extend(Term(fieldname, t, weight * union / expansion.idf(dfs[t])) for t in terms if dfs[t])
    return Or(tuple(clauses)) if clauses else None


def _phrase(text: str, exact, fields=("text_exact",), expansion: Expansion | None = None) -> Or | None:
    """A phrase (or a filter's value) over ``fields``; with ``expansion``, every combination of
    its words' house spellings (at most MAX_PHRASE_SPELLINGS)."""
    combos = phrase_spellings(analyze(exact, text), exact, expansion.variants if expansion else NONE)
    if not combos:
        return None
    return Or(tuple(Term(f, c[0]) if len(c) == 1 else Phrase(f, tuple(c)) for c in combos for f in fields))


def build(pq: ParsedQuery, analyzers: Mapping, expansion: Expansion | None = None) -> tuple[object | None, object | None]:
    """(scoring tree, filter tree) of a parsed query; ``analyzers``: field -> the index's analyzer;
    ``expansion``: the index's house spellings, searched with each word, phrase and filter
    value unless the query says not to (``pq.variants``)."""
    exact = analyzers["text_exact"]
    if not pq.variants or expansion is None or not expansion.variants:
        expansion = None
    names = expansion  # filters and exclusions: names, always with their spellings
    expansion = expansion if expands_words(pq) else None
    fields = scored_fields(pq)
    groups: list[Node] = []
    for alternatives in _compounds(pq.scored_words, exact, expansion.variants if expansion else NONE):
        alts = [q for q in (_word(w, analyzers, fields, expansion) for w in alternatives) if q is not None]
        if alts:
            groups.append(alts[0] if len(alts) == 1 else Or(tuple(alts)))
    phrases = [q for q in (_phrase(p, exact, expansion=expansion) for p in pq.phrases) if q is not None]

    scoring: Node | None = None
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

    filters: list[Node] = []
    for prefix, value in pq.filters:
        q = _phrase(value, exact, (FILTER_FIELDS[prefix],), names)
        filters.append(q if q is not None else Nothing())
    if pq.date_range:
        filters.append(DateRange(*pq.date_range))
    negatives = [q for q in (_word(w, analyzers, PRECISE_FIELDS, names) for w in pq.excluded_words) if q is not None]
    negatives += [q for q in (_phrase(p, exact, expansion=names) for p in pq.excluded_phrases) if q is not None]

    if scoring is None and filters:
        scoring = Every()
    if scoring is not None and negatives:
        scoring = AndNot(scoring, Or(tuple(negatives)))
    filter_q = And(tuple(filters)) if filters else None
    return scoring, filter_q
