"""The house spellings of a collection: candidate pairs (``letters``) the collection confirms
(``evidence``), joined into groups (:class:`search.variants.Variants`)."""
from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from typing import Protocol

import numpy as np

from index.variants.evidence import Contexts, Evidence, outlet_split, prefers_each
from index.variants.letters import MIN_ARTICLES, candidates, compounds, root_pattern
from search.variants import Variants

#: One spelling per outlet: the split, its G and the subjects' similarity at least (house style).
SPLIT, G, OUTLET_SUBJECTS = 0.5, 10.0, 0.2
#: Shared neighbours alone; or weaker neighbours with shared subjects.
NEIGHBOURS, WEAK_NEIGHBOURS, SUBJECTS = 0.08, 0.03, 0.4
#: A pair that may be one root's derivations (``letters.root_pattern``) needs house style with
#: neighbours in common (a banner's «تحميل» is not the others' «تحمل»), or both of these.
HOUSE_NEIGHBOURS = 0.05
PATTERN_NEIGHBOURS, PATTERN_SUBJECTS = 0.15, 0.3
#: A rare spelling of a common long word (in at most this share of its articles, a word of
#: LONG letters or more) needs fewer neighbours in common: it has few.
MINORITY_SHARE, LONG, MINORITY_NEIGHBOURS = 0.1, 6, 0.025


class Collection(Protocol):
    """What :func:`discover` reads of a built index (each engine's build gives it).

    ``frequency``: normalized word -> articles; ``documents``: the articles; ``texts()``: every
    article's number (0 .. documents - 1) and words, normalized, in order; ``outlet``: each
    article's outlet number (-1: none), of ``outlets`` (read after ``texts()``);
    ``same_stem(a, b)``: the stemmer makes the two one already."""

    frequency: Mapping[str, int]
    documents: int
    outlet: np.ndarray
    outlets: int

    def texts(self) -> Iterable[tuple[int, list[str]]]: ...

    def same_stem(self, a: str, b: str) -> bool: ...


def confirmed(ev: Evidence, pattern: bool, minority: bool) -> bool:
    """Whether the evidence makes a pair one word's spellings (``pattern``: the pair may be one
    root's derivations; ``minority``: a rare spelling of a common long word)."""
    house = ev.each and ev.split >= SPLIT and ev.g >= G and ev.subjects >= OUTLET_SUBJECTS
    if pattern:
        return (house and ev.neighbours >= HOUSE_NEIGHBOURS) or (
            ev.neighbours >= PATTERN_NEIGHBOURS and ev.subjects >= PATTERN_SUBJECTS)
    return (house or ev.neighbours >= NEIGHBOURS or (ev.neighbours >= WEAK_NEIGHBOURS and ev.subjects >= SUBJECTS)
            or (minority and ev.neighbours >= MINORITY_NEIGHBOURS))


#: An update that adds, changes or deletes at most this share of the collection's articles keeps the
#: spellings found before: finding them reads every article (30 s of an update of ANT), and a few
#: new articles seldom change them.  A larger update, ``--regroup`` or a full build finds them again.
KEEP_SHARE = 0.05


def kept(previous: Variants, changed: int, documents: int, regroup: bool = False) -> dict | None:
    """The figures of an update that keeps ``previous`` (``changed``: articles added, changed or
    deleted, of ``documents``), or None when it must find the spellings again."""
    if regroup or not previous or changed > KEEP_SHARE * max(documents, 1):
        return None
    return {"groups": len(previous), "kept": True, "seconds": 0.0}


def discover(c: Collection, explain: list | None = None) -> tuple[Variants, dict]:
    """The spelling groups of a collection, and figures on what was compared (``explain``: a list
    that gets ``(a, b, Evidence, pattern, confirmed)`` for every candidate pair)."""
    started = time.perf_counter()
    pairs = [(a, b) for a, b in candidates(c.frequency) if not c.same_stem(a, b)]
    joined = compounds(c.frequency)
    words = {w for p in pairs for w in p} | {w for w, _x, _y in joined}
    documents = max(c.documents, 1)
    idf = {w: math.log(documents / df) for w, df in c.frequency.items() if 0 < df < documents}
    contexts = Contexts(words, c.texts(), idf, [(x, y) for _w, x, y in joined])
    docs = contexts.docs
    # «عبدالعزيز», «عبد العزيز»: when the two are written apart in MIN_ARTICLES articles
    pairs += [(w, f"{x} {y}") for w, x, y in joined if len(docs.get(f"{x} {y}", ())) >= MIN_ARTICLES]
    pairs = [(a, b) for a, b in pairs if a in docs and b in docs]
    outlet = np.asarray(c.outlet)
    counts = {}
    for w, d in docs.items():
        o = outlet[d]
        counts[w] = np.bincount(o[o >= 0], minlength=c.outlets)
    accepted = []
    for (a, b), near in zip(pairs, contexts.neighbours(pairs)):
        split, g = outlet_split(counts[a], counts[b])
        ev = Evidence(split, g, prefers_each(counts[a], counts[b], MIN_ARTICLES), float(near), contexts.subjects(a, b))
        pattern = root_pattern(a, b)
        rare, common = sorted((len(docs[a]), len(docs[b])))
        ok = confirmed(ev, pattern, rare <= MINORITY_SHARE * common and min(len(a), len(b)) >= LONG)
        if explain is not None:
            explain.append((a, b, ev, pattern, ok))
        if ok:
            accepted.append((a, b))
    groups = _components(accepted, {w: len(d) for w, d in docs.items()})
    return Variants(groups), {"candidates": len(pairs), "pairs": len(accepted), "groups": len(groups),
                              "seconds": round(time.perf_counter() - started, 1)}


def _components(pairs: list[tuple[str, str]], frequency: Mapping[str, int]) -> list[list[str]]:
    """Connected words, each group most frequent first."""
    parent: dict[str, str] = {}

    def find(w: str) -> str:
        while parent.setdefault(w, w) != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for w in parent:
        groups.setdefault(find(w), []).append(w)
    return sorted((sorted(g, key=lambda w: (-frequency.get(w, 0), w)) for g in groups.values()), key=lambda g: g[0])
