"""Building and updating an Akhbar index on an OpenSearch cluster (``akhbar index --engine opensearch``).

The same pipeline as the embedded build (readers, duplicate ids, entity
recognition in worker processes), with the engine's analysis also done in the
workers (``writer.prepare``); the documents stream into bounded bulk requests.
See :mod:`search.engines.opensearch.writer` for how a build is swapped in.
"""
from __future__ import annotations

import pickle
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
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
)
from index.documents import Document, Problem, warning
from index.filetable import FileTable, read_again_when_stale
from index.first_indexed import FirstIndexed
from index.pipeline import iter_items
from index.republished import SameArticles
from index.stories.store import KeptArticles
from index.stories.store import write as write_stories
from index.variants import discover as discover_variants
from index.variants import kept as kept_variants
from search.engines.opensearch import stories as cluster_stories
from search.engines.opensearch.engine import article
from search.engines.opensearch.mapping import MAPPING_VERSION
from search.engines.opensearch.reading import ClusterReading
from search.engines.opensearch.writer import BUILD_PREFIX, BULK_DOCS, VOCABULARY_SUFFIX, Writer, build_id, prepare
from search.errors import BuildError
from search.stories import DIRNAME as STORIES_DIR
from search.stories import StoryIndex, republished_copies
from search.vocabulary import Spellings


@read_again_when_stale
def build_opensearch(collections, url: str, name: str, *, update: bool = False, progress: bool | None = None,
                     on_problem: Callable[[Problem], None] | None = None, titles: bool = True,
                     stemmer: str = "akhbar", workers: int | None = None, follow_links: bool = False,
                     shards: int = 1, replicas: int = 1, part: tuple[int, int] | None = None,
                     build: str | None = None, publish: bool = True, metadata: str | None = None,
                     regroup: bool = False, trust_files: bool = True) -> BuildSummary:
    """Build (or with ``update``, refresh) the index ``name`` on the cluster at ``url``.

    ``part``/``build``: load part k of n of the collection into the build ``build``
    (several machines, one build); ``publish=False`` leaves it unpublished until
    ``akhbar index --engine opensearch --publish BUILD``.  A build in parts has no stories.

    Stories are grouped here, with the embedded engine's code, in a folder that is then stored in
    the cluster (``search.engines.opensearch.stories``); the articles are loaded once their
    stories are known (each one's ``story`` field), from a spool file the reading fills."""
    summary = BuildSummary()
    started = time.perf_counter()
    if progress is None:
        progress = sys.stderr.isatty()
    writer = Writer(url, name)
    served = writer.served()
    if update and part is not None:
        raise BuildError("--update and --part do not go together: an update reads the whole collection")
    served_meta = writer._meta(served) if served else {}
    if update and served and not _same_version(served_meta):
        update = False  # another mapping, schema or analysis: an update would keep what it no longer writes
        summary.problems.append(warning(name, "index built by another Akhbar version (mapping, schema or analyzer): "
                                              "built again in full"))
        if on_problem:
            on_problem(summary.problems[-1])
    updating = bool(update and served)
    existing = writer.existing() if updating else {}
    if updating and recognizer_changed(served_meta):
        existing = dict.fromkeys(existing, "")
    first = FirstIndexed(writer.first_indexed(served) if served else {})  # (a full build keeps them too)
    build = build or build_id()
    target = served if updating else None
    if target is None:
        target = writer.create(build, build_meta(collections, stemmer, titles), shards, replicas)
    grouping = part is None  # (parts: no process sees the whole collection)
    previous = _previous_stories(writer, served, served_meta) if updating and grouping else None
    previous_dir = previous / STORIES_DIR if previous is not None else None
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=_cache_of(target)))
    stories = StoryArticles(KeptArticles.open(previous) if previous is not None else KeptArticles(),
                            work / STORY_SPILL)
    spool = _Spool(work / "documents.pkl")
    # an update reads again only the files that changed (index.filetable) when their stories are kept
    previous_files = FileTable(writer.files(served)) if updating else FileTable()
    unread = previous_files.usable(existing, stories.previous, republished_copies(previous_dir)
                                   if previous_dir else {}) if updating and trust_files else FileTable()
    files = FileTable()
    items = iter_items(collections, titles=titles, workers=workers, unchanged=existing, follow_links=follow_links,
                       metadata=metadata, prepare=partial(prepare, stemmer=stemmer), part=part,
                       stories=grouping, files=unread)
    if progress:
        from tqdm import tqdm
        items = tqdm(items, unit=" docs", file=sys.stderr, mininterval=0.5)
    seen: set[str] = set()
    forms: Counter = Counter()
    spellings = Spellings()
    changed: list[str] = []
    same = SameArticles(summary.republished)

    def bulk_error(info):
        op = next(iter(info.values()))
        raise BuildError(f"OpenSearch refused an article ({op.get('status')}: {op.get('error')}); "
                         "the previous index is still served")

    try:
        for item, replaces in changes(items, existing, summary, on_problem, seen, write_checkpoint=2 * BULK_DOCS,
                                      on_unchanged=stories.keep if grouping else None, same=same, files=files):
            first.stamp(item)
            if replaces:
                changed.append(item.id)
            forms.update(item.prepared["forms"])
            spellings.add_title(item.title)
            if grouping:
                stories.add(item)
            spool.add(item)
        summary.lap("read")
        gone = sorted(existing.keys() - seen)
        summary.deleted = len(gone)
        if updating and not regroup and previous_dir is not None and \
                same_as_before(summary, same, files, previous_files, previous_dir):
            summary.kept_generation = True  # nothing changed: the stories, vocabulary and tables stay as stored
            summary.documents = summary.unchanged
            summary.seconds = time.perf_counter() - started
            return summary
        story: dict[str, str] = {}
        if grouping:
            grouped = write_stories(work, stories.kept(), same.rows(), None if regroup else previous_dir, stories.fresh)
            story, summary.stories_kept = grouped.story, grouped.incremental
            stories.remove()
            summary.lap("stories")
        old: Counter = Counter()  # exact forms of the indexed copies an update replaces or deletes
        if updating:
            old.update(writer.old_forms(target, changed + gone, stemmer))
        checkpoint("write")
        writer.load(target, spool.documents(), bulk_error, story)
        spool.remove()
        summary.lap("load")
        if updating:
            writer.delete(target, gone)
            kept_before = _stories_of(previous)  # (an index without stories: each article was its own)
            moved = {i: s for i, s in story.items() if i not in spool.ids and kept_before.get(i, i) != s}
            writer.load(target, _indexed_again(writer, target, sorted(moved), stemmer), bulk_error, moved)
            vocabulary, rows = writer.vocabulary(target)
            vocabulary.subtract(old)
            vocabulary.update(forms)
            spellings.merge(rows)  # deleted articles' spellings stay: display only
            writer.replace_vocabulary(target, vocabulary, spellings.rows())
            writer.save_files(target, files.files)
            _save_stories(writer, target, work)
            figures = kept_variants(writer.variants(target), summary.added + summary.updated + summary.deleted,
                                    summary.read, regroup)
            summary.variants = figures if figures is not None else _find_variants(writer, url, target, stemmer)
            writer.mark_updated(target)
        else:
            writer.save_vocabulary(target, f"part-{part[0]}-of-{part[1]}" if part else "all", forms, spellings.rows())
            if grouping:  # (an update reads every file of a build loaded in parts)
                writer.save_files(target, files.files)
                _save_stories(writer, target, work)
            if publish:  # (parts: when the last is in, at --publish)
                summary.variants = _find_variants(writer, url, target, stemmer)
            checkpoint("swap")
            if publish:
                writer.publish(build, replicas)
        summary.lap("publish")
    except BaseException:
        if not updating and publish:
            writer.abort(build)
        raise
    finally:
        spool.remove()
        stories.remove()
        shutil.rmtree(work, ignore_errors=True)
    summary.documents = int(writer.es.count(index=target)["count"]) if (publish or update) else summary.added
    summary.seconds = time.perf_counter() - started
    return summary


class _Spool:
    """The documents a build writes, kept in a file until their stories are known (the process
    holds none of them); each document's story features are left out (the stories have them)."""

    def __init__(self, path: Path):
        self.path = path
        self.ids: set[str] = set()
        self._out = open(path, "wb")
        self._count = 0

    def add(self, doc: Document) -> None:
        doc.story = None
        pickle.dump(doc, self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.ids.add(doc.id)
        self._count += 1

    def documents(self) -> Iterator[Document]:
        self._out.close()
        with open(self.path, "rb") as fh:
            for _ in range(self._count):
                yield pickle.load(fh)

    def remove(self) -> None:
        self._out.close()
        self.path.unlink(missing_ok=True)


def _indexed_again(writer: Writer, index: str, ids: list[str], stemmer: str) -> Iterator[Document]:
    """Articles of ``index`` as documents to load again (another story: a partial update would lose
    the analyzed fields the ``_source`` leaves out), from their ``_source``."""
    for src in writer.sources(index, ids):
        fields = article(src)  # (the engine's reading of a _source)
        del fields["digest"]
        doc = Document(origin="", seq=src["seq"], **fields)
        doc.prepared = prepare(doc, stemmer)
        yield doc


def _cache_of(index: str) -> Path:
    folder = cluster_stories.cache_dir() / index
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _previous_stories(writer: Writer, served: str | None, meta: dict) -> Path | None:
    """The stories folder (its parent) an update starts from: this machine's copy of the one served,
    or the one the cluster stores, fetched whole; None if the served index has none."""
    stamp = meta.get("stories")
    if not served or not stamp:
        return None
    return cluster_stories.cached(writer.plain, served, served + VOCABULARY_SUFFIX, stamp, names=None)


def _stories_of(previous: Path | None) -> dict[str, str]:
    """id -> story id of the stories folder (its parent) ``previous``."""
    if previous is None:
        return {}
    index = StoryIndex.open(previous)
    if index is None:
        return {}
    return {doc_id: index.ids[int(s)] for doc_id, s in zip(index.ids, index.story.tolist())}


def _save_stories(writer: Writer, index: str, work: Path) -> None:
    """Store the build's stories folder in the cluster, and keep it here for the next update."""
    stamp = build_id()
    writer.save_stories(index, work, stamp)
    cluster_stories.keep(work, index, stamp)
    served = writer.served()
    cluster_stories.forget(writer.name + BUILD_PREFIX, {index} | ({served} if served else set()))


def _same_version(meta: dict) -> bool:
    """Whether a served index was built with this version's mapping, schema and analysis."""
    return same_version(meta) and meta.get("mapping_version") == MAPPING_VERSION


def served_index(url: str, name: str) -> str | None:
    """The index the alias ``name`` points to on the cluster, or None."""
    return Writer(url, name).served()


def publish_opensearch(url: str, name: str, build: str, replicas: int = 1) -> str:
    """Serve a build that parts loaded (``akhbar index --engine opensearch --publish BUILD``), its
    house spellings found over all its parts first."""
    writer = Writer(url, name)
    index = writer.build_index(build)
    _find_variants(writer, url, index, writer._meta(index).get("stemmer", "akhbar"))
    return writer.publish(build, replicas)


def _find_variants(writer: Writer, url: str, index: str, stemmer: str) -> dict:
    """Find the house spellings of a loaded build (``index.variants``) and store them with it."""
    writer.refresh(index)
    variants, figures = discover_variants(ClusterReading(url, index, stemmer))
    writer.save_variants(index, variants)
    return figures


__all__ = ["Document", "build_opensearch", "publish_opensearch", "served_index"]
