"""Highlight the words a query matched, in the ORIGINAL text.

The stored text is re-tokenized with the analyzer's own tokenizer and
normalizer; a token is marked when its stem matches a query word's stem, or its
exact form a query word or phrase.  Marks use the token's character offsets in
the original string, so «مُتحدث» comes back with its diacritics.  Output is
HTML: every character of the text is escaped and only ``<mark>`` tags are added.
Passages are chosen as Whoosh's ``ContextFragmenter`` and ``BasicFragmentScorer``
choose them (a test holds the two equal): the matches with ``surround``
characters of context, at most ``maxchars`` long, ranked by matches times
distinct words matched.
"""
from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape

from search.analysis import TOKEN_RE, analyze, stem_function
from search.normalize import normalize_word
from search.query import ParsedQuery, scored_fields
from search.querytree import expands_words, phrase_spellings, spellings
from search.stopwords import stopwords
from search.variants import NONE

SNIPPET_CHARS = 260
SNIPPET_FRAGMENTS = 2


@dataclass
class MatchTerms:
    """What to mark: for each stemmed field the query searches, its stem function and
    the words' stems there; exact forms of the words; exact forms of the phrases."""

    stemmed: list[tuple[Callable[[str], tuple[str, ...]], set[str]]] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    #: each word as written -> (normalized, stopword, matched), for the texts of one query
    readings: dict[str, tuple[str, bool, bool]] = field(default_factory=dict, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.forms or self.phrases or any(stems for _, stems in self.stemmed))

    def matches(self, norm: str) -> bool:
        """Whether a normalized token matches a word: its exact form or a stem in some field."""
        if norm in self.forms:
            return True
        for fn, stems in self.stemmed:
            for x in fn(norm):
                if x in stems:
                    return True
        return False

    def reading(self, word: str) -> tuple[str, bool, bool]:
        """A word as written: its normalized form ("" for none), whether it is a stopword, whether
        it matches; remembered, since the hits of one query share most of their words."""
        found = self.readings.get(word)
        if found is None:
            norm = normalize_word(word)
            stopped = norm in stopwords()
            found = self.readings[word] = (norm, stopped, bool(norm) and not stopped and self.matches(norm))
        return found


def match_terms(pq: ParsedQuery, engine) -> MatchTerms:
    """The terms of a parsed query, analyzed as the engine's index analyzed them, over the
    fields the query searches (:func:`search.query.scored_fields`)."""
    exact = engine.analyzer("text_exact")
    analyzers = [a for a in (engine.analyzer(f) for f in scored_fields(pq) if f != "text_exact") if a is not None]
    terms = MatchTerms(stemmed=[(stem_function(a), set()) for a in analyzers])
    variants = engine.variants() if expands_words(pq) else NONE
    for alternatives in pq.scored_words:
        for typed in alternatives:
            for word in spellings(typed, exact, variants):
                forms = tuple(analyze(exact, word))
                if len(forms) > 1 and word != typed:  # another spelling, of two words («عبد العزيز»)
                    terms.phrases.append(forms)
                    continue
                terms.forms.update(forms)
                for analyzer, (_, stems) in zip(analyzers, terms.stemmed):
                    stems.update(analyze(analyzer, word))
    for phrase in pq.phrases:
        for words in phrase_spellings(analyze(exact, phrase), exact, variants):
            if len(words) == 1:
                terms.forms.add(words[0])
            elif words:
                terms.phrases.append(tuple(words))
    return terms


#: A word of a text as the highlighter sees it: (normalized form, start, end, stopword, matched),
#: offsets in the original string.  Tuples, not :class:`~search.analysis.Token` s: a snippet reads every word of
#: an article and most are only context.
Mark = tuple[str, int, int, bool, bool]


def _marks(text: str, terms: MatchTerms) -> list[Mark]:
    """The words of ``text``, matched or not: the exact analyzer's tokens (its tokenizer pattern,
    normalization and stopwords; a test holds them equal) and its stopwords too, marked
    stopwords: they are context for the passages."""
    reading = terms.reading
    marks = []
    for m in TOKEN_RE.finditer(text):
        norm, stopped, matched = reading(m.group())
        if norm:
            start, end = m.span()
            marks.append((norm, start, end, stopped, matched))
    if terms.phrases:
        content = [k for k, mark in enumerate(marks) if not mark[3]]
        starts: dict[str, list[int]] = {}  # word -> where it stands among the content words
        for k, i in enumerate(content):
            starts.setdefault(marks[i][0], []).append(k)
        for phrase in terms.phrases:
            n = len(phrase)
            for k in starts.get(phrase[0], ()):
                if k + n <= len(content) and all(marks[content[k + j]][0] == phrase[j] for j in range(1, n)):
                    for j in range(n):
                        norm, start, end, stopped, _ = marks[content[k + j]]
                        marks[content[k + j]] = (norm, start, end, stopped, True)
    return marks


@dataclass
class Passage:
    """A span of the text and the matched tokens in it."""

    startchar: int
    endchar: int
    matches: list[Mark]

    def score(self) -> int:
        """Matches times distinct words matched (Whoosh's BasicFragmentScorer)."""
        return len(self.matches) * ((len({t[0] for t in self.matches}) * 100) or 1)


def passages(marks: Iterable[Mark], maxchars: int, surround: int) -> Iterator[Passage]:
    """Runs of matched tokens with ``surround`` characters of context each side, at most
    ``maxchars`` long (Whoosh's ContextFragmenter, step for step)."""
    first: int | None = None  # where the passage under way starts
    firsts: deque[int] = deque()  # starts of the unmatched tokens just before it
    countdown = -1  # characters of context still to take; < 0: no passage under way
    matches: list[Mark] = []
    endchar = 0
    length = 0
    for t in marks:
        _, startchar, endchar, _, matched = t
        tlength = endchar - startchar
        if countdown < 0 and not matched:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif length + tlength > maxchars:
            countdown = 0
        elif matched:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            matches.append(t)
        if countdown >= 0:
            length += tlength
            countdown -= tlength
            if countdown <= 0:
                yield Passage(startchar if first is None else first, endchar, matches)
                matches, firsts, first, length = [], deque(), None, 0
    if matches:
        yield Passage(matches[0][1] if first is None else first, endchar, matches)


def _format(text: str, spans: list[Passage], between: str = " … ") -> str:
    """The passages, escaped, each match in ``<mark class="hl tN">`` (N: the n-th distinct
    matched spelling, mod 5, as Whoosh's HtmlFormatter numbers them)."""
    seen: dict[str, int] = {}
    out = []
    for p in spans:
        parts, index = [], p.startchar
        for _, start, end, _, _ in sorted(p.matches, key=lambda t: (t[1], t[1] - t[2])):
            if start < index:
                continue
            parts.append(escape(text[index:start], quote=False))
            word = escape(text[start:end], quote=False)
            n = seen.setdefault(word, len(seen) % 5)
            parts.append(f'<mark class="hl t{n}">{word}</mark>')
            index = end
        parts.append(escape(text[index:p.endchar], quote=False))
        out.append("".join(parts))
    return between.join(out)


def snippet_html(text: str, terms: MatchTerms, maxchars: int = SNIPPET_CHARS) -> str:
    """The best passages of ``text`` around the matches, escaped, matches in <mark>.

    With no match in the text (the title matched, say) it is the text's opening.
    """
    if terms:
        found = passages(_marks(text, terms), maxchars, maxchars // 4)
        # the best two; of equal scores the later passage, as Whoosh's top_fragments
        best = [p for score, _, p in heapq.nlargest(SNIPPET_FRAGMENTS, ((p.score(), p.startchar, p) for p in found))
                if score >= 1]
        if best:
            return _format(text, sorted(best, key=lambda p: p.startchar))
    opening = text[:maxchars]
    cut = opening.rfind(" ") if len(text) > maxchars else -1
    return escape(opening[:cut] if cut > maxchars // 2 else opening, quote=False) + (" …" if len(text) > maxchars else "")


def highlight_all(text: str, terms: MatchTerms) -> str:
    """The whole of ``text``, escaped, with every match in <mark> (for the article page)."""
    if not terms:
        return escape(text, quote=False)
    matches = [t for t in _marks(text, terms) if t[4]]
    return _format(text, [Passage(0, len(text), matches)])
