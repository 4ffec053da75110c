"""The one search function: CLI, web and evaluation all call :func:`search`.

query text -> :func:`search.query.parse_query` -> Whoosh query -> BM25F ranking
-> results with metadata, highlighted snippets and facet counts, as a plain dict
ready for JSON.
"""
from __future__ import annotations

import time
from whoosh import query as Q
from whoosh import scoring, sorting

from search.docsets import matching_docs
from search.facets import count_facets
from search.highlight import highlight_all, match_terms, snippet_html
from search.query import parse_query, to_whoosh

#: BM25 parameters (Lucene's defaults for Arabic in the reference runs are k1=0.9 b=0.4).
BM25_K1 = 1.2
BM25_B = 0.75
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "date")
RELAXED_WARNING = ("لا يوجد مقال يحتوي العبارة كما كُتبت؛ هذه نتائج كلماتها "
                   "(no article contains the exact phrase; showing articles with its words)")


def weighting() -> scoring.BM25F:
    """The ranking function of every search."""
    return scoring.BM25F(K1=BM25_K1, B=BM25_B)


def split_values(value: str | None) -> list[str]:
    """A stored facet field ("a,b,c") as a list."""
    return [v for v in (value or "").split(",") if v]


def search(searcher, text: str, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
           sort: str = "relevance", facets: bool = True, snippets: bool = True) -> dict:
    """Search an open Whoosh searcher; never raises on the query text.

    Returns ``{"query", "total", "page", "page_size", "took_ms", "results", "facets",
    "warnings"}``; each result has ``id, title, source, date, score, snippet_html,
    persons, places, organizations, url, category``.
    """
    started = time.perf_counter()
    page = max(1, int(page))
    page_size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    pq = parse_query(text)
    scoring_q, filter_q = to_whoosh(pq, searcher.schema)
    out = {"query": text, "total": 0, "page": page, "page_size": page_size, "results": [],
           "facets": {}, "warnings": list(pq.errors), "sort": "relevance"}
    if scoring_q is None:
        if not pq.errors:
            out["warnings"].append("the query has no searchable words (only stopwords or punctuation)")
        out["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return out

    matched = _matched(searcher, scoring_q, filter_q)
    if len(matched) == 0 and pq.phrases and pq.phrases_required:
        # no article has the exact phrase: say so, and rank articles with its words instead
        pq.relax_phrases = True
        scoring_q, filter_q = to_whoosh(pq, searcher.schema)
        matched = _matched(searcher, scoring_q, filter_q)
        out["warnings"].append(RELAXED_WARNING)

    by_date = sort == "date" or not (pq.words or pq.phrases)  # filters alone: newest first
    first = (page - 1) * page_size
    if first < len(matched):
        kwargs = {}
        if filter_q is not None:  # rank only what matched the filters too
            kwargs["filter"] = set(matched.tolist())
        if by_date:
            kwargs["sortedby"] = sorting.FieldFacet("date", reverse=True)
        results = searcher.search(scoring_q, limit=first + page_size, terms=False, **kwargs)
        terms = match_terms(pq, searcher.schema)
        for hit in results[first:first + page_size]:
            fields = hit.fields()
            result = _article_fields(fields)
            result["score"] = None if by_date else round(float(hit.score or 0.0), 4)
            result["snippet_html"] = snippet_html(fields.get("body", ""), terms) if snippets else None
            result["title_html"] = highlight_all(result["title"], terms) if snippets else None
            out["results"].append(result)
    out["total"] = len(matched)
    out["sort"] = "date" if by_date else "relevance"
    if facets:
        out["facets"] = count_facets(searcher, matched)
    out["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def _matched(searcher, scoring_q, filter_q):
    """Document numbers matching the query and its filters (one evaluation: total and facets)."""
    return matching_docs(searcher, scoring_q if filter_q is None else Q.And([scoring_q, filter_q]))


def _article_fields(fields: dict) -> dict:
    """An article's stored fields as shown in results (no body)."""
    date = fields.get("date")
    return {
        "id": fields["id"], "title": fields.get("title", ""),
        "source": fields.get("source") or None, "date": date.date().isoformat() if date else None,
        "persons": split_values(fields.get("persons")), "places": split_values(fields.get("places")),
        "organizations": split_values(fields.get("organizations")),
        "url": fields.get("url"), "category": fields.get("category"),
    }


def get_article(searcher, doc_id: str) -> dict | None:
    """All stored fields of one article, body included, or None."""
    fields = searcher.document(id=doc_id)
    if fields is None:
        return None
    return {**_article_fields(fields), "body": fields.get("body", "")}
