"""The query language, parsed into Whoosh queries.  Parsing never raises.

    حفتر طرابلس              plain words (documents with every word rank first)
    "الوفد المصري"           exact phrase (normalized spelling, no stemming)
    حفتر OR الدبيبة          either word
    -تركيا  -"وقف النار"     exclusion
    source:الجزيرة  person:حفتر  place:بنغازي  org:"حكومة الوفاق"
    date:2020  date:2020-12  date:2020-12..2021-06  date:..2021-03  date:2021-01-05

A user's words are never handed to a query-syntax parser: anything malformed
(unbalanced quotes, a lone OR, an unknown ``field:``) is read as plain words, and
a bad filter value is reported in :attr:`ParsedQuery.errors` and ignored.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as Q

from search.analysis import analyze

#: Query-language prefixes -> the text field they filter.
FILTER_FIELDS = {"source": "source_text", "person": "persons_text", "place": "places_text",
                 "org": "organizations_text"}
#: Arabic spellings of the prefixes, for people who type Arabic throughout.
FILTER_ALIASES = {"المصدر": "source", "مصدر": "source", "شخص": "person", "مكان": "place",
                  "منظمة": "org", "تاريخ": "date"}

#: Weights of the fields a word is looked for in (BM25F adds them up).
FIELD_WEIGHTS = {"text": 1.0, "text_exact": 0.6, "text_broad": 0.3}
#: The fields of a short query's words, and of excluded words (-word): light stems and
#: exact forms.  Broad stems conflate too much to decide what a short query matches
#: («أمطار» and «المطار» share one); they serve long queries (a question, a pasted
#: headline), whose words are alternatives anyway and which paraphrase the article.
PRECISE_FIELDS = ("text", "text_exact")
#: Extra weight of documents that contain every word of a short query.
ALL_WORDS_BOOST = 2.0
#: Queries with at most this many words get the all-words boost, and their phrases are required.
SHORT_QUERY_WORDS = 4
#: Weight of a phrase match in a long query, where phrases are not required.
PHRASE_BOOST = 2.0

_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z\u0621-\u064a]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]+))'
    r'|"(?P<phrase>[^"]*)"?'
    r"|(?P<word>[^\s\"]+))"
)
_DATE_PART_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
# Bidi controls, zero-width characters and other invisible formatting.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")


@dataclass
class ParsedQuery:
    """A user query broken into its parts."""

    text: str
    words: list[list[str]] = field(default_factory=list)  # groups of alternatives (OR)
    phrases: list[str] = field(default_factory=list)
    excluded_words: list[str] = field(default_factory=list)
    excluded_phrases: list[str] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)  # (prefix, value)
    date_range: tuple[datetime | None, datetime | None] | None = None
    errors: list[str] = field(default_factory=list)
    relax_phrases: bool = False  # set when no article has the exact phrase (see search.searching)

    @property
    def phrases_required(self) -> bool:
        """Phrases are required in a short query; in a long one (a pasted headline, a
        question) they only rank matches higher and their words count as plain words."""
        return not self.relax_phrases and len(self.words) <= SHORT_QUERY_WORDS

    @property
    def scored_words(self) -> list[list[str]]:
        """The word groups that are scored: plain words, plus phrase words when phrases are not required."""
        if self.phrases_required:
            return self.words
        return self.words + [[w] for p in self.phrases for w in p.split()]


def clean_query(text: str) -> str:
    """Drop invisible formatting characters and unify quote marks («» “” -> ")."""
    return _INVISIBLE_RE.sub("", text).translate(_QUOTES).strip()


def parse_query(text: str) -> ParsedQuery:
    """Split a query into words, phrases, exclusions and filters."""
    pq = ParsedQuery(text=text)
    text = clean_query(text)
    pending_or = False
    for m in _TOKEN_RE.finditer(text):
        neg = bool(m.group("neg"))
        fname = m.group("field")
        if fname:
            prefix = FILTER_ALIASES.get(fname, fname.lower())
            value = (m.group("fquoted") if m.group("fquoted") is not None else m.group("fvalue")).strip()
            if prefix == "date" and not neg:
                _add_date(pq, value)
                continue
            if prefix in FILTER_FIELDS and value and not neg:
                pq.filters.append((prefix, value))
                continue
            # unknown field or negated filter: read the whole thing as words
            _add_words(pq, f"{fname} {value}", neg, pending_or=False)
            pending_or = False
            continue
        if m.group("phrase") is not None:
            phrase = m.group("phrase").strip()
            if phrase:
                (pq.excluded_phrases if neg else pq.phrases).append(phrase)
            continue
        word = m.group("word")
        if word == "OR" and not neg:
            pending_or = bool(pq.words)
            continue
        _add_words(pq, word, neg, pending_or)
        pending_or = False
    return pq


def _add_words(pq: ParsedQuery, text: str, neg: bool, pending_or: bool) -> None:
    for word in text.split():
        if neg:
            pq.excluded_words.append(word)
        elif pending_or and pq.words:
            pq.words[-1].append(word)
            pending_or = False
        else:
            pq.words.append([word])


def _add_date(pq: ParsedQuery, value: str) -> None:
    lo, sep, hi = value.partition("..")
    try:
        start = _date_bound(lo, end=False) if lo else None
        end = _date_bound(hi if sep else lo, end=True) if (hi or not sep) else None
    except ValueError:
        start = end = None
    if start is None and end is None:
        pq.errors.append(f"bad date filter {value!r}: use date:2020, date:2020-12 or date:2020-12..2021-06")
        return
    if start and end and start > end:
        pq.errors.append(f"bad date filter {value!r}: the start is after the end")
        return
    pq.date_range = (start, end)


def _date_bound(text: str, end: bool) -> datetime:
    """«2020» / «2020-12» / «2020-12-27» as the first (or last) moment it covers."""
    m = _DATE_PART_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if m.group(3):
        day = int(m.group(3))
    else:
        day = calendar.monthrange(year, month)[1] if end and 1 <= month <= 12 else 1
    if end:
        return datetime(year, month, day, 23, 59, 59, 999999)
    return datetime(year, month, day)


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


def scored_fields(pq: ParsedQuery) -> tuple[str, ...]:
    """The text fields a query's words are looked for in: broad stems only in long queries."""
    return tuple(FIELD_WEIGHTS) if len(pq.scored_words) > SHORT_QUERY_WORDS else PRECISE_FIELDS


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
