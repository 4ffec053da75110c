"""Arabic analyzers: one chain, used at index time and at query time, by both engines.

    ArabicTokenizer() | NormalizeFilter() | StopFilter() | StemFilter(stemmer)

* :func:`stemmed_analyzer` feeds the ``text`` field (recall: «المصريين» meets
  «المصري» and «مصر»);
* :func:`exact_analyzer` (no stemming) feeds ``text_exact`` and the ``*_text``
  filter fields, so that exact forms outrank same-stem forms and phrases match
  exactly;
* :func:`broad_analyzer` feeds ``text_broad`` (aggressive stems).

Tokens keep ``startchar``/``endchar`` in the ORIGINAL text (diacritics and all),
which is what the highlighter marks.  Every filter rewrites one word into zero
or more words, so an analyzer computes each distinct word's forms once and
keeps them (news vocabulary repeats: most tokens of an article were seen
before).  The engines adapt these chains to their own token types
(``search/engines/whoosh/analysis.py``; the cluster gets the token texts).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from search.normalize import normalize_word
from search.stemming import STEMMERS, clitic_alternative
from search.stopwords import stopwords

#: Bump when analysis changes in a way that needs a rebuild; stored in meta.json.
ANALYZER_VERSION = 6  # 6: Akhbar's own chain (same tokens, other pickled classes); 5: listed people protected

#: A token is a run of word characters (letters and digits: ``[^\W_]``) and Arabic combining
#: marks and tatweel. Python's ``\w`` does not match the harakat (U+064B-U+0652), so without
#: them «مُتحدث» would be cut into «م» + «تحدث».
_WORD = r"[^\W_]"
_MARK = r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
#: ``(?:WORD|MARK)+``, unrolled so that the regex engine takes a run of either in one loop, not
#: one alternation a character: the same tokens (every ANT text, every BMP character), 20-25%
#: faster.
TOKEN_PATTERN = rf"{_WORD}+(?:{_MARK}+{_WORD}*)*|{_MARK}+(?:{_WORD}+{_MARK}*)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)

#: Distinct words whose forms an analyzer keeps; past this the memo starts again (bounded memory).
MEMO_WORDS = 200_000
#: The memos, one per chain: equal analyzers (the index schema's and the story features' exact and
#: stemmed chains, each built separately) share one, so a word is analyzed and kept once a process.
_MEMOS: dict[tuple, dict[str, tuple[str, ...]]] = {}


@dataclass(slots=True)
class Token:
    """One word of a text: its searchable form, its position among the kept words and
    its character span in the original text."""

    text: str
    pos: int
    startchar: int
    endchar: int
    stopped: bool = False
    matched: bool = False


class Stage:
    """A step of an analyzer; two stages are equal when their type and parameters are."""

    def __or__(self, other: Stage) -> Analyzer:
        return Analyzer(self, other)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "stops")
        return f"{type(self).__name__}({args})"


class ArabicTokenizer(Stage):
    """Split text into words without breaking them at diacritics or tatweel."""

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        for m in TOKEN_RE.finditer(text):
            yield m.group(), m.start(), m.end()

    def words(self, text: str) -> list[str]:
        """The words alone, without their offsets."""
        return TOKEN_RE.findall(text)


class Filter(Stage):
    """Rewrites one word into zero or more words (zero: the word is dropped).

    ``renumber``: words dropped here leave no gap in the positions (a stopword
    filter), so a phrase matches across a stopword as it does in the query.
    """

    renumber = False

    def forms(self, word: str) -> tuple[str, ...]:
        raise NotImplementedError


class NormalizeFilter(Filter):
    """The normalized search form of each word (see search.normalize); words that
    normalize to nothing (a lone diacritic) are dropped."""

    def forms(self, word: str) -> tuple[str, ...]:
        norm = normalize_word(word)
        return (norm,) if norm else ()


class StopFilter(Filter):
    """Drops Arabic stopwords (search.stopwords) and renumbers the positions."""

    renumber = True

    def __init__(self, stops: frozenset[str] | None = None):
        self.stops = stopwords() if stops is None else frozenset(stops)

    def forms(self, word: str) -> tuple[str, ...]:
        return () if word in self.stops else (word,)


class StemFilter(Filter):
    """Each word's light stem (see search.stemming), and with Akhbar's stemmer its
    clitic-less reading at the same position: «وصعوبات» is also «صعوبات».

    ``stemmer`` names the function in :data:`search.stemming.STEMMERS`: ``"akhbar"``
    (the product's), ``"broad"``, or ``"none"`` / ``"tashaphyne"`` (tashaphyne as
    shipped), kept for the quality comparison in docs/quality.md.
    """

    def __init__(self, stemmer: str = "akhbar"):
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose one of {sorted(STEMMERS)}")
        self.stemmer = stemmer

    def forms(self, word: str) -> tuple[str, ...]:
        first = STEMMERS[self.stemmer](word)
        alt = clitic_alternative(word) if self.stemmer == "akhbar" else None
        return (first, alt) if alt else (first,)


class Analyzer:
    """A tokenizer and its filters: ``analyzer(text)`` yields the :class:`Token` s."""

    def __init__(self, *stages: Stage | Analyzer):
        items: list[Stage] = []
        for s in stages:
            items.extend(s.items if isinstance(s, Analyzer) else [s])
        if not items or not isinstance(items[0], ArabicTokenizer) or \
                not all(isinstance(s, Filter) for s in items[1:]):
            raise TypeError("an analyzer is a tokenizer followed by filters")
        self._set(tuple(items))

    def _set(self, items: tuple[Stage, ...]) -> None:
        self.items = items
        self.tokenizer: ArabicTokenizer = cast(ArabicTokenizer, items[0])
        self.filters: tuple[Filter, ...] = cast(tuple[Filter, ...], items[1:])
        self.renumber = any(f.renumber for f in self.filters)
        self._memo = _MEMOS.setdefault(self.items, {})

    def __or__(self, other: Stage | Analyzer) -> Analyzer:
        return Analyzer(self, other)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Analyzer) and self.items == other.items

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.items))

    def __getstate__(self) -> dict:
        return {"items": self.items, "renumber": self.renumber}

    def __setstate__(self, state: dict) -> None:
        self._set(state["items"])

    def forms(self, word: str) -> tuple[str, ...]:
        """What the filters make of one word (empty: it is dropped), computed once per word."""
        memo = self._memo
        out = memo.get(word)
        if out is None:
            out = (word,)
            for f in self.filters:
                out = tuple(form for w in out for form in f.forms(w))
                if not out:
                    break
            if len(memo) >= MEMO_WORDS:
                memo.clear()
            # interned: the memos of the other chains, and the words of one stem, share one copy
            out = tuple(map(sys.intern, out))
            memo[sys.intern(word)] = out
        return out

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as the tokenizer splits them, before any filter (see :meth:`forms`)."""
        return self.tokenizer.words(text)

    def __call__(self, text: str) -> Iterator[Token]:
        pos = None
        for n, (word, start, end) in enumerate(self.tokenizer.spans(text)):
            forms = self.forms(word)
            if not forms:
                continue
            pos = n if pos is None or not self.renumber else pos + 1
            for form in forms:
                yield Token(form, pos, start, end)

    def positions(self, text: str) -> Iterator[tuple[str, int]]:
        """(form, position) of each token :meth:`__call__` gives, without the character spans:
        what an index writes, at a fraction of the cost (no match objects, no tokens)."""
        pos = None
        forms_of, renumber = self.forms, self.renumber
        for n, word in enumerate(self.tokenizer.words(text)):
            forms = forms_of(word)
            if not forms:
                continue
            pos = n if pos is None or not renumber else pos + 1
            for form in forms:
                yield form, pos


def exact_analyzer() -> Analyzer:
    """Tokenize, normalize, drop stopwords; no stemming."""
    return ArabicTokenizer() | NormalizeFilter() | StopFilter()


def stemmed_analyzer(stemmer: str = "akhbar") -> Analyzer:
    """Tokenize, normalize, drop stopwords, light-stem."""
    return exact_analyzer() | StemFilter(stemmer)


def broad_analyzer() -> Analyzer:
    """Tokenize, normalize, drop stopwords, stem aggressively (see search.stemming.broad_stem)."""
    return exact_analyzer() | StemFilter("broad")


def stem_function(analyzer: Analyzer | None):
    """The word -> stems function inside an analyzer chain (the word itself if it has none)."""
    for item in getattr(analyzer, "items", ()):
        if isinstance(item, StemFilter):
            return item.forms
    return _identity


def _identity(word: str) -> tuple[str, ...]:
    return (word,)


def analyze(analyzer: Analyzer, text: str) -> list[str]:
    """The token texts an analyzer produces for ``text``, in position order (the same at
    index and at query time)."""
    return [t.text for t in analyzer(text)]
