"""The embedded engine: a Whoosh index folder (``ROOT/current`` -> ``ROOT/gen-*``).

One :class:`WhooshEngine` serves every thread of a process.  Each thread keeps
its own Whoosh searcher on the generation being served and opens a new one only
after a rebuild has swapped ``current`` (opening costs more than a search on a
large index), so a running server picks up a new index on its next request.
A query's matches keep the searcher they were computed with: ranking and facet
counts read the same generation even if a rebuild lands in between.  Ranking is
BM25F computed with numpy (``ranking``), the match set and facets too
(``docsets``, ``facets``); Whoosh reads the postings and stored fields.
"""
from __future__ import annotations

import functools
import inspect
import os
import pickle
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import whoosh
from whoosh import query as Q
from whoosh import scoring
from whoosh.filedb.filetables import FileFormatError
from whoosh.reading import CorruptIndexError
from whoosh.util.times import datetime_to_long

from search.engines.base import OTHERS, Hit, Matches
from search.engines.whoosh import arrays, generation
from search.engines.whoosh.analysis import chain_of
from search.engines.whoosh.docsets import generation_key, matching_docs
from search.engines.whoosh.facets import count_facets, doc_values
from search.engines.whoosh.queries import to_whoosh
from search.engines.whoosh.ranking import order, top
from search.engines.whoosh.store import (
    REBUILD,
    close_left_open,
    current_dir,
    open_index,
    read_meta,
    read_spellings,
    unreadable,
)
from search.engines.whoosh.tables import dates, live
from search.errors import IndexMissingError
from search.fields import BM25_B, BM25_K1
from search.query import ParsedQuery
from search.querytree import Expansion
from search.variants import Variants
from search.vocabulary import best_spellings


def weighting() -> scoring.BM25F:
    """The ranking function of every search."""
    return scoring.BM25F(K1=BM25_K1, B=BM25_B)


def split_values(value: str | None) -> list[str]:
    """A stored facet field ("a,b,c") as a list."""
    return [v for v in (value or "").split(",") if v]


def article(fields: dict) -> dict:
    """Stored Whoosh fields as an engine-neutral article (see ``search.engines.base``)."""
    return {
        "id": fields["id"], "title": fields.get("title", ""), "body": fields.get("body", ""),
        "source": fields.get("source") or None, "date": fields.get("date"),
        "date_precision": fields.get("date_precision") or ("day" if fields.get("date") else None),
        "url": fields.get("url"), "category": fields.get("category"),
        "persons": split_values(fields.get("persons")), "places": split_values(fields.get("places")),
        "organizations": split_values(fields.get("organizations")), "digest": fields.get("digest"),
        "indexed": fields.get("indexed"),
    }


def open_searcher(ix):
    """A searcher on ``ix`` whose files are all open already.

    Whoosh opens a segment's stored-fields, field-length and sort columns on first
    use.  A server keeps a searcher across requests while rebuilds remove old
    generations; files opened here stay readable after their folder is removed
    (POSIX keeps unlinked open files), files opened later would not.  The generation's
    numpy arrays (``arrays``), if the build wrote them, are mapped now for the same reason.
    """
    searcher = ix.searcher(weighting=weighting())
    for leaf, _offset in searcher.reader().leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        leaf.stored_fields(0)
        for name in leaf.schema.scorable_names():
            leaf.doc_field_length(0, name)
        for name in ("date", "month"):
            if leaf.has_column(name):
                leaf.column_reader(name)
    searcher.akhbar_generation = generation.opened(ix.storage.folder, searcher.reader())  # its arrays, stories ...
    return searcher


_EPOCH = datetime_to_long(datetime(1970, 1, 1))
_DAY = 86_400 * 1_000_000  # Whoosh stores a date as microseconds


def _per_day(day: np.ndarray) -> dict[str, int]:
    """Days since 1970 -> {"YYYY-MM-DD": articles} (numpy's calendar has no end: a day past
    year 9999 reads «10000-01-01», which the timeline counts with the undated, not an overflow)."""
    values, counts = np.unique(day, return_counts=True)
    return dict(zip(np.datetime_as_string(values.astype("datetime64[D]")).tolist(), counts.tolist()))


_WHOOSH_CODE = os.path.dirname(whoosh.__file__) + os.sep
_AKHBAR_CODE = tuple(str(Path(__file__).resolve().parents[3] / package) + os.sep for package in ("search", "index", "web"))


#: Errors of Whoosh decoding bytes it did not write (a damaged file): they mark the generation damaged.
DAMAGE = (zlib.error, pickle.UnpicklingError, struct.error, EOFError, UnicodeDecodeError, CorruptIndexError,
          FileFormatError)


def raised_in_whoosh(exc: BaseException) -> bool:
    """Whether Whoosh's code raised ``exc``, not Akhbar's: of the frames it passed through, the
    innermost one of either is Whoosh's.  Whoosh decoding a damaged file fails in many ways (a
    pickle, struct, zlib or Unicode error, a bad varint, its own CorruptIndexError ...)."""
    found = False
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(_WHOOSH_CODE):
            found = True
        elif name.startswith(_AKHBAR_CODE):
            found = False
        tb = tb.tb_next
    return found


def _reads(method):
    """An engine method whose errors raised by Whoosh reading the index (a damaged file) become
    IndexMissingError: the generation is then refused as damaged (``WhooshEngine.damaged``)."""
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def iterate(self, *args, **kwargs):
            try:
                yield from method(self, *args, **kwargs)
            except Exception as exc:
                raise self.damaged(exc) from exc

        return iterate

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            raise self.damaged(exc) from exc

    return call


#: A searcher replaced by a newer generation's stays open this long (longer than any request may take).
RETIRE_SECONDS = 60.0


class WhooshEngine:
    """The index at ``root`` (IndexMissingError when there is none or it cannot be read)."""

    kind = "whoosh"

    def __init__(self, root: str | os.PathLike):
        self.root = str(root)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._generation: str | None = None
        self._index = None
        self._meta: dict = {}
        self._spellings: tuple[str | None, dict[str, str]] = (None, {})  # (generation, its spellings)
        self._searchers: set = set()  # every thread's, so that close() closes them all
        self._damaged: dict[str | None, str] = {}  # generation -> why it cannot be read
        self._current()  # fail now, not on the first search, if there is no index

    # -- the generation served, and this thread's searcher on it -----------------------------

    def _current(self):
        """(Whoosh index, meta) of the generation ``current`` points to now."""
        generation = os.path.realpath(current_dir(self.root))
        with self._lock:
            if generation in self._damaged:
                raise IndexMissingError(self.root, self._damaged[generation], REBUILD)
            if generation != self._generation or self._index is None:
                self._index = open_index(self.root)  # raises IndexMissingError
                self._meta = read_meta(self.root)
                self._generation = generation
            return self._index, self._meta

    def searcher(self):
        """This thread's Whoosh searcher on the current generation.

        If the generation it was about to open was swapped out and removed in the
        meantime (two rebuilds in quick succession), the current one is opened instead.
        """
        for attempt in range(3):
            ix, _meta = self._current()
            held = getattr(self._local, "searcher", None)
            if held is not None and self._local.index is ix:
                return held
            try:
                searcher = open_searcher(ix)
            except Exception as exc:  # noqa: BLE001 - a rebuild removed the generation since it was opened
                # (OSError, or TypeError from Whoosh reading a segment file gone), or a file is damaged
                close_left_open(exc)
                with self._lock:
                    self._index = None
                if attempt == 2:
                    raise unreadable(self.root, exc) from exc
                continue
            # the searcher it replaces may still serve a request under way on this thread (its
            # matches are pinned to it, and several rebuilds can land during one slow request):
            # it is closed at a later replacement once it has been retired RETIRE_SECONDS
            now = time.monotonic()
            retired = getattr(self._local, "retired", []) + ([(now, held)] if held is not None else [])
            done = [s for t, s in retired if now - t > RETIRE_SECONDS]
            self._local.retired = [(t, s) for t, s in retired if now - t <= RETIRE_SECONDS]
            with self._lock:
                self._searchers.add(searcher)
                self._searchers.difference_update(done)
            for old in done:
                old.close()
            self._local.searcher, self._local.index = searcher, ix
            return searcher
        raise AssertionError("unreachable")

    def damaged(self, exc: Exception) -> Exception:
        """``exc`` as the error to raise: if Whoosh raised it reading this thread's generation, that
        generation is damaged, and every later request (``/healthz`` too) is refused with the same
        IndexMissingError until ``current`` points to another one (a rebuild)."""
        if isinstance(exc, IndexMissingError) or not raised_in_whoosh(exc):
            return exc
        error = unreadable(self.root, exc)
        index = getattr(self._local, "index", None)
        if index is not None and isinstance(exc, DAMAGE):  # the bytes are not what Whoosh wrote: refuse the
            # generation from now on; any other error fails this request alone (a bug one request
            # reaches, e.g. issue #31's column read past its end, must not take the server down)
            with self._lock:
                self._damaged[os.path.realpath(index.storage.folder)] = error.detail
        return error

    # -- the Engine interface ------------------------------------------------------------------

    @_reads
    def analyzer(self, field: str):
        schema = self.searcher().schema
        return chain_of(schema[field]) if field in schema else None

    @_reads
    def match(self, pq: ParsedQuery) -> Matches:
        searcher = self.searcher()
        scoring_q, filter_q = to_whoosh(pq, searcher.schema, self._expansion(searcher))
        if scoring_q is None:
            return Matches(total=0, state=None)
        docs = matching_docs(searcher, scoring_q if filter_q is None else Q.And([scoring_q, filter_q]))
        return Matches(total=len(docs), state=(searcher, scoring_q, filter_q, docs))

    @staticmethod
    def _expansion(searcher) -> Expansion:
        return Expansion(searcher.akhbar_generation.variants, searcher.reader().doc_frequency, searcher.doc_count_all())

    @_reads
    def variants(self) -> Variants:
        """The house spellings of the generation served (search.variants)."""
        return self.searcher().akhbar_generation.variants

    @_reads
    def ranked(self, matches: Matches, first: int, count: int, by_date: bool = False) -> list[Hit]:
        if matches.state is None or first >= matches.total:
            return []
        searcher, scoring_q, _filter_q, docs = matches.state
        ranked = top(searcher, generation_key(searcher.reader()), scoring_q, docs, first, count, by_date=by_date)
        return [Hit(article(searcher.stored_fields(docnum)), score) for docnum, score in ranked]

    @_reads
    def each(self, matches: Matches, by_date: bool = False) -> Iterator[Hit]:
        if matches.state is None:
            return
        searcher, scoring_q, _filter_q, docs = matches.state
        docnums, scores = order(searcher, generation_key(searcher.reader()), scoring_q, docs, by_date=by_date)
        for n, docnum in enumerate(docnums.tolist()):
            fields = article(searcher.stored_fields(docnum))
            fields["body"] = ""
            yield Hit(fields, None if scores is None else float(scores[n]))

    @_reads
    def grouped(self, matches: Matches, first: int, count: int, by_date: bool = False,
                others: int = OTHERS) -> tuple[list[Hit], int]:
        """Stories ``first`` .. ``first + count`` of ``matches``, each as its best-ranked article
        with up to ``others`` of the story's other matching articles (``Hit.others``), and how
        many stories the matches are in."""
        if matches.state is None:
            return [], 0
        searcher, scoring_q, _filter_q, docs = matches.state
        docnums, scores = order(searcher, generation_key(searcher.reader()), scoring_q, docs, by_date=by_date)
        kept = searcher.akhbar_generation.arrays
        table = kept.stories() if kept is not None else None
        keys = np.asarray(table)[docnums] if table is not None else docnums
        _values, first_pos = np.unique(keys, return_index=True)
        leads = np.sort(first_pos)
        out = []
        for pos in leads[first:first + count].tolist():
            hit = self._hit(searcher, int(docnums[pos]), scores, pos)
            same = np.flatnonzero(keys == keys[pos])
            hit.others = [self._hit(searcher, int(docnums[p]), scores, p, body=False)
                          for p in same[same != pos][:others].tolist()]
            hit.matching = len(same)
            out.append(hit)
        return out, len(leads)

    @staticmethod
    def _hit(searcher, docnum: int, scores, pos: int, body: bool = True) -> Hit:
        fields = article(searcher.stored_fields(docnum))
        if not body:
            fields["body"] = ""
        return Hit(fields, None if scores is None else float(scores[pos]))

    @_reads
    def days(self, matches: Matches | None, by_source: bool = False) -> dict:
        """Articles per day: of ``matches``, or of the whole index (None)."""
        if matches is not None and matches.state is None:
            return {"days": {}, "undated": 0, "sources": {}}
        searcher = matches.state[0] if matches is not None else self.searcher()
        docs = matches.state[3] if matches is not None else live(searcher)
        stamps = dates(searcher)[docs]
        dated = stamps != arrays.NO_DATE
        kept = searcher.akhbar_generation.arrays
        coarse = kept.coarse_dates() if kept is not None else None
        if coarse is not None:  # a month or a year alone has no day: counted with the undated
            dated &= ~np.asarray(coarse)[docs]
        day = (stamps[dated] - _EPOCH) // _DAY
        out: dict = {"days": _per_day(day), "undated": int(len(docs) - np.count_nonzero(dated)), "sources": {}}
        if by_source:
            column = doc_values(searcher)["source"]
            source = np.full(searcher.reader().doc_count_all(), -1, dtype=np.int64)
            source[column.docs] = column.value_ids
            of_docs = source[np.asarray(docs)[dated]]
            for value_id in np.unique(of_docs[of_docs >= 0]).tolist():
                out["sources"][column.values[value_id]] = _per_day(day[of_docs == value_id])
        return out

    @_reads
    def stories(self):
        """The stories of the generation served (None: built before stories)."""
        return self.searcher().akhbar_generation.stories

    @_reads
    def facets(self, matches: Matches) -> dict[str, list[dict]]:
        searcher = matches.state[0] if matches.state is not None else self.searcher()
        docs = matches.state[3] if matches.state is not None else []
        return count_facets(searcher, docs)

    @_reads
    def document(self, doc_id: str) -> dict | None:
        fields = self.searcher().document(id=doc_id)
        return article(fields) if fields is not None else None

    @_reads
    def doc_frequency(self, field: str, term: str) -> int:
        return self.searcher().reader().doc_frequency(field, term)

    @_reads
    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        for raw, df in arrays.term_frequencies(self.searcher().reader(), field):
            yield (raw.decode("utf-8") if isinstance(raw, bytes) else raw), df

    @_reads
    def spellings(self) -> dict[str, str]:
        """Read once per generation, when first asked (a search never needs them)."""
        self._current()
        with self._lock:
            generation, found = self._spellings
            if generation == self._generation:
                return found
            generation = self._generation
        try:
            rows = read_spellings(self.root)
        except IndexMissingError as exc:  # a damaged spellings file: the generation is damaged
            with self._lock:
                self._damaged[generation] = exc.detail
            raise
        found = best_spellings(rows)
        with self._lock:
            self._spellings = (generation, found)
        return found

    @property
    @_reads
    def version(self) -> tuple:
        return generation_key(self.searcher().reader())

    @_reads
    def stats(self) -> dict:
        """What ``/healthz`` reports, read through this thread's searcher: an index that cannot be
        opened, or was found damaged, raises IndexMissingError."""
        searcher = self.searcher()
        _ix, meta = self._current()
        return {"documents": searcher.doc_count(), "built_at": meta.get("built_at"),
                "analyzer_version": meta.get("analyzer_version"), "engine": self.kind}

    def close(self) -> None:
        with self._lock:
            searchers, self._searchers = self._searchers, set()
            self._index = None
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()

    def __del__(self):
        if getattr(self, "_searchers", None):
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
