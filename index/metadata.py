"""Metadata stated in an article: headline, source outlet, publication date.

Nothing here is guessed: a source comes from a credit or dateline the article
itself states, a date from collection metadata in a recognised format.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import NamedTuple

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
PRECISIONS = ("time", "day", "month", "year")
#: Precisions that name a day (a date's day is known): its time of day too for «time».
DAY_OR_TIME = ("time", "day")
#: An ISO 8601 day alone (no time of day).
_DAY_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
#: The earliest year a news date can have: an earlier one is a placeholder (year 1 is the zero
#: time of Go and .NET, «0001-01-01»), not when an article was published.  The latest is one
#: year past the build's (:func:`latest_year`).
FIRST_YEAR = 1900
DATE_FORMATS = "YYYY, YYYY-MM, YYYY-MM-DD, an ISO 8601 or RFC 2822 time"


class Dated(NamedTuple):
    """A date read from metadata: the date and its precision, or why a date given was dropped."""

    date: datetime | None
    precision: str | None
    problem: str | None = None


def latest_year() -> int:
    """The latest year a news date can have: one past the current one (a time zone ahead, a scheduled post)."""
    return datetime.now().year + 1


def read_date(value: str | None) -> Dated:
    """The date in a metadata value: «2021» is the year 2021 (precision «year»: not 1 January),
    «2021-06» June 2021 («month»), an ISO 8601 day «2021-06-05» («day»), an ISO 8601 or RFC 2822
    time («time»).  A time with a zone (``+04:00``, ``GMT``, ``Z``) is kept as the instant it names, in
    UTC, so that two outlets' times compare (Al Arabiya's «01:51:48 +0400» is 21:51:48 UTC the day
    before); a time without a zone is taken as UTC.  Nothing given: no date and no problem;
    unreadable or outside ``FIRST_YEAR`` to :func:`latest_year`: no date and the reason it was dropped."""
    if not value or not value.strip():
        return Dated(None, None)
    value = value.strip()
    shown = repr(value[:40])
    if m := _PARTIAL_DATE_RE.match(value):
        year, month = int(m.group(1)), int(m.group(2) or 1)
        dt, precision = (datetime(year, month, 1) if 1 <= month <= 12 and year >= 1 else None,
                         "month" if m.group(2) else "year")
    else:
        dt, precision = _date_time(value), ("day" if _DAY_RE.match(value) else "time")
    if dt is None:
        return Dated(None, None, f"date {shown} is not {DATE_FORMATS}")
    if not FIRST_YEAR <= dt.year <= latest_year():
        return Dated(None, None, f"date {shown} is outside {FIRST_YEAR} to {latest_year()}: not a publication date")
    return Dated(dt, precision)


def parse_dated(value: str | None) -> tuple[datetime | None, str | None]:
    """(date, precision) of :func:`read_date`; (None, None) if absent, unreadable or out of range."""
    return read_date(value)[:2]


def parse_date(value: str | None) -> datetime | None:
    """A day or time from metadata (:func:`read_date`), None if absent, unreadable or out of range."""
    dated = read_date(value)
    return dated.date if dated.precision in DAY_OR_TIME else None


def _date_time(value: str) -> datetime | None:
    """ISO 8601 or RFC 2822 as a naive UTC time (a time with no zone as it is); None if neither."""
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if dt is None:
        return None
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(timezone.utc)
        except OverflowError:  # an instant past the calendar's ends (year 1 at +01:00): no date
            return None
    return dt.replace(tzinfo=None)
