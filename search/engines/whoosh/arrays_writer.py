"""Writing a generation's arrays (:mod:`arrays`): in full, or carried forward from the previous generation.

An update writes into a copy of the live generation: it marks replaced and removed
articles deleted in the segments it copied and adds a segment (or a few) of new
ones; Whoosh may merge the small segments at the end.  The documents of the
segments kept as they were keep their numbers, so their arrays are the previous
generation's, less the documents deleted since; only the segments after them are
read from Whoosh.  Reading every frequent term's postings back out of Whoosh cost
20 s of a 37 s update on ANT (docs/performance.md, "What an update costs").

What is carried is what a full write would give, with one difference: the terms
held.  A term is held if the previous arrays held it or the new segments alone
have ``min_df`` documents of it; a term that crosses ``min_df`` with the help of the
older documents stays read from Whoosh (as every term below ``min_df`` is: the
answers are the same, only that term's first read is slower) until the next full
build.  ``meta.json`` says how many documents were carried (``carried``: 0 for a
full write).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from search.engines.whoosh import arrays, facet_columns
from search.engines.whoosh.arrays import (
    DELETED_SEQ,
    DIRNAME,
    VERSION,
    Arrays,
    dates_of,
    generation_key,
    lengths_of,
    live_of,
    positional,
    segment_ids,
    stored_columns,
    stories_of,
    term_frequencies,
    tie_ranks,
)
from search.engines.whoosh.postings import TermPostings, read_term
from search.engines.whoosh.store import read_variants

#: Postings carried forward at a time (memory stays bounded on any collection).
CHUNK = 1 << 22


def write(index_dir: str | os.PathLike, fields: tuple[str, ...], min_df: int | None = None,
          story_of: dict[str, str] | None = None, previous: str | os.PathLike | None = None) -> dict:
    """Write the arrays of the Whoosh index in ``index_dir`` for ``fields`` (``min_df``: :data:`arrays.MIN_DF`;
    ``story_of``: article id -> story id, for ``story.npy``; ``previous``: the arrays folder of the
    generation this one was copied from, carried forward where its segments were kept).

    A full write streams one term at a time (memory holds one term's postings); a carried
    one a chunk of :data:`CHUNK` postings.  Returns counts for the build summary."""
    from whoosh import index as windex

    min_df = arrays.MIN_DF if min_df is None else min_df  # (read now: tests lower it)
    out = Path(index_dir) / DIRNAME
    out.mkdir(exist_ok=True)
    ix = windex.open_dir(str(index_dir))
    written = {"terms": 0, "postings": 0, "carried": 0}
    with ix.reader() as reader:
        present = tuple(f for f in fields if f in ix.schema)
        n = reader.doc_count_all()
        live = live_of(reader)
        alive = np.zeros(n, dtype=bool)
        alive[live] = True
        base = _Base.of(previous, reader, min_df, present, alive)
        start = base.start if base is not None else 0
        written["carried"] = start
        np.save(out / "live.npy", live)
        np.save(out / "dates.npy", _joined(base, "dates.npy", dates_of(reader, start)))
        ids, coarse, seq, digests = _stored(base, reader)
        (out / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        (out / "digests.json").write_text(json.dumps(digests), encoding="utf-8")
        np.save(out / "coarse_dates.npy", coarse)
        np.save(out / "seq.npy", seq)
        np.save(out / "ties.npy", tie_ranks(seq))
        if story_of is not None:
            np.save(out / "story.npy", stories_of(ids, story_of))
        _write_facets(out, base, reader, read_variants(index_dir))
        for field in present:
            np.save(out / f"{field}.lengths.npy", _joined(base, f"{field}.lengths.npy", lengths_of(reader, field, start)))
            with _PostingFiles(out, field, positional(ix.schema, field)) as sink:
                if base is None:
                    for text, p in _frequent(reader, field, min_df, sink.positions):
                        sink.add([text], np.array([len(p.ids)]), p)
                else:
                    base.carry(reader, field, min_df, sink)
            written["terms"] += len(sink.terms)
            written["postings"] += sink.postings
        meta = {"version": VERSION, "min_df": min_df, "segments": segment_ids(reader), "documents": n,
                "fields": list(present), "carried": start}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return written


def _frequent(reader, field: str, min_df: int, positions: bool):
    """(term, its postings) of every term of ``field`` in at least ``min_df`` documents, in term order."""
    for raw, df in term_frequencies(reader, field):
        if df < min_df:
            continue
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        p = read_term(reader, field, text, positions=positions)
        if len(p.ids):  # (every posting deleted: nothing to hold)
            yield text, p


def _joined(base: _Base | None, name: str, tail: np.ndarray) -> np.ndarray:
    """A per-document array: the carried documents' values, then ``tail`` (the documents read)."""
    if base is None:
        return tail
    return np.concatenate([np.asarray(base.arrays.array(name)[:base.start], dtype=tail.dtype), tail])


def _stored(base: _Base | None, reader) -> tuple[list, np.ndarray, np.ndarray, list]:
    """Every document's id, coarse date, reading order and digest (:func:`arrays.stored_columns`)."""
    start = base.start if base is not None else 0
    ids, coarse, seq, digests = stored_columns(reader, start)
    if base is None:
        return ids, coarse, seq, digests
    head = base.keep[:start]
    old_ids, old_digests = base.ids()[:start], base.digests()[:start]
    return ([i if keep else None for i, keep in zip(old_ids, head)] + ids,
            np.concatenate([np.asarray(base.arrays.array("coarse_dates.npy")[:start]) & head, coarse]),
            np.concatenate([np.where(head, base.arrays.array("seq.npy")[:start], DELETED_SEQ), seq]),
            [d if keep else None for d, keep in zip(old_digests, head)] + digests)


def _write_facets(out: Path, base: _Base | None, reader, variants) -> None:
    """Each counted facet field as indexed (``facets.F.raw.*``, what the next update carries) and
    as counted (``facets.F.*``: a name's spellings one value, :func:`facet_columns.shown`)."""
    for field in facet_columns.COUNTED_FIELDS:
        raw = facet_columns.read_raw(reader, field, base.start if base is not None else 0)
        if base is not None:
            raw = facet_columns.joined(base.raw_facets(field), base.keep, raw)
        np.save(out / f"facets.{field}.raw.docs.npy", raw.docs.astype(np.int32))
        np.save(out / f"facets.{field}.raw.ids.npy", raw.value_ids.astype(np.int32))
        (out / f"facets.{field}.raw.values.json").write_text(json.dumps(raw.values, ensure_ascii=False),
                                                             encoding="utf-8")
        column = facet_columns.shown(raw, field, variants)
        np.save(out / f"facets.{field}.docs.npy", column.docs)
        np.save(out / f"facets.{field}.ids.npy", column.value_ids)
        (out / f"facets.{field}.values.json").write_text(json.dumps(column.values, ensure_ascii=False),
                                                         encoding="utf-8")


class _Base:
    """The previous generation's arrays and how many of its documents this one keeps (``start``:
    the documents of the leading segments both read, numbered alike; ``keep``: which of the
    previous documents are carried, the kept ones not deleted since)."""

    def __init__(self, arrays: Arrays, start: int, alive: np.ndarray):
        self.arrays, self.start = arrays, start
        self.documents = arrays.meta["documents"]
        self.keep = np.zeros(self.documents, dtype=bool)
        self.keep[:start] = alive[:start]

    @classmethod
    def of(cls, previous, reader, min_df: int, fields: tuple[str, ...], alive: np.ndarray) -> _Base | None:
        """The base to carry forward from, None when a full write is needed: no previous arrays,
        another version, ``min_df`` or fields, or no leading segment kept."""
        if previous is None:
            return None
        path = Path(previous)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("version") != VERSION or meta.get("min_df") != min_df or meta.get("fields") != list(fields):
            return None
        now = generation_key(reader)  # (segment id, first document) of each segment read
        ends = [offset for _segment, offset in now[1:]] + [reader.doc_count_all()]
        kept = 0
        while kept < min(len(now), len(meta.get("segments", []))) and now[kept][0] == meta["segments"][kept]:
            kept += 1
        start = ends[kept - 1] if kept else 0
        if start == 0 or start > meta.get("documents", 0):
            return None
        try:
            return cls(Arrays(path, meta), start, alive)
        except (OSError, ValueError, KeyError):
            return None

    def ids(self) -> list[str | None]:
        return json.loads((self.arrays.path / "ids.json").read_text(encoding="utf-8"))

    def digests(self) -> list[str | None]:
        return json.loads((self.arrays.path / "digests.json").read_text(encoding="utf-8"))

    def raw_facets(self, field: str) -> facet_columns.Raw:
        return facet_columns.Raw(
            json.loads((self.arrays.path / f"facets.{field}.raw.values.json").read_text(encoding="utf-8")),
            self.arrays.array(f"facets.{field}.raw.docs.npy"), self.arrays.array(f"facets.{field}.raw.ids.npy"))

    def carry(self, reader, field: str, min_df: int, sink: _PostingFiles) -> None:
        """Every term the previous arrays held: its postings on the kept documents, then those of
        the documents read since (numbered after them); then the terms the new documents alone
        hold ``min_df`` times."""
        old_terms = self.arrays.terms(field)
        held = set(old_terms)
        fresh: dict[str, int] = {}
        for leaf, offset in reader.leaf_readers():
            if offset >= self.start:
                for raw, info in leaf.iter_field(field):
                    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                    fresh[text] = fresh.get(text, 0) + info.doc_frequency()
        starts = np.asarray(self.arrays.array(f"{field}.starts.npy"))
        t = 0
        while t < len(old_terms):
            end = int(np.searchsorted(starts, starts[t] + CHUNK, side="right")) - 1
            end = min(max(end, t + 1), len(old_terms))
            self._chunk(reader, field, old_terms, t, end, starts, fresh, sink)
            t = end
        for text in sorted(text for text, df in fresh.items() if df >= min_df and text not in held):
            p = read_term(reader, field, text, positions=sink.positions)
            if len(p.ids):
                sink.add([text], np.array([len(p.ids)]), p)

    def _chunk(self, reader, field, old_terms, t0, t1, starts, fresh, sink) -> None:
        """Terms ``t0`` to ``t1`` of the previous arrays, carried forward (see :meth:`carry`)."""
        a, b = int(starts[t0]), int(starts[t1])
        ids = np.asarray(self.arrays.array(f"{field}.ids.raw")[a:b])
        kept = self.keep[ids]
        term = np.repeat(np.arange(t0, t1), np.diff(starts[t0:t1 + 1]))[kept]
        parts = [TermPostings(ids[kept], np.asarray(self.arrays.array(f"{field}.tf.raw")[a:b])[kept])]
        terms = [term]
        if sink.positions:
            pstarts = np.asarray(self.arrays.array(f"{field}.pstarts.npy")[a:b + 1])
            counts = np.diff(pstarts)
            positions = np.asarray(self.arrays.array(f"{field}.pos.raw")[int(pstarts[0]):int(pstarts[-1])])
            parts[0].starts = _offsets(counts[kept])
            parts[0].positions = positions[np.repeat(kept, counts)]
        for i in range(t0, t1):
            if old_terms[i] in fresh:
                p = read_term(reader, field, old_terms[i], positions=sink.positions, start=self.start)
                if len(p.ids):
                    parts.append(p)
                    terms.append(np.full(len(p.ids), i))
        term = np.concatenate(terms)
        order = np.argsort(term, kind="stable")  # a term's kept postings, then its new ones (numbered after)
        merged = TermPostings(np.concatenate([p.ids for p in parts])[order],
                              np.concatenate([p.tf for p in parts])[order])
        if sink.positions:
            counts = np.concatenate([np.diff(p.starts) for p in parts])
            flat = np.concatenate([p.positions for p in parts])
            run = np.repeat(np.arange(len(counts)), counts)  # each position's posting
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            merged.starts = _offsets(counts[order])
            merged.positions = flat[np.argsort(rank[run], kind="stable")]
        sizes = np.bincount(term - t0, minlength=t1 - t0)
        chosen = np.flatnonzero(sizes)
        sink.add([old_terms[t0 + i] for i in chosen], sizes[chosen], merged)


def _offsets(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


class _PostingFiles:
    """One field's posting files, written a run of terms at a time: document numbers
    (``F.ids.raw``), weights (``F.tf.raw``), each term's first posting (``F.starts.npy``) and,
    for a positional field, positions (``F.pos.raw``) and each posting's first (``F.pstarts.npy``)."""

    def __init__(self, out: Path, field: str, positions: bool):
        self.out, self.field, self.positions = out, field, positions
        self.terms: list[str] = []
        self.starts = [np.zeros(1, dtype=np.int64)]
        self.postings = 0
        self.placed = 0  # positions written

    def __enter__(self) -> _PostingFiles:
        name = self.out / self.field
        self._ids = open(f"{name}.ids.raw", "wb")
        self._tf = open(f"{name}.tf.raw", "wb")
        self._pos = open(f"{name}.pos.raw", "wb")
        # each posting's first position, streamed like the postings (a list held 1.8 GB at 300k)
        self._pstarts_raw = Path(f"{name}.pstarts.raw")
        self._pst = open(self._pstarts_raw, "wb")
        self._pst.write(np.zeros(1, dtype=np.int64).tobytes())
        return self

    def add(self, terms: list[str], sizes: np.ndarray, p: TermPostings) -> None:
        """``terms`` with ``sizes`` postings each, in ``p`` one after another."""
        self.terms.extend(terms)
        self.starts.append(self.postings + np.cumsum(sizes, dtype=np.int64))
        self.postings += len(p.ids)
        self._ids.write(np.asarray(p.ids, dtype=np.int32).tobytes())
        self._tf.write(np.asarray(p.tf, dtype=np.float32).tobytes())
        if self.positions:
            self._pos.write(np.asarray(p.positions, dtype=np.int32).tobytes())
            self._pst.write((np.asarray(p.starts[1:], dtype=np.int64) + self.placed).tobytes())
            self.placed += int(p.starts[-1])

    def __exit__(self, *exc) -> None:
        for f in (self._ids, self._tf, self._pos, self._pst):
            f.close()
        if exc[0] is not None:
            return
        name = self.out / self.field
        np.save(f"{name}.starts.npy", np.concatenate(self.starts))
        if self.positions:
            _raw_to_npy(self._pstarts_raw, Path(f"{name}.pstarts.npy"), np.int64)
        self._pstarts_raw.unlink()
        Path(f"{name}.terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")


def _raw_to_npy(raw: Path, npy: Path, dtype, chunk: int = 1 << 24) -> None:
    """``raw`` (numbers of ``dtype`` one after another) as a ``.npy`` file, copied a chunk at a time."""
    count = raw.stat().st_size // np.dtype(dtype).itemsize
    with open(raw, "rb") as src, open(npy, "wb") as dst:
        np.lib.format.write_array_header_1_0(dst, {"descr": np.dtype(dtype).str, "fortran_order": False,
                                                   "shape": (count,)})
        while block := src.read(chunk):
            dst.write(block)


def digests(gen_dir: str | os.PathLike, reader) -> dict[str, str] | None:
    """id -> digest of every live document ``reader`` reads, from the arrays of ``gen_dir`` (a
    generation of the same segments; None if its arrays were not written from them or hold no
    digests: read them from Whoosh)."""
    folder = Path(gen_dir) / DIRNAME
    if Arrays.meta_for(folder, reader) is None:
        return None
    try:
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        found = json.loads((folder / "digests.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if len(ids) != len(found):
        return None
    return {i: d for i, d in zip(ids, found) if i is not None}
