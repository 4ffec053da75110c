"""One article, once: an outlet that publishes one article under several addresses or sections.

France 24 files each article under two categories (ANT: 1,099 of its URLs hold two or more
articles), other outlets now and then; the copies are one article.  A build keeps the first it
reads and records each later one as *republished* under it (its id, category and address), so
it is counted once in totals, facets, timelines, exports, feeds and related lists, and its
page and categories still reach the reader through the first (``search.stories``).

Two articles are the same article when they come from the same outlet and either
* their addresses are the same once canonical (:func:`canonical_url`: scheme, host case,
  default port, ``www.``, a trailing slash, the fragment and tracking parameters do not count), or
* their headline and text are the same, to the character after white space is folded, and they
  were published within :data:`TEXT_DAYS` of each other (or either has no date).

Keys are 64-bit hashes (an article costs two dictionary entries, not its text).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from index.documents import Document

#: Query parameters that say where a reader came from, not which article it is.
TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|ref|ref_src|ocid|cmpid|at_.*|xtor|_ga)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def canonical_url(url: str) -> str:
    """The address an article is the same under: «HTTPS://www.Example.com:443/a/b/?utm_source=x#top» and
    «http://example.com/a/b» are one; percent-encoding is decoded so «/%D8%AE%D8%A8%D8%B1» is «/خبر»."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = unquote(parts.path).rstrip("/") or "/"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)))
    return urlunsplit(("", host, path, query, ""))


def _key(*parts: str) -> int:
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return int.from_bytes(h.digest(), "big")


#: The same text from the same outlet is one article when published within this many days (a scraper
#: that read it twice); further apart it is a re-run, a new article under its own date.
TEXT_DAYS = 2


def _url_key(doc: Document) -> int | None:
    return _key("url", doc.source or "", canonical_url(doc.url)) if doc.url and doc.url.strip() else None


def _text_key(doc: Document) -> int:
    return _key("text", doc.source or "", _SPACE.sub(" ", doc.title).strip(), _SPACE.sub(" ", doc.body).strip())


def keys(doc: Document) -> tuple[int | None, int, int | None]:
    """What tells that two articles are one: the outlet's canonical address, the outlet's headline and
    text, and the day (None: undated)."""
    return _url_key(doc), _text_key(doc), doc.date.toordinal() if doc.date is not None else None


@dataclass(frozen=True)
class Republished:
    """A later copy of an article: its own id, section and address, and the id kept for it."""

    id: str
    first: str
    category: str | None
    url: str | None

    def row(self) -> list:
        return [self.id, self.first, self.category, self.url]


class SameArticles:
    """The articles a build has read, by what makes two of them one: the outlet with the canonical
    address, or the outlet with the headline and text published within :data:`TEXT_DAYS`."""

    def __init__(self, into: list[Republished] | None = None):
        self._by_url: dict[int, str] = {}
        self._by_text: dict[int, tuple[str, int | None]] = {}  # -> (id, day number: None when undated)
        self.republished: list[Republished] = [] if into is None else into

    def first_of(self, doc: Document) -> str | None:
        """The id of the article ``doc`` republishes (read earlier), or None: it is new, and remembered."""
        return self.first_of_keys(doc.id, *keys(doc), doc.category, doc.url)

    def first_of_keys(self, doc_id: str, url: int | None, text: int, day: int | None, category: str | None,
                      address: str | None) -> str | None:
        """:meth:`first_of` an article known by its :func:`keys` (a file an update does not read again)."""
        found = self._by_url.get(url) if url is not None else None
        if found is None and text in self._by_text:
            first, first_day = self._by_text[text]
            if day is None or first_day is None or abs(day - first_day) <= TEXT_DAYS:
                found = first
        if found is not None:
            self.republished.append(Republished(doc_id, found, category, address))
            return found
        if url is not None:
            self._by_url.setdefault(url, doc_id)
        self._by_text[text] = (doc_id, day)  # the latest run of a text is what a re-run is compared with
        return None

    def rows(self) -> list[list]:
        return [r.row() for r in self.republished]
