"""Akhbar's HTTP API as an OpenAPI 3.1 description, served at ``/openapi.json``.

Written once here; tests/test_openapi.py validates the document and runs
schemathesis against the live app (every documented response, every status,
no server error), and fails when a route is missing from it.
"""
from __future__ import annotations

from search.searching import MATCHES, SORTS
from search.timeline import MAX_BUCKETS, MAX_SERIES, UNITS
from web import feeds
from web.export import COLUMNS, FORMATS

_ERROR = {"$ref": "#/components/responses/Error"}
_HTML = {"text/html": {"schema": {"type": "string"}}}
_NAMES = {"type": "array", "items": {"type": "string"}}
_TIME = {"type": ["string", "null"], "pattern": "^[0-2][0-9]:[0-5][0-9]$",
         "description": "the time of day in UTC (HH:MM) when the source gave one (its zone counted); null otherwise"}
_INDEXED = {"type": ["string", "null"], "format": "date-time",
            "description": "when the article first entered the index (RFC 3339, UTC), kept across updates and "
                           "rebuilds; null for an index built before Akhbar kept it"}
_DATE = {"type": ["string", "null"],
         "description": "ISO 8601 at the precision known: a day (2020-12-27), a month (2021-06) or a year (2021); "
                        "null when unknown"}


def _params(*names: str) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{n}"} for n in names]


def spec() -> dict:
    result = {
        "type": "object",
        "required": ["id", "title", "source", "date", "score", "persons", "places", "organizations", "url", "category",
                     "snippet_html", "title_html"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "source": {"type": ["string", "null"]},
            "date": _DATE, "time": _TIME, "indexed": _INDEXED,
            "score": {"type": ["number", "null"], "description": "BM25F score; null when sorted by date"},
            "persons": _NAMES, "places": _NAMES, "organizations": _NAMES,
            "url": {"type": ["string", "null"]}, "category": {"type": ["string", "null"]},
            "snippet_html": {"type": ["string", "null"],
                             "description": "escaped HTML: only <mark class=\"hl tN\"> tags are markup"},
            "title_html": {"type": ["string", "null"]},
            "story_id": {"type": ["string", "null"],
                         "description": "the id of the story's first article; null when the index has no stories"},
            "story_size": {"type": "integer", "minimum": 1, "description": "articles in the story (whole collection)"},
            "also_matching": {"type": "integer", "minimum": 0,
                              "description": "grouped: the story's other articles that match too"},
            "also": {"type": "array", "description": "grouped: up to 10 of them, as ranked",
                     "items": {"$ref": "#/components/schemas/Brief"}},
        },
    }
    brief = {"type": "object", "required": ["id", "title", "source", "date", "url"],
             "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                            "source": {"type": ["string", "null"]}, "date": _DATE, "time": _TIME,
                            "url": {"type": ["string", "null"]}}}
    facet = {"type": "array", "items": {"type": "object", "required": ["value", "count"],
                                        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}}
    search_response = {
        "type": "object",
        "required": ["query", "total", "stories", "grouped", "timeline", "page", "page_size", "pages", "took_ms", "results", "facets",
                     "warnings", "sort", "filters", "suggestion", "latin", "match", "broader_total", "variants"],
        "properties": {
            "query": {"type": "string"}, "total": {"type": "integer", "minimum": 0, "description": "matching articles"},
            "stories": {"type": ["integer", "null"], "minimum": 0,
                        "description": "the stories they are in (null: not grouped, or the index has no stories)"},
            "grouped": {"type": "boolean", "description": "one result per story"},
            "timeline": {"type": ["object", "null"], "required": ["unit", "buckets", "undated", "total"],
                         "description": "the matches over time: a day, week, month, quarter, year, decade or century a "
                                        f"bucket (from the span of their dates; at most {MAX_BUCKETS} buckets), gaps as zeros; "
                                        "null when nothing could be searched",
                         "properties": {
                             "unit": {"enum": list(UNITS)},
                             "undated": {"type": "integer", "minimum": 0},
                             "total": {"type": "integer", "minimum": 0, "description": "dated matches"},
                             "other_sources": {"type": "integer", "minimum": 1,
                                               "description": f"series=on with more than {MAX_SERIES} outlets: how many "
                                                              "outlets are summed in each bucket's `other`"},
                             "buckets": {"type": "array", "maxItems": MAX_BUCKETS, "items": {
                                 "type": "object", "required": ["start", "count"],
                                 "properties": {"start": {"type": "string",
                                                          "description": "the first day: YYYY-MM-DD (day, week), YYYY-MM "
                                                                         "(month, quarter), YYYY (year, decade, century)"},
                                                "count": {"type": "integer", "minimum": 0},
                                                "share": {"type": "number", "minimum": 0, "maximum": 1},
                                                "sources": {"type": "object", "maxProperties": MAX_SERIES,
                                                            "additionalProperties": {"type": "integer"},
                                                            "description": f"series=on: matches per outlet (at most {MAX_SERIES})"},
                                                "other": {"type": "integer", "minimum": 0,
                                                          "description": "series=on: matches of the outlets not in `sources`"}}}}}},
            "page": {"type": "integer", "minimum": 1}, "page_size": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0,
                      "description": "pages the results fill (of stories when grouped); a page past the last is a 404"},
            "took_ms": {"type": "number"}, "sort": {"enum": list(SORTS)},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
            "facets": {"type": "object", "additionalProperties": facet,
                       "description": "source, persons, places, organizations (top values), year and month"},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "filters": {"type": "array", "items": {"type": "object", "required": ["field", "value"],
                                                   "properties": {"field": {"type": "string"},
                                                                  "value": {"type": "string"}}}},
            "suggestion": {"type": ["string", "null"], "description": "a nearby spelling when nothing matched"},
            "match": {"enum": list(MATCHES), "description": "all: the articles with every word (a date sort's "
                                                          "default); any: with any word"},
            "broader_total": {"type": ["integer", "null"], "minimum": 0,
                              "description": "a date sort of the articles with every word: how many have any "
                                             "(null when no more do)"},
            "latin": {"type": "array", "description": "names typed in Latin letters and the Arabic searched",
                      "items": {"type": "object", "required": ["latin", "arabic", "how"],
                                "properties": {"latin": {"type": "string"}, "arabic": {"type": "string"},
                                               "how": {"enum": ["lexicon", "collection"]}}}},
            "variants": {"type": "array", "description": "typed words also searched as the other spellings outlets "
                                                         "use (variants=off: as typed)",
                         "items": {"type": "object", "required": ["word", "also"],
                                   "properties": {"word": {"type": "string"},
                                                  "also": {"type": "array", "items": {"type": "string"}}}}},
        },
    }
    article = {
        "type": "object",
        "required": ["id", "title", "body", "source", "date", "persons", "places", "organizations", "url",
                     "body_html", "title_html"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "body": {"type": "string"},
            "source": {"type": ["string", "null"]}, "date": _DATE, "time": _TIME, "indexed": _INDEXED,
            "persons": _NAMES, "places": _NAMES,
            "organizations": _NAMES, "url": {"type": ["string", "null"]}, "category": {"type": ["string", "null"]},
            "categories": {**_NAMES, "description": "its sections: its own and those it was republished under"},
            "republished": {"type": "array", "description": "the outlet's other ids, sections and addresses for this "
                            "article, counted once (their /article links redirect here)",
                            "items": {"type": "object", "required": ["id", "category", "url"],
                                      "properties": {"id": {"type": "string"}, "category": {"type": ["string", "null"]},
                                                     "url": {"type": ["string", "null"]}}}},
            "body_html": {"type": "string", "description": "the text, escaped, matches of q in <mark>"},
            "title_html": {"type": "string"},
            "story_id": {"type": ["string", "null"]},
            "story": {"type": "array", "description": "the articles of its story, oldest first (empty: it is alone)",
                      "items": {"allOf": [{"$ref": "#/components/schemas/Brief"}, {
                          "type": "object", "required": ["this", "first", "duplicate_of", "same_report"],
                          "properties": {"this": {"type": "boolean"},
                                         "first": {"type": "boolean", "description": "the first report (oldest dated)"},
                                         "duplicate_of": {"type": ["string", "null"],
                                                          "description": "the report it is a copy of"},
                                         "same_report": {"type": "boolean", "description":
                                                         "a copy of this article's report, or the report it copies"}}}]}},
            "related": {"type": "array", "description": "nearest articles outside its story (terms and entities)",
                        "items": {"allOf": [{"$ref": "#/components/schemas/Brief"}, {
                            "type": "object", "required": ["similarity"],
                            "properties": {"similarity": {"type": "number"}}}]}},
        },
    }
    error = {"type": "object", "required": ["ok", "error", "status"],
             "properties": {"ok": {"const": False}, "error": {"type": "string", "description": "Arabic (English)"},
                            "status": {"type": "integer"}}}
    file_responses = {
        "200": {"description": "every match, streamed", "headers": {"X-Total-Count": {"schema": {"type": "string"}}},
                "content": {FORMATS[fmt].split(";")[0]: {"schema": {"type": "string"}} for fmt in FORMATS}},
        "400": _ERROR, "503": _ERROR}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Akhbar", "version": "1",
                 "description": "Search a collection of Arabic news articles: ranked, highlighted results with "
                                "entities and facets, whole result sets as files, feeds. Query syntax: the README."},
        "paths": {
            "/search": {"get": {
                "summary": "Search: one page of ranked results with snippets and facet counts",
                "description": "JSON with Accept: application/json or format=json; the HTML page otherwise.",
                "parameters": _params("q", "f", "page", "sort", "format", "latin", "variants", "group", "series", "share", "match"),
                "responses": {"200": {"description": "results",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Search"}},
                                                  **_HTML}},
                              "400": _ERROR, "404": {**_ERROR, "description": "a page past the last"}, "503": _ERROR}}},
            "/search.csv": {"get": {
                "summary": "Every match as CSV (RFC 4180, UTF-8 with a BOM); columns: " + ", ".join(COLUMNS),
                "description": "A text cell that a spreadsheet would run as a formula (starting with = + - @, "
                               "also after spaces or invisible marks, or with a tab, CR or NUL) begins with '.",
                "parameters": _params("q", "f", "page", "sort", "latin", "variants", "match"), "responses": file_responses}},
            "/search.jsonl": {"get": {
                "summary": "Every match as JSON Lines (one object per article, the same columns)",
                "parameters": _params("q", "f", "page", "sort", "latin", "variants", "match"), "responses": file_responses}},
            "/search.atom": {"get": {
                "summary": f"The {feeds.FEED_ENTRIES} newest matches as an Atom feed (RFC 4287)",
                "description": "Links are PUBLIC_URL followed by a path when that setting is given, else relative "
                               "to the feed's URL; never from the Host header. Characters XML 1.0 cannot carry are left out.",
                "parameters": _params("q", "f", "page", "latin", "match") + [
                    {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the feed", "headers": {"ETag": {"schema": {"type": "string"}}},
                                      "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                              "304": {"description": "nothing changed since the ETag sent"},
                              "400": _ERROR, "503": _ERROR}}},
            "/article": {"get": {
                "summary": "One article, the words of q highlighted",
                "parameters": [{"name": "id", "in": "query", "required": True, "schema": {"type": "string"}},
                               *_params("q_article", "format")],
                "responses": {"200": {"description": "the article",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Article"}},
                                                  **_HTML}},
                              "400": _ERROR, "404": _ERROR, "503": _ERROR}}},
            "/article/{id}": {"get": {
                "summary": "One article, for ids that are plain path segments",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                               *_params("q_article", "format")],
                "responses": {"200": {"description": "the article",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Article"}},
                                                  **_HTML}},
                              "400": _ERROR, "404": _ERROR, "503": _ERROR}}},
            "/suggest": {"get": {
                "summary": "Names and frequent words starting with what was typed, most articles first",
                "parameters": [{"name": "q", "in": "query", "required": False,
                                "schema": {"type": "string", "maxLength": 100}}],
                "responses": {"200": {"description": "suggestions", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["query", "suggestions"],
                    "properties": {"query": {"type": "string"}, "suggestions": {"type": "array", "items": {
                        "type": "object", "required": ["value", "kind", "count", "url"],
                        "properties": {"value": {"type": "string"},
                                       "kind": {"enum": ["person", "place", "org", "source", "word"],
                                                "description": "a name runs its filter (url), a word its search"},
                                       "count": {"type": "integer"}, "url": {"type": "string"}}}}}}}}},
                              "400": _ERROR, "503": _ERROR}}},
            "/healthz": {"get": {
                "summary": "The index served: document count, build time, engine",
                "responses": {"200": {"description": "health", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["ok", "documents"],
                    "properties": {"ok": {"const": True}, "documents": {"type": "integer"},
                                   "built_at": {"type": ["string", "null"]}, "engine": {"type": "string"}}}}}},
                              "503": _ERROR}}},
            "/openapi.json": {"get": {"summary": "This description",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {
            "parameters": {
                "q": {"name": "q", "in": "query", "required": False, "description":
                      "words, \"phrases\", OR, -exclusions, person:/place:/org:/source:/date: filters (at most 500 "
                      "characters; q or f is needed)", "schema": {"type": "string", "maxLength": 500}},
                "q_article": {"name": "q", "in": "query", "required": False,
                              "description": "words to highlight", "schema": {"type": "string"}},
                "f": {"name": "f", "in": "query", "required": False, "style": "form", "explode": True,
                      "description": "facet filters: person:NAME, place:NAME, org:NAME, source:NAME, date:2020-12 "
                                     "(at most 10 person/place/org/source filters in q and f together)",
                      "schema": {"type": "array",
                                 "items": {"type": "string", "pattern": "^(person|place|org|source|date):.*\\S",
                                           "maxLength": 207}}},
                "page": {"name": "page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}},
                "sort": {"name": "sort", "in": "query", "required": False,
                         "schema": {"enum": list(SORTS), "default": "relevance"}},
                "latin": {"name": "latin", "in": "query", "required": False,
                          "schema": {"enum": ["on", "off"], "default": "on"},
                          "description": "on: names typed in Latin letters are searched as their Arabic names"},
                "variants": {"name": "variants", "in": "query", "required": False,
                             "schema": {"enum": ["on", "off"], "default": "on"},
                             "description": "on: words are also searched as the other spellings outlets use "
                                            "(«ترمب», «ترامب»); off: as typed"},
                "match": {"name": "match", "in": "query", "required": False, "schema": {"enum": list(MATCHES)},
                          "description": "date sorts: all (default) lists the articles with every word, any those "
                                         "with any word"},
                "group": {"name": "group", "in": "query", "required": False,
                          "schema": {"enum": ["on", "off"], "default": "on"},
                          "description": "on: one result per story (its best-ranked article, the others in `also`), "
                                         "pages count stories; off: every article"},
                "series": {"name": "series", "in": "query", "required": False,
                           "schema": {"enum": ["on", "off"], "default": "off"},
                           "description": f"on: the timeline's buckets also count each outlet (`sources`; beyond {MAX_SERIES} "
                                          f"outlets, the {MAX_SERIES - 1} with most matches, the rest in `other`)"},
                "share": {"name": "share", "in": "query", "required": False,
                          "schema": {"enum": ["on", "off"], "default": "off"},
                          "description": "on: each timeline bucket's matches as a share of all articles in it"},
                "format": {"name": "format", "in": "query", "required": False, "schema": {"enum": ["json", "html"]}},
            },
            "schemas": {"Search": search_response, "Result": result, "Brief": brief, "Article": article,
                        "Error": error},
            "responses": {"Error": {"description": "the one error shape", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}, **_HTML}}},
        },
    }
