"""What one article contributes to duplicate and story detection.

Computed once per article (in the build's worker processes): the article's
content words as the exact analyzer gives them (normalized, stopwords dropped)
for shingles, and its stemmed terms with counts for the term vector.  The
shingles are hashed to 32-bit integers (the MinHash LSH of ``index.stories.lsh`` takes them
as they are).
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from search.analysis import exact_analyzer, stemmed_analyzer

#: Words per shingle: three content words survive light rewording but not a shared topic.
SHINGLE = 3
#: A title's terms count this many times in the term vector (the headline says what the event is).
TITLE_WEIGHT = 2
#: Body lines of at least this many content words are remembered (hash and terms), so that lines an
#: outlet repeats across its pages (page furniture: its sidebar's headlines) can be taken out later.
LINE_WORDS = 6

_EXACT = exact_analyzer()
_STEMMED = stemmed_analyzer()


@dataclass
class Features:
    """An article's shingles (hashed), weighted stemmed terms, and its body lines of at least
    ``LINE_WORDS`` content words: each one's hash and stemmed terms (their counts are in ``terms``)."""

    shingles: np.ndarray  # uint32, sorted, unique
    terms: Counter = field(default_factory=Counter)
    lines: list[tuple[int, list[str]]] = field(default_factory=list)


def shingle_hashes(words: list[str], k: int = SHINGLE) -> np.ndarray:
    """The distinct k-word shingles of a word sequence, as sorted 32-bit hashes
    (a text shorter than k words is one shingle)."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    grams = (" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1)))
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32))


def line_hash(words: list[str]) -> int:
    """A line's identity: the hash of its analyzed words (so spacing, diacritics and punctuation
    do not tell two copies of one line apart)."""
    return zlib.crc32(" ".join(words).encode("utf-8"))


def _line(text: str) -> tuple[list[str], list[str]]:
    """A line's content words as the exact analyzer gives them, and their stems."""
    words: list[str] = []
    terms: list[str] = []
    for w in _EXACT.words(text):
        exact = _EXACT.forms(w)  # each analyzer remembers each word's forms
        if exact:
            words.extend(exact)
            terms.extend(_STEMMED.forms(w))
    return words, terms


def features(title: str, body: str) -> Features:
    """What an article contributes: computed from its title and body."""
    words: list[str] = []
    terms: Counter = Counter()
    lines: list[tuple[int, list[str]]] = []
    for line in body.split("\n"):
        lw, ls = _line(line)
        if not lw:
            continue
        words.extend(lw)
        terms.update(ls)
        if len(lw) >= LINE_WORDS:
            lines.append((line_hash(lw), ls))
    for s in _line(title)[1]:
        terms[s] += TITLE_WEIGHT
    return Features(shingles=shingle_hashes(words), terms=terms, lines=lines)


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted shingle-hash arrays: the share of shingles they
    have in common, and the share of the smaller text's shingles found in the other (a short
    copy of a longer report); 0 when either is empty."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted shingle-hash arrays."""
    return overlap(a, b)[0]


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of the smaller text's shingles found in the other."""
    return overlap(a, b)[1]
