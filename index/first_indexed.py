"""When each article first entered the index, kept across updates and full rebuilds.

A feed's entry for an article without a date takes this time as its Atom ``updated`` (the
build's time changed it on every rebuild, so a reader saw it as new again), and a result
says when the collection got the article (``indexed``).  An article changed by an update
keeps its first time; one deleted and added again later starts anew.

The embedded engine keeps one table a generation (``indexed.json``: id -> RFC 3339 time in
UTC, beside ``files.json``); the cluster keeps each article's ``indexed`` field, which its
build reads back.  An index built before this has no times: its articles get theirs when they
are next written (a full build: now).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

FILE = "indexed.json"


def now() -> str:
    """This instant, RFC 3339 in UTC to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class FirstIndexed:
    """The times of a build: ``previous`` (id -> time: the index it replaces or updates) kept,
    ``at`` for an article it has none for."""

    def __init__(self, previous: dict[str, str] | None = None, at: str | None = None):
        self.previous, self.at = previous or {}, at or now()
        self.times: dict[str, str] = {}

    def stamp(self, doc) -> None:
        """Give a document being written its time (``doc.indexed``)."""
        doc.indexed = self.previous.get(doc.id, self.at)
        self.times[doc.id] = doc.indexed

    def keep(self, doc_id: str) -> None:
        """An article an update leaves as it is: its time, if it has one."""
        if doc_id in self.previous:
            self.times[doc_id] = self.previous[doc_id]

    @classmethod
    def read(cls, gen: Path | None) -> dict[str, str]:
        """A generation's table (empty if it has none)."""
        try:
            found = json.loads((gen / FILE).read_text(encoding="utf-8")) if gen is not None else {}
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def write(self, gen: Path) -> None:
        (gen / FILE).write_text(json.dumps(self.times, ensure_ascii=False), encoding="utf-8")
