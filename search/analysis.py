"""Whoosh analyzers for Arabic: one chain, used at index time and at query time.

    ArabicTokenizer | ArabicNormalizeFilter | StopFilter(Arabic) | ArabicStemFilter

* :func:`stemmed_analyzer` feeds the ``text`` field (recall: «المصريين» meets
  «المصري» and «مصر»);
* :func:`exact_analyzer` (no stemming) feeds ``text_exact`` and the ``*_text``
  filter fields, so that exact forms outrank same-stem forms and phrases match
  exactly;

Tokens keep ``startchar``/``endchar`` in the ORIGINAL text (diacritics and all),
which is what the highlighter marks.  Whoosh pickles analyzers into the index,
so everything here is a plain importable class holding no live objects.
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter, RegexTokenizer, StopFilter

from search.normalize import normalize_word
from search.stemming import STEMMERS, clitic_alternative
from search.stopwords import stopwords

#: Bump when analysis changes in a way that needs a rebuild; stored in meta.json.
ANALYZER_VERSION = 5  # 5: spellings of listed people protected; 4: broad stems; 3: CLDR cities protected from the stemmer

#: A token is a run of word characters, Arabic combining marks and tatweel.
#: Python's ``\w`` does not match the harakat (U+064B-U+0652), so without them
#: «مُتحدث» would be cut into «م» + «تحدث».
TOKEN_PATTERN = r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+"
TOKEN_RE = re.compile(TOKEN_PATTERN)


def ArabicTokenizer() -> RegexTokenizer:
    """Split text into words without breaking them at diacritics or tatweel."""
    return RegexTokenizer(expression=TOKEN_PATTERN)


class ArabicNormalizeFilter(Filter):
    """Rewrite each token to its normalized search form (see search.normalize)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_word(t.text)
            if t.text:
                yield t


class ArabicStemFilter(Filter):
    """Replace each token with its light stem (see search.stemming).

    ``stemmer`` names the stemming function in :data:`search.stemming.STEMMERS`:
    ``"akhbar"`` (the product's), or ``"none"`` / ``"tashaphyne"`` (tashaphyne as
    shipped), kept for the quality comparison in docs/quality.md.
    """

    def __init__(self, stemmer: str = "akhbar"):
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose one of {sorted(STEMMERS)}")
        self.stemmer = stemmer

    def stems(self, word: str) -> tuple[str, ...]:
        """The stem of a word, and with Akhbar's stemmer its clitic-less alternative if any."""
        first = STEMMERS[self.stemmer](word)
        alt = clitic_alternative(word) if self.stemmer == "akhbar" else None
        return (first, alt) if alt else (first,)

    def __call__(self, tokens):
        fn = STEMMERS[self.stemmer]
        expand = self.stemmer == "akhbar"
        for t in tokens:
            if t.stopped:
                yield t
                continue
            word = t.text
            t.text = fn(word)
            yield t
            alt = clitic_alternative(word) if expand else None
            if alt:  # a second reading at the same position: «وصعوبات» is also «صعوبات»
                t.text = alt
                yield t


def _stop_filter() -> StopFilter:
    return StopFilter(stoplist=stopwords(), minsize=1)


def exact_analyzer():
    """Tokenize, normalize, drop stopwords; no stemming."""
    return ArabicTokenizer() | ArabicNormalizeFilter() | _stop_filter()


def stemmed_analyzer(stemmer: str = "akhbar"):
    """Tokenize, normalize, drop stopwords, light-stem."""
    return exact_analyzer() | ArabicStemFilter(stemmer)


def broad_analyzer():
    """Tokenize, normalize, drop stopwords, stem aggressively (see search.stemming.broad_stem)."""
    return exact_analyzer() | ArabicStemFilter("broad")


def stem_function(analyzer):
    """The word -> stems function inside an analyzer chain (the word itself if it has none)."""
    for item in getattr(analyzer, "items", ()):
        if isinstance(item, ArabicStemFilter):
            return item.stems
    return _identity


def _identity(word: str) -> tuple[str, ...]:
    return (word,)


def analyze(analyzer, text: str) -> list[str]:
    """The token texts an analyzer produces for ``text`` at query time."""
    return [t.text for t in analyzer(text, mode="query")]


def analyze_index(analyzer, text: str) -> list[str]:
    """The token texts an analyzer produces for ``text`` at index time, in position order."""
    return [t.text for t in analyzer(text, mode="index")]
