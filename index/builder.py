"""Build or update an index, atomically.

collection files -> readers -> Document (+ entities) -> the engine's writer
(``search.engines.whoosh.writer``) in a new generation folder -> atomic swap of
``ROOT/current``.  Until the swap the old
generation keeps serving; if anything fails the new folder is removed and the
error is raised as :class:`BuildError`.  A build lock (``flock``, released by
the kernel even if the process is killed) keeps two builds apart; folders left
by a killed build are removed by the next one.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from index.build_steps import (
    STORY_SPILL,
    BuildSummary,
    StoryArticles,
    build_meta,
    changes,
    checkpoint,
    recognizer_changed,
    same_as_before,
    same_version,
    story_article,
)
from index.documents import Document, Problem, shown, warning
from index.filetable import FileTable, read_again_when_stale
from index.first_indexed import FirstIndexed
from index.pipeline import SERIAL_FIRST, SegmentWorkers, default_workers, read_items, recognize
from index.republished import SameArticles
from index.stories.store import KeptArticles
from index.stories.store import write as write_stories
from index.variants import discover as discover_variants
from index.variants import kept as kept_variants
from search.engines.whoosh.store import CURRENT, META, SPELLINGS, current_dir, read_meta, read_spellings, read_variants
from search.engines.whoosh.variants import GenerationReading
from search.engines.whoosh.writer import ERRORS, WhooshWriter
from search.errors import BuildError
from search.stories import DIRNAME as STORIES_DIR
from search.stories import republished_copies
from search.vocabulary import Spellings

LOCK = ".build.lock"
TMP_PREFIX = "tmp-"
GEN_PREFIX = "gen-"


@contextmanager
def build_lock(root: Path):
    """Hold the build lock of ``root`` (BuildError if another build holds it)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fh = open(root / LOCK, "w")
    except OSError as exc:
        raise BuildError(f"cannot write the index at {str(root)!r}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(f"another build of {str(root)!r} is running") from exc
        yield
    finally:
        fh.close()


def _remove_stale(root: Path) -> None:
    """Remove what killed builds left (half-built folders, a half-made link, a generation
    never linked) and generations older than the live one and the one before it."""
    live = current_dir(root).resolve() if current_dir(root).is_symlink() else None
    for p in root.glob(TMP_PREFIX + "*"):
        if p.is_symlink():
            p.unlink()
        else:
            shutil.rmtree(p, ignore_errors=True)
    gens = sorted(p for p in root.glob(GEN_PREFIX + "*") if p.is_dir() and not p.is_symlink())
    # keep the live generation and the one before it (a reader may still hold it)
    keep = {live}
    older = [g for g in gens if live is not None and g.name < live.name]
    if older:
        keep.add(older[-1])
    for g in gens:
        if g.resolve() not in keep:
            shutil.rmtree(g, ignore_errors=True)


def _swap(root: Path, new_gen: Path) -> None:
    """Point ``root/current`` at ``new_gen`` in one atomic rename."""
    link_tmp = root / f"{TMP_PREFIX}link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(new_gen.name)
    checkpoint("swap")
    os.replace(link_tmp, root / CURRENT)
    dir_fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@read_again_when_stale
def build_index(collections: list[str | os.PathLike], root: str | os.PathLike, *, update: bool = False,
                progress: bool | None = None, on_problem: Callable[[Problem], None] | None = None,
                titles: bool = True, stemmer: str = "akhbar", workers: int | None = None,
                follow_links: bool = False, metadata: str | os.PathLike | None = None,
                regroup: bool = False, trust_files: bool = True) -> BuildSummary:
    """Build (or with ``update``, refresh) the index at ``root`` from ``collections``.

    ``progress``: show a progress bar on stderr (default: when stderr is a terminal).
    ``on_problem``: called with each input that was skipped, as soon as it is met.
    ``titles=False`` and ``stemmer`` are for evaluation runs (see ``akhbar eval``).
    ``workers``: processes recognizing entities (default: one per core; 1 for none).
    ``follow_links``: read symbolic links that lead out of a collection folder (default: report them).
    ``metadata``: a sidecar table of the articles' source, date, url and title (``index.sidecar``).
    ``regroup``: an update finds the house spellings again however few articles it changes
    (``index.variants.discover.KEEP_SHARE``).  ``trust_files=False``: an update reads every file
    (it does so by itself when the file table is stale, :class:`index.filetable.StaleFileTable`).
    """
    root = Path(root)
    summary = BuildSummary()
    started = time.perf_counter()
    if progress is None:
        progress = sys.stderr.isatty()
    with build_lock(root):
        _remove_stale(root)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        tmp = root / f"{TMP_PREFIX}{stamp}"
        story_articles: StoryArticles | None = None
        try:
            live = current_dir(root)
            if update and live.is_dir() and not same_version(read_meta(root)):
                update = False  # another schema or analysis: an update would keep what it no longer writes
                warn = warning(shown(str(root)), "index built by another Akhbar version (schema or analyzer): "
                                                 "built again in full")
                summary.problems.append(warn)
                if on_problem:
                    on_problem(warn)
            spellings = Spellings()
            story_articles = StoryArticles(KeptArticles.open(live) if update and live.is_dir() else KeptArticles(),
                                           tmp / STORY_SPILL)
            summary.lap("previous stories")
            if update and live.is_dir():
                spellings.merge(read_spellings(root))  # deleted articles' spellings stay: display only
                ix = WhooshWriter.copy(live, tmp, leave=(STORIES_DIR,))  # (the stories are written again)
                summary.lap("copy")
                existing = ix.digests()
                summary.lap("digests")
                if recognizer_changed(read_meta(root)):
                    existing = dict.fromkeys(existing, "")  # another recognizer: every article is read again
            else:
                ix, existing = WhooshWriter.create(tmp, stemmer), {}
            # an update reads again only the files that changed (index.filetable); every build keeps the table
            previous_files = FileTable.read(live) if update and live.is_dir() else FileTable()
            unread = previous_files.usable(existing, story_articles.previous, republished_copies(live / STORIES_DIR)) \
                if trust_files else FileTable()
            items = read_items(collections, titles, follow_links, metadata, files=unread)
            same = SameArticles(summary.republished)
            files = FileTable()
            first = FirstIndexed(FirstIndexed.read(live if live.is_dir() else None))  # (a full build keeps them too)
            _write(ix, items, existing, summary, progress, on_problem, spellings, story_articles,
                   default_workers() if workers is None else workers, same, files, first)
            files.write(tmp)
            first.write(tmp)
            summary.lap("read and write")
            if update and live.is_dir() and not regroup and \
                    _nothing_changed(live, root, summary, same, files, previous_files, collections):
                story_articles.remove()
                shutil.rmtree(tmp, ignore_errors=True)  # the generation served stays: it is what this one would be
                summary.kept_generation = True
                summary.documents = summary.unchanged
                summary.seconds = time.perf_counter() - started
                return summary
            checkpoint("commit")
            # an update of few articles groups only those into the stories kept (index.stories.incremental)
            previous_stories = live / STORIES_DIR if update and live.is_dir() and not regroup else None
            grouped = write_stories(tmp, story_articles.kept(), same.rows(), previous_stories, story_articles.fresh)
            story_of, summary.stories_kept = grouped.story, grouped.incremental
            story_articles.remove()
            summary.lap("stories")
            previous = _previous_variants(live) if update else None
            figures = kept_variants(previous, summary.added + summary.updated + summary.deleted,
                                    summary.read, regroup) if previous is not None else None
            if previous is not None and figures is not None:
                variants, summary.variants = previous, figures
            else:
                with GenerationReading(tmp) as reading:
                    variants, summary.variants = discover_variants(reading)
            summary.lap("spellings")
            summary.documents = ix.finish(story_of, variants)
            summary.lap("arrays")
            checkpoint("arrays")
            summary.seconds = time.perf_counter() - started
            meta = dict(build_meta(collections, stemmer, titles), documents=summary.documents, skipped=summary.skipped,
                        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
            (tmp / SPELLINGS).write_text(json.dumps(spellings.rows(), ensure_ascii=False), encoding="utf-8")
            (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            gen = root / f"{GEN_PREFIX}{stamp}"
            os.rename(tmp, gen)
            checkpoint("rename")
            _swap(root, gen)
        except BuildError:
            _discard(tmp, story_articles)
            raise
        except ERRORS as exc:
            _discard(tmp, story_articles)
            raise BuildError(f"build failed, the previous index is still served: {exc}") from exc
        _remove_stale(root)
    return summary


def _discard(tmp: Path, story_articles: StoryArticles | None) -> None:
    """Remove what a failed build wrote (its story articles' files closed first)."""
    if story_articles is not None:
        story_articles.remove()
    shutil.rmtree(tmp, ignore_errors=True)


def _nothing_changed(live: Path, root: Path, summary: BuildSummary, same: SameArticles, files: FileTable,
                     previous_files: FileTable, collections) -> bool:
    """Whether an update's new generation would hold what the live one holds (:func:`same_as_before`,
    and the same problems and collections).  Then the live generation stays served (writing it
    again cost 6-8 s on ANT, docs/performance.md)."""
    meta = read_meta(root)
    return meta.get("skipped") == summary.skipped and meta.get("collections") == [shown(str(c)) for c in collections] \
        and same_as_before(summary, same, files, previous_files, live / STORIES_DIR)


def _previous_variants(live: Path):
    """The house spellings of the generation an update starts from (None if it has none readable)."""
    try:
        return read_variants(live) if live.is_dir() else None
    except (OSError, ValueError):
        return None


def _write(ix: WhooshWriter, items, existing: dict[str, str], summary: BuildSummary, progress: bool,
           on_problem, spellings: Spellings, stories: StoryArticles, workers: int, same: SameArticles,
           files: FileTable | None = None, first: FirstIndexed | None = None) -> None:
    """Add, replace or delete documents so the index holds ``items`` (``existing``: id -> digest).

    The first ``SERIAL_FIRST`` documents (all of a small collection) are written here; past
    them, with more than one worker, :class:`~index.pipeline.SegmentWorkers` recognize, analyze
    and write the rest, each into a segment of its own."""
    seen: set[str] = set()
    if progress:
        from tqdm import tqdm
        items = tqdm(items, unit=" docs", file=sys.stderr, mininterval=0.5)
    memo: dict = {}
    parallel: SegmentWorkers | None = None
    first = first or FirstIndexed()

    def unchanged(doc_id: str, doc: Document | None) -> None:
        stories.keep(doc_id, doc)
        first.keep(doc_id)

    try:
        with ix.writing() as w:
            for n, (item, replaces) in enumerate(changes(items, existing, summary, on_problem, seen,
                                                         write_checkpoint=100,
                                                         on_unchanged=unchanged, same=same, files=files)):
                first.stamp(item)
                if replaces:
                    w.delete(item.id)
                spellings.add_title(item.title)
                if parallel is None and n >= SERIAL_FIRST and workers > 1:
                    parallel = SegmentWorkers(ix.sink(), workers, story_article)
                if parallel is not None:
                    parallel.add(item)
                    for article in parallel.collected():
                        stories.put(article)
                    continue
                recognize(item, memo)
                w.add(item)
                stories.add(item)
            for doc_id in existing.keys() - seen:
                w.delete(doc_id)
                summary.deleted += 1
            if parallel is not None:
                w.adopt(parallel.finish())
                for article in parallel.collected():
                    stories.put(article)
    finally:
        if parallel is not None:
            parallel.close()
