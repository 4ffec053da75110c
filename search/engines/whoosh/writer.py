"""The write side of the embedded engine: one generation folder's Whoosh index and its arrays.

``index.builder`` owns the generations (the lock, the new folder, the swap of
``current``) and decides what to write (``index.build_steps.changes``); this module
is what it calls to create or copy the Whoosh index, write documents into it,
and finish it (commit, then the generation's numpy arrays: ``arrays``).

Documents are written by the build's process or, in parallel, by worker processes
that each write a segment of their own (:class:`SegmentSink`, opened in the worker):
the build's writer keeps the index lock, deletes replaced documents, and on commit
lists the workers' segments beside its own in the index's table of contents (as
Whoosh's multi-process writer does with ``multisegment=True``).
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as windex

from search.engines.whoosh import arrays, arrays_writer
from search.engines.whoosh.schema import build_schema
from search.engines.whoosh.store import write_variants
from search.fields import FILTER_FIELDS, SCORED_TEXT_FIELDS, scored_text
from search.variants import NONE, Variants

#: What a failing Whoosh write raises, besides OSError and ValueError.
ERRORS = (OSError, ValueError, windex.IndexError)
#: Memory (MB) of postings a writer holds before it writes a sorted run to disk (Whoosh's
#: estimate: the Python objects holding them take several times more) ...
LIMIT_MB = 256
#: ... and each worker's writer (one per core: together about the single writer's).
WORKER_LIMIT_MB = 32
#: Articles in one worker's segment: a worker finishes its segment and starts another after
#: this many, so what Whoosh's segment writer holds about a segment's articles and the sorted
#: runs its last merge reads stay bounded however large the collection (ANT's 31.5k articles
#: on 2 workers stay at one segment a worker; docs/performance.md, "Flat from 31.5k to 300k").
SEGMENT_DOCS = 20_000


def to_fields(doc, scored_fields: tuple[str, ...] = SCORED_TEXT_FIELDS) -> dict:
    """The Whoosh fields of one document (``index.documents.Document``, entities already extracted)."""
    text = scored_text(doc.title, doc.body)
    fields = {"id": doc.id, "title": doc.title, "body": doc.body, "digest": doc.digest, "seq": doc.seq}
    if doc.indexed:
        fields["indexed"] = doc.indexed
    fields.update(dict.fromkeys(scored_fields, text))
    if doc.date is not None:
        fields["date"] = doc.date  # a month or year known alone: its first day, for sorting and date ranges
        if doc.date_precision in ("time", "month", "year"):  # (absent: a day)
            fields["date_precision"] = doc.date_precision
        if doc.date_precision != "year":
            fields["month"] = doc.date.strftime("%Y-%m")
    for name in ("url", "category"):
        value = getattr(doc, name)
        if value:
            fields[name] = value
    facets = {"source": [doc.source] if doc.source else [], "persons": doc.persons,
              "places": doc.places, "organizations": doc.organizations}
    for name, values in facets.items():
        if values:
            joined = ",".join(v.replace(",", " ") for v in values)
            fields[name] = joined
            fields[name + "_text"] = joined
    return fields


#: Whoosh's index name (its default): segment files are ``MAIN_<segment id>.<part>``.
INDEX_NAME = "MAIN"


def _link_segments(src: str, dst: str) -> None:
    """Link a Whoosh segment file (``MAIN_<segment>.*``); copy anything else (files written again in
    place, such as the lock, must not be shared with the generation served)."""
    name = os.path.basename(src)
    if name.startswith(f"{INDEX_NAME}_") and not name.endswith("WRITELOCK"):
        try:
            os.link(src, dst)
            return
        except OSError:  # a file system without hard links: copied
            pass
    shutil.copy2(src, dst)


class WhooshWriter:
    """The Whoosh index of a generation folder being built."""

    def __init__(self, ix, previous: Path | None = None):
        self.ix = ix
        self.path = Path(ix.storage.folder)
        self.previous = previous  # the arrays of the generation this one copies (carried forward)

    @classmethod
    def create(cls, path: Path, stemmer: str = "akhbar") -> WhooshWriter:
        path.mkdir()
        return cls(windex.create_in(str(path), build_schema(stemmer)))

    @classmethod
    def copy(cls, live: Path, path: Path, leave: tuple[str, ...] = ()) -> WhooshWriter:
        """A copy of the live generation, to update, but the folders ``leave`` (written again) and its
        arrays (carried forward at the end: :mod:`arrays_writer`).  Whoosh's segment files are
        linked, not copied: a segment is never written once made (its deletions are kept in the
        table of contents, a file of its own)."""
        shutil.copytree(live.resolve(), path, ignore=shutil.ignore_patterns(arrays.DIRNAME, *leave),
                        copy_function=_link_segments)
        return cls(windex.open_dir(str(path)), live.resolve() / arrays.DIRNAME)

    def digests(self) -> dict[str, str]:
        """id -> digest of every document indexed: from the copied generation's arrays when they
        hold them (reading Whoosh's stored fields took 1.0-1.3 s on ANT)."""
        with self.ix.searcher() as s:
            if self.previous is not None:
                found = arrays_writer.digests(self.previous.parent, s.reader())
                if found is not None:
                    return found
            return {f["id"]: f.get("digest", "") for f in s.all_stored_fields()}

    def sink(self) -> SegmentSink:
        """What a worker process opens to write documents into segments of its own."""
        return SegmentSink(str(self.path), WORKER_LIMIT_MB, SEGMENT_DOCS)

    @contextmanager
    def writing(self):
        """A writer whose ``add(doc)`` and ``delete(id)`` are committed on leaving,
        with the segments given to its ``adopt(segments)`` (written by :class:`SegmentSink`)."""
        scored = tuple(f for f in SCORED_TEXT_FIELDS if f in self.ix.schema)
        # compound=False: whoosh3 copies a compound segment's sub-files into memory on every open
        # (BytesIO of the mmap), which cost ~50 ms and tens of MB per search on ANT
        w = self.ix.writer(limitmb=LIMIT_MB, compound=False)
        writes = _Writes(w, scored)
        try:
            yield writes
        except BaseException:
            w.cancel()
            raise
        if not writes.adopted:
            w.commit(mergetype=merge_small_in_order)
            return
        # as whoosh.multiproc.MpWriter commits with multisegment=True: small existing segments
        # merged as a plain commit would, this writer's own segment, then the workers'
        segments = w._merge_segments(merge_small_in_order, False, True)
        if w._added:
            segments.append(w._finalize_segment())
        else:
            w._close_segment()
        w._commit_toc(segments + writes.adopted)
        w._finish()

    def finish(self, story_of: dict[str, str] | None = None, variants: Variants = NONE) -> int:
        """Close the index and write its house spellings and arrays (``story_of``: article id -> its
        story's id; the entity facets count a name's spellings as one); returns the number of documents."""
        documents = self.ix.doc_count()
        self.ix.close()
        write_variants(self.path, variants)
        arrays_writer.write(self.path, SCORED_TEXT_FIELDS + tuple(FILTER_FIELDS.values()), story_of=story_of,
                            previous=self.previous)
        return documents


def merge_small_in_order(writer, segments: list) -> list:
    """Whoosh's ``MERGE_SMALL`` over the segments after the largest (the small ones updates add),
    the others left as they are and in their order (Whoosh's policy sorts them all by size): the
    documents up to the end of the largest segment keep their numbers, so an update carries
    their arrays forward (:mod:`arrays_writer`)."""
    from whoosh.writing import MERGE_SMALL

    if not segments:
        return segments
    largest = max(range(len(segments)), key=lambda i: segments[i].doc_count_all())
    head, tail = segments[:largest + 1], segments[largest + 1:]
    unchanged = {s.segment_id() for s in MERGE_SMALL(writer, tail)}
    return head + [s for s in tail if s.segment_id() in unchanged]


class _Writes:
    def __init__(self, w, scored):
        self.w, self.scored = w, scored
        self.adopted: list = []
        # an index built before ``seq`` (or ``indexed``) was stored, being updated, goes on without it
        # (ties then rank by document number, as they did when it was built)
        self.drop = tuple(name for name in ("seq", "indexed") if name not in w.schema)

    def adopt(self, segments: list) -> None:
        """Add segments written by :class:`SegmentSink` in other processes (on commit)."""
        self.adopted.extend(segments)

    def add(self, doc) -> None:
        self.w.add_document(**self._fields(doc))

    def _fields(self, doc) -> dict:
        fields = to_fields(doc, self.scored)
        for name in self.drop:
            fields.pop(name, None)
        return fields

    def delete(self, doc_id: str) -> None:
        self.w.delete_by_term("id", doc_id)


class SegmentSink:
    """Segments of the index at ``path`` written by one worker process: ``open()`` there,
    ``add(doc)`` documents (a new segment every ``max_docs``), ``finish()`` returns the
    segments for the build's writer to adopt (none if no document was added)."""

    def __init__(self, path: str, limitmb: int = LIMIT_MB, max_docs: int = SEGMENT_DOCS):
        self.path, self.limitmb, self.max_docs = path, limitmb, max_docs
        self._w: _Writes | None = None
        self.done: list = []

    @property
    def w(self) -> _Writes:
        """The segment being written (after :meth:`open`)."""
        if self._w is None:
            raise RuntimeError("SegmentSink.open() first")
        return self._w

    def __getstate__(self) -> dict:
        return {"path": self.path, "limitmb": self.limitmb, "max_docs": self.max_docs}

    def __setstate__(self, state: dict) -> None:
        self.path, self.limitmb, self.max_docs = state["path"], state["limitmb"], state["max_docs"]
        self._w, self.done = None, []

    def open(self) -> SegmentSink:
        self._ix = windex.open_dir(self.path)
        self._start()
        return self

    def _start(self) -> None:
        from whoosh.writing import SegmentWriter

        # _lk=False: the build's own writer holds the index lock (as whoosh.multiproc's sub-writers do)
        w = SegmentWriter(self._ix, _lk=False, limitmb=self.limitmb, compound=False)
        self._w = _Writes(w, tuple(f for f in SCORED_TEXT_FIELDS if f in self._ix.schema))

    def add(self, doc) -> bool:
        """Write ``doc``; True if that finished a segment (and started the next)."""
        self.w.add(doc)
        if self.w.w.docnum < self.max_docs:
            return False
        self.done.append(self.w.w._finalize_segment())
        self._start()
        return True

    def finish(self) -> list:
        w = self.w.w
        if w._added:
            self.done.append(w._finalize_segment())
        else:
            self.cancel()
        return self.done

    def cancel(self) -> None:
        """Close the open segment unlisted (its files, and those of segments finished but never
        adopted, are removed on commit).  Not ``w.cancel()``: that would remove the temporary
        folder every writer of the index shares."""
        if self._w is not None:
            self._w.w._close_segment()


def merge_segments(gen_dir: str | Path, story_of: dict[str, str] | None = None) -> tuple[int, int]:
    """Merge the segments of the Whoosh index in ``gen_dir`` into one and write its arrays again
    (document numbers change; ``story_of``: article id -> story id, as the build passes to
    :func:`arrays_writer.write`).  Not part of the build: on ANT it costs more than half the build
    (docs/performance.md).  Returns the number of segments before and after."""
    ix = windex.open_dir(str(gen_dir))
    before = len(ix._segments())
    ix.writer(limitmb=LIMIT_MB, compound=False).commit(optimize=True)
    arrays_writer.write(gen_dir, SCORED_TEXT_FIELDS + tuple(FILTER_FIELDS.values()), story_of=story_of)
    return before, len(windex.open_dir(str(gen_dir))._segments())
