"""The steps every build takes, whichever engine it writes: what it did (:class:`BuildSummary`),
what it must write (:func:`changes`), each article's story features (:class:`StoryArticles`),
the index's versions (:func:`build_meta`, :func:`same_version`) and fault injection (:func:`checkpoint`).

``index.builder`` (the embedded engine's generations) and ``index.opensearch_build`` (a
cluster's index) both read them.
"""
from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.archives import archive_of
from index.documents import Document, Problem, shown
from index.filetable import FileEnd, FileTable, Kept, StaleFileTable
from index.metadata import DAY_OR_TIME
from index.ner import recognizer_version
from index.republished import Republished, SameArticles
from index.republished import keys as republished_keys
from index.stories.features import features as story_features
from index.stories.grouping import Article
from index.stories.store import ArticleFile, ArticleWriter, KeptArticles
from search.analysis import ANALYZER_VERSION
from search.errors import BuildError
from search.fields import SCHEMA_VERSION
from search.stories import republished_rows

#: Fault injection for the reliability tests: ``AKHBAR_KILL_AT=point`` makes a build
#: SIGKILL itself at that point (read, write, commit, arrays, rename, swap).
KILL_AT = "AKHBAR_KILL_AT"
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



def checkpoint(point: str) -> None:
    """Die here, as a crash or ``kill -9`` would, when the environment asks for it (tests only)."""
    if os.environ.get(KILL_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)



def recognizer_changed(meta: dict) -> bool:
    """Whether an index's entities were found by another recognizer (an update reads every article again)."""
    return meta.get("recognizer_version") != recognizer_version()


def same_as_before(summary: BuildSummary, same: SameArticles, files: FileTable, previous_files: FileTable,
                   previous_stories: Path) -> bool:
    """Whether an update changes nothing of the index it starts from: no article added, changed or
    deleted (``summary``), the same republished copies as the stories folder ``previous_stories``
    records, and the same file table.  The index served then stays as it is."""
    if summary.added or summary.updated or summary.deleted or files.files != previous_files.files:
        return False
    return republished_rows(previous_stories) == json.loads(json.dumps(same.rows(), ensure_ascii=False))


def build_meta(collections, stemmer: str, titles: bool) -> dict:
    """What an index records of how it was built: the versions an update must match, the analysis
    and the collections."""
    return {"analyzer_version": ANALYZER_VERSION, "recognizer_version": recognizer_version(),
            "schema_version": SCHEMA_VERSION, "stemmer": stemmer, "titles": titles,
            "collections": [shown(str(c)) for c in collections]}


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
        checkpoint("read" if n == 0 else "write" if n == write_checkpoint else "")
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
