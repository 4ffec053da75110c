"""The query language, parsed into its parts.  Parsing never raises; each engine turns
a :class:`ParsedQuery` into its own query (``search.engines``).

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

from search.analysis import analyze
from search.fields import FILTER_FIELDS

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
#: Words searched per query (plain, phrase and excluded words; stopwords do not count).
#: Every word costs posting-list reads in three fields; the words after these are
#: ignored with a warning, as Google ignores those after its 32nd.
MAX_QUERY_WORDS = 32
#: Entity and source filters per query: each is a phrase search of its own.
MAX_FILTERS = 10

_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z\u0621-\u064a]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]+))'
    r'|"(?P<phrase>[^"]*)"?'
    r"|(?P<word>[^\s\"]+))"
)
_DATE_PART_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
#: Every mark read as a quote; all become '"'.
QUOTE_MARKS = '"«»“”„″'
_QUOTES = str.maketrans(dict.fromkeys(QUOTE_MARKS[1:], '"'))
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
    dropped_words: int = 0  # words past MAX_QUERY_WORDS, ignored (see cap_words)
    all_words: bool = False  # every word required, not any (date sorts: see search.searching)
    variants: bool = True  # words searched with their house spellings too (search.variants)

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
                if len(pq.filters) < MAX_FILTERS:
                    pq.filters.append((prefix, value))
                elif len(pq.filters) == MAX_FILTERS and not any("too many filters" in e for e in pq.errors):
                    pq.errors.append(f"too many filters: at most {MAX_FILTERS} (source:, person:, place:, org:); "
                                     "the others were ignored")
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


def cap_words(pq: ParsedQuery, exact) -> int:
    """Keep the first :data:`MAX_QUERY_WORDS` searchable words of ``pq`` (plain words, then
    phrases, then exclusions; ``exact`` tells stopwords apart); return how many were dropped.
    A phrase past the limit keeps its first words (a long quotation still matches its start)."""
    used = dropped = 0
    full = False

    def keep(text: str) -> str:
        """The words of ``text`` that fit, as text ('' for none)."""
        nonlocal used, dropped, full
        kept = []
        for word in text.split():
            n = len(analyze(exact, word))
            full = full or used + n > MAX_QUERY_WORDS
            if full:
                dropped += n
            else:
                used += n
                kept.append(word)
        return " ".join(kept)

    pq.words = [g for g in ([w for w in group if keep(w)] for group in pq.words) if g]
    pq.phrases = [p for p in map(keep, pq.phrases) if p]
    pq.excluded_words = [w for w in pq.excluded_words if keep(w)]
    pq.excluded_phrases = [p for p in map(keep, pq.excluded_phrases) if p]
    pq.dropped_words = dropped
    return dropped


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


def scored_fields(pq: ParsedQuery) -> tuple[str, ...]:
    """The text fields a query's words are looked for in: broad stems only in long queries ranked by
    relevance (a date sort's "every word" means the word, not a broad stem's relatives: «العهد» is
    not «تعهد»)."""
    return tuple(FIELD_WEIGHTS) if len(pq.scored_words) > SHORT_QUERY_WORDS and not pq.all_words else PRECISE_FIELDS
