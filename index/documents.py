"""The records that flow from a collection reader to the index writer."""
from __future__ import annotations

import hashlib
import re
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
    #: How much of ``date`` is known: "time" (a time of day, ``date`` in UTC), "day", "month" or "year" (``date`` is then
    #: the period's first day: a year-only date is not 1 January); None without a date.
    date_precision: str | None = None
    url: str | None = None
    category: str | None = None
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    #: Place in the collections' reading order (0, 1, ...), set by ``index.pipeline.read_items``.
    seq: int = -1
    #: When it first entered the index (RFC 3339, UTC), set by the build (``index.first_indexed``).
    indexed: str | None = None
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
        """One line whatever the path or value in it (see :func:`shown`)."""
        return f"{shown(self.origin)}: {shown(self.reason)}"


def warning(origin: str, reason: str) -> Problem:
    """A problem that keeps no article out (a value replaced or dropped, a metadata row unused)."""
    return Problem(origin, reason, skipped=False)


#: What cannot be shown on one line as it is: control characters (new line, tab, escape, ...),
#: line and paragraph separators, and surrogates (a file name that is not UTF-8, a JSON escape
#: such as «\ud800» that is no character).
_UNSHOWABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` printable on one line: each character of ``_UNSHOWABLE_RE`` escaped as Python does
    («\\n», «\\x1b», «\\u2028»); a byte of a file name that is not UTF-8 as «\\xff»."""
    return _UNSHOWABLE_RE.sub(_escaped, text)


def _escaped(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return repr(m.group())[1:-1] if code < 0x100 else f"\\u{code:04x}"


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: not Unicode text, it cannot be written as UTF-8."""
    return _SURROGATE_RE.search(text) is not None


def valid_text(value: str, name: str, where: str, warnings: list[Problem]) -> str:
    """``value`` (the field ``name`` read at ``where``) with each lone surrogate replaced by U+FFFD,
    a warning added to ``warnings`` if there was any."""
    fixed, count = _SURROGATE_RE.subn("\ufffd", value)
    if count:
        warnings.append(warning(where, f"{name!r}: {count} lone surrogate(s) (an escape such as \\ud800 that is "
                                       "no character) replaced by U+FFFD"))
    return fixed
