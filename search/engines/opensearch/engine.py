"""The cluster engine: an Akhbar index on OpenSearch, read through its alias.

Queries are analyzed here in Python with the analyzers the index was built with
(the build records its stemmer), translated from the engine-neutral tree
(:mod:`search.querytree`) and sent as DSL.  A query's matches remember the
concrete index the alias pointed to, so ranking and facets read the same build
even if the alias moves in between (the index served before stays until the
build after).  Totals are exact (``track_total_hits``); with more than one
shard, searches use ``dfs_query_then_fetch`` so that BM25 sees the collection's
document frequencies, not a shard's.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import datetime

from search import querytree
from search.analysis import broad_analyzer, exact_analyzer, stemmed_analyzer
from search.engines.base import ARTICLE_FIELDS, OLDEST, OTHERS, Hit, Matches
from search.engines.opensearch import stories as cluster_stories
from search.engines.opensearch.connection import client, redact, unavailable
from search.engines.opensearch.mapping import MAPPING_VERSION
from search.engines.opensearch.queries import search_query
from search.engines.opensearch.writer import VARIANTS_DOC, VOCABULARY_PARTS, VOCABULARY_SUFFIX, doc_key
from search.engines.settings import StoreSettings
from search.errors import IndexMissingError
from search.fields import ENTITY_FIELDS, FACET_FIELDS, FACET_LIMIT, FILTER_FIELDS, SCHEMA_VERSION
from search.normalize import normalize_arabic
from search.stories import StoryIndex
from search.variants import NONE, Variants
from search.vocabulary import best_spellings

#: Values fetched per facet before ties are ordered by spelling and cut to FACET_LIMIT.
FACET_FETCH = 60
#: Seconds the alias -> index resolution is reused (a rebuild is seen within this).
RESOLVE_SECONDS = 1.0
#: Hits per request when every match is read (exports, feeds).
EXPORT_PAGE = 1000
SOURCE_FIELDS = list(ARTICLE_FIELDS)  # (each is one field of the _source)
#: Grouped searches count their stories exactly up to this many matches (estimated past them).
EXACT_STORIES = 100_000
#: Stories a page of the exact count reads.
STORY_PAGE = 10_000


class OpenSearchEngine:
    """The index ``name`` (an alias) on the cluster at ``url``."""

    kind = "opensearch"

    def __init__(self, url: str, name: str = StoreSettings().index_name):
        self.url, self.name = url, name
        self.es = client(url)
        self._plain = client(url, compress=False)  # (the stories' chunks: dense already)
        self._lock = threading.Lock()
        self._resolved: tuple[float, str, dict, int] | None = None
        self._analyzers: dict[str, dict] = {}
        self._spellings: dict[tuple, dict] = {}
        self._spelling_rows: tuple = (None, {})
        self._variants: tuple = (None, NONE)
        self._name_groups: dict[tuple, dict] = {}
        self._frequencies: tuple = (None, {})
        self._stories: tuple = (None, None)
        self._fetching = threading.Lock()
        self._current()  # fail now, not on the first search

    def _call(self, fn, *args, **kwargs):
        from opensearchpy import exceptions as E

        try:
            return fn(*args, **kwargs)
        except E.NotFoundError as exc:
            raise IndexMissingError(f"{redact(self.url)} index {self.name}", "no Akhbar index",
                                    "build it with: akhbar index --engine opensearch --url URL --index-name NAME") from exc
        except E.TransportError as exc:
            raise unavailable(self.url, exc) from exc

    def _current(self) -> tuple[str, dict, int]:
        """(concrete index, its build meta, its shard count), re-read at most every RESOLVE_SECONDS."""
        with self._lock:
            if self._resolved and time.monotonic() - self._resolved[0] < RESOLVE_SECONDS:
                return self._resolved[1:]
        found = self._call(self.es.indices.get, index=self.name)
        index = next(iter(found))
        meta = found[index]["mappings"].get("_meta", {})
        shards = int(found[index]["settings"]["index"]["number_of_shards"])
        if meta.get("mapping_version") != MAPPING_VERSION or meta.get("schema_version") != SCHEMA_VERSION:
            raise IndexMissingError(f"{redact(self.url)} index {self.name}", "index built by another Akhbar version",
                                    "rebuild it with: akhbar index --engine opensearch --url URL --index-name NAME")
        with self._lock:
            self._resolved = (time.monotonic(), index, meta, shards)
        return index, meta, shards

    def _search(self, index: str, shards: int, body: dict, **kwargs) -> dict:
        if shards > 1:
            kwargs["search_type"] = "dfs_query_then_fetch"
        return self._call(self.es.search, index=index, body=body, **kwargs)

    # -- the Engine interface ------------------------------------------------------------------

    def analyzer(self, field: str):
        _index, meta, _shards = self._current()
        stemmer = meta.get("stemmer", "akhbar")
        if stemmer not in self._analyzers:
            chains = {"text": stemmed_analyzer(stemmer), "text_exact": exact_analyzer()}
            if stemmer == "akhbar":
                chains["text_broad"] = broad_analyzer()
            chains.update((f, chains["text_exact"]) for f in FILTER_FIELDS.values())
            self._analyzers[stemmer] = chains
        return self._analyzers[stemmer].get(field)

    def match(self, pq) -> Matches:
        index, _meta, shards = self._current()
        analyzers = {f: a for f in ("text", "text_exact", "text_broad") if (a := self.analyzer(f)) is not None}
        scoring, filters = querytree.build(pq, analyzers, self._expansion() if pq.variants else None)
        if scoring is None:
            return Matches(total=0, state=None)
        query = search_query(scoring, filters)
        found = self._search(index, shards, {"query": query, "size": 0, "track_total_hits": True})
        return Matches(total=found["hits"]["total"]["value"], state=(index, shards, query))

    def ranked(self, matches: Matches, first: int, count: int, by_date: bool = False) -> list[Hit]:
        if matches.state is None or first >= matches.total:
            return []
        index, shards, query = matches.state
        body = {"query": query, "from": first, "size": count, "sort": _sort(by_date), "track_total_hits": False,
                "_source": SOURCE_FIELDS, "track_scores": not by_date}
        found = self._search(index, shards, body)
        return [Hit(article(h["_source"]), None if by_date else h["_score"]) for h in found["hits"]["hits"]]

    def grouped(self, matches: Matches, first: int, count: int, by_date: bool = False,
                others: int = OTHERS) -> tuple[list[Hit], int]:
        """Stories ``first`` .. ``first + count`` of ``matches`` (the searches collapse on each article's
        ``story``), each as its best-ranked article with up to ``others`` of the story's other matching
        articles, and how many stories the matches are in (:meth:`_stories_in`).  An index without
        stories: every article is its own."""
        if matches.state is None or self.stories() is None:
            return self.ranked(matches, first, count, by_date), matches.total
        index, shards, query = matches.state
        sort = _sort(by_date)
        inner = {"name": "others", "size": others + 1, "sort": sort, "_source": [f for f in SOURCE_FIELDS if f != "body"]}
        body = {"query": query, "from": first, "size": count, "sort": sort, "track_total_hits": False,
                "_source": SOURCE_FIELDS, "track_scores": not by_date,
                "collapse": {"field": "story", "inner_hits": inner}}
        found = self._search(index, shards, body)
        out = []
        for h in found["hits"]["hits"]:
            hit = Hit(article(h["_source"]), None if by_date else h["_score"])
            inner_hits = h["inner_hits"]["others"]["hits"]
            hit.others = [Hit(dict(article(o["_source"]), body=""), None if by_date else o.get("_score"))
                          for o in inner_hits["hits"] if o["_source"]["id"] != hit.fields["id"]][:others]
            hit.matching = inner_hits["total"]["value"]
            out.append(hit)
        return out, self._stories_in(index, shards, query, matches.total)

    def _stories_in(self, index: str, shards: int, query: dict, total: int) -> int:
        """How many stories the matches of ``query`` are in: counted exactly (a composite aggregation
        read in pages of STORY_PAGE stories: 11 ms for 3,468 matches of ANT, 82 ms for all 30k) up
        to EXACT_STORIES matches; past them estimated (a cardinality aggregation, HyperLogLog++:
        off by one in 6,571 on ANT)."""
        if total > EXACT_STORIES:
            agg = {"cardinality": {"field": "story", "precision_threshold": 40000}}
            found = self._search(index, shards, {"query": query, "size": 0, "aggs": {"s": agg}, "track_total_hits": False})
            return int(found["aggregations"]["s"]["value"])
        counted, after = 0, None
        while True:
            composite: dict = {"size": STORY_PAGE, "sources": [{"s": {"terms": {"field": "story"}}}]}
            if after is not None:
                composite["after"] = after
            found = self._search(index, shards, {"query": query, "size": 0, "track_total_hits": False,
                                                 "aggs": {"c": {"composite": composite}}})
            buckets = found["aggregations"]["c"]["buckets"]
            counted += len(buckets)
            after = found["aggregations"]["c"].get("after_key")
            if len(buckets) < STORY_PAGE or after is None:
                return counted

    def stories(self):
        """The stories the build stored with the index served, fetched once into a local cache
        (``search.engines.opensearch.stories``); None for an index without them (built in parts)."""
        from opensearchpy import exceptions as E

        index, meta, _shards = self._current()
        stamp = meta.get("stories")
        if not stamp:
            return None
        with self._lock:
            if self._stories[0] == (index, stamp):
                return self._stories[1]
        with self._fetching:  # (one thread fetches; the others then find it cached)
            try:
                folder = cluster_stories.cached(self._plain, index, index + VOCABULARY_SUFFIX, stamp)
            except E.TransportError as exc:
                raise unavailable(self.url, exc) from exc
            except OSError as exc:  # the cache cannot be written: results are listed ungrouped, and said so here
                logging.getLogger(__name__).warning("stories of %s not read (%s): set %s to a writable folder",
                                                    index, exc, cluster_stories.CACHE_VARIABLE)
                folder = None
            found = StoryIndex.open(folder) if folder is not None else None
        with self._lock:
            self._stories = ((index, stamp), found)
        return found

    def days(self, matches: Matches | None, by_source: bool = False) -> dict:
        """Articles per day (a date histogram), of ``matches`` or of the whole index (None)."""
        if matches is not None and matches.state is None:
            return {"days": {}, "undated": 0, "sources": {}}
        query: dict
        if matches is None:
            index, _meta, shards = self._current()
            query = {"match_all": {}}
        else:
            index, shards, query = matches.state
        histogram = {"date_histogram": {"field": "date", "calendar_interval": "day", "format": "yyyy-MM-dd",
                                        "min_doc_count": 1}}
        inner = {"days": histogram}
        if by_source:
            inner["sources"] = {"terms": {"field": "source", "size": 1000}, "aggs": {"days": histogram}}
        # a date known to the month or year alone has no day: counted with the undated
        aggs = {"d": {"filter": {"bool": {"must": [{"exists": {"field": "date"}}],
                                          "must_not": [{"terms": {"date_precision": ["month", "year"]}}]}}, "aggs": inner}}
        found = self._search(index, shards, {"query": query, "size": 0, "aggs": aggs, "track_total_hits": True})
        day_aggs = found["aggregations"]["d"]
        per_day = lambda agg: {b["key_as_string"]: b["doc_count"] for b in agg["buckets"]}  # noqa: E731
        return {"days": per_day(day_aggs["days"]),
                "undated": found["hits"]["total"]["value"] - day_aggs["doc_count"],
                "sources": {b["key"]: per_day(b["days"]) for b in day_aggs["sources"]["buckets"]} if by_source else {}}

    def each(self, matches: Matches, by_date: bool = False) -> Iterator[Hit]:
        """Pages of EXPORT_PAGE with ``search_after`` on the sort keys (``seq`` is unique), on the
        concrete index the matches were counted on: no deep ``from``, no result window limit."""
        if matches.state is None:
            return
        index, shards, query = matches.state
        fields = [f for f in SOURCE_FIELDS if f != "body"]
        after = None
        while True:
            body = {"query": query, "size": EXPORT_PAGE, "sort": _sort(by_date), "track_total_hits": False,
                    "_source": fields, "track_scores": not by_date}
            if after is not None:
                body["search_after"] = after
            hits = self._search(index, shards, body)["hits"]["hits"]
            for h in hits:
                yield Hit(article(h["_source"]), None if by_date else h["_score"])
            if len(hits) < EXPORT_PAGE:
                return
            after = hits[-1]["sort"]

    def facets(self, matches: Matches) -> dict[str, list[dict]]:
        query: dict
        if matches.state is None:
            index, _meta, shards = self._current()
            query = {"match_none": {}}
        else:
            index, shards, query = matches.state
        aggs = {field: {"terms": {"field": f"{field}_key", "size": FACET_FETCH}} for field in FACET_FIELDS}
        members = {field: self._members(index, shards, field) for field in ENTITY_FIELDS}
        for field, groups in members.items():  # names spelled several ways: the articles with any spelling, once
            if groups:
                aggs[f"{field} names"] = {"filters": {"filters": {c: {"terms": {f"{field}_key": ks}}
                                                                  for c, ks in groups.items()}}}
        # an article dated by its year alone counts in its year, in no month
        aggs["month"] = {"filter": {"bool": {"must_not": [{"term": {"date_precision": "year"}}]}},
                         "aggs": {"h": {"date_histogram": {"field": "date", "calendar_interval": "month",
                                                           "format": "yyyy-MM", "min_doc_count": 1}}}}
        aggs["year"] = {"date_histogram": {"field": "date", "calendar_interval": "year", "format": "yyyy",
                                           "min_doc_count": 1}}
        found = self._search(index, shards, {"query": query, "size": 0, "aggs": aggs, "track_total_hits": False})
        out = {}
        for field in FACET_FIELDS:
            buckets = [(b["key"], b["doc_count"]) for b in found["aggregations"][field]["buckets"]]
            names = {c: b["doc_count"] for c, b in found["aggregations"].get(f"{field} names", {}).get("buckets", {}).items()
                     if b["doc_count"]}
            counted = self._names(index, shards, field, buckets, members.get(field, {}), names)
            out[field] = [{"value": v, "count": n} for v, n in counted[:FACET_LIMIT]]
        months = [(b["key_as_string"], b["doc_count"]) for b in found["aggregations"]["month"]["h"]["buckets"]]
        years = [(b["key_as_string"], b["doc_count"]) for b in found["aggregations"]["year"]["buckets"]]
        out["year"] = [{"value": y, "count": n} for y, n in sorted(years, reverse=True)]
        out["month"] = [{"value": m, "count": n} for m, n in sorted(months, reverse=True)]
        return out

    def _names(self, index: str, shards: int, field: str, buckets: list, members: dict, names: dict) -> list:
        """A facet's (value, count), most first: each normalized value shown in the spelling most articles
        use; an entity's values whose words are house spellings of one name («دونالد ترمب», «دونالد
        ترامب»: ``members``, one key -> the index's keys) one entry, its articles counted once (``names``:
        key -> the matching articles with any of its keys), as the embedded engine counts them."""
        merged = {k for ks in members.values() for k in ks}
        entries = [(k, n, [k]) for k, n in buckets if k not in merged] + [(c, n, members[c]) for c, n in names.items()]
        shown = self._shown(index, shards, field, sorted({k for _c, _n, ks in entries for k in ks}))
        out = []
        for c, n, keys in entries:
            value = min((shown[k] for k in keys if k in shown), key=lambda v: (-v[1], v[0]), default=(c, 0))[0]
            out.append((value, n))
        return sorted(out, key=lambda v: (-v[1], v[0]))

    def _members(self, index: str, shards: int, field: str) -> dict[str, list[str]]:
        """An entity field's names spelled in several ways: one key (each word in its group's most used
        spelling) -> the index's keys of that name; read once an index version."""
        spelled = self.variants()
        if not spelled:
            return {}
        version = self.version
        cache_key = (version, field)
        with self._lock:
            if cache_key in self._name_groups:
                return self._name_groups[cache_key]
        groups: dict[str, list[str]] = {}
        for value, _n in self._values(f"{field}_key"):
            groups.setdefault(spelled.canonical_text(value), []).append(value)
        found = {c: ks for c, ks in groups.items() if len(ks) > 1}
        with self._lock:
            self._name_groups = {k: v for k, v in self._name_groups.items() if k[0] == version}
            self._name_groups[cache_key] = found
        return found

    def _shown(self, index: str, shards: int, field: str, keys: list[str]) -> dict[str, tuple[str, int]]:
        """Normalized value -> (the spelling most articles of the collection use, those articles)."""
        key = (index, self.version)
        if key not in self._spellings:
            self._spellings = {key: {}}  # one index version at a time
        cache = self._spellings[key]
        missing = [k for k in keys if (field, k) not in cache]
        if missing:
            aggs = {"k": {"terms": {"field": f"{field}_key", "include": missing, "size": len(missing)},
                          "aggs": {"v": {"terms": {"field": field, "size": 50}}}}}
            found = self._search(index, shards, {"query": {"terms": {f"{field}_key": missing}}, "size": 0, "aggs": aggs,
                                                 "track_total_hits": False})
            for b in found["aggregations"]["k"]["buckets"]:
                variants = [(v["doc_count"], v["key"]) for v in b["v"]["buckets"] if normalize_arabic(v["key"]) == b["key"]]
                best = min(variants, key=lambda v: (-v[0], v[1])) if variants else (b["doc_count"], b["key"])
                cache[(field, b["key"])] = (best[1], best[0])
        return {k: cache.get((field, k), (k, 0)) for k in keys}

    def document(self, doc_id: str) -> dict | None:
        from opensearchpy import exceptions as E

        try:
            found = self.es.get(index=self.name, id=doc_key(doc_id), _source=SOURCE_FIELDS)
        except E.NotFoundError:
            return None
        except E.TransportError as exc:
            raise unavailable(self.url, exc) from exc
        return article(found["_source"])

    def doc_frequency(self, field: str, term: str) -> int:
        index, _meta, _shards = self._current()
        return int(self._call(self.es.count, index=index, body={"query": {"term": {field: term}}})["count"])

    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        """The exact forms (from the build's vocabulary index), or a facet field's values
        (a composite aggregation, paged), with their document frequencies."""
        if field in FACET_FIELDS:
            yield from self._values(field)
            return
        if field != "text_exact":
            raise ValueError(f"the OpenSearch engine lists the terms of text_exact and the facet fields, not {field!r}")
        total: dict[str, int] = {}
        for src in self._vocabulary_docs():
            for term, df in zip(src.get("terms", ()), src.get("df", ())):
                total[term] = total.get(term, 0) + df
        yield from sorted(total.items())

    def _values(self, field: str) -> Iterator[tuple[str, int]]:
        index, _meta, shards = self._current()
        after = None
        while True:
            composite = {"size": 1000, "sources": [{"v": {"terms": {"field": field}}}]}
            if after:
                composite["after"] = after
            found = self._search(index, shards, {"size": 0, "track_total_hits": False,
                                                 "aggs": {"values": {"composite": composite}}})
            agg = found["aggregations"]["values"]
            for b in agg["buckets"]:
                yield b["key"]["v"], b["doc_count"]
            after = agg.get("after_key")
            if not agg["buckets"] or after is None:
                return

    def _vocabulary_docs(self) -> Iterator[dict]:
        from opensearchpy import exceptions as E
        from opensearchpy import helpers

        index, _meta, _shards = self._current()
        try:
            for hit in helpers.scan(self.es, index=index + VOCABULARY_SUFFIX, query={"query": VOCABULARY_PARTS}):
                yield hit["_source"]
        except E.TransportError as exc:
            raise unavailable(self.url, exc) from exc

    def variants(self) -> Variants:
        """The house spellings the build stored (none for an index built before them)."""
        from opensearchpy import exceptions as E

        key = self.version
        with self._lock:
            if self._variants[0] == key:
                return self._variants[1]
        index, _meta, _shards = self._current()
        try:
            found = Variants(self.es.get(index=index + VOCABULARY_SUFFIX, id=VARIANTS_DOC)["_source"]["groups"])
        except E.NotFoundError:
            found = NONE
        except E.TransportError as exc:
            raise unavailable(self.url, exc) from exc
        with self._lock:
            self._variants = (key, found)
        return found

    def _expansion(self) -> querytree.Expansion:
        """The house spellings and the statistics that score a word's spellings as one term
        (document frequencies asked once a term and index version)."""
        key = self.version
        with self._lock:
            if self._frequencies[0] != key:
                self._frequencies = (key, {})
            cache = self._frequencies[1]
        documents = cache.get(("", ""))
        if documents is None:
            documents = cache[("", "")] = self.stats()["documents"]

        def df(field: str, term: str) -> int:
            if (field, term) not in cache:
                cache[(field, term)] = self.doc_frequency(field, term)
            return cache[(field, term)]

        return querytree.Expansion(self.variants(), df, documents)

    def spellings(self) -> dict[str, str]:
        key = self.version
        with self._lock:
            if self._spelling_rows[0] == key:
                return self._spelling_rows[1]
        found = best_spellings([row for src in self._vocabulary_docs() for row in src.get("spellings", [])])
        with self._lock:
            self._spelling_rows = (key, found)
        return found

    @property
    def version(self) -> tuple:
        index, meta, _shards = self._current()
        return (index, meta.get("built_at"), meta.get("updated_at"))

    def stats(self) -> dict:
        index, meta, shards = self._current()
        count = int(self._call(self.es.count, index=index)["count"])
        return {"documents": count, "built_at": meta.get("built_at"), "analyzer_version": meta.get("analyzer_version"),
                "engine": self.kind, "index": index, "shards": shards}

    def close(self) -> None:
        self.es.close()
        self._plain.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _sort(by_date: bool | str) -> list:
    """Best score first, or newest first (``by_date="oldest"``: oldest first; undated last); ties in
    collection order, as the embedded engine."""
    if by_date:
        return [{"date": {"order": "asc" if by_date == OLDEST else "desc", "missing": "_last"}}, {"seq": "asc"}]
    return [{"_score": "desc"}, {"seq": "asc"}]


def article(src: dict) -> dict:
    """An OpenSearch ``_source`` as an engine-neutral article (see ``search.engines.base``)."""
    date = src.get("date")
    return {
        "id": src["id"], "title": src.get("title") or "", "body": src.get("body") or "",
        "source": (src.get("source") or [None])[0] if isinstance(src.get("source"), list) else src.get("source"),
        "date": datetime.fromisoformat(date) if date else None,
        "date_precision": src.get("date_precision") or ("day" if date else None),
        "url": src.get("url"), "category": src.get("category"),
        "persons": list(src.get("persons") or []), "places": list(src.get("places") or []),
        "organizations": list(src.get("organizations") or []), "digest": src.get("digest"),
        "indexed": src.get("indexed"),
    }
