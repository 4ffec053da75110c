"""A generation's numpy arrays, written by the build beside the Whoosh files (:mod:`arrays_writer`).

Decoding a posting list out of Whoosh's codec costs about a microsecond a
posting (pickled, zlib-compressed blocks; positions pickled a posting at a
time), so a query of common words paid a second or two whenever its words were
not in the per-process cache.  A build therefore also writes, in ``ROOT/gen-*/arrays``:

* the posting lists of the frequent terms of every scored text field (document
  frequency of at least ``min_df``, 128 by default: together they are most of
  the postings), as flat arrays of document numbers and term frequencies, and
  for positional fields their positions: a search reads them memory-mapped,
  shared by every process and never decoded;
* each document's field lengths, date and whether it is live (not deleted),
  which ranking and date filters need for every query;
* the facet fields' (document, value) pairs (:mod:`facet_columns`), which every
  query's facet counts read.

A term below ``min_df`` is still read from Whoosh: its cost is bounded by
``min_df`` postings.  The arrays carry the generation's segment ids; arrays that
do not match the Whoosh files beside them (or are missing: an index built before
them) are ignored and everything is read from Whoosh as before.
"""
from __future__ import annotations

import heapq
import json
import os
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import numpy as np

from search.engines.whoosh import facet_columns
from search.engines.whoosh.postings import TermPostings

DIRNAME = "arrays"
MIN_DF = 128
#: 2: ids, digests, reading order and raw facet pairs kept for the next update to carry forward.
VERSION = 2
#: The versions a server reads (2 added only what an update reads: an older index is served as fast).
READS = (1, 2)
#: Whoosh stores no date for an article without one: its sort key (the negation still fits an int64).
NO_DATE = np.iinfo(np.int64).min + 1
_NO_VALUE = 2**63


def leaves(reader) -> list:
    """(segment reader, its first document number) for each segment ``reader`` reads."""
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def generation_key(reader) -> tuple:
    """Identifies the index generation a reader sees: its segments' ids and offsets."""
    ids = []
    for leaf, offset in leaves(reader):
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        ids.append((segment.segment_id() if segment is not None else id(leaf), offset))
    return tuple(ids)


def segment_ids(reader) -> list:
    """The ids of the segments a reader reads, in order (what the arrays were written from)."""
    return [segment for segment, _offset in generation_key(reader)]


def positional(schema, field: str) -> bool:
    return schema[field].format.supports("positions")


def lengths_of(reader, field: str, start: int = 0) -> np.ndarray:
    """Whoosh's (byte-encoded, decoded) length of ``field`` in every document from ``start`` on."""
    n = reader.doc_count_all()
    return np.fromiter((reader.doc_field_length(d, field, 0) or 0 for d in range(start, n)), dtype=np.float64,
                       count=n - start)


def dates_of(reader, start: int = 0) -> np.ndarray:
    """Every document's date as Whoosh stores it (an integer), :data:`NO_DATE` where there is none
    (from document ``start`` on: a segment's first).

    Read segment by segment: a segment whose articles have no date has no date column, and
    Whoosh's multi-segment column reader leaves such segments out without shifting the others'
    document numbers (it read past the end of a column: issue #31)."""
    out = np.full(reader.doc_count_all() - start, NO_DATE, dtype=np.int64)
    for leaf, offset in leaves(reader):
        if offset < start or not leaf.has_column("date"):
            continue
        n = leaf.doc_count_all()
        column = leaf.column_reader("date", translate=False)
        # the column holds 2**64 - 1 for a document without a date (an unsigned "no value")
        out[offset - start:offset - start + n] = np.fromiter(
            (v if v and v < _NO_VALUE else NO_DATE for v in (column[d] for d in range(n))), dtype=np.int64, count=n)
    return out


def term_frequencies(reader, field: str):
    """(term, document frequency) of every term of ``field``, in term order: each segment's
    terms read in sequence and merged (Whoosh's own multi-segment iteration looks every term
    up in every segment: 3× slower on three segments)."""
    leaves = [leaf for leaf, _offset in reader.leaf_readers()]
    streams = [((raw, info.doc_frequency()) for raw, info in leaf.iter_field(field)) for leaf in leaves]
    if len(streams) == 1:
        yield from streams[0]
        return
    for raw, group in groupby(heapq.merge(*streams, key=itemgetter(0)), key=itemgetter(0)):
        yield raw, sum(df for _raw, df in group)


def live_of(reader) -> np.ndarray:
    """Sorted numbers of the documents not deleted."""
    return np.fromiter(reader.all_doc_ids(), dtype=np.int64)


#: The reading order of a deleted document (never ranked: last).
DELETED_SEQ = np.iinfo(np.int64).max


def stored_columns(reader, start: int = 0) -> tuple[list[str | None], np.ndarray, np.ndarray, list[str | None]]:
    """Every document's id (None if deleted), whether its date is known only to the month or
    year, its place in the reading order (``seq``: -1 in an index built before it;
    :data:`DELETED_SEQ` if deleted) and its digest (what an update compares), from document
    ``start`` on."""
    n = reader.doc_count_all()
    ids: list[str | None] = []
    digests: list[str | None] = []
    coarse = np.zeros(n - start, dtype=bool)
    seq = np.full(n - start, DELETED_SEQ, dtype=np.int64)
    for d in range(start, n):
        if reader.has_deletions() and reader.is_deleted(d):
            ids.append(None)
            digests.append(None)
            continue
        fields = reader.stored_fields(d)
        ids.append(fields.get("id"))
        digests.append(fields.get("digest", ""))
        coarse[d - start] = fields.get("date_precision") in ("month", "year")
        seq[d - start] = fields.get("seq", -1)
    return ids, coarse, seq, digests


def tie_ranks(seq: np.ndarray) -> np.ndarray:
    """Each document's place among equal scores: the order the articles were read in (``seq``),
    whichever segment a worker wrote them to, as the cluster engine breaks ties; the document
    number where an index predates ``seq`` (-1)."""
    if (seq < 0).any():
        return np.arange(len(seq), dtype=np.int64)
    return np.argsort(np.argsort(seq, kind="stable"), kind="stable").astype(np.int64)


def stories_of(ids: list[str | None], story_of: dict[str, str]) -> np.ndarray:
    """Every document's story as a number: the document number of the story's first article
    (its own number when it has no story, or is deleted)."""
    docnum = {doc_id: d for d, doc_id in enumerate(ids) if doc_id is not None}
    return np.array([docnum.get(story_of.get(i, i), d) if i is not None else d for d, i in enumerate(ids)],
                    dtype=np.int32)


class Arrays:
    """The arrays of one generation, memory-mapped.

    Every file is mapped when the arrays are opened: a server keeps a searcher while
    rebuilds remove old generations, and a mapped file stays readable after its
    folder is removed (as ``engine.open_searcher`` does for Whoosh's own files)."""

    def __init__(self, path: Path, meta: dict):
        self.path, self.meta, self.min_df = path, meta, meta["min_df"]
        self._maps: dict[str, np.ndarray] = {}
        self._terms: dict[str, dict[str, int]] = {}
        self._facets: dict[str, facet_columns.Column] | None = None
        for f in path.iterdir():
            if f.suffix == ".npy":
                self._maps[f.name] = np.load(f, mmap_mode="r")
            elif f.suffix == ".raw":
                dtype = np.float32 if f.name.endswith(".tf.raw") else np.int32
                self._maps[f.name] = np.memmap(f, dtype=dtype, mode="r") if f.stat().st_size else np.zeros(0, dtype)
        for field in meta["fields"]:
            terms = json.loads((path / f"{field}.terms.json").read_text(encoding="utf-8"))
            self._terms[field] = {t: i for i, t in enumerate(terms)}

    @classmethod
    def open(cls, index_dir: str | os.PathLike, reader) -> Arrays | None:
        """The arrays beside the Whoosh index ``reader`` reads, if they were written from it."""
        path = Path(index_dir) / DIRNAME
        meta = cls.meta_for(path, reader)
        try:
            return cls(path, meta) if meta is not None else None
        except (OSError, ValueError, KeyError):
            return None  # unreadable or half-removed: Whoosh serves every read

    @staticmethod
    def meta_for(path: Path, reader) -> dict | None:
        """The meta of the arrays in ``path`` if they were written from the segments ``reader``
        reads, in a version a server reads; else None."""
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (not isinstance(meta, dict) or meta.get("version") not in READS or meta.get("segments") != segment_ids(reader)
                or meta.get("documents") != reader.doc_count_all()):
            return None
        return meta

    def array(self, name: str) -> np.ndarray:
        """One of the files, by name (``dates.npy``, ``text.ids.raw`` ...), memory-mapped."""
        return self._maps[name]

    def terms(self, field: str) -> list[str]:
        """The terms of ``field`` held here, in the order of their postings."""
        return list(self._terms[field])

    def lengths(self, field: str) -> np.ndarray | None:
        return self._maps.get(f"{field}.lengths.npy")

    def dates(self) -> np.ndarray:
        return self._maps["dates.npy"]

    def live(self) -> np.ndarray:
        return self._maps["live.npy"]

    def coarse_dates(self) -> np.ndarray | None:
        """Per document: its date is known to the month or year alone (no day)."""
        return self._maps.get("coarse_dates.npy")

    def ties(self) -> np.ndarray | None:
        """Each document's place among equal scores (:func:`tie_ranks`), if the build wrote it."""
        return self._maps.get("ties.npy")

    def stories(self) -> np.ndarray | None:
        """Each document's story (the document number of its first article), if the build wrote them."""
        return self._maps.get("story.npy")

    def facets(self) -> dict[str, facet_columns.Column] | None:
        """The facet fields' columns (memory-mapped pairs), None if the build did not write them."""
        if self._facets is None:
            try:
                self._facets = {
                    field: facet_columns.Column(
                        json.loads((self.path / f"facets.{field}.values.json").read_text(encoding="utf-8")),
                        self._maps[f"facets.{field}.docs.npy"], self._maps[f"facets.{field}.ids.npy"])
                    for field in facet_columns.COUNTED_FIELDS}
            except (OSError, ValueError, KeyError):
                self._facets = {}
        return self._facets or None

    def term(self, field: str, text: str, positions: bool = False) -> TermPostings | None:
        """A frequent term's postings (views of the mapped files), None if the term is not kept here."""
        index = self._terms.get(field)
        i = index.get(text) if index is not None else None
        if i is None:
            return None
        starts = self._maps[f"{field}.starts.npy"]
        a, b = int(starts[i]), int(starts[i + 1])
        out = TermPostings(self._maps[f"{field}.ids.raw"][a:b], self._maps[f"{field}.tf.raw"][a:b])
        if positions:
            pstarts = self._maps.get(f"{field}.pstarts.npy")
            if pstarts is None:
                return None
            pstarts = pstarts[a:b + 1]
            out.starts = pstarts - pstarts[0]
            out.positions = self._maps[f"{field}.pos.raw"][int(pstarts[0]):int(pstarts[-1])]
        return out
