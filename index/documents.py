"""The records that flow from a collection reader to the index writer."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Document:
    """One article as read from a collection, before analysis."""

    id: str
    title: str
    body: str
    origin: str  # where it was read from: a path, "archive.tar.gz!member", "file.jsonl:12"
    source: str | None = None
    date: datetime | None = None
    #: How much of ``date`` is known: "day" (a day or a time), "month" or "year" (``date`` is then
    #: the period's first day: a year-only date is not 1 January); None without a date.
    date_precision: str | None = None
    url: str | None = None
    category: str | None = None
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    #: Place in the collections' reading order (0, 1, ...), set by ``index.pipeline.read_items``.
    seq: int = -1
    #: What an engine's writer computed for it in a worker process (``iter_items(prepare=...)``).
    prepared: dict | None = None
    #: Its shingles and terms for duplicate and story detection (``index.stories.features``).
    story: object | None = None

    @property
    def digest(self) -> str:
        """A fingerprint of the content, to notice edits on ``--update``."""
        h = hashlib.sha1()
        coarse = self.date_precision if self.date_precision in ("month", "year") else ""
        for part in (self.title, self.body, self.source or "", self.url or "", self.category or "",
                     (self.date.isoformat() + coarse) if self.date else ""):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Problem:
    """An input that could not be read: where, and why."""

    origin: str
    reason: str
    #: False for a problem that kept nothing out (a metadata row that names no article): a warning.
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
