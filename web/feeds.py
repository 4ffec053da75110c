"""A search as an Atom feed (RFC 4287): its newest matches, so a reader can follow a name or a story.

Each entry is one article: its id a tag URI made from the article id (the same
article is the same entry in every feed and after every rebuild), ``updated`` the
article's date (midnight UTC; the date is a day) or, for an undated article,
when the index was built; the link its page; the summary its highlighted
snippet.  The feed's ``updated`` is its newest entry's.  Serialized with
ElementTree, so every text is escaped.
"""
from __future__ import annotations

from urllib.parse import quote
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in a feed (the newest matches).
FEED_ENTRIES = 50
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
TAG_AUTHORITY = "tag:akhbar,2026:"

ET.register_namespace("", ATOM)


def entry_id(doc_id: str) -> str:
    """A permanent IRI for an article (RFC 4151 tag URI; any article id, percent-encoded)."""
    return f"{TAG_AUTHORITY}article/{quote(doc_id, safe='')}"


def feed_id(canonical_query: str) -> str:
    """A permanent IRI for a search: the same words, filters and sort give the same feed."""
    return f"{TAG_AUTHORITY}search?{canonical_query}"


def _timestamp(value: str | None, fallback: str) -> str:
    """RFC 3339: a day as midnight UTC, else the fallback (an RFC 3339 timestamp)."""
    if value and len(value) == 10:
        return f"{value}T00:00:00Z"
    return fallback


def _el(parent, name: str, text: str | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{name}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        e.text = text
    return e


def atom_feed(results: list[dict], *, title: str, canonical_query: str, self_url: str, page_url: str,
              article_link, indexed_at: str) -> bytes:
    """The feed of ``results`` (newest first, as ``search(..., sort="date")`` returns them).

    ``article_link(doc_id)``: an article's absolute URL; ``indexed_at``: RFC 3339 time
    the index was built (the date of undated articles)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ar"})
    _el(feed, "id", feed_id(canonical_query))
    _el(feed, "title", title)
    stamps = [_timestamp(r.get("date"), indexed_at) for r in results]
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
