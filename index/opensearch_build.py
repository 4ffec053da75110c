"""Building and updating an Akhbar index on an OpenSearch cluster (``akhbar index --engine opensearch``).

The same pipeline as the embedded build (readers, duplicate ids, entity
recognition in worker processes), with the engine's analysis also done in the
workers (``writer.prepare``); the documents stream into bounded bulk requests.
See :mod:`search.engines.opensearch.writer` for how a build is swapped in.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial

from index.builder import BuildSummary, _checkpoint, changes, same_version
from index.documents import Document, Problem, shown, warning
from index.filetable import FileTable
from index.first_indexed import FirstIndexed
from index.ner import recognizer_version
from index.pipeline import iter_items
from index.republished import SameArticles
from index.variants import discover as discover_variants
from index.variants import kept as kept_variants
from search.analysis import ANALYZER_VERSION
from search.engines.opensearch.mapping import MAPPING_VERSION
from search.engines.opensearch.reading import ClusterReading
from search.engines.opensearch.writer import BULK_DOCS, Writer, build_id, prepare
from search.errors import BuildError
from search.fields import SCHEMA_VERSION
from search.vocabulary import Spellings


def build_opensearch(collections, url: str, name: str, *, update: bool = False, progress: bool | None = None,
                     on_problem: Callable[[Problem], None] | None = None, titles: bool = True,
                     stemmer: str = "akhbar", workers: int | None = None, follow_links: bool = False,
                     shards: int = 1, replicas: int = 1, part: tuple[int, int] | None = None,
                     build: str | None = None, publish: bool = True, metadata: str | None = None,
                     regroup: bool = False) -> BuildSummary:
    """Build (or with ``update``, refresh) the index ``name`` on the cluster at ``url``.

    ``part``/``build``: load part k of n of the collection into the build ``build``
    (several machines, one build); ``publish=False`` leaves it unpublished until
    ``akhbar index --engine opensearch --publish BUILD``."""
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
    existing = writer.existing() if update and served else {}
    if update and served and served_meta.get("recognizer_version") != recognizer_version():
        existing = dict.fromkeys(existing, "")
    first = FirstIndexed(writer.first_indexed(served) if served else {})  # (a full build keeps them too)
    build = build or build_id()
    target = served if update and served else None
    if target is None:
        meta = {"analyzer_version": ANALYZER_VERSION, "recognizer_version": recognizer_version(),
                "schema_version": SCHEMA_VERSION, "stemmer": stemmer, "titles": titles,
                "collections": [shown(str(c)) for c in collections]}
        target = writer.create(build, meta, shards, replicas)
    # an update reads again only the files that changed (index.filetable; the cluster keeps no story features)
    unread = FileTable(writer.files(served)).usable(existing, existing) if update and served else FileTable()
    files = FileTable()
    items = iter_items(collections, titles=titles, workers=workers, unchanged=existing, follow_links=follow_links,
                       metadata=metadata, prepare=partial(prepare, stemmer=stemmer), part=part,
                       stories=False, files=unread)  # the cluster does not group stories (yet)
    if progress:
        from tqdm import tqdm
        items = tqdm(items, unit=" docs", file=sys.stderr, mininterval=0.5)
    seen: set[str] = set()
    forms: Counter = Counter()
    spellings = Spellings()
    changed: list[str] = []
    same = SameArticles(summary.republished)  # (the cluster keeps no table of them yet: their ids answer 404)

    old: Counter = Counter()  # exact forms of the indexed copies an update replaces or deletes

    def documents():
        buffered: list = []
        for item, replaces in changes(items, existing, summary, on_problem, seen, write_checkpoint=2 * BULK_DOCS,
                                      same=same, files=files):
            first.stamp(item)
            if replaces:
                changed.append(item.id)
            forms.update(item.prepared["forms"])
            spellings.add_title(item.title)
            buffered.append(item)
            if len(buffered) >= 500:
                yield from flush(buffered)
        yield from flush(buffered)

    def flush(buffered: list):
        """Read the indexed copies of changed articles before the new ones overwrite them."""
        if changed:
            old.update(writer.old_forms(target, changed, stemmer))
            changed.clear()
        yield from buffered
        buffered.clear()

    def bulk_error(info):
        op = next(iter(info.values()))
        raise BuildError(f"OpenSearch refused an article ({op.get('status')}: {op.get('error')}); "
                         "the previous index is still served")

    try:
        if update and served:
            writer.load(target, documents(), bulk_error)
            gone = sorted(existing.keys() - seen)
            if gone:
                old.update(writer.old_forms(target, gone, stemmer))
            writer.delete(target, gone)
            summary.deleted = len(gone)
            vocabulary, rows = writer.vocabulary(target)
            vocabulary.subtract(old)
            vocabulary.update(forms)
            spellings.merge(rows)  # deleted articles' spellings stay: display only
            previous = writer.variants(target)  # (stored beside the vocabulary, which is written again)
            writer.replace_vocabulary(target, vocabulary, spellings.rows())
            writer.save_files(target, files.files)
            figures = kept_variants(previous, summary.added + summary.updated + summary.deleted, summary.read, regroup)
            if figures is not None:
                writer.save_variants(target, previous)
                summary.variants = figures
            else:
                summary.variants = _find_variants(writer, url, target, stemmer)
            writer.mark_updated(target)
        else:
            writer.load(target, documents(), bulk_error)
            writer.save_vocabulary(target, f"part-{part[0]}-of-{part[1]}" if part else "all", forms, spellings.rows())
            if part is None:  # (an update reads every file of a build loaded in parts)
                writer.save_files(target, files.files)
            if publish:  # (parts: when the last is in, at --publish)
                summary.variants = _find_variants(writer, url, target, stemmer)
            _checkpoint("swap")
            if publish:
                writer.publish(build, replicas)
    except BaseException:
        if not (update and served) and publish:
            writer.abort(build)
        raise
    summary.documents = int(writer.es.count(index=target)["count"]) if (publish or update) else summary.added
    summary.seconds = time.perf_counter() - started
    return summary


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
