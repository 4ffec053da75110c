"""Autocompletion: people, places, organizations, outlets and frequent words that start with
what was typed, ranked by how many articles have them.

Typed text and candidates meet in normalized form (any hamza, alef, ya or
ta-marbuta spelling; no diacritics), and the typed word may carry «ال» or a
clitic («والحف», «بطرابل»): each reading of it is looked up.  A name is found
by the start of any of its words («حف» finds «خليفة حفتر»).  Words are shown as
the collection's headlines spell them (search.vocabulary) and offered only when
they occur in at least MIN_WORD_ARTICLES articles and some headline; the last
word of a longer query is completed in place.

The table is built once per index version from the engine (:meth:`Engine.terms`,
:meth:`Engine.spellings`) and kept (``suggesters``); a lookup is two binary searches per reading
plus a scan of the keys under the prefix, bounded by precomputed best lists for
one- and two-letter prefixes.
"""
from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass

from search.analysis import TOKEN_RE
from search.fields import FACET_FIELDS
from search.normalize import normalize_arabic
from search.spelling import vocabulary
from search.stopwords import stopwords
from search.versioned import PerVersion

#: Suggestions returned.
LIMIT = 8
#: A word is offered when this many articles have it.
MIN_WORD_ARTICLES = 3
#: Prefixes this short are answered from precomputed lists (their ranges are long).
SHORT_PREFIX = 2
#: Keys scanned at most for a longer prefix before the best found so far is kept.
SCAN_LIMIT = 20_000
_ARTICLE = "ال"
_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وال", "فال", "بال", "كال")


@dataclass(frozen=True)
class Suggestion:
    value: str  # as shown and searched
    kind: str  # the query prefix of its facet (person, place, org, source), or "word"
    count: int  # articles

    def as_dict(self) -> dict:
        return {"value": self.value, "kind": self.kind, "count": self.count}


def readings(typed: str) -> list[str]:
    """The normalized typed text, then the same without «ال», without a leading clitic, and
    without both: «والحف» -> «والحف», «حف»."""
    norm = " ".join(normalize_arabic(typed).split())
    out = [norm]
    if norm.startswith(_ARTICLE) and len(norm) > 3:
        out.append(norm[2:])
    for clitic in sorted(_CLITICS, key=len, reverse=True):
        if norm.startswith(clitic) and len(norm) > len(clitic) + 1:
            rest = norm[len(clitic):]
            out.append(rest)
            if rest.startswith(_ARTICLE) and len(rest) > 3:
                out.append(rest[2:])
            break
    return list(dict.fromkeys(r for r in out if r))


def _keys(value: str) -> set[str]:
    """Where a value can be found from: its normalized text from the start of each of its words,
    each also without «ال»."""
    words = [w for w in normalize_arabic(value).split() if w]
    keys = set()
    for i in range(len(words)):
        key = " ".join(words[i:])
        keys.add(key)
        if key.startswith(_ARTICLE) and len(key) > 3:
            keys.add(key[2:])
    return keys


def _respelled(value: str, variants) -> list[str]:
    """``value`` with each of its words in its other house spellings («دونالد ترامب» -> «دونالد ترمب»)."""
    words = normalize_arabic(value).split()
    return [" ".join(words[:i] + [other] + words[i + 1:])
            for i, w in enumerate(words) for other in variants.spellings(w)[1:]]


class Suggester:
    """The suggestion table of one index version."""

    def __init__(self, entries: list[Suggestion], spellings: list[list[str]] | None = None):
        """``spellings``: each entry's other spellings, found from their starts too («ترمب» finds
        «دونالد ترامب» when the collection writes both)."""
        self.entries = entries
        others = spellings or [[] for _ in entries]
        pairs = sorted({(key, i) for i, e in enumerate(entries) for v in [e.value, *others[i]] for key in _keys(v)})
        self.keys = [k for k, _ in pairs]
        self.ids = [i for _, i in pairs]
        self.short: dict[str, list[int]] = {}
        buckets: dict[str, set[int]] = {}
        for key, i in pairs:
            for n in range(1, SHORT_PREFIX + 1):
                if len(key) >= n:
                    buckets.setdefault(key[:n], set()).add(i)
        for prefix, ids in buckets.items():
            self.short[prefix] = heapq.nsmallest(LIMIT * 4, ids, key=self._rank)

    def _rank(self, i: int):
        e = self.entries[i]
        return (-e.count, e.kind == "word", e.value)

    @classmethod
    def from_engine(cls, engine) -> Suggester:
        entries: list[Suggestion] = []
        aliases: list[list[str]] = []
        variants = engine.variants()
        for field, kind in FACET_FIELDS.items():
            grouped: dict[str, list[tuple[int, str]]] = {}
            for value, count in engine.terms(field):
                key = normalize_arabic(value)
                grouped.setdefault(variants.canonical_text(key) if kind != "source" else key, []).append((count, value))
            for spellings in grouped.values():  # spellings that normalize alike, or house spellings, are one name
                best = min(spellings, key=lambda v: (-v[0], v[1]))[1]
                entries.append(Suggestion(best, kind, sum(n for n, _ in spellings)))
                aliases.append([v for _n, v in spellings if v != best] + _respelled(best, variants))
        shown = engine.spellings()
        stops = stopwords() | {normalize_arabic(e.value) for e in entries}  # a name is offered as a name
        for form, count in vocabulary(engine).frequency.items():  # the words' counts, read once per version
            if count >= MIN_WORD_ARTICLES and form in shown and form not in stops:
                entries.append(Suggestion(shown[form], "word", count))
                aliases.append([])
        return cls(entries, aliases)

    def _candidates(self, prefix: str) -> list[int]:
        if len(prefix) <= SHORT_PREFIX:
            return self.short.get(prefix, [])
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\uffff", lo)
        return self.ids[lo:min(hi, lo + SCAN_LIMIT)]

    def suggest(self, typed: str, limit: int = LIMIT) -> list[Suggestion]:
        """The best suggestions for ``typed``: names and words starting with it (any reading),
        then, for a query of several words, its last word completed after the others."""
        typed = typed.strip()
        if not typed or not TOKEN_RE.search(typed):
            return []
        best: list[Suggestion] = []
        taken: set[int] = set()
        for r in readings(typed):  # the text as typed first; readings without a clitic fill the rest
            more = [i for i in dict.fromkeys(self._candidates(r)) if i not in taken]  # a name's spellings: once
            for i in heapq.nsmallest(limit - len(best), more, key=self._rank):
                taken.add(i)
                best.append(self.entries[i])
            if len(best) >= limit:
                break
        words = typed.split()
        if len(words) > 1 and len(best) < limit:  # complete the last word in place
            head = " ".join(words[:-1])
            seen = {s.value for s in best}
            last: set[int] = set()
            for r in readings(words[-1]):
                last.update(i for i in self._candidates(r) if self.entries[i].kind == "word")
            for i in heapq.nsmallest(limit - len(best), last, key=self._rank):
                e = self.entries[i]
                value = f"{head} {e.value}"
                if value not in seen:
                    best.append(Suggestion(value, "word", e.count))
        return best


#: The tables of the engines served, one per index version (search.versioned).
suggesters = PerVersion(Suggester.from_engine)
