"""The read side of stories: a generation's duplicate groups, stories and article vectors.

Written by the build (``index.stories.store``) in ``gen-*/stories``; every array is
memory-mapped, shared by a server's processes.  A story is named by the id of its
first article (in date order); so is a duplicate group.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

DIRNAME = "stories"
#: Related articles: how many of the article's heaviest terms are looked up.
RELATED_TERMS = 40


class StoryIndex:
    """Stories of one generation folder (see :meth:`open`)."""

    def __init__(self, folder: Path):
        load = lambda name: np.load(folder / name, mmap_mode="r")  # noqa: E731
        self.ids: list[str] = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        self.row = {doc_id: n for n, doc_id in enumerate(self.ids)}
        self.story, self.dup = load("story.npy"), load("dup.npy")
        try:  # each row's copies, pair by pair (a generation built before them has only the groups)
            self._copies = (load("copies.indptr.npy"), load("copies.indices.npy"))
        except OSError:
            self._copies = None
        self._vec = (load("vec.indptr.npy"), load("vec.indices.npy"), load("vec.data.npy"))
        self._inv = (load("inv.indptr.npy"), load("inv.indices.npy"), load("inv.data.npy"))
        order = np.argsort(np.asarray(self.story), kind="stable")  # rows by story, date order within
        self._by_story = order
        self._starts = np.searchsorted(np.asarray(self.story)[order], np.arange(len(self.ids) + 1))
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    @classmethod
    def open(cls, gen: str | os.PathLike) -> StoryIndex | None:
        """The stories of a generation folder, None if it has none (built before stories) or
        they cannot be read."""
        try:
            return cls(Path(gen) / DIRNAME)
        except (OSError, ValueError, KeyError):
            return None

    def __len__(self) -> int:
        return len(self.ids)

    def story_of(self, doc_id: str) -> str | None:
        n = self.row.get(doc_id)
        return None if n is None else self.ids[int(self.story[n])]

    def members(self, doc_id: str) -> list[str]:
        """The ids of the articles of ``doc_id``'s story, oldest first (undated last)."""
        n = self.row.get(doc_id)
        if n is None:
            return []
        s = int(self.story[n])
        return [self.ids[int(r)] for r in self._by_story[self._starts[s]:self._starts[s + 1]]]

    def size(self, doc_id: str) -> int:
        n = self.row.get(doc_id)
        if n is None:
            return 1
        s = int(self.story[n])
        return int(self._starts[s + 1] - self._starts[s])

    def duplicate_of(self, doc_id: str) -> str | None:
        """The first article of ``doc_id``'s duplicate group (itself when it is the first or has no copy)."""
        n = self.row.get(doc_id)
        return None if n is None else self.ids[int(self.dup[n])]

    def copies(self, doc_id: str) -> list[str]:
        """The articles that are the same report as ``doc_id``, pair by pair (not transitive:
        a compilation of two wire reports is a copy of both, which are not copies of each
        other), oldest first; its duplicate group's other members where the index predates pairs."""
        n = self.row.get(doc_id)
        if n is None:
            return []
        if self._copies is None:
            dup = np.asarray(self.dup)
            return [self.ids[int(r)] for r in np.flatnonzero(dup == dup[n]) if r != n]
        indptr, indices = self._copies
        return [self.ids[r] for r in np.asarray(indices[int(indptr[n]):int(indptr[n + 1])]).tolist()]  # sorted when written

    def is_copy(self, a: str, b: str) -> bool:
        """Whether two articles are the same report (see :meth:`copies`)."""
        return a != b and b in self.copies(a)

    def related(self, doc_id: str, count: int = 10) -> list[tuple[str, float]]:
        """The articles nearest ``doc_id`` by terms and entities (cosine of their tf-idf
        vectors, from the article's ``RELATED_TERMS`` heaviest terms), leaving out its own
        story and copies: (id, similarity), most similar first."""
        n = self.row.get(doc_id)
        if n is None:
            return []
        indptr, indices, data = self._vec
        a, b = int(indptr[n]), int(indptr[n + 1])
        cols, weights = np.asarray(indices[a:b]), np.asarray(data[a:b])
        keep = np.argsort(-weights)[:RELATED_TERMS]
        iptr, irows, idata = self._inv
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for c, w in zip(cols[keep].tolist(), weights[keep].tolist()):
            lo, hi = int(iptr[c]), int(iptr[c + 1])
            scores[np.asarray(irows[lo:hi])] += w * np.asarray(idata[lo:hi])
        story = np.asarray(self.story)
        scores[story == story[n]] = 0.0
        dup = np.asarray(self.dup)
        scores[dup == dup[n]] = 0.0
        scores[[self.row[c] for c in self.copies(doc_id)]] = 0.0
        best = np.argsort(-scores, kind="stable")[:count]
        return [(self.ids[int(r)], float(scores[r])) for r in best if scores[r] > 0]
