"""MinHash LSH over a whole collection at once: the candidate pairs of near-duplicate detection.

The same technique and the same numbers as datasketch's ``MinHash`` (scheme ``affine32``, fixed
seed: the values are checked against it in tests/test_stories.py) and ``MinHashLSH`` (its band
layout for the threshold), computed for many articles in one numpy pass instead of one Python
object per article and one hash-table insert per band: on ANT (31.5k articles) duplicate
detection went from 16.5 s to 3.4 s (``scripts/experiments/stories_time.py``).  A pair is a candidate when one band of their
signatures is equal; only the bands' rows of the signature are computed.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Permutations of the MinHash: the Jaccard estimate's standard error is about 0.04.
NUM_PERM = 128
#: Signature rows hashed together in one pass (bounds the temporary matrix: rows x permutations).
CHUNK_ROWS = 65_536
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_EMPTY = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=4)
def bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's ``MinHashLSH`` chooses for ``threshold`` (equal
    weights of false positives and false negatives)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def permutations(num_perm: int = NUM_PERM) -> np.ndarray:
    """datasketch's ``affine32`` permutations for seed 1: a (2, num_perm) uint32 array (a, b)."""
    from datasketch import MinHash

    return np.asarray(MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch mixes each input hash with it first)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def signatures(sets: list[np.ndarray], width: int, num_perm: int = NUM_PERM) -> np.ndarray:
    """The first ``width`` MinHash values of each set of 32-bit hashes: a (len(sets), width)
    uint32 array (an empty set's row is all 0xFFFFFFFF, as datasketch leaves it)."""
    a, b = (p[:width] for p in permutations(num_perm))
    out = np.full((len(sets), width), _EMPTY, dtype=np.uint32)
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    lo = 0
    with np.errstate(over="ignore"):
        while lo < len(sets):
            hi, total = lo, 0
            while hi < len(sets) and (hi == lo or total + sizes[hi] <= CHUNK_ROWS):
                total += sizes[hi]
                hi += 1
            rows = [k for k in range(lo, hi) if sizes[k]]
            if rows:
                h = _fmix32(np.concatenate([sets[k] for k in rows]).astype(np.uint32))
                phv = h[:, None] * a + b  # uint32: the wraparound is the modulo 2^32
                starts = np.concatenate([[0], np.cumsum(sizes[rows])[:-1]])
                out[rows] = np.minimum.reduceat(phv, starts, axis=0)
            lo = hi
    return out


def candidate_pairs(sets: list[np.ndarray], threshold: float, num_perm: int = NUM_PERM) -> np.ndarray:
    """Every pair (i, j), i > j, of non-empty sets that share a band of their MinHash signatures:
    a (pairs, 2) int64 array sorted by i then j."""
    nb, nr = bands(threshold, num_perm)
    sig = signatures(sets, nb * nr, num_perm)
    live = np.flatnonzero([len(s) > 0 for s in sets])
    keys = np.empty((nb, len(live)), dtype=np.uint64)  # each band's value, one number a band
    for k in range(nb):
        band = sig[live, k * nr:(k + 1) * nr]
        value = band[:, 0] if nr == 1 else np.unique(band, axis=0, return_inverse=True)[1].reshape(-1)
        keys[k] = (np.uint64(k) << np.uint64(32)) | value.astype(np.uint64)
    keys = keys.reshape(-1)
    order = np.argsort(keys, kind="stable")
    ks, who = keys[order], np.tile(live, nb)[order]
    # position p pairs with p - d for every d that stays inside its run of equal keys
    start = np.zeros(len(ks), dtype=np.int64)
    if len(ks):
        new_run = np.concatenate([[True], ks[1:] != ks[:-1]])
        start = np.maximum.accumulate(np.where(new_run, np.arange(len(ks)), 0))
    depth = np.arange(len(ks)) - start
    found = []
    for d in range(1, int(depth.max(initial=0)) + 1):
        p = np.flatnonzero(depth >= d)
        found.append(np.stack([np.maximum(who[p], who[p - d]), np.minimum(who[p], who[p - d])], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found).astype(np.int64), axis=0)
