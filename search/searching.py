"""The one search function: CLI, web and evaluation all call :func:`search`.

query text -> :func:`search.query.parse_query` -> the engine's matches (any
engine: ``search.engines``) -> ranked hits with metadata, highlighted snippets
and facet counts, as a plain dict ready for JSON.
"""
from __future__ import annotations

import time
from collections.abc import Iterator

from search.engines.base import OLDEST
from search.highlight import highlight_all, match_terms, snippet_html
from search.latin import AS_TYPED, has_latin, resolve
from search.latin import contexts as latin_contexts
from search.query import MAX_QUERY_WORDS, cap_words, parse_query
from search.querytree import expands_words, spellings
from search.timeline import timeline as build_timeline

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "date", "oldest")
#: Articles of a story listed on an article's page.
MAX_STORY_ARTICLES = 100
#: What a grouped result lists of each other article of its story.
ALSO_FIELDS = ("id", "title", "source", "date", "time", "url")
RELAXED_WARNING = ("لا يوجد مقال يحتوي العبارة كما كُتبت؛ هذه نتائج كلماتها "
                   "(no article contains the exact phrase; showing articles with its words)")
NO_ARTICLE_HAS_EVERY_WORD = ("لا يوجد مقال فيه كل الكلمات؛ هذه المقالات التي فيها إحداها، بالتاريخ "
                             "(no article has every word; listing the articles with any of them, by date)")
MATCHES = ("all", "any")


def every_word_note(total: int, broader: int) -> str:
    """What a date sort listed: the articles with every word, of how many with any."""
    return (f"بالتاريخ: المقالات التي فيها كل الكلمات ({total}) من {broader} فيها إحداها "
            f"(by date: {total} articles with every word of {broader} with any; match=any lists them all)")


NO_WORDS_WARNING = ("ليس في الاستعلام كلمة يُبحث بها، فكل كلماته من الكلمات الشائعة أو علامات الترقيم "
                    "(the query has no searchable words: only stopwords or punctuation)")


def search(engine, text: str, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
           sort: str = "relevance", facets: bool = True, snippets: bool = True, latin: bool = True,
           group: bool = False, timeline: bool = False, series: bool = False, share: bool = False,
           match: str | None = None, variants: bool = True) -> dict:
    """Search an open engine; never raises on the query text.

    Returns ``{"query", "total", "stories", "grouped", "page", "page_size", "took_ms", "results",
    "facets", "warnings", "latin"}``; each result has ``id, title, source, date, score,
    snippet_html, persons, places, organizations, url, category, story_id, story_size, also``.
    Names typed in Latin letters are searched as the Arabic names they stand for
    (``latin=False``: as typed); ``latin`` lists ``{"latin", "arabic", "how"}`` for each, and
    the Latin words no name was found for with confidence, searched as typed, with ``arabic`` ""
    and ``how`` "as typed" (:func:`as_typed_note`).
    ``group``: one result per story (its best-ranked article; the story's other matching
    articles in ``also``), pages counting stories (the web app's default; evaluation and
    exports rank every article); ``total`` still counts articles and
    ``stories`` the stories they are in (None when the index has none, or ``group=False``).
    ``timeline``: the matches over time (``search.timeline``; ``series``: per outlet; ``share``:
    as a share of all the collection's articles in each bucket).
    ``match``: for date sorts, ``"all"`` (default: the articles with every word, ``broader_total``
    saying how many have any) or ``"any"`` (see :func:`_matches`).
    ``variants``: words are searched with their house spellings (``search.variants``: «ترامب»
    finds «ترمب»), scored as one word; ``variants`` in the result lists, for each typed word that
    has others, ``{"word", "also"}`` (``variants=False``: each word as typed).
    """
    started = time.perf_counter()
    page = max(1, int(page))
    page_size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    searched, names = _arabic_names(engine, text) if latin else (text, [])
    pq, matches, warnings, by_date, broader = _matches(engine, searched, sort, match, variants)
    out = {"query": text, "total": 0, "stories": None, "grouped": False, "page": page, "page_size": page_size, "pages": 0,
           "results": [], "facets": {}, "warnings": warnings, "sort": "relevance", "latin": names,
           "timeline": None, "match": "all" if pq.all_words else "any", "broader_total": broader,
           "variants": also_spelled(engine, pq) if variants else []}
    if matches.state is None:
        out["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return out

    stories = engine.stories() if group else None
    if stories is not None:
        hits, out["stories"] = engine.grouped(matches, (page - 1) * page_size, page_size, by_date=by_date)
        out["grouped"] = True
    else:
        hits = engine.ranked(matches, (page - 1) * page_size, page_size, by_date=by_date)
    if hits:
        terms = match_terms(pq, engine)
        for hit in hits:
            result = _result_fields(hit.fields)
            result["score"] = None if hit.score is None else round(hit.score, 4)
            result["snippet_html"] = snippet_html(hit.fields["body"], terms) if snippets else None
            result["title_html"] = highlight_all(result["title"], terms) if snippets else None
            result.update(story_fields(stories, hit))
            out["results"].append(result)
    out["total"] = matches.total
    out["pages"] = pages(out)
    out["sort"] = "oldest" if by_date == OLDEST else "date" if by_date else "relevance"
    if timeline:
        all_days = engine.days(None)["days"] if share else None
        out["timeline"] = build_timeline(engine.days(matches, by_source=series), all_days=all_days)
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


def latin_note(names: list[dict]) -> str:
    """What a query's Latin names were searched as (``search()``'s ``latin``), in a sentence, for
    the command line and the exports (the page says it in its own line), with :func:`as_typed_note`."""
    found = [n for n in names if n["how"] != AS_TYPED]
    notes = []
    if found:
        arabic = "، ".join(f"«{n['arabic']}» ({n['latin']})" for n in found)
        latin = ", ".join(n["latin"] for n in found)
        notes.append(f"بُحث عن {arabic} (Latin letters searched as the Arabic names they stand for: {latin}; "
                     "latin=off searches them as typed)")
    typed = as_typed_note(names)
    return "؛ ".join(notes + [typed] if typed else notes)


def as_typed_note(names: list[dict]) -> str:
    """The Latin words of a query for which no Arabic name was found with confidence (``how`` is
    "as typed"), searched as typed, in a sentence; "" when there are none."""
    typed = [n["latin"] for n in names if n["how"] == AS_TYPED]
    if not typed:
        return ""
    return (f"لم نجد اسمًا عربيًا مؤكدًا لـ {'، '.join(f'«{t}»' for t in typed)} فبحثنا عنها كما كُتبت "
            f"(no Arabic name found with confidence for {', '.join(typed)}: searched as typed)")


def also_spelled(engine, pq) -> list[dict]:
    """The typed words (plain, phrase and filter words) that were searched with other house
    spellings too: ``[{"word", "also": [spellings as the headlines write them]}]``."""
    found = engine.variants()
    if not found:
        return []
    exact = engine.analyzer("text_exact")
    shown = None
    out, seen = [], set()
    typed = [w for group in pq.words for w in group] + [w for p in pq.phrases for w in p.split()] \
        if expands_words(pq) else []
    typed += [w for _prefix, value in pq.filters for w in value.split()]
    for word in typed:
        others = spellings(word, exact, found)[1:]
        if others and others not in seen:
            seen.add(others)
            shown = engine.spellings() if shown is None else shown
            out.append({"word": word, "also": [shown.get(o, o) for o in others]})
    return out


def variants_note(notes: list[dict]) -> str:
    """What else a query's words were searched as (``search()``'s ``variants``), in a sentence."""
    if not notes:
        return ""
    also = "؛ ".join(f"{n['word']}: {'، '.join(n['also'])}" for n in notes)
    return f"وأيضًا: {also} (also searched: the other spellings outlets use; variants=off searches each word as typed)"


def _context(engine):
    ctx = latin_contexts.get(engine)
    return ctx.counts, ctx.translit, ctx.known


def _matches(engine, text: str, sort: str, match: str | None, variants: bool = True):
    """(parsed query, matches, warnings, by date, broader total) of a query sorted by ``sort``.

    A date sort lists the articles with every word of the query (``match="all"``, its default:
    "who reported it first" means first with the whole story, not with one of its words);
    ``broader_total`` then says how many have any of them, when more do (``match="any"`` lists
    those).  When no article has every word, the articles with any are listed, and a warning
    says so.  By relevance, articles with any word match (those with all rank first)."""
    pq, matches, warnings = _match(engine, text, variants=variants)
    by_date = _by_date(pq, sort)
    if not (by_date and match != "any" and matches.state is not None and len(pq.scored_words) > 1):
        return pq, matches, warnings, by_date, None
    every_pq, every, _warnings = _match(engine, text, all_words=True, variants=variants)
    if every.total == 0:
        warnings.append(NO_ARTICLE_HAS_EVERY_WORD)
        return pq, matches, warnings, by_date, None
    return every_pq, every, warnings, by_date, (matches.total if matches.total > every.total else None)


def _match(engine, text: str, all_words: bool = False, variants: bool = True):
    """(parsed query, the engine's matches, warnings) of a query text: words past the cap
    dropped, a phrase no article has relaxed into its words; ``all_words``: every word required;
    ``variants``: words searched with their house spellings."""
    pq = parse_query(text)
    pq.all_words, pq.variants = all_words, variants
    dropped = cap_words(pq, engine.analyzer("text_exact"))
    warnings = list(pq.errors)
    if dropped:
        warnings.append(f"بُحث عن أول {MAX_QUERY_WORDS} كلمة فقط وأُهملت {dropped} بعدها (only the first "
                        f"{MAX_QUERY_WORDS} words were searched; {dropped} after them were ignored)")
    matches = engine.match(pq)
    if matches.state is None:
        if not pq.errors:
            warnings.append(NO_WORDS_WARNING)
    elif matches.total == 0 and pq.phrases and pq.phrases_required:
        # no article has the exact phrase: say so, and rank articles with its words instead
        pq.relax_phrases = True
        matches = engine.match(pq)
        warnings.append(RELAXED_WARNING)
    return pq, matches, warnings


def pages(res: dict) -> int:
    """How many pages a search's results fill: of stories when they are grouped, else of articles."""
    rows = res["stories"] if res["grouped"] else res["total"]
    return -(-rows // res["page_size"])


def _by_date(pq, sort: str) -> bool | str:
    """Oldest first (``OLDEST``) when asked; newest first (True): asked for, or a query of filters
    alone; False: by relevance."""
    if sort == "oldest":
        return OLDEST
    return sort == "date" or not (pq.words or pq.phrases)


def each_result(engine, text: str, sort: str = "relevance", latin: bool = True,
                match: str | None = None, variants: bool = True) -> tuple[int, list[str], Iterator[dict]]:
    """(total, warnings, every result in order) of a query, for exports and feeds: the same
    matches and order as :func:`search` (every article, not grouped; each with :func:`story_columns`),
    all of them, read a page at a time (no snippets)."""
    searched, names = _arabic_names(engine, text) if latin else (text, [])
    pq, matches, warnings, by_date, broader = _matches(engine, searched, sort, match, variants)
    if names:
        warnings.insert(0, latin_note(names))
    if variants and (note := variants_note(also_spelled(engine, pq))):
        warnings.insert(0, note)
    if broader is not None:
        warnings.append(every_word_note(matches.total, broader))
    stories = engine.stories()

    def results() -> Iterator[dict]:
        for hit in engine.each(matches, by_date=by_date):
            result = _result_fields(hit.fields)
            result["score"] = None if hit.score is None else round(hit.score, 4)
            result.update(story_columns(stories, result["id"]))
            yield result

    return matches.total if matches.state is not None else 0, warnings, results()


def story_columns(stories, doc_id: str) -> dict:
    """An exported article's story: ``story_id``, ``story_size`` (its articles in the whole collection)
    and ``duplicate_of``: the first article of its duplicate group when it is a later copy (as its
    page marks it), else None, so a spreadsheet can keep one row a report."""
    if stories is None:
        return {"story_id": None, "story_size": 1, "duplicate_of": None}
    dup = stories.duplicate_of(doc_id)
    return {"story_id": stories.story_of(doc_id), "story_size": stories.size(doc_id),
            "duplicate_of": dup if dup != doc_id else None}


def story_fields(stories, hit) -> dict:
    """A result's story: ``story_id`` (None without stories), ``story_size`` (its articles in the
    whole collection), ``also_matching`` (how many of them match besides this one) and ``also``:
    those others, each ``{id, title, source, date, url}``, ordered as ranked."""
    doc_id = hit.fields["id"]
    if stories is None:
        return {"story_id": None, "story_size": 1, "also_matching": 0, "also": []}
    also = [{k: v for k, v in _result_fields(o.fields).items() if k in ALSO_FIELDS} for o in hit.others]
    return {"story_id": stories.story_of(doc_id), "story_size": stories.size(doc_id),
            "also_matching": hit.matching - 1, "also": also}


def date_text(date, precision: str | None) -> str | None:
    """An article's date as ISO text at its precision: «2020-12-27», «2021-06» or «2021»."""
    if not date:
        return None
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.date().isoformat()


def time_text(date, precision: str | None) -> str | None:
    """An article's time of day in UTC, «21:51», when its source gave one (precision «time»)."""
    return f"{date.hour:02d}:{date.minute:02d}" if date and precision == "time" else None


def _result_fields(fields: dict) -> dict:
    """An article's fields as shown in results (no body; the date as ISO text)."""
    return {
        "id": fields["id"], "title": fields.get("title", ""), "source": fields.get("source"),
        "date": date_text(fields.get("date"), fields.get("date_precision")),
        "time": time_text(fields.get("date"), fields.get("date_precision")),
        "indexed": fields.get("indexed"),
        "persons": fields["persons"], "places": fields["places"], "organizations": fields["organizations"],
        "url": fields.get("url"), "category": fields.get("category"),
    }


def get_article(engine, doc_id: str) -> dict | None:
    """One article as shown on its page (body included), or None; with ``story``: the
    articles of its story (``story_articles``) and ``related``: the nearest other articles."""
    fields = engine.document(doc_id)
    if fields is None:
        return None
    stories = engine.stories()
    republished = stories.republications(doc_id) if stories is not None else []
    categories = [fields.get("category")] + [r["category"] for r in republished]
    return {**_result_fields(fields), "body": fields.get("body", ""),
            "categories": list(dict.fromkeys(c for c in categories if c)), "republished": republished,
            "story_id": stories.story_of(doc_id) if stories is not None else None,
            "story": story_articles(engine, stories, doc_id),
            "related": related_articles(engine, stories, doc_id)}


def republished_as(engine, doc_id: str) -> str | None:
    """The id of the indexed article that ``doc_id`` republishes (an id the index keeps for a copy
    it counts once: ``index.republished``), or None."""
    stories = engine.stories()
    return stories.republished_as(doc_id) if stories is not None else None


def _brief(engine, doc_id: str) -> dict | None:
    fields = engine.document(doc_id)
    if fields is None:
        return None
    return {k: v for k, v in _result_fields(fields).items() if k in ALSO_FIELDS}


def story_articles(engine, stories, doc_id: str) -> list[dict]:
    """Every article of ``doc_id``'s story (itself included, ``"this": true``), oldest first,
    the oldest dated one marked ``"first": true`` (the first report); each with ``duplicate_of``
    when it is a copy of another article of the story, and ``same_report`` when it and ``doc_id``
    are copies of one report (pair by pair).  Empty when the story is the article alone."""
    if stories is None or stories.size(doc_id) < 2:
        return []
    out = []
    copies = set(stories.copies(doc_id))
    for member in stories.members(doc_id)[:MAX_STORY_ARTICLES]:
        brief = _brief(engine, member)
        if brief is None:
            continue
        dup = stories.duplicate_of(member)
        brief.update({"this": member == doc_id, "first": False, "duplicate_of": dup if dup != member else None,
                      "same_report": member in copies})
        out.append(brief)
    dated = [a for a in out if a["date"]]
    if dated:
        dated[0]["first"] = True
    return out


def related_articles(engine, stories, doc_id: str, count: int = 8) -> list[dict]:
    """The articles nearest ``doc_id`` by terms and entities, outside its story (see
    :meth:`search.stories.StoryIndex.related`), each with its ``similarity``."""
    if stories is None:
        return []
    out = []
    for other, similarity in stories.related(doc_id, count):
        brief = _brief(engine, other)
        if brief is not None:
            out.append({**brief, "similarity": round(similarity, 3)})
    return out
