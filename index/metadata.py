"""Metadata stated in an article: headline, source outlet, publication date.

Nothing here is guessed: a source comes from a credit or dateline the article
itself states, a date from collection metadata in a recognised format.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from search.fields import MAX_FACET_CHARS

#: Headlines longer than this are not headlines: the article starts with its body.
MAX_HEADLINE_CHARS = 200
#: Words in a title derived from the first sentence of a headline-less article.
DERIVED_TITLE_WORDS = 14

# «دبي، الإمارات العربية المتحدة (CNN)-- التقى ...»: a credit in parentheses
# followed by a dash, in the dateline at the very start of the body.
_DATELINE_CREDIT_RE = re.compile(r"^[^\n()]{0,80}\(([^()\n]{2,30})\)\s*(?:--|-|–|—|:)")
# «المصدر : الجزيرة + وكالات» on a line of its own (usually the last).
_SOURCE_LINE_RE = re.compile(r"^\s*(?:المصدر|مصدر الخبر|source)\s*[:：]\s*(.{2,60}?)\s*$",
                             re.MULTILINE | re.IGNORECASE)

#: Outlet codes used by collections (ANT's <SRC>) -> the name readers know.
SOURCE_NAMES = {
    "alarabia": "العربية", "alarabiya": "العربية", "skynews": "سكاي نيوز عربية",
    "france24": "فرانس 24", "bbc": "BBC", "cnn": "CNN", "aljazeera": "الجزيرة",
}


def display_source(value: str | None) -> str | None:
    """A source as shown to readers: known outlet codes get their usual name; None for a value
    longer than any outlet's name (:data:`search.fields.MAX_FACET_CHARS`)."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_FACET_CHARS:
        return None
    return SOURCE_NAMES.get(value.lower(), value) or None


def split_headline(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(headline, section word, body lines) from the non-empty lines of a text article.

    The headline is the first line, unless that line is a bare section word such
    as «مصر» (then it is the section and the headline is the next line), or is
    too long to be a headline (the article has none).
    """
    section = None
    if len(lines) > 1 and len(lines[0].split()) == 1 and len(lines[0]) <= 20:
        section, lines = lines[0], lines[1:]
    if lines and len(lines[0]) <= MAX_HEADLINE_CHARS and len(lines) > 1:
        return lines[0], section, lines[1:]
    return None, section, lines


def derive_title(body: str) -> str:
    """A title for an article without a headline: its first clause, shortened."""
    first = body.strip().split("\n", 1)[0]
    words = first.split()
    if len(words) <= DERIVED_TITLE_WORDS:
        return first
    clause = words[:DERIVED_TITLE_WORDS]
    return " ".join(clause) + " …"


def source_from_text(body: str) -> str | None:
    """The outlet an article credits itself to, or None.

    >>> source_from_text("دبي، الإمارات العربية المتحدة (CNN)-- التقى وفد")
    'CNN'
    >>> source_from_text("نص الخبر\\nالمصدر : الجزيرة + وكالات")
    'الجزيرة'
    """
    m = _DATELINE_CREDIT_RE.match(body.lstrip())
    if m:
        return _clean_source(m.group(1))
    found = _SOURCE_LINE_RE.findall(body)
    if found:
        return _clean_source(found[-1])
    return None


def _clean_source(raw: str) -> str | None:
    """«الجزيرة + وكالات» -> «الجزيرة»; strips quotes and punctuation."""
    name = re.split(r"\s*(?:\+|/|،|,|و?وكالات)\s*", raw.strip())[0]
    name = name.strip(" \"'«»“”-–—.")
    return name or None


#: A date stated only to the year or the month («2021», «2021-06»): kept at that precision.
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
PRECISIONS = ("day", "month", "year")


def parse_dated(value: str | None) -> tuple[datetime | None, str | None]:
    """(date, precision) of a date from metadata: «2021» is the year 2021 («year»: not 1
    January), «2021-06» June 2021 («month»), a day or a time («day», see :func:`parse_date`);
    (None, None) if absent or unreadable."""
    if value and (m := _PARTIAL_DATE_RE.match(value.strip())):
        year, month = int(m.group(1)), int(m.group(2) or 1)
        if 1 <= month <= 12 and year >= 1:
            return datetime(year, month, 1), "month" if m.group(2) else "year"
        return None, None
    dt = parse_date(value)
    return (dt, "day") if dt is not None else (None, None)


def parse_date(value: str | None) -> datetime | None:
    """A publication date from metadata: ISO 8601 or RFC 2822; None if absent or unreadable.

    The wall-clock time of the publisher is kept (time zone dropped), since a
    news date is read in the outlet's own day.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if dt is None:
        return None
    return dt.replace(tzinfo=None)
