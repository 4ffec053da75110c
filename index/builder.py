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
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from index.archives import archive_of
from index.documents import Document, Problem, shown, warning
from index.filetable import FileEnd, FileTable, Kept, StaleFileTable, read_again_when_stale
from index.first_indexed import FirstIndexed
from index.metadata import DAY_OR_TIME
from index.ner import recognizer_version
from index.pipeline import SERIAL_FIRST, SegmentWorkers, default_workers, read_items, recognize
from index.republished import Republished, SameArticles
from index.republished import keys as republished_keys
from index.stories.features import features as story_features
from index.stories.grouping import Article
from index.stories.store import ArticleFile, ArticleWriter, KeptArticles
from index.stories.store import write as write_stories
from index.variants import discover as discover_variants
from index.variants import kept as kept_variants
from search.analysis import ANALYZER_VERSION
from search.engines.whoosh.store import CURRENT, META, SPELLINGS, current_dir, read_meta, read_spellings, read_variants
from search.engines.whoosh.variants import GenerationReading
from search.engines.whoosh.writer import ERRORS, WhooshWriter
from search.errors import BuildError
from search.fields import SCHEMA_VERSION
from search.stories import DIRNAME as STORIES_DIR
from search.stories import REPUBLISHED, republished_copies
from search.vocabulary import Spellings

LOCK = ".build.lock"
#: Fault injection for the reliability tests: ``AKHBAR_KILL_AT=point`` makes a build
#: SIGKILL itself at that point (read, write, commit, arrays, rename, swap).
KILL_AT = "AKHBAR_KILL_AT"
TMP_PREFIX = "tmp-"
GEN_PREFIX = "gen-"
#: The new generation's story articles, while the build runs (``StoryArticles``).
STORY_SPILL = "stories-spill.pkl"


@dataclass
class BuildSummary:
    """What a build did."""

    documents: int = 0  # documents in the index after the build
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    #: Later copies of an article read earlier (same outlet, same address or text: ``index.republished``),
    #: not written: each counted once, under its first id.
    republished: list[Republished] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    #: What the house spellings' search found (``index.variants.discover``): candidates, pairs, groups.
    variants: dict = field(default_factory=dict)
    #: Whether an update grouped only its new and changed articles into the stories kept
    #: (``index.stories.incremental``), not the whole collection.
    stories_kept: bool = False
    #: Seconds each step took, in order (scripts/bench_update.py prints them).
    steps: dict[str, float] = field(default_factory=dict)
    #: An update's files taken as read: their size and time are those the last build recorded.
    files_kept: int = 0
    #: The archives articles were read from (an update reads them again: ``index.filetable``).
    archives: set[str] = field(default_factory=set)
    #: An update that found nothing to change kept the generation served (no new one written).
    kept_generation: bool = False

    def lap(self, step: str) -> None:
        """Record the seconds since the last lap (or since the summary was made) as ``step``'s."""
        now = time.perf_counter()
        self.steps[step] = round(now - self._last, 3)
        self._last = now

    def __post_init__(self) -> None:
        self._last = time.perf_counter()

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.skipped

    @property
    def read(self) -> int:
        return self.added + self.updated + self.unchanged

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        return (f"indexed {self.documents} documents ({self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged), "
                + (f"{len(self.republished)} republished copies counted once, " if self.republished else "")
                + ("new and changed articles grouped into the stories kept (--regroup groups all), "
                   if self.stories_kept and (self.added or self.updated or self.deleted) else "")
                + (f"{self.variants['groups']} words with several spellings (kept: few articles changed; "
                   "--regroup finds them again), " if self.variants.get("kept") else
                   f"{self.variants['groups']} words with several spellings (found in {self.variants['seconds']} s), "
                   if self.variants.get("groups") else "")
                + (f"{self.files_kept} files unchanged since the last build not read again"
                   + (f" ({len(self.archives)} archive(s) read again: their members are checked only by reading them)"
                      if self.archives else "") + ", " if self.files_kept else "")
                + ("nothing changed: the index served is kept as it is, " if self.kept_generation else "")
                + f"skipped {self.skipped}, "
                + (f"{self.warnings} warning(s), " if self.warnings else "")
                + f"in {self.seconds:.1f} s ({rate:.0f} documents/s)")


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


def _checkpoint(point: str) -> None:
    """Die here, as a crash or ``kill -9`` would, when the environment asks for it (tests only)."""
    if os.environ.get(KILL_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def _swap(root: Path, new_gen: Path) -> None:
    """Point ``root/current`` at ``new_gen`` in one atomic rename."""
    link_tmp = root / f"{TMP_PREFIX}link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(new_gen.name)
    _checkpoint("swap")
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
                if read_meta(root).get("recognizer_version") != recognizer_version():
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
            _checkpoint("commit")
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
            _checkpoint("arrays")
            summary.seconds = time.perf_counter() - started
            meta = {
                "analyzer_version": ANALYZER_VERSION,
                "recognizer_version": recognizer_version(),
                "schema_version": SCHEMA_VERSION,
                "documents": summary.documents,
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "collections": [shown(str(c)) for c in collections],
                "skipped": summary.skipped,
                "stemmer": stemmer,
                "titles": titles,
            }
            (tmp / SPELLINGS).write_text(json.dumps(spellings.rows(), ensure_ascii=False), encoding="utf-8")
            (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            gen = root / f"{GEN_PREFIX}{stamp}"
            os.rename(tmp, gen)
            _checkpoint("rename")
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
    """Whether an update's new generation would hold what the live one holds: no article added,
    changed or deleted, the same republished copies, problems, collections and file table.  Then
    the live generation stays served (writing it again cost 6-8 s on ANT, docs/performance.md)."""
    if summary.added or summary.updated or summary.deleted:
        return False
    meta = read_meta(root)
    if meta.get("skipped") != summary.skipped or meta.get("collections") != [shown(str(c)) for c in collections]:
        return False
    try:
        republished = json.loads((live / STORIES_DIR / REPUBLISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return republished == json.loads(json.dumps(same.rows(), ensure_ascii=False)) and previous_files.files == files.files


def _previous_variants(live: Path):
    """The house spellings of the generation an update starts from (None if it has none readable)."""
    try:
        return read_variants(live) if live.is_dir() else None
    except (OSError, ValueError):
        return None


def same_version(meta: dict) -> bool:
    """Whether an index was built with this version's schema and analysis (an update can keep it)."""
    return meta.get("schema_version") == SCHEMA_VERSION and meta.get("analyzer_version") == ANALYZER_VERSION


def story_article(doc: Document) -> Article:
    """What a document (entities recognized) contributes to story detection."""
    f = doc.story if doc.story is not None else story_features(doc.title, doc.body)
    day = doc.date if doc.date_precision in (None, *DAY_OR_TIME) else None  # a month or year alone: no window
    return Article.of(doc.id, day, f, tuple(doc.persons) + tuple(doc.places) + tuple(doc.organizations), doc.source)


class StoryArticles:
    """What each article of the new generation contributes to story detection: computed in the
    worker processes for the articles written, kept from the previous generation for the
    unchanged ones (or computed here if it has none: an index built before stories).

    They are written to ``spill`` (a file in the new generation's folder) as they come, and
    grouping reads them back from it one at a time: the build's process never holds every
    article's features (docs/performance.md, "Build memory").
    """

    def __init__(self, previous: KeptArticles, spill: Path):
        self.previous, self.spill = previous, spill
        self._out: ArticleWriter | None = None
        self._file: ArticleFile | None = None
        #: The ids of the articles computed here (added or changed), not kept from the previous generation.
        self.fresh: set[str] = set()

    def add(self, doc: Document) -> None:
        self.put(story_article(doc))

    def keep(self, doc_id: str, doc: Document | None) -> None:
        """An unchanged article's: the previous generation's (computed from ``doc`` if it has none)."""
        if doc_id in self.previous:
            self._writer().add_pickled(*self.previous.pickled(doc_id))
        elif doc is not None:
            self.put(story_article(doc))
        else:
            raise BuildError(f"the article {doc_id!r} was not read again and its story features are not kept")

    def put(self, article: Article) -> None:
        self._writer().add(article)
        self.fresh.add(article.id)

    def _writer(self) -> ArticleWriter:
        if self._out is None:
            self._out = ArticleWriter(self.spill)
        return self._out

    def kept(self) -> Sequence[Article]:
        """Every article of the new generation, read from the spill file when used."""
        if self._out is None:
            return []
        self._out.close()
        self.previous.close()
        self._file = ArticleFile(self.spill, self._out.offsets, self._out.heads)
        return self._file

    def remove(self) -> None:
        """Remove the spill file (after grouping, or instead of it)."""
        self.previous.close()
        if self._out is not None:
            self._out.close()
        if self._file is not None:
            self._file.close()
        self.spill.unlink(missing_ok=True)


def changes(items, existing: dict[str, str], summary: BuildSummary, on_problem, seen: set[str],
            write_checkpoint: int, on_unchanged: Callable[[str, Document | None], None] | None = None,
            same: SameArticles | None = None, files: FileTable | None = None) -> Iterator[tuple[Document, bool]]:
    """The documents a build must write, each with whether it replaces an indexed copy.

    Problems are recorded in ``summary`` (and passed to ``on_problem``), unchanged
    documents (same digest as in ``existing``) counted and skipped (``on_unchanged(id, document)``;
    the document is None for a file not read again: ``index.filetable.Kept``), every id read
    added to ``seen`` (what is in ``existing`` but not seen is deleted).  With ``same``, an
    article that republishes one read earlier is recorded there and not written (an indexed
    copy of it is deleted).  ``files``: gets each plain file read without a problem, with its
    articles (the next update's table)."""
    current: list = []  # what the plain file being read holds so far
    clean = True
    for n, item in enumerate(items):
        _checkpoint("read" if n == 0 else "write" if n == write_checkpoint else "")
        if isinstance(item, FileEnd):
            if files is not None and item.clean and clean:
                files.add(item.path, item.size, item.mtime_ns, current)
            current, clean = [], True
            continue
        if isinstance(item, Kept):
            for doc_id, _digest, url, text, day, category, address in item.articles:
                if same is not None and same.first_of_keys(doc_id, url, text, day, category, address) is not None:
                    continue
                if doc_id not in existing:  # a copy taken as read whose first is gone: it is the article now
                    raise StaleFileTable(item.path)
                seen.add(doc_id)
                summary.unchanged += 1
                if on_unchanged:
                    on_unchanged(doc_id, None)
            if files is not None:
                files.add(item.path, item.size, item.mtime_ns, list(item.articles))
            summary.files_kept += 1
            current, clean = [], True
            continue
        if isinstance(item, Problem):
            summary.problems.append(item)
            if on_problem:
                on_problem(item)
            clean = False
            continue
        if files is not None:
            current.append((item.id, item.digest, *republished_keys(item), item.category, item.url))
        archive = archive_of(item.origin)
        if archive is not None:
            summary.archives.add(archive)
        if same is not None and same.first_of(item) is not None:
            continue
        seen.add(item.id)
        if item.id in existing:
            if existing[item.id] == item.digest:
                summary.unchanged += 1
                if on_unchanged:
                    on_unchanged(item.id, item)
                continue
            summary.updated += 1
            yield item, True
        else:
            summary.added += 1
            yield item, False


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
