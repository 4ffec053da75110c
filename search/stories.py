"""The read side of stories: a generation's duplicate groups, stories and article vectors.

Written by the build (``index.stories.store``) in ``gen-*/stories``; every array is
memory-mapped, shared by a server's processes.  A story is named by the id of its
first article (in date order); so is a duplicate group.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

DIRNAME = "stories"
#: The ids, by row and sorted (with each one's row): fixed-width UTF-8, memory-mapped.
IDS_BY_ROW, IDS_SORTED, ROWS_SORTED = "ids.npy", "ids.sorted.npy", "ids.sorted.rows.npy"
#: The copies an outlet republished under other ids, not indexed (``index.republished``).
REPUBLISHED = "republished.json"
#: Related articles: how many of the article's heaviest terms are looked up.
RELATED_TERMS = 40


class Ids:
    """Article ids by row (``ids[n]``, ``len``, iteration) and the row of an id (:meth:`row`),
    read from memory-mapped arrays: a server process holds none of them privately (at 300k
    articles a list and a dict of them took 56 MB a process)."""

    def __init__(self, by_row: np.ndarray, by_id: np.ndarray, rows: np.ndarray):
        self._by_row, self._by_id, self._rows = by_row, by_id, rows

    @classmethod
    def open(cls, folder: Path) -> Ids:
        """The ids of a stories folder (a generation built before the arrays has ``ids.json``)."""
        if not (folder / IDS_BY_ROW).exists():
            return cls(*arrays_of(json.loads((folder / "ids.json").read_text(encoding="utf-8"))))
        return cls(*(np.load(folder / name, mmap_mode="r") for name in (IDS_BY_ROW, IDS_SORTED, ROWS_SORTED)))

    def __len__(self) -> int:
        return len(self._by_row)

    def __getitem__(self, n: int) -> str:
        return bytes(self._by_row[n]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        for raw in self._by_row:
            yield bytes(raw).decode("utf-8")

    def row(self, doc_id: str) -> int | None:
        """The row of ``doc_id``, None if it has none."""
        key = doc_id.encode("utf-8")
        if not key or len(key) > self._by_id.dtype.itemsize or key.endswith(b"\0"):
            return None
        i = int(np.searchsorted(self._by_id, key))
        return int(self._rows[i]) if i < len(self._by_id) and bytes(self._by_id[i]) == key else None


def arrays_of(ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``ids`` as :class:`Ids`' three arrays: by row, sorted, and the row of each sorted one."""
    by_row = np.array([i.encode("utf-8") for i in ids], dtype="S")  # as wide as the longest
    rows = np.argsort(by_row, kind="stable").astype(np.int32)
    return by_row, by_row[rows], rows


def republished_rows(folder: Path) -> list[list]:
    """The stories folder's republished copies: ``[id, first id, category, url]`` each (none in a
    folder written before them, or one that cannot be read)."""
    try:
        return json.loads((Path(folder) / REPUBLISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def republished_copies(folder: Path) -> dict[str, str]:
    """The stories folder's republished copies: id -> the id of the article each repeats."""
    return {row[0]: row[1] for row in republished_rows(folder)}


class StoryIndex:
    """Stories of one generation folder (see :meth:`open`)."""

    def __init__(self, folder: Path):
        load = lambda name: np.load(folder / name, mmap_mode="r")  # noqa: E731
        self.ids = Ids.open(folder)
        self.story, self.dup = load("story.npy"), load("dup.npy")
        self._copies: tuple[np.ndarray, np.ndarray] | None
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
        rows = republished_rows(folder)  # id -> (first id, category, url)
        self._republished = {r[0]: tuple(r[1:]) for r in rows}
        self._republications: dict[str, list[dict]] = {}
        for r in rows:
            self._republications.setdefault(r[1], []).append({"id": r[0], "category": r[2], "url": r[3]})

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

    def republished_as(self, doc_id: str) -> str | None:
        """The id of the article that ``doc_id`` republishes (``doc_id`` is not indexed), or None."""
        found = self._republished.get(doc_id)
        return found[0] if found else None

    def republications(self, doc_id: str) -> list[dict]:
        """The other ids, sections and addresses under which the outlet published ``doc_id``."""
        return self._republications.get(doc_id, [])

    def story_of(self, doc_id: str) -> str | None:
        """The story of ``doc_id`` (a republished copy's: its first's), None if it is not in the index."""
        doc_id = self.republished_as(doc_id) or doc_id
        n = self.ids.row(doc_id)
        return None if n is None else self.ids[int(self.story[n])]

    def members(self, doc_id: str) -> list[str]:
        """The ids of the articles of ``doc_id``'s story, oldest first (undated last)."""
        n = self.ids.row(doc_id)
        if n is None:
            return []
        s = int(self.story[n])
        return [self.ids[int(r)] for r in self._by_story[self._starts[s]:self._starts[s + 1]]]

    def size(self, doc_id: str) -> int:
        n = self.ids.row(doc_id)
        if n is None:
            return 1
        s = int(self.story[n])
        return int(self._starts[s + 1] - self._starts[s])

    def duplicate_of(self, doc_id: str) -> str | None:
        """The first article of ``doc_id``'s duplicate group (itself when it is the first or has no copy)."""
        n = self.ids.row(doc_id)
        return None if n is None else self.ids[int(self.dup[n])]

    def copies(self, doc_id: str) -> list[str]:
        """The articles that are the same report as ``doc_id``, pair by pair (not transitive:
        a compilation of two wire reports is a copy of both, which are not copies of each
        other), oldest first; its duplicate group's other members where the index predates pairs."""
        n = self.ids.row(doc_id)
        if n is None:
            return []
        if self._copies is None:
            dup = np.asarray(self.dup)
            return [self.ids[int(r)] for r in np.flatnonzero(dup == dup[n]) if r != n]
        indptr, indices = self._copies
        return [self.ids[r] for r in np.asarray(indices[int(indptr[n]):int(indptr[n + 1])]).tolist()]  # sorted when written

    def is_copy(self, a: str, b: str) -> bool:
        """Whether two articles are the same report (see :meth:`copies`; an article and the copies its
        outlet republished it as are one)."""
        if a == b:
            return False
        a, b = self.republished_as(a) or a, self.republished_as(b) or b
        return a == b or b in self.copies(a)

    def related(self, doc_id: str, count: int = 10) -> list[tuple[str, float]]:
        """The articles nearest ``doc_id`` by terms and entities (cosine of their tf-idf
        vectors, from the article's ``RELATED_TERMS`` heaviest terms), leaving out its own
        story and copies: (id, similarity), most similar first."""
        n = self.ids.row(doc_id)
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
        scores[[r for r in map(self.ids.row, self.copies(doc_id)) if r is not None]] = 0.0
        best = np.argsort(-scores, kind="stable")[:count]
        return [(self.ids[int(r)], float(scores[r])) for r in best if scores[r] > 0]
