"""Routes: the search page and API (/ and /search), articles, health."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, stream_with_context
from markupsafe import Markup

from search.fields import FACET_FIELDS, MAX_FACET_CHARS
from search.highlight import highlight_all, match_terms
from search.query import QUOTE_MARKS, parse_query
from search.searching import MATCHES, SORTS, as_typed_note, each_result, get_article, republished_as, search
from search.spelling import did_you_mean
from search.suggest import suggesters
from search.timeline import svg as timeline_svg
from web import export as exports
from web import feeds
from web.errors import ApiError, wants_json
from web.index_access import get_engine

bp = Blueprint("search", __name__)

#: Facet filters a page can add with ``f=prefix:value``: the facet fields' query prefixes (search.fields), and dates.
FILTER_PREFIXES = (*FACET_FIELDS.values(), "date")
#: Each facet the page lists -> the filter prefix its values add.
FACET_PREFIX = {**FACET_FIELDS, "year": "date", "month": "date"}


@bp.before_request
def _check_format():
    fmt = request.args.get("format")
    if fmt is not None and fmt not in ("json", "html"):
        raise ApiError(400, "صيغة غير معروفة", f"format must be json or html, not {fmt[:20]!r}")


#: Filter values lose every mark the query language reads as a quote.
_NO_QUOTES = str.maketrans(dict.fromkeys(QUOTE_MARKS, " "))


def _read_filters() -> list[tuple[str, str]]:
    filters = []
    for raw in request.args.getlist("f"):
        prefix, _, value = raw.partition(":")
        value = value.translate(_NO_QUOTES).strip()  # a quote mark would end the filter's value early
        if prefix not in FILTER_PREFIXES or not value or len(value) > MAX_FACET_CHARS:
            raise ApiError(400, "مرشح غير صالح", f"bad filter {raw[:100]!r}: use f=person:NAME, "
                                                 "f=place:NAME, f=org:NAME, f=source:NAME or f=date:2020-12")
        filters.append((prefix, value))
    return filters


def _read_page() -> int:
    raw = request.args.get("page", "1")
    # isdecimal: what int() reads, ٢ included; the length check first, as int() refuses
    # more than 4,300 digits (and a 5-digit bound needs no more than 5)
    if not raw.isdecimal() or len(raw) > 5 or not 1 <= int(raw) <= 10_000:
        raise ApiError(400, "رقم الصفحة غير صالح", f"page must be a whole number from 1 to 10000, not {raw[:20]!r}")
    return int(raw)


def _read_switch(name: str, default: str = "on") -> bool:
    """An ``on``/``off`` parameter (anything else: a 400)."""
    value = request.args.get(name, default)
    if value not in ("on", "off"):
        raise ApiError(400, f"قيمة {name} غير صالحة", f"{name} must be on or off")
    return value == "on"


def _read_latin() -> bool:
    """``latin=on`` (default): names typed in Latin letters are searched as their Arabic names."""
    return _read_switch("latin")


def _read_variants() -> bool:
    """``variants=on`` (default): words are searched with their house spellings (search.variants)."""
    return _read_switch("variants")


def _read_match() -> str | None:
    """``match=all|any``: what a date sort lists (``search.searching``); absent: its default."""
    value = request.args.get("match")
    if value is not None and value not in MATCHES:
        raise ApiError(400, "قيمة match غير صالحة", f"match must be one of {', '.join(MATCHES)}")
    return value


def _read_group() -> bool:
    """``group=on`` (default): one result per story; ``group=off``: every article."""
    return _read_switch("group")


def _read_request():
    """(q, filters, page, sort, effective query) of a search request, validated."""
    q = request.args.get("q", "")
    limit = current_app.config["MAX_QUERY_LEN"]
    if len(q) > limit:
        raise ApiError(400, f"الاستعلام أطول من {limit} حرف", f"query longer than {limit} characters")
    filters = _read_filters()
    if not q.strip() and not filters:
        raise ApiError(400, "اكتب كلمة للبحث", "empty query: pass q=WORDS")
    page = _read_page()
    sort = request.args.get("sort", "relevance")
    if sort not in SORTS:
        raise ApiError(400, "ترتيب غير معروف", f"sort must be one of {', '.join(SORTS)}")
    effective = " ".join([q] + [f'{p}:"{v}"' for p, v in filters])
    errors = parse_query(effective).errors
    if errors:
        raise ApiError(400, "مرشح غير صالح", "; ".join(errors))
    return q, filters, page, sort, effective


@bp.get("/")
def home():
    if request.args.get("q") or request.args.get("f"):
        return search_view()
    return render_template("search.html", q="", res=None, filters=[], sort="relevance", group=True)


@bp.get("/search")
def search_view():
    q, filters, page, sort, effective = _read_request()
    engine = get_engine()
    group = _read_group()
    series, share = _read_switch("series", "off"), _read_switch("share", "off")
    res = search(engine, effective, page=page, page_size=current_app.config["PAGE_SIZE"], sort=sort,
                 latin=_read_latin(), group=group, timeline=True, series=series, share=share, match=_read_match(),
                 variants=_read_variants())
    if page > max(res["pages"], 1):
        last = max(res["pages"], 1)
        raise ApiError(404, f"لا توجد صفحة {page}: النتائج في {res['pages']} صفحة",
                       f"page {page} is past the last page of results ({res['pages']})",
                       link=(search_url(q, filters, sort, last, group=group), f"الصفحة الأخيرة ({last})"))
    res["query"] = q
    res["filters"] = [{"field": p, "value": v} for p, v in filters]
    res["suggestion"] = did_you_mean(engine, q, res["total"])
    if wants_json():
        return jsonify(res)
    return render_template("search.html", q=q, res=res, filters=filters, sort=sort, group=group,
                           series=series, share=share, timeline_svg=timeline_svg(res["timeline"], share) if res["timeline"] else "",
                           facet_prefix=FACET_PREFIX, as_typed_url=search_url(q, filters, sort, group=group) + "&latin=off",
                           latin_as_typed=as_typed_note(res["latin"]),
                           only_typed_url=search_url(q, filters, sort, group=group) + "&variants=off")


@bp.get("/search.csv", defaults={"fmt": "csv"})
@bp.get("/search.jsonl", defaults={"fmt": "jsonl"})
def export(fmt: str):
    """Every match of a search (same q, f and sort as /search), streamed as CSV or JSON Lines."""
    _q, _filters, _page, sort, effective = _read_request()
    total, warnings, results = each_result(get_engine(), effective, sort, latin=_read_latin(), match=_read_match(),
                                             variants=_read_variants())
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    headers = {"Content-Disposition": f'attachment; filename="akhbar-{stamp}.{fmt}"', "X-Total-Count": str(total)}
    if warnings:  # HTTP headers are Latin-1: the English part of each warning
        headers["X-Akhbar-Warnings"] = " | ".join(w.encode("latin-1", "ignore").decode("latin-1").strip(" ()")
                                                   for w in warnings)[:1000]
    return Response(stream_with_context(exports.chunks(fmt, results)), content_type=exports.FORMATS[fmt],
                    headers=headers)


@bp.get("/search.atom")
def feed():
    """The newest matches of a search (same q and f as /search) as an Atom feed, with an ETag:
    a reader polling with If-None-Match gets 304 until an article joins or leaves it."""
    q, filters, _page, _sort, effective = _read_request()
    engine = get_engine()
    latin = _read_latin()
    res = search(engine, effective, page_size=feeds.FEED_ENTRIES, sort="date", facets=False, latin=latin,
                 match=_read_match())
    base = current_app.config["PUBLIC_URL"]  # "": relative links; never the request's Host header
    page = search_url(q, filters, "date")
    self_url = search_url(q, filters, "date", fmt="atom") + ("" if latin else "&latin=off")
    indexed_at = engine.stats().get("built_at") or "1970-01-01T00:00:00Z"
    body = feeds.atom_feed(res["results"], title=f"أخبار: {' '.join([q] + [v for _p, v in filters]).strip()}",
                           canonical_query=page.split("?", 1)[1], self_url=base + self_url, page_url=base + page,
                           article_link=lambda doc_id: base + article_url(doc_id), indexed_at=indexed_at)
    resp = Response(body, content_type=feeds.CONTENT_TYPE)
    resp.set_etag(hashlib.sha256(body).hexdigest()[:32])
    resp.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag every time
    return resp.make_conditional(request)


@bp.get("/article")
@bp.get("/article/<path:doc_id>")
def article(doc_id: str | None = None):
    """One article: ``/article?id=ID`` (the form every link uses: any id round-trips,
    «.», «..» and «a/../b» included), or ``/article/ID`` for ids that are plain path segments."""
    if doc_id is None:
        doc_id = request.args.get("id", "")
        if not doc_id:
            raise ApiError(400, "رقم المقال مفقود", "missing article id: use /article?id=ID")
    q = request.args.get("q", "")[: current_app.config["MAX_QUERY_LEN"]]
    engine = get_engine()
    art = get_article(engine, doc_id)
    if art is None and (first := republished_as(engine, doc_id)) is not None:
        return redirect(article_url(first, q) + ("&format=json" if request.args.get("format") == "json" else ""), 301)
    if art is None:
        raise ApiError(404, "المقال غير موجود", f"no article with id {doc_id[:100]!r}")
    terms = match_terms(parse_query(q), engine)
    art["body_html"] = highlight_all(art["body"], terms)
    art["title_html"] = highlight_all(art["title"], terms)
    if wants_json():
        return jsonify(art)
    return render_template("article.html", art=art, q=q)


@bp.get("/suggest")
def suggest_view():
    """Names and words starting with what was typed (``q``), for the search box's list."""
    typed = request.args.get("q", "")
    if len(typed) > 100:
        raise ApiError(400, "النص أطول من 100 حرف", "q longer than 100 characters")
    out = []
    for s in suggesters.get(get_engine()).suggest(typed):  # kind: a filter prefix, or "word"
        url = search_url(s.value, []) if s.kind == "word" else search_url("", [(s.kind, s.value)])
        out.append({**s.as_dict(), "url": url})
    resp = jsonify({"query": typed, "suggestions": out})
    resp.headers["Cache-Control"] = "max-age=60"
    return resp


@bp.get("/openapi.json")
def openapi():
    from web.openapi import spec

    return jsonify(spec())


@bp.get("/healthz")
def healthz():
    return jsonify({"ok": True, **get_engine().stats()})


MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر")


#: Sections some outlets name in English (ANT's ``<CAT>``, scrapers' tables), shown in Arabic; the key is the
#: name lowercased, without spaces, hyphens or underscores.  Any other category is shown as it was written.
CATEGORIES_AR = {"internationalnews": "أخبار دولية", "international": "دولي", "world": "العالم",
                 "worldnews": "أخبار العالم", "middleeast": "الشرق الأوسط", "arabworld": "العالم العربي",
                 "politics": "سياسة", "sport": "رياضة", "sports": "رياضة", "economy": "اقتصاد",
                 "business": "اقتصاد وأعمال", "technology": "تكنولوجيا", "tech": "تكنولوجيا",
                 "science": "علوم", "health": "صحة", "culture": "ثقافة", "arts": "فنون",
                 "entertainment": "منوعات", "opinion": "رأي", "local": "محليات"}


#: Longest title shown in a story's line of other outlets, in characters (cut at a word, with «…»).
SHORT_TITLE = 70


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """«عنوان طويل جدا …»: ``title`` cut at the last whole word within ``limit`` characters."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0] or title[:limit]
    return cut.rstrip("،,.:؛-–— ") + " …"


def by_outlet(also: list[dict]) -> list[dict]:
    """A story's other matching articles (``also``, as ranked), one entry an outlet in the order its
    best-ranked article comes: ``{source, count, first}`` (``first``: that article)."""
    out: dict[str | None, dict] = {}
    for a in also:
        entry = out.setdefault(a.get("source"), {"source": a.get("source"), "count": 0, "first": a})
        entry["count"] += 1
    return list(out.values())


def category_label(value: str | None) -> str:
    """«internationalNews» -> «أخبار دولية»; an Arabic section («مصر») as it is."""
    if not value:
        return ""
    key = "".join(c for c in value.lower() if c not in " -_")
    return CATEGORIES_AR.get(key, value)


def arabic_date(value: str | None) -> str:
    """«2020-12-27» -> «27 ديسمبر 2020»; «2020-12» -> «ديسمبر 2020»; «2020» stays."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS_AR[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS_AR[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def published(item: dict) -> Markup:
    """An article's (or brief's) date as a ``<time>`` element: «27 ديسمبر 2020، 14:00 غرينتش» when its
    time is known (UTC: outlets' times compare), the day, month or year otherwise; empty if undated."""
    if not item.get("date"):
        return Markup("")
    if item.get("time"):
        return Markup('<time datetime="{}T{}Z">{}، {} غرينتش</time>').format(
            item["date"], item["time"], arabic_date(item["date"]), item["time"])
    return Markup('<time datetime="{}">{}</time>').format(item["date"], arabic_date(item["date"]))


def article_url(doc_id: str, q: str = "") -> str:
    """The link to one article.  The id goes in the query string: a path segment would be
    normalized away by browsers when the id is «.» or «..» or holds «/../» (even percent-encoded)."""
    from urllib.parse import urlencode

    return "/article?" + urlencode([("id", doc_id)] + ([("q", q)] if q else []))


def search_url(q: str, filters, sort: str = "relevance", page: int = 1, fmt: str = "", group: bool = True) -> str:
    """A /search URL with these words, filters, sort and page (``fmt``: csv or jsonl for an export;
    ``group=False``: every article, not one per story)."""
    from urllib.parse import urlencode

    params = [("q", q)] + [("f", f"{p}:{v}") for p, v in filters]
    if sort != "relevance":
        params.append(("sort", sort))
    if page != 1:
        params.append(("page", str(page)))
    if not group:
        params.append(("group", "off"))
    return f"/search{'.' + fmt if fmt else ''}?" + urlencode(params)


def switch_url(url: str, name: str, on: bool) -> str:
    """``url`` with ``name=on`` or without it (the timeline's options keep every other parameter)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    if on:
        params.append((name, "on"))
    return f"{parts.path}?{urlencode(params)}"


@bp.app_context_processor
def _helpers():
    return {"search_url": search_url, "article_url": article_url, "arabic_date": arabic_date, "switch_url": switch_url,
            "category_label": category_label, "published": published, "short_title": short_title, "by_outlet": by_outlet}


@bp.get("/favicon.ico")
def favicon():
    return current_app.send_static_file("favicon.svg")
