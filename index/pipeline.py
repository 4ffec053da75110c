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

from index.documents import Document, Problem
from index.entities import extract_entities
from index.readers import read_collection

#: Documents handled in-process before workers are started.
SERIAL_FIRST = 64
BATCH = 32


def default_workers() -> int:
    """Worker processes for entity recognition: one per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def with_entities(item: Document | Problem) -> Document | Problem:
    """The document with its persons, places and organizations filled in (problems pass through)."""
    if isinstance(item, Document):
        ents = extract_entities(item.title, item.body)
        item.persons, item.places, item.organizations = ents["persons"], ents["places"], ents["organizations"]
    return item


def _batch(jobs: list[tuple[Document | Problem, bool]], prepare: Callable | None = None) -> list[Document | Problem]:
    out = [with_entities(item) if needed else item for item, needed in jobs]
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
               follow_links: bool = False) -> Iterator[Document | Problem]:
    """Documents (without entities) and problems, a repeated id reported as a problem.

    ``titles=False`` blanks every title (known-item evaluation indexes bodies only).
    """
    first_seen: dict[str, str] = {}
    for collection in collections:
        for item in read_collection(collection, follow_links):
            if isinstance(item, Document):
                if item.id in first_seen:
                    item = Problem(item.origin, f"duplicate id {item.id!r} (first read from {first_seen[item.id]})")
                else:
                    item.seq = len(first_seen)
                    first_seen[item.id] = item.origin
                    if not titles:
                        item.title = ""
            yield item


def iter_items(collections: Iterable[str | os.PathLike], titles: bool = True, workers: int | None = None,
               unchanged: dict[str, str] | None = None, follow_links: bool = False,
               prepare: Callable[[Document], dict] | None = None,
               part: tuple[int, int] | None = None) -> Iterator[Document | Problem]:
    """Documents with their entities, and problems, in collection order.

    ``unchanged``: id -> digest of documents already indexed; a document read
    with the same digest is passed on without recognizing its entities again
    (the writer keeps the indexed copy).  ``prepare``: a module-level function
    run on each (changed) document in the worker processes, its result kept in
    ``Document.prepared`` (an engine's analysis).  ``part``: ``(k, n)``, only the
    documents of part k of n (:func:`in_part`; problems are reported by part 1).
    """
    unchanged = unchanged or {}
    items = read_items(collections, titles, follow_links)
    if part is not None:
        items = (i for i in items if (in_part(i.id, part) if isinstance(i, Document) else part[0] == 1))
    jobs = ((item, not (isinstance(item, Document) and unchanged.get(item.id) == item.digest)) for item in items)
    yield from _batch(list(islice(jobs, SERIAL_FIRST)), prepare)
    rest = next(jobs, None)
    if rest is None:  # a small collection: done, no worker started
        return
    jobs = chain([rest], jobs)
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        for job in jobs:
            yield from _batch([job], prepare)
        return
    # forkserver: workers never inherit the caller's threads (a server may be running some)
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        while True:
            batch = list(islice(jobs, BATCH))
            if batch:
                pending.append(pool.apply_async(_batch, (batch, prepare)))
            if not pending:
                break
            if not batch or len(pending) >= 2 * workers + 1:
                yield from pending.popleft().get()
