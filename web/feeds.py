"""A search as an Atom feed (RFC 4287): its newest matches, so a reader can follow a name or a story.

Each entry is one article: its id a tag URI made from the article id (the same
article is the same entry in every feed and after every rebuild), ``updated`` the
article's date and time (the instant, in UTC; midnight when the source gave a day only) or, for an undated article,
when it first entered the index (``index.first_indexed``: the same after every update and
rebuild), when the index was built for an index that does not know; the link its page; the
summary its highlighted snippet.  The feed's ``updated`` is its newest entry's.  Serialized with
ElementTree, so every text is escaped, and every text and attribute passes through
``xml_text`` first: XML 1.0 cannot carry control characters at all, escaped or not.

Links are ``PUBLIC_URL`` + a path when that setting is given, else the path alone: a
relative reference, which a reader resolves against the feed's own URL (RFC 4287
section 2, RFC 3986).  Never the request's Host header, which the client chooses.
"""
from __future__ import annotations

import re
from urllib.parse import quote
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in a feed (the newest matches).
FEED_ENTRIES = 50
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
TAG_AUTHORITY = "tag:akhbar,2026:"

ET.register_namespace("", ATOM)

#: What XML 1.0 forbids (C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF) and what
#: it discourages (C1 controls, the other noncharacters): written into no feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(chr(p) + chr(p + 1) for p in range(0x1FFFE, 0x110000, 0x10000)) + "]")
#: Of those, the controls that separate words (vertical tab, form feed, U+001C-U+001F, NEL): a space.
_SEPARATORS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85")


def xml_text(text: str) -> str:
    """``text`` as an XML 1.0 document can hold it: the characters XML forbids or discourages
    removed, except that word-separating controls become a space (words stay apart)."""
    return _NOT_XML.sub(lambda m: " " if m.group() in _SEPARATORS else "", text)


def entry_id(doc_id: str) -> str:
    """A permanent IRI for an article (RFC 4151 tag URI; any article id, percent-encoded)."""
    return f"{TAG_AUTHORITY}article/{quote(doc_id, safe='')}"


def feed_id(canonical_query: str) -> str:
    """A permanent IRI for a search: the same words, filters and sort give the same feed."""
    return f"{TAG_AUTHORITY}search?{canonical_query}"


def _timestamp(value: str | None, fallback: str, time: str | None = None) -> str:
    """RFC 3339: a day at its time of day (``time``: HH:MM in UTC, as results give it) or at midnight
    UTC, else the fallback (an RFC 3339 timestamp)."""
    if value and len(value) == 10:
        clock = time if time and re.fullmatch(r"\d\d:\d\d", time) else "00:00"
        return f"{value}T{clock}:00Z"
    return fallback


def _el(parent, name: str, text: str | None = None, **attrs) -> ET.Element:
    """A child element; every text of the feed and every attribute value is written here, through ``xml_text``."""
    e = ET.SubElement(parent, f"{{{ATOM}}}{name}", {k: xml_text(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        e.text = xml_text(text)
    return e


def atom_feed(results: list[dict], *, title: str, canonical_query: str, self_url: str, page_url: str,
              article_link, indexed_at: str) -> bytes:
    """The feed of ``results`` (newest first, as ``search(..., sort="date")`` returns them).

    ``self_url``, ``page_url`` and ``article_link(doc_id)``: this feed's, its results page's and an
    article's URL (absolute with ``PUBLIC_URL``, else relative); ``indexed_at``: RFC 3339 time
    the index was built (the date of an undated article whose first time is not known)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ar"})
    _el(feed, "id", feed_id(canonical_query))
    _el(feed, "title", title)
    stamps = [_timestamp(r.get("date"), r.get("indexed") or indexed_at, r.get("time")) for r in results]
    _el(feed, "updated", max(stamps) if stamps else indexed_at)
    _el(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _el(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _el(feed, "author")
    _el(author, "name", "Akhbar")
    _el(feed, "generator", "Akhbar")
    for r, stamp in zip(results, stamps):
        entry = _el(feed, "entry")
        _el(entry, "id", entry_id(r["id"]))
        _el(entry, "title", r.get("title") or r["id"])
        _el(entry, "updated", stamp)
        if r.get("date"):
            _el(entry, "published", stamp)
        _el(entry, "link", rel="alternate", type="text/html", href=article_link(r["id"]))
        if r.get("source"):
            source_author = _el(entry, "author")
            _el(source_author, "name", r["source"])
        for kind in ("persons", "places", "organizations"):
            for name in r.get(kind) or []:
                _el(entry, "category", term=name, scheme=f"{TAG_AUTHORITY}{kind}")
        if r.get("snippet_html"):
            _el(entry, "summary", r["snippet_html"], type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
