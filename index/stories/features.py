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
from functools import lru_cache

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
#: Body lines of at least this many content words are remembered (hash and terms), so that lines an
#: outlet repeats across its pages (page furniture: its sidebar's headlines) can be taken out later.
LINE_WORDS = 6

_EXACT = exact_analyzer()
_STEM = stem_function(stemmed_analyzer())


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


def minhash_of(shingles: np.ndarray):
    """The datasketch MinHash of hashed shingles (a fixed seed, so signatures compare across builds).
    The shingles are already 32-bit hashes, so they are used as the input hashes themselves
    (datasketch would hash each again with SHA-1: most of the cost), with one set of permutations."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=int, permutations=_permutations())
    if len(shingles):
        m.update_batch(shingles.tolist())
    return m


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def stems(words: list[str]) -> list[str]:
    """The stemmed terms of analyzed words, in order."""
    return [s for w in words for s in _STEM(w)]


def line_hash(words: list[str]) -> int:
    """A line's identity: the hash of its analyzed words (so spacing, diacritics and punctuation
    do not tell two copies of one line apart)."""
    return zlib.crc32(" ".join(words).encode("utf-8"))


def features(title: str, body: str) -> Features:
    """What an article contributes: computed from its title and body."""
    words: list[str] = []
    terms: Counter = Counter()
    lines: list[tuple[int, list[str]]] = []
    for line in body.split("\n"):
        lw = analyze(_EXACT, line)
        if not lw:
            continue
        words.extend(lw)
        ls = stems(lw)
        terms.update(ls)
        if len(lw) >= LINE_WORDS:
            lines.append((line_hash(lw), ls))
    for s in stems(analyze(_EXACT, title)):
        terms[s] += TITLE_WEIGHT
    return Features(shingles=shingle_hashes(words), terms=terms, lines=lines)


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
