"""The one search function: CLI, web and evaluation all call :func:`search`.

query text -> :func:`search.query.parse_query` -> the engine's matches (any
engine: ``search.engines``) -> ranked hits with metadata, highlighted snippets
and facet counts, as a plain dict ready for JSON.
"""
from __future__ import annotations

import time
from collections.abc import Iterator

from search.highlight import highlight_all, match_terms, snippet_html
from search.latin import contexts as latin_contexts
from search.latin import has_latin, resolve
from search.query import MAX_QUERY_WORDS, cap_words, parse_query

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "date")
RELAXED_WARNING = ("لا يوجد مقال يحتوي العبارة كما كُتبت؛ هذه نتائج كلماتها "
                   "(no article contains the exact phrase; showing articles with its words)")


def search(engine, text: str, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
           sort: str = "relevance", facets: bool = True, snippets: bool = True, latin: bool = True) -> dict:
    """Search an open engine; never raises on the query text.

    Returns ``{"query", "total", "page", "page_size", "took_ms", "results", "facets",
    "warnings", "latin"}``; each result has ``id, title, source, date, score, snippet_html,
    persons, places, organizations, url, category``.  Names typed in Latin letters are
    searched as the Arabic names they stand for (``latin=False``: as typed); ``latin``
    lists ``{"latin", "arabic", "how"}`` for each.
    """
    started = time.perf_counter()
    page = max(1, int(page))
    page_size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    searched, names = _arabic_names(engine, text) if latin else (text, [])
    pq, matches, warnings = _match(engine, searched)
    out = {"query": text, "total": 0, "page": page, "page_size": page_size, "results": [],
           "facets": {}, "warnings": warnings, "sort": "relevance", "latin": names}
    if matches.state is None:
        out["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return out

    by_date = _by_date(pq, sort)
    hits = engine.ranked(matches, (page - 1) * page_size, page_size, by_date=by_date)
    if hits:
        terms = match_terms(pq, engine)
        for hit in hits:
            result = _result_fields(hit.fields)
            result["score"] = None if hit.score is None else round(hit.score, 4)
            result["snippet_html"] = snippet_html(hit.fields["body"], terms) if snippets else None
            result["title_html"] = highlight_all(result["title"], terms) if snippets else None
            out["results"].append(result)
    out["total"] = matches.total
    out["sort"] = "date" if by_date else "relevance"
    if facets:
        out["facets"] = engine.facets(matches)
    out["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def _arabic_names(engine, text: str) -> tuple[str, list[dict]]:
    """The query with its Latin names replaced by Arabic ones (search.latin), and which."""
    if not has_latin(text):
        return text, []
    resolved = resolve(text, *_context(engine))
    return resolved.text, [{"latin": a, "arabic": b, "how": how} for a, b, how in resolved.names]


def _context(engine):
    ctx = latin_contexts.get(engine)
    return ctx.counts, ctx.translit, ctx.known


def _match(engine, text: str):
    """(parsed query, the engine's matches, warnings) of a query text: words past the cap
    dropped, a phrase no article has relaxed into its words."""
    pq = parse_query(text)
    dropped = cap_words(pq, engine.analyzer("text_exact"))
    warnings = list(pq.errors)
    if dropped:
        warnings.append(f"بُحث عن أول {MAX_QUERY_WORDS} كلمة فقط وأُهملت {dropped} بعدها (only the first "
                        f"{MAX_QUERY_WORDS} words were searched; {dropped} after them were ignored)")
    matches = engine.match(pq)
    if matches.state is None:
        if not pq.errors:
            warnings.append("the query has no searchable words (only stopwords or punctuation)")
    elif matches.total == 0 and pq.phrases and pq.phrases_required:
        # no article has the exact phrase: say so, and rank articles with its words instead
        pq.relax_phrases = True
        matches = engine.match(pq)
        warnings.append(RELAXED_WARNING)
    return pq, matches, warnings


def _by_date(pq, sort: str) -> bool:
    """Newest first: asked for, or a query of filters alone."""
    return sort == "date" or not (pq.words or pq.phrases)


def each_result(engine, text: str, sort: str = "relevance", latin: bool = True) -> tuple[int, list[str], Iterator[dict]]:
    """(total, warnings, every result in order) of a query, for exports and feeds: the same
    matches and order as :func:`search`, all of them, read a page at a time (no snippets)."""
    pq, matches, warnings = _match(engine, _arabic_names(engine, text)[0] if latin else text)

    def results() -> Iterator[dict]:
        for hit in engine.each(matches, by_date=_by_date(pq, sort)):
            result = _result_fields(hit.fields)
            result["score"] = None if hit.score is None else round(hit.score, 4)
            yield result

    return matches.total if matches.state is not None else 0, warnings, results()


def _result_fields(fields: dict) -> dict:
    """An article's fields as shown in results (no body; the date as ISO text)."""
    date = fields.get("date")
    return {
        "id": fields["id"], "title": fields.get("title", ""), "source": fields.get("source"),
        "date": date.date().isoformat() if date else None,
        "persons": fields["persons"], "places": fields["places"], "organizations": fields["organizations"],
        "url": fields.get("url"), "category": fields.get("category"),
    }


def get_article(engine, doc_id: str) -> dict | None:
    """One article as shown on its page (body included), or None."""
    fields = engine.document(doc_id)
    if fields is None:
        return None
    return {**_result_fields(fields), "body": fields.get("body", "")}
