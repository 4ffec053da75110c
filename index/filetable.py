"""The files a generation was read from, so that an update reads again only those that changed.

An update used to read and digest every article of the collection to find what changed (10-15 s
of an update of ANT's 31.5k files).  The generation now keeps, for each plain article file of a
folder collection read without a problem, its size and modification time and what was read from
it (``files.json``): each article's id, digest, the keys that tell a republished copy
(``index.republished``), its section and address.  An update reads a file again only when its
size or time differ, or when what the table says of it no longer holds (an article not indexed
under that digest, or not in the previous stories, unless it is a republished copy of an article
in a file taken as read); an unchanged file's articles are taken as read, in their place in the
reading order.  Should a copy taken as read no longer be one (the article it repeated was
deleted or changed), the update starts again reading every file (:class:`StaleFileTable`).
Archives are read again every time (their members cannot be checked without reading them), and
so is a collection with a metadata table.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from search.errors import BuildError

NAME = "files.json"


class StaleFileTable(BuildError):
    """A file taken as read holds an article that must now be indexed: the update reads every file."""


def read_again_when_stale(build):
    """A build function (keywords ``update`` and ``trust_files``) that, when an update finds its file
    table stale (:class:`StaleFileTable`, raised before anything is served), runs again reading
    every file."""
    @functools.wraps(build)
    def run(*args, update: bool = False, trust_files: bool = True, **kwargs):
        if update and trust_files:
            try:
                return build(*args, update=True, trust_files=True, **kwargs)
            except StaleFileTable:
                pass
        return build(*args, update=update, trust_files=False, **kwargs)

    return run

#: What a file's article is remembered as: id, digest, url key, text key, day, category, url.
Entry = tuple


@dataclass(frozen=True)
class Kept:
    """An item of a collection: a file unchanged since the generation being updated, not read again."""

    path: str
    size: int
    mtime_ns: int
    articles: tuple[Entry, ...]


@dataclass(frozen=True)
class FileEnd:
    """An item of a collection: the end of a plain file's articles (``clean``: read without a problem),
    with its size and modification time as they were before it was read."""

    path: str
    size: int
    mtime_ns: int
    clean: bool


class FileTable:
    """Files -> (size, modification time, the articles read from them), as a generation keeps them."""

    def __init__(self, files: dict[str, list] | None = None):
        self.files: dict[str, list] = files or {}

    @classmethod
    def read(cls, gen: Path) -> FileTable:
        """The table of a generation (empty if it has none or it cannot be read: every file is read)."""
        try:
            files = json.loads((gen / NAME).read_text(encoding="utf-8"))
            return cls(files if isinstance(files, dict) else {})
        except (OSError, ValueError):
            return cls()

    def write(self, gen: Path) -> None:
        (gen / NAME).write_text(json.dumps(self.files, ensure_ascii=False), encoding="utf-8")

    def usable(self, digests: dict[str, str], previous: Container[str],
               copies: dict[str, str] | None = None) -> FileTable:
        """The files that can be taken as read: each of their articles is indexed under the digest the
        table gives and has its story features in ``previous``, or is a republished copy (``copies``:
        id -> the id it repeats, as the last build recorded them) of an article in such a file."""
        copies = copies or {}

        def indexed(a) -> bool:
            return digests.get(a[0]) == a[1] and a[0] in previous

        ok = {p for p, f in self.files.items() if all(indexed(a) or a[0] in copies for a in f[2])}
        file_of = {a[0]: p for p in ok for a in self.files[p][2]}
        dropped = True
        while dropped:  # (a file not taken as read takes the files of its copies with it)
            dropped = False
            for p in sorted(ok):
                if any(not indexed(a) and file_of.get(copies[a[0]]) not in ok for a in self.files[p][2]):
                    ok.discard(p)
                    dropped = True
        return FileTable({p: f for p, f in self.files.items() if p in ok})

    def kept(self, path: Path, stat: os.stat_result) -> Kept | None:
        """The file's articles if it has the size and time the table gives, else None."""
        found = self.files.get(str(path))
        if found is None or found[0] != stat.st_size or found[1] != stat.st_mtime_ns:
            return None
        return Kept(str(path), found[0], found[1], tuple(tuple(a) for a in found[2]))

    def add(self, path: str, size: int, mtime_ns: int, articles: list[Entry]) -> None:
        self.files[path] = [size, mtime_ns, [list(a) for a in articles]]
