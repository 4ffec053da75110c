"""Writing articles into OpenSearch: build beside the served index, swap the alias in one call.

A build creates ``NAME-bSTAMP`` beside the index the alias ``NAME`` points to,
bulk-loads it (bounded requests, retried with backoff on 429 and 503), refreshes
it, gives it its replicas, waits for them, and moves the alias in one
``_aliases`` call.  A failed or killed build never touches the alias: the old
index serves on, and the next build removes the leftover.  The index served
before stays (a search under way may still read it) until the build after.

``--update`` changes the served index in place, by id and digest: new and changed
articles are indexed (an article's ``_id`` is the SHA-1 of its Akhbar id, which
may be longer than OpenSearch's 512-byte limit), deleted ones removed.

Several machines can load one build together: each runs a part (``part=(k, n)``)
into the same ``build_id``, and one then publishes it (:meth:`Writer.publish`).

Analysis happens in the worker processes of ``index.pipeline`` (:func:`prepare`),
so the build uses every core; each document's distinct exact forms are kept in a
companion ``-vocabulary`` index, which the spelling suggestion reads.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from datetime import datetime, timezone

from search.analysis import analyze, broad_analyzer, exact_analyzer, stemmed_analyzer
from search.engines.opensearch import mapping, stories
from search.engines.opensearch.connection import client, unavailable
from search.errors import BuildError, EngineUnavailableError
from search.fields import FACET_FIELDS, FILTER_FIELDS, scored_text
from search.normalize import normalize_arabic

#: Bulk requests: at most this many articles and bytes each.
BULK_DOCS = 500
BULK_BYTES = 8 * 2**20
BUILD_PREFIX = "-b"
VOCABULARY_SUFFIX = "-vocabulary"
#: The file table's documents in the vocabulary index (their ``part``: files-0, files-1 ...), each of
#: this many files.
FILES_PART = "files-"
FILES_CHUNK = 2000
#: The id, in a build's vocabulary index, of its house spellings.
VARIANTS_DOC = "variants"
#: The vocabulary index's documents of document frequencies and spellings: not the file table, the
#: house spellings or the stories folder (``search.engines.opensearch.stories``) stored beside them.
VOCABULARY_PARTS = {"bool": {"must_not": [{"prefix": {"part": FILES_PART}}, {"prefix": {"part": stories.PART}},
                                          {"terms": {"part": [VARIANTS_DOC, stories.MANIFEST]}}]}}


def doc_key(doc_id: str) -> str:
    """The OpenSearch ``_id`` of an article id (any length, any characters)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()


_ANALYZERS: dict = {}


def _analyzers(stemmer: str) -> dict:
    if stemmer not in _ANALYZERS:
        exact = exact_analyzer()
        _ANALYZERS[stemmer] = {"text": stemmed_analyzer(stemmer), "text_exact": exact, "text_broad": broad_analyzer()}
        if stemmer != "akhbar":
            del _ANALYZERS[stemmer]["text_broad"]
    return _ANALYZERS[stemmer]


def prepare(doc, stemmer: str = "akhbar") -> dict:
    """A document (entities recognized) as its OpenSearch ``_source`` and its distinct exact forms.

    Runs in the worker processes: this is the analysis of the whole build."""
    analyzers = _analyzers(stemmer)
    text = scored_text(doc.title, doc.body)
    src = {"id": doc.id, "seq": doc.seq, "title": doc.title, "body": doc.body, "digest": doc.digest,
           "date": doc.date.isoformat() if doc.date else None, "url": doc.url, "category": doc.category}
    if doc.date_precision in ("time", "month", "year"):  # (absent: a day)
        src["date_precision"] = doc.date_precision
    tokens = {}
    for field, analyzer in analyzers.items():
        tokens[field] = analyze(analyzer, text)
        src[field] = " ".join(tokens[field])
    values = {"source": [doc.source] if doc.source else [], "persons": doc.persons, "places": doc.places,
              "organizations": doc.organizations}
    for field, prefix in FACET_FIELDS.items():
        src[field] = values[field]
        src[f"{field}_key"] = [normalize_arabic(v) for v in values[field]]
        joined = ",".join(v.replace(",", " ") for v in values[field])
        src[FILTER_FIELDS[prefix]] = " ".join(analyze(analyzers["text_exact"], joined)) if joined else ""
    return {"source": src, "forms": sorted(set(tokens["text_exact"]))}


def build_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dt%H%M%S%f")


class Writer:
    """Writes the index ``name`` (an alias) on the cluster at ``url``."""

    def __init__(self, url: str, name: str):
        self.url, self.name = url, name
        self.es = client(url)
        #: A client that does not compress (the stories' chunks, already dense).
        self.plain = client(url, compress=False)

    def _call(self, fn, *args, **kwargs):
        from opensearchpy import exceptions as E

        try:
            return fn(*args, **kwargs)
        except (E.ConnectionError, E.AuthenticationException, E.AuthorizationException) as exc:
            raise unavailable(self.url, exc) from exc
        except E.TransportError as exc:
            if exc.status_code in (503,):
                raise unavailable(self.url, exc) from exc
            raise BuildError(f"OpenSearch refused a request ({exc.status_code}: {exc.error}); "
                             "the previous index is still served") from exc

    # -- what is served -----------------------------------------------------------------------

    def served(self) -> str | None:
        """The index the alias points to now, or None."""
        from opensearchpy import exceptions as E

        try:
            found = self._call(self.es.indices.get_alias, name=self.name)
        except BuildError as exc:
            if isinstance(exc.__cause__, E.NotFoundError):
                return None
            raise
        return next(iter(found), None)

    def existing(self) -> dict[str, str]:
        """id -> digest of every article served (for ``--update``)."""
        from opensearchpy import helpers

        out = {}
        for hit in helpers.scan(self.es, index=self.name, _source=["id", "digest"], size=2000, query={"query": {"match_all": {}}}):
            out[hit["_source"]["id"]] = hit["_source"].get("digest", "")
        return out

    def first_indexed(self, index: str) -> dict[str, str]:
        """id -> when it first entered the index (``index.first_indexed``), of every article of
        ``index`` that has the time (an index built before keeps none)."""
        from opensearchpy import helpers

        out = {}
        for hit in helpers.scan(self.es, index=index, _source=["id", "indexed"], size=2000,
                                query={"query": {"exists": {"field": "indexed"}}}):
            out[hit["_source"]["id"]] = hit["_source"]["indexed"]
        return out

    # -- a build beside ------------------------------------------------------------------------

    def create(self, build: str, meta: dict, shards: int, replicas: int) -> str:
        """Create the build's index and its vocabulary index, unless another part already did."""
        from opensearchpy import exceptions as E

        index = f"{self.name}{BUILD_PREFIX}{build}"
        for name, body in ((index, {"settings": mapping.settings(shards, replicas), "mappings": mapping.mappings(meta)}),
                           (index + VOCABULARY_SUFFIX, {"settings": {"number_of_shards": 1, "number_of_replicas": replicas},
                                                        "mappings": {"dynamic": False, "properties": {"part": {"type": "keyword"}}}})):
            try:
                self._call(self.es.indices.create, index=name, body=body)
            except BuildError as exc:
                if not (isinstance(exc.__cause__, E.RequestError) and "already_exists" in str(exc.__cause__.error)):
                    raise
        return index

    def load(self, index: str, docs, on_error, story: dict[str, str] | None = None) -> int:
        """Bulk-load prepared documents (an iterable of ``Document`` with ``prepared``), each with its
        story (``story``: id -> its story's id; an article not in it is its own); returns how many."""
        from opensearchpy import helpers

        story = story or {}

        def actions():
            for doc in docs:
                source = dict(doc.prepared["source"], story=story.get(doc.id, doc.id))
                if doc.indexed:
                    source["indexed"] = doc.indexed
                yield {"_index": index, "_id": doc_key(doc.id), "_source": source}

        loaded = 0
        for ok, info in helpers.streaming_bulk(self.es, actions(), chunk_size=BULK_DOCS, max_chunk_bytes=BULK_BYTES,
                                               max_retries=8, initial_backoff=1, max_backoff=60,
                                               raise_on_error=False, raise_on_exception=True):
            if ok:
                loaded += 1
            else:
                on_error(info)
        return loaded

    def save_vocabulary(self, index: str, part: str, forms: Counter, spellings: list) -> None:
        """Store a part's document frequencies of the exact forms, and its headline spellings."""
        terms = sorted(forms)
        self._call(self.es.index, index=index + VOCABULARY_SUFFIX, id=part,
                   body={"part": part, "terms": terms, "df": [forms[t] for t in terms], "spellings": spellings})

    def save_variants(self, index: str, variants) -> None:
        """Store the build's house spellings (:class:`search.variants.Variants`) beside its vocabulary."""
        self._call(self.es.index, index=index + VOCABULARY_SUFFIX, id=VARIANTS_DOC,
                   body={"part": VARIANTS_DOC, "groups": variants.groups}, refresh=True)

    def save_files(self, index: str, files: dict) -> None:
        """Store the build's file table (``index.filetable``: path -> size, time, articles) beside its
        vocabulary, :data:`FILES_CHUNK` files a document, so that an update reads again only the
        files that changed (the previous table's documents replaced)."""
        self._call(self.es.delete_by_query, index=index + VOCABULARY_SUFFIX,
                   body={"query": {"prefix": {"part": FILES_PART}}}, refresh=True)
        paths = sorted(files)
        for k in range(0, len(paths), FILES_CHUNK):
            chunk = {p: files[p] for p in paths[k:k + FILES_CHUNK]}
            self._call(self.es.index, index=index + VOCABULARY_SUFFIX, id=f"{FILES_PART}{k // FILES_CHUNK}",
                       body={"part": f"{FILES_PART}{k // FILES_CHUNK}", "files": json.dumps(chunk, ensure_ascii=False)})
        self._call(self.es.indices.refresh, index=index + VOCABULARY_SUFFIX)

    def files(self, index: str) -> dict:
        """The file table stored with ``index`` (empty if it has none: every file is read)."""
        from opensearchpy import helpers

        out: dict = {}
        for hit in helpers.scan(self.es, index=index + VOCABULARY_SUFFIX, query={"query": {"prefix": {"part": FILES_PART}}}):
            out.update(json.loads(hit["_source"]["files"]))
        return out

    def save_stories(self, index: str, folder, stamp: str) -> int:
        """Store a stories folder (``folder``: the one holding ``stories/``) beside ``index``'s vocabulary,
        in place of the one stored before (its unchanged chunks kept), and give ``index`` its stamp
        (``_meta.stories``); the bytes sent."""
        sent = self._call(stories.save, self.plain, index + VOCABULARY_SUFFIX, folder / stories.DIRNAME, stamp)
        self._call(self.es.indices.put_mapping, index=index, body={"_meta": dict(self._meta(index), stories=stamp)})
        return sent

    def sources(self, index: str, ids: list[str]):
        """The ``_source`` of each article of ``ids`` that ``index`` holds."""
        for start in range(0, len(ids), BULK_DOCS):
            found = self._call(self.es.mget, index=index, body={"ids": [doc_key(i) for i in ids[start:start + BULK_DOCS]]})
            yield from (d["_source"] for d in found["docs"] if d.get("found"))

    def variants(self, index: str):
        """The house spellings stored with ``index`` (:data:`search.variants.NONE` if none)."""
        from search.variants import NONE, Variants

        doc = self._call(self.es.get, index=index + VOCABULARY_SUFFIX, id=VARIANTS_DOC, ignore=404)
        return Variants(doc["_source"]["groups"]) if doc.get("found") else NONE

    def refresh(self, index: str) -> None:
        """Make every article loaded into ``index`` readable (before it is read through)."""
        self._call(self.es.indices.refresh, index=f"{index},{index}{VOCABULARY_SUFFIX}")

    def build_index(self, build: str) -> str:
        """The concrete index of a build."""
        return f"{self.name}{BUILD_PREFIX}{build}"

    def publish(self, build: str, replicas: int, wait: float = 300) -> str:
        """Make a finished build the one served: refresh, replicate, swap the alias, drop old builds."""
        index = self.build_index(build)
        vocabulary = index + VOCABULARY_SUFFIX
        self._call(self.es.indices.put_settings, index=index,
                   body={"index": {"refresh_interval": "1s", "number_of_replicas": replicas}})
        self._call(self.es.indices.refresh, index=f"{index},{vocabulary}")
        health = self._call(self.es.cluster.health, index=f"{index},{vocabulary}",
                            params={"wait_for_status": "green", "timeout": f"{int(wait)}s",
                                    "wait_for_no_initializing_shards": "true", "request_timeout": wait + 30})
        if health.get("timed_out") and health.get("status") != "yellow":
            raise BuildError(f"the new index did not become available in {wait:.0f} s (status {health.get('status')}); "
                             "the previous index is still served")
        self._call(self.es.indices.put_mapping, index=index,
                   body={"_meta": dict(self._meta(index), built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))})
        old = self.served()
        actions = [{"add": {"index": index, "alias": self.name}}]
        if old and old != index:
            actions.insert(0, {"remove": {"index": old, "alias": self.name}})
        self._call(self.es.indices.update_aliases, body={"actions": actions})
        self.remove_old(keep={index, old})
        return index

    def _meta(self, index: str) -> dict:
        found = self._call(self.es.indices.get_mapping, index=index)
        return found[index]["mappings"].get("_meta", {})

    def remove_old(self, keep: set) -> None:
        """Delete builds of this name other than ``keep`` (killed builds, and the one served before last)."""
        found = self._call(self.es.indices.get, index=f"{self.name}{BUILD_PREFIX}*", ignore_unavailable=True)
        for name in found:
            base = name[: -len(VOCABULARY_SUFFIX)] if name.endswith(VOCABULARY_SUFFIX) else name
            if base not in keep:
                self._call(self.es.indices.delete, index=name, ignore_unavailable=True)

    def abort(self, build: str) -> None:
        index = f"{self.name}{BUILD_PREFIX}{build}"
        try:
            self._call(self.es.indices.delete, index=f"{index},{index}{VOCABULARY_SUFFIX}", ignore_unavailable=True)
        except (BuildError, EngineUnavailableError):
            pass  # the next build removes it

    # -- an update in place --------------------------------------------------------------------

    def old_forms(self, index: str, ids: list[str], stemmer: str) -> Counter:
        """Document frequencies of the exact forms of articles about to be replaced or deleted."""
        forms: Counter = Counter()
        exact = _analyzers(stemmer)["text_exact"]
        for start in range(0, len(ids), 500):
            found = self._call(self.es.mget, index=index, body={"ids": [doc_key(i) for i in ids[start:start + 500]]},
                               _source=["title", "body"])
            for d in found["docs"]:
                if d.get("found"):
                    forms.update(set(analyze(exact, scored_text(d["_source"]["title"], d["_source"]["body"]))))
        return forms

    def vocabulary(self, index: str) -> tuple[Counter, list]:
        """The stored document frequencies of the exact forms, and the spelling rows of every part."""
        from opensearchpy import helpers

        forms: Counter = Counter()
        spellings: list = []
        for hit in helpers.scan(self.es, index=index + VOCABULARY_SUFFIX, query={"query": VOCABULARY_PARTS}):
            forms.update(dict(zip(hit["_source"].get("terms", ()), hit["_source"].get("df", ()))))
            spellings += hit["_source"].get("spellings", [])
        return forms, spellings

    def replace_vocabulary(self, index: str, forms: Counter, spellings: list) -> None:
        self._call(self.es.delete_by_query, index=index + VOCABULARY_SUFFIX, body={"query": VOCABULARY_PARTS},
                   refresh=True)
        self.save_vocabulary(index, "all", +forms, spellings)
        self._call(self.es.indices.refresh, index=index + VOCABULARY_SUFFIX)

    def delete(self, index: str, ids: list[str]) -> None:
        from opensearchpy import helpers

        actions = ({"_op_type": "delete", "_index": index, "_id": doc_key(i)} for i in ids)
        for ok, info in helpers.streaming_bulk(self.es, actions, chunk_size=BULK_DOCS, max_retries=8,
                                               raise_on_error=False):
            if not ok and info.get("delete", {}).get("status") != 404:
                raise BuildError(f"OpenSearch did not delete an article: {info}")

    def mark_updated(self, index: str) -> None:
        self._call(self.es.indices.refresh, index=index)
        self._call(self.es.indices.put_mapping, index=index,
                   body={"_meta": dict(self._meta(index), updated_at=f"{time.time():.6f}")})
