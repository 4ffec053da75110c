"""The store factory: one object per index that opens its engine and builds it.

    store = open_store(StoreSettings(...))      # what --engine/--index/--url/--index-name name
    summary = store.build(collections, BuildOptions(update=True))
    with store.engine() as engine: ...

The command line and the app hold a :class:`Store` and never ask which engine it is: this
module (with ``search.engines``) is the one place that does.  An embedded store builds with
``index.builder``, a cluster's with ``index.opensearch_build``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.builder import BuildSummary
from index.documents import Problem
from search.engines import Engine, StoreSettings, open_engine
from search.errors import BuildError


@dataclass(frozen=True)
class BuildOptions:
    """How a build reads the collection and writes the index (``akhbar index``'s options)."""

    update: bool = False
    regroup: bool = False  # an update finds the house spellings again however few articles changed
    progress: bool | None = None  # a progress bar on stderr (None: when it is a terminal)
    on_problem: Callable[[Problem], None] | None = None  # told of each file skipped or warned about
    titles: bool = True  # (evaluation runs: False indexes bodies alone)
    stemmer: str = "akhbar"
    workers: int | None = None
    follow_links: bool = False
    metadata: str | None = None  # a sidecar table (index.sidecar)
    # a cluster's: its shape, and a build loaded in parts (--part K/N --build-id ID, then --publish ID)
    shards: int = 1
    replicas: int = 1
    part: tuple[int, int] | None = None
    build_id: str | None = None

    def cluster_only(self) -> list[str]:
        """The options set that only a cluster's build takes."""
        return [name for name, value in (("--part", self.part), ("--build-id", self.build_id)) if value is not None]


class Store(Protocol):
    """An index, to serve and to build."""

    settings: StoreSettings

    def engine(self) -> Engine:
        """The engine serving the index (IndexMissingError when there is none yet)."""

    def exists(self) -> bool:
        """Whether an index is served there."""

    def build(self, collections: Sequence[str], options: BuildOptions = BuildOptions()) -> BuildSummary:
        """Build (or with ``options.update``, refresh) the index from ``collections``; until it is
        done, the previous index keeps serving."""

    def publish(self, build_id: str, replicas: int = 1) -> str:
        """Serve a build its parts loaded; the name of what is served."""


class _Opened:
    """What every store does alike: it opens the engine its settings name."""

    def __init__(self, settings: StoreSettings):
        self.settings = settings

    def engine(self) -> Engine:
        return open_engine(self.settings)


class EmbeddedStore(_Opened):
    """A Whoosh index in a folder (``settings.index_dir``)."""

    def exists(self) -> bool:
        from search.engines.whoosh.store import current_dir

        return current_dir(self.settings.index_dir).is_dir()

    def build(self, collections: Sequence[str], options: BuildOptions = BuildOptions()) -> BuildSummary:
        from index.builder import build_index

        if options.cluster_only():
            raise BuildError(f"{' and '.join(options.cluster_only())} are for --engine opensearch: "
                             "an embedded index is built by one process")
        return build_index(list(collections), self.settings.index_dir, update=options.update,
                           progress=options.progress, on_problem=options.on_problem, titles=options.titles,
                           stemmer=options.stemmer, workers=options.workers, follow_links=options.follow_links,
                           metadata=options.metadata, regroup=options.regroup)

    def publish(self, build_id: str, replicas: int = 1) -> str:
        raise BuildError("--publish is for --engine opensearch: an embedded build is served when it is done")


class ClusterStore(_Opened):
    """An index (an alias) on an OpenSearch cluster."""

    def exists(self) -> bool:
        from index.opensearch_build import served_index

        return served_index(self.settings.url, self.settings.index_name) is not None

    def build(self, collections: Sequence[str], options: BuildOptions = BuildOptions()) -> BuildSummary:
        from index.opensearch_build import build_opensearch

        return build_opensearch(list(collections), self.settings.url, self.settings.index_name,
                                update=options.update, progress=options.progress, on_problem=options.on_problem,
                                titles=options.titles, stemmer=options.stemmer, workers=options.workers,
                                follow_links=options.follow_links, metadata=options.metadata,
                                shards=options.shards, replicas=options.replicas, part=options.part,
                                build=options.build_id, publish=options.part is None, regroup=options.regroup)

    def publish(self, build_id: str, replicas: int = 1) -> str:
        from index.opensearch_build import publish_opensearch

        return publish_opensearch(self.settings.url, self.settings.index_name, build_id, replicas=replicas)


def open_store(settings: StoreSettings) -> Store:
    """The store ``settings`` name."""
    return ClusterStore(settings) if settings.engine == "opensearch" else EmbeddedStore(settings)


__all__ = ["BuildOptions", "ClusterStore", "EmbeddedStore", "Store", "open_store"]
