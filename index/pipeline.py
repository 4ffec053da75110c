"""Collections -> documents with their entities, in order, using every core.

Reading and the duplicate check run in the calling process; entity recognition,
the costly step, runs in worker processes on batches of documents.  At most a
few batches are in flight, so memory stays bounded however large the
collection.  Small collections (fewer than ``SERIAL_FIRST`` documents) never
start a worker.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from index.documents import Document, Problem
from index.entities import extract_entities
from index.readers import read_collection
from index.sidecar import Sidecar
from index.stories.features import features as story_features

#: Documents handled in-process before workers are started.
SERIAL_FIRST = 64
BATCH = 32
#: Texts whose entities are remembered, so an exact copy (the same wire report in another file,
#: a re-published article) is not recognized again; past this the memo starts again (bounded memory).
MEMO_TEXTS = 100_000


def default_workers() -> int:
    """Worker processes for entity recognition: one per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def with_entities(item: Document | Problem, stories: bool = True) -> Document | Problem:
    """The document with its persons, places and organizations filled in, and (``stories``) what
    it contributes to story detection (problems pass through)."""
    if isinstance(item, Document):
        ents = extract_entities(item.title, item.body)
        item.persons, item.places, item.organizations = ents["persons"], ents["places"], ents["organizations"]
        if stories:
            item.story = story_features(item.title, item.body)
    return item


def _batch(jobs: list[tuple[Document | Problem, bool]], prepare: Callable | None = None,
           stories: bool = True) -> list[Document | Problem]:
    out, found = [], {}
    for item, needed in jobs:
        if needed and isinstance(item, Document):
            key = _text_key(item)
            if key in found:  # a copy of a text earlier in the batch
                item.persons, item.places, item.organizations = (list(v) for v in found[key][:3])
                item.story = found[key][3]
            else:
                with_entities(item, stories)
                found[key] = (item.persons, item.places, item.organizations, item.story)
        out.append(item)
    if prepare is not None:
        for item, (_job, needed) in zip(out, jobs):
            if needed and isinstance(item, Document):
                item.prepared = prepare(item)
    return out


def in_part(doc_id: str, part: tuple[int, int]) -> bool:
    """Whether ``doc_id`` belongs to part ``k`` of ``n`` (a stable hash of the id: every machine agrees)."""
    k, n = part
    return int.from_bytes(hashlib.sha1(doc_id.encode("utf-8")).digest()[:8], "big") % n == k - 1


def read_items(collections: Iterable[str | os.PathLike], titles: bool = True,
               follow_links: bool = False, metadata: str | os.PathLike | None = None) -> Iterator[Document | Problem]:
    """Documents (without entities) and problems, a repeated id reported as a problem.

    ``titles=False`` blanks every title (known-item evaluation indexes bodies only).
    ``metadata``: one sidecar table for every collection (``index.sidecar``).
    """
    first_seen: dict[str, str] = {}
    sidecar = Sidecar.read(Path(metadata)) if metadata else None
    if sidecar is not None:
        yield from sidecar.problems
    for collection in collections:
        for item in read_collection(collection, follow_links, sidecar):
            if isinstance(item, Document):
                if item.id in first_seen:
                    item = Problem(item.origin, f"duplicate id {item.id!r} (first read from {first_seen[item.id]})")
                else:
                    item.seq = len(first_seen)
                    first_seen[item.id] = item.origin
                    if not titles:
                        item.title = ""
            yield item
    if sidecar is not None:
        yield from sidecar.unused()


def iter_items(collections: Iterable[str | os.PathLike], titles: bool = True, workers: int | None = None,
               unchanged: dict[str, str] | None = None, follow_links: bool = False,
               metadata: str | os.PathLike | None = None,
               prepare: Callable[[Document], dict] | None = None,
               part: tuple[int, int] | None = None, stories: bool = True) -> Iterator[Document | Problem]:
    """Documents with their entities, and problems, in collection order.

    ``unchanged``: id -> digest of documents already indexed; a document read
    with the same digest is passed on without recognizing its entities again
    (the writer keeps the indexed copy).  ``prepare``: a module-level function
    run on each (changed) document in the worker processes, its result kept in
    ``Document.prepared`` (an engine's analysis).  ``part``: ``(k, n)``, only the
    documents of part k of n (:func:`in_part`; problems are reported by part 1).
    ``stories``: also compute each changed document's story features (``Document.story``).
    """
    unchanged = unchanged or {}
    items = read_items(collections, titles, follow_links, metadata)
    if part is not None:
        items = (i for i in items if (in_part(i.id, part) if isinstance(i, Document) else part[0] == 1))
    jobs = ((item, not (isinstance(item, Document) and unchanged.get(item.id) == item.digest)) for item in items)
    if prepare is None:  # an engine's analysis differs by id and position: copies are only skipped without one
        memo: dict[bytes, tuple] = {}
        jobs = _from_memo(jobs, memo)
        yield from _into_memo(_ordered(jobs, workers, prepare, stories), memo, unchanged)
    else:
        yield from _ordered(jobs, workers, prepare, stories)


def _text_key(doc: Document) -> bytes:
    return hashlib.sha1(f"{doc.title}\x00{doc.body}".encode()).digest()


def _from_memo(jobs, memo: dict) -> Iterator[tuple[Document | Problem, bool]]:
    """Jobs, with the entities of texts recognized before filled in (and not sent to a worker)."""
    for item, needed in jobs:
        if needed and isinstance(item, Document):
            known = memo.get(_text_key(item))
            if known is not None:
                item.persons, item.places, item.organizations = (list(v) for v in known)
                needed = False  # (its story features are computed by the builder, not remembered here)
        yield item, needed


def _into_memo(items, memo: dict, unchanged: dict[str, str]) -> Iterator[Document | Problem]:
    """The items, remembering the entities of each text recognized (not of unchanged documents,
    whose entities stay in the index and are not read again)."""
    for item in items:
        if isinstance(item, Document) and unchanged.get(item.id) != item.digest:
            if len(memo) >= MEMO_TEXTS:
                memo.clear()
            memo.setdefault(_text_key(item), (tuple(item.persons), tuple(item.places), tuple(item.organizations)))
        yield item


def _ordered(jobs, workers: int | None, prepare, stories: bool) -> Iterator[Document | Problem]:
    """The jobs' documents in order, entities recognized (and ``prepare`` run) where needed."""
    yield from _batch(list(islice(jobs, SERIAL_FIRST)), prepare, stories)
    rest = next(jobs, None)
    if rest is None:  # a small collection: done, no worker started
        return
    jobs = chain([rest], jobs)
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        for job in jobs:
            yield from _batch([job], prepare, stories)
        return
    # forkserver: workers never inherit the caller's threads (a server may be running some)
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        while True:
            batch = list(islice(jobs, BATCH))
            if batch:
                pending.append(pool.apply_async(_batch, (batch, prepare, stories)))
            if not pending:
                break
            if not batch or len(pending) >= 2 * workers + 1:
                yield from pending.popleft().get()
