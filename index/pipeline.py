"""Collections -> documents with their entities, using every core.

Reading and the duplicate check run in the calling process; the rest runs in
worker processes on batches of documents, two ways:

* :func:`iter_items` (the cluster's builds): the workers recognize entities (and run
  an engine's analysis) and the documents come back, in order, to be sent on;
* :class:`SegmentWorkers` (the embedded index): each worker also analyzes and writes
  the documents into segments of its own, and only what story detection needs
  comes back.

At most a few batches are in flight, so memory stays bounded however large the
collection.  Small collections (fewer than ``SERIAL_FIRST`` documents) never
start a worker.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from index.documents import Document, Problem
from index.entities import extract_entities
from index.filetable import FileTable, Kept
from index.readers import read_collection, read_plain
from index.sidecar import Sidecar
from index.stories.features import features as story_features
from search.errors import BuildError
from search.memory import give_back_free_memory

#: Documents handled in-process before workers are started.
SERIAL_FIRST = 64
BATCH = 32
#: Texts whose entities are remembered, so an exact copy (the same wire report in another file,
#: a re-published article) is not recognized again; past this the memo starts again (bounded memory:
#: about 1.1 KB a text before the names were interned, so 100,000 texts had made each worker of a
#: 300k build 95 MB larger than on ANT's 15.7k a worker).
MEMO_TEXTS = 20_000


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
               follow_links: bool = False, metadata: str | os.PathLike | None = None,
               files: FileTable | None = None) -> Iterator:
    """Documents (without entities) and problems, a repeated id reported as a problem.

    ``titles=False`` blanks every title (known-item evaluation indexes bodies only).
    ``metadata``: one sidecar table for every collection (``index.sidecar``).
    ``files`` (an update's): the files not read again (``index.filetable``): their
    :class:`~index.filetable.Kept`, and a :class:`~index.filetable.FileEnd` after each file read.
    """
    first_seen: dict[str, str] = {}
    sidecar = Sidecar.read(Path(metadata)) if metadata else None
    if sidecar is not None:
        yield from sidecar.problems
        files = None
    for collection in collections:
        for item in read_collection(collection, follow_links, sidecar, files):
            if isinstance(item, Kept):
                if any(a[0] in first_seen for a in item.articles):  # an id read earlier: read the file after all
                    path = Path(item.path)
                    yield from (_numbered(i, first_seen, titles) for i in read_plain(path, path.stat()))
                    continue
                for a in item.articles:
                    first_seen[a[0]] = item.path
            yield _numbered(item, first_seen, titles)
    if sidecar is not None:
        yield from sidecar.unused()


def _numbered(item, first_seen: dict[str, str], titles: bool):
    """A document given its place in the reading order (``seq``), or the problem of an id read before."""
    if not isinstance(item, Document):
        return item
    if item.id in first_seen:
        return Problem(item.origin, f"duplicate id {item.id!r} (first read from {first_seen[item.id]})")
    item.seq = len(first_seen)
    first_seen[item.id] = item.origin
    if not titles:
        item.title = ""
    return item


def iter_items(collections: Iterable[str | os.PathLike], titles: bool = True, workers: int | None = None,
               unchanged: dict[str, str] | None = None, follow_links: bool = False,
               metadata: str | os.PathLike | None = None,
               prepare: Callable[[Document], dict] | None = None,
               part: tuple[int, int] | None = None, stories: bool = True,
               files: FileTable | None = None) -> Iterator[Document | Problem]:
    """Documents with their entities, and problems, in collection order.

    ``unchanged``: id -> digest of documents already indexed; a document read
    with the same digest is passed on without recognizing its entities again
    (the writer keeps the indexed copy).  ``prepare``: a module-level function
    run on each (changed) document in the worker processes, its result kept in
    ``Document.prepared`` (an engine's analysis).  ``part``: ``(k, n)``, only the
    documents of part k of n (:func:`in_part`; problems are reported by part 1).
    ``stories``: also compute each changed document's story features (``Document.story``).
    ``files``: an update's files not read again (:func:`read_items`; their items pass through).
    """
    unchanged = unchanged or {}
    items = read_items(collections, titles, follow_links, metadata, files=files)
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


def _remember(memo: dict, key: bytes, doc: Document) -> None:
    """Keep a recognized text's names in ``memo`` (interned: a name recurs across texts); a full
    memo (``MEMO_TEXTS``) starts again.  The first text of a key is the one kept."""
    if len(memo) >= MEMO_TEXTS:
        memo.clear()
    memo.setdefault(key, tuple(tuple(map(sys.intern, names)) for names in (doc.persons, doc.places, doc.organizations)))


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
            _remember(memo, _text_key(item), item)
        yield item


def _ordered(jobs, workers: int | None, prepare, stories: bool) -> Iterator[Document | Problem]:
    """The jobs' documents in order, entities recognized (and ``prepare`` run) where needed."""
    yield from _batch(list(islice(jobs, SERIAL_FIRST)), prepare, stories)
    # what needs no work (an update's unchanged articles and files not read, problems) passes on
    # until a document needs it: an update that reads nothing new starts no worker (starting them
    # and sending them ANT's 30k unchanged files took 12 s of a 23 s cluster update)
    for item, needed in jobs:
        if needed and isinstance(item, Document):
            jobs = chain([(item, needed)], jobs)
            break
        yield item
    else:
        return
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


class SegmentWorkers:
    """Worker processes that each recognize entities, compute story features (``article``: a
    module-level function of the document, run in the worker) and write the documents they are
    given into segments of their own (``sink``: ``open()``, ``add(doc)``, ``finish()`` -> its segments).

    Batches of ``BATCH`` documents are dealt round-robin, so which segment holds a document
    does not depend on timing.  At most ``2 * workers`` batches wait, so memory stays bounded.
    Nothing is shared but the queues: every step of a document runs in the same worker, and
    the build's process only reads, deals and collects (what limits scaling: reading and
    parsing the collection in one process).  A worker whose build dies (killed) notices
    within a second and exits.
    """

    def __init__(self, sink, workers: int, article: Callable | None = None):
        ctx = multiprocessing.get_context("forkserver")
        self.results = ctx.Queue()
        self.jobs = [ctx.Queue(2) for _ in range(workers)]
        # a pipe only this process writes to: its end closes when this process dies, however it dies
        # (a worker holds the forkserver's own lifeline, so that one never closes while workers live)
        lifeline, self._lifeline = ctx.Pipe(duplex=False)
        self.procs = [ctx.Process(target=_segment_worker, args=(k, sink, q, self.results, article, lifeline),
                                  daemon=True) for k, q in enumerate(self.jobs)]
        for p in self.procs:
            p.start()
        lifeline.close()
        self.batch: list[Document] = []
        self.sent = 0
        self.segments: dict[int, list] = {}
        self.done: list = []

    def add(self, doc: Document) -> None:
        self.batch.append(doc)
        if len(self.batch) >= BATCH:
            self._send()

    def collected(self) -> list:
        """What ``article`` returned for the documents finished since the last call."""
        self._drain(block=False)
        out, self.done = self.done, []
        return out

    def finish(self) -> list:
        """Wait for every worker to finish its segments; returns them, in worker order."""
        if self.batch:
            self._send()
        for k in range(len(self.jobs)):
            self._send(None, to=k)
        while len(self.segments) < len(self.procs):
            self._drain(block=True)
        for p in self.procs:
            p.join()
        return [segment for k in range(len(self.procs)) for segment in self.segments[k]]

    def close(self) -> None:
        """Stop the workers (after a failure: their segments are abandoned)."""
        for p in self.procs:
            if p.is_alive():
                p.terminate()
        for p in self.procs:
            p.join()
        self._lifeline.close()

    def _send(self, batch: list | None = None, to: int | None = None) -> None:
        import queue

        k = self.sent % len(self.jobs) if to is None else to
        while True:
            try:
                self.jobs[k].put(self.batch if to is None else batch, timeout=1)
                break
            except queue.Full:
                self._drain(block=False)
                self._check_alive()
        if to is None:
            self.sent += 1
            self.batch = []
        self._drain(block=False)

    def _check_alive(self) -> None:
        if not all(p.is_alive() or p.exitcode == 0 for p in self.procs):
            dead = [p.exitcode for p in self.procs]
            raise BuildError(f"an indexing worker died (exit codes {dead}); the previous index is still served")

    def _drain(self, block: bool) -> None:
        import queue

        while True:
            try:
                kind, k, value = self.results.get(timeout=1) if block else self.results.get_nowait()
            except queue.Empty:
                if not block:
                    return
                self._check_alive()
                continue
            if kind == "error":
                raise value
            if kind == "segment":
                self.segments[k] = value
                return
            self.done.extend(value)
            if block:
                return


def recognize(doc: Document, memo: dict, stories: bool = True) -> None:
    """Fill in a document's entities (and story features), from ``memo`` if its text was
    recognized before (an exact copy), remembering it otherwise (at most ``MEMO_TEXTS``)."""
    key = _text_key(doc)
    known = memo.get(key)
    if known is not None:  # (story features are not kept: a few KB a text, and cheap to compute again)
        doc.persons, doc.places, doc.organizations = (list(v) for v in known)
        if stories:
            doc.story = story_features(doc.title, doc.body)
        return
    with_entities(doc, stories)
    _remember(memo, key, doc)


def write_document(doc: Document, memo: dict, sink, stories: bool = True) -> bool:
    """What a segment worker does to a document: its entities (:func:`recognize`), then its
    postings into ``sink`` (``SegmentSink``); True if that finished a segment.  When a segment
    ends, the memory freed since is given back to the system: without it a worker of a 300k
    build kept the high-water mark of every cycle of its memo and its segments, 120 MB more by
    the end (scripts/experiments/worker_memory.py --segments)."""
    recognize(doc, memo, stories)
    finished = sink.add(doc)
    if finished:
        give_back_free_memory()
    return finished


def _exit_with(lifeline) -> None:
    """Wait for the build's end of ``lifeline``: end of file means the build is gone (killed), and
    this worker leaves at once, whatever it is doing (a normal exit would wait forever to flush
    results nobody reads)."""
    try:
        lifeline.recv()
    except (EOFError, OSError):
        pass
    os._exit(1)


def _segment_worker(number: int, sink, jobs, results, article, lifeline) -> None:
    import threading

    threading.Thread(target=_exit_with, args=(lifeline,), daemon=True).start()
    me = None
    try:
        sink = sink.open()
        memo: dict[bytes, tuple] = {}
        while True:
            batch = jobs.get()
            if batch is None:
                break
            out = []
            for doc in batch:
                me = doc
                write_document(doc, memo, sink, stories=article is not None)
                if article is not None:
                    out.append(article(doc))
            results.put(("done", 0, out))
        results.put(("segment", number, sink.finish()))
    except BaseException as exc:  # reported to the build, which fails and keeps the previous index
        where = f" (document {me.id!r} from {me.origin})" if me is not None else ""
        try:
            results.put(("error", 0, type(exc)(f"{exc}{where}")))
        except Exception:
            results.put(("error", 0, RuntimeError(f"{type(exc).__name__}: {exc}{where}")))
