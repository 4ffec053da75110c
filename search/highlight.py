"""Highlight the words a query matched, in the ORIGINAL text.

The stored text is re-tokenized with the analyzer's own tokenizer and
normalizer; a token is marked when its stem matches a query word's stem, or its
exact form a query word or phrase.  Marks use the token's character offsets in
the original string, so «مُتحدث» comes back with its diacritics.  Output is
HTML: every character of the text is escaped (Whoosh's ``HtmlFormatter``) and
only ``<mark>`` tags are added.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from whoosh.analysis import Token
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, HtmlFormatter, WholeFragmenter, top_fragments

from search.analysis import TOKEN_RE, analyze, stem_function
from search.normalize import normalize_word
from search.query import ParsedQuery, scored_fields
from search.stopwords import stopwords

SNIPPET_CHARS = 260
SNIPPET_FRAGMENTS = 2


@dataclass
class MatchTerms:
    """What to mark: for each stemmed field the query searches, its stem function and
    the words' stems there; exact forms of the words; exact forms of the phrases."""

    stemmed: list[tuple[Callable[[str], tuple[str, ...]], set[str]]] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.forms or self.phrases or any(stems for _, stems in self.stemmed))

    def matches(self, norm: str) -> bool:
        """Whether a normalized token matches a word: its exact form or a stem in some field."""
        return norm in self.forms or any(any(x in stems for x in fn(norm)) for fn, stems in self.stemmed)


def match_terms(pq: ParsedQuery, engine) -> MatchTerms:
    """The terms of a parsed query, analyzed as the engine's index analyzed them, over the
    fields the query searches (:func:`search.query.scored_fields`)."""
    exact = engine.analyzer("text_exact")
    analyzers = [a for a in (engine.analyzer(f) for f in scored_fields(pq) if f != "text_exact") if a is not None]
    terms = MatchTerms(stemmed=[(stem_function(a), set()) for a in analyzers])
    for alternatives in pq.scored_words:
        for word in alternatives:
            terms.forms.update(analyze(exact, word))
            for analyzer, (_, stems) in zip(analyzers, terms.stemmed):
                stems.update(analyze(analyzer, word))
    for phrase in pq.phrases:
        forms = tuple(analyze(exact, phrase))
        if len(forms) == 1:
            terms.forms.add(forms[0])
        elif forms:
            terms.phrases.append(forms)
    return terms


def _marked_tokens(text: str, terms: MatchTerms) -> list[Token]:
    """Tokens of ``text`` with ``matched`` set, offsets in the original string.

    The same tokens as the exact analyzer's (its tokenizer pattern, normalization
    and stopwords; a test holds them equal), made without Whoosh's generator
    chain: snippets analyze ten whole articles per search.
    """
    stops = stopwords()
    seen: dict[str, bool] = {}
    tokens, content = [], []
    for m in TOKEN_RE.finditer(text):
        norm = normalize_word(m.group())
        if not norm:
            continue
        t = Token(positions=True, chars=True, text=norm, pos=len(tokens), startchar=m.start(), endchar=m.end())
        t.stopped = norm in stops
        if not t.stopped:
            content.append(len(tokens))
            if norm not in seen:
                seen[norm] = terms.matches(norm)
            t.matched = seen[norm]
        else:
            t.matched = False
        tokens.append(t)
    if terms.phrases:
        starts: dict[str, list[int]] = {}  # word -> where it stands among the content words
        for k, i in enumerate(content):
            starts.setdefault(tokens[i].text, []).append(k)
        for phrase in terms.phrases:
            n = len(phrase)
            for k in starts.get(phrase[0], ()):
                if k + n <= len(content) and all(tokens[content[k + j]].text == phrase[j] for j in range(1, n)):
                    for j in range(n):
                        tokens[content[k + j]].matched = True
    return tokens


def _formatter() -> HtmlFormatter:
    return HtmlFormatter(tagname="mark", classname="hl", termclass="t", between=" … ")


def snippet_html(text: str, terms: MatchTerms, maxchars: int = SNIPPET_CHARS) -> str:
    """The best passages of ``text`` around the matches, escaped, matches in <mark>.

    With no match in the text (the title matched, say) it is the text's opening.
    """
    if terms:
        tokens = _marked_tokens(text, terms)
        fragmenter = ContextFragmenter(maxchars=maxchars, surround=maxchars // 4, charlimit=None)
        frags = top_fragments(fragmenter.fragment_tokens(text, tokens), SNIPPET_FRAGMENTS,
                              BasicFragmentScorer(), lambda f: f.startchar, minscore=1)
        if frags:
            return _formatter().format(frags)
    opening = text[:maxchars]
    cut = opening.rfind(" ") if len(text) > maxchars else -1
    return escape(opening[:cut] if cut > maxchars // 2 else opening, quote=False) + (" …" if len(text) > maxchars else "")


def highlight_all(text: str, terms: MatchTerms) -> str:
    """The whole of ``text``, escaped, with every match in <mark> (for the article page)."""
    if not terms:
        return escape(text, quote=False)
    tokens = _marked_tokens(text, terms)
    frags = list(WholeFragmenter(charlimit=None).fragment_tokens(text, tokens))
    return _formatter().format(frags) if frags else escape(text, quote=False)
