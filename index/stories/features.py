"""What one article contributes to duplicate and story detection.

Computed once per article (in the build's worker processes): the article's
content words as the exact analyzer gives them (normalized, stopwords dropped)
for shingles, and its stemmed terms with counts for the term vector.  The
shingles are hashed to 32-bit integers and summarized by a MinHash, so what a
build keeps per article is a few hundred bytes.
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from search.analysis import analyze, exact_analyzer, stem_function, stemmed_analyzer

#: Words per shingle: three content words survive light rewording but not a shared topic.
SHINGLE = 3
#: Permutations of the MinHash: the Jaccard estimate's standard error is about 0.04.
NUM_PERM = 128
#: datasketch's permutation scheme (32-bit values: 512 bytes an article).
SCHEME = "affine32"
#: A title's terms count this many times in the term vector (the headline says what the event is).
TITLE_WEIGHT = 2

_EXACT = exact_analyzer()
_STEM = stem_function(stemmed_analyzer())


@dataclass
class Features:
    """An article's shingles (hashed) and weighted stemmed terms."""

    shingles: np.ndarray  # uint32, sorted, unique
    terms: Counter = field(default_factory=Counter)


def shingle_hashes(words: list[str], k: int = SHINGLE) -> np.ndarray:
    """The distinct k-word shingles of a word sequence, as sorted 32-bit hashes
    (a text shorter than k words is one shingle)."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    grams = (" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1)))
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32))


def minhash_of(shingles: np.ndarray):
    """The datasketch MinHash of hashed shingles (a fixed seed, so signatures compare across builds)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    if len(shingles):
        m.update_batch(shingles.tobytes()[i:i + 4] for i in range(0, 4 * len(shingles), 4))
    return m


def term_counts(title: str, words: list[str]) -> Counter:
    """Stemmed terms of the body's words, the title's counted ``TITLE_WEIGHT`` times."""
    counts: Counter = Counter()
    for w in words:
        for s in _STEM(w):
            counts[s] += 1
    for w in analyze(_EXACT, title):
        for s in _STEM(w):
            counts[s] += TITLE_WEIGHT
    return counts


def features(title: str, body: str) -> Features:
    """What an article contributes: computed from its title and body."""
    words = analyze(_EXACT, body)
    sh = shingle_hashes(words)
    return Features(shingles=sh, terms=term_counts(title, words))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted shingle-hash arrays."""
    if not len(a) and not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of the smaller text's shingles found in the other (a short copy of a longer report)."""
    if not len(a) or not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / min(len(a), len(b))
