"""Which index is served or built, and by which engine: the store's settings, declared once.

The app's settings (``web.SETTINGS``), its environment variables and the command line's
``--engine``, ``--index``, ``--url`` and ``--index-name`` all read :data:`STORE_SETTINGS`;
:class:`StoreSettings` carries the four values to :func:`search.engines.open_engine` and to
the build's store (``index.store.open_store``).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

#: Engine kinds by name, and the one served when none is named.
KINDS = ("whoosh", "opensearch")
DEFAULT_KIND = "whoosh"


@dataclass(frozen=True)
class Setting:
    """One declared setting: the app's name for it, its default, the environment variable that
    overrides it, the :class:`StoreSettings` field it fills, and what it means."""

    name: str
    default: str
    variable: str
    field: str
    help: str


#: The store's settings (the app's names; the README documents each).
STORE_SETTINGS = (
    Setting("INDEX_DIR", "var/index", "AKHBAR_INDEX", "index_dir",
            "index location (the embedded engine); the environment variable AKHBAR_INDEX overrides it"),
    Setting("ENGINE", DEFAULT_KIND, "AKHBAR_ENGINE", "engine",
            "search engine: whoosh (the embedded index in INDEX_DIR) or opensearch (a cluster); "
            "AKHBAR_ENGINE overrides it"),
    Setting("OPENSEARCH_URL", "http://127.0.0.1:9200", "AKHBAR_OPENSEARCH_URL", "url",
            "the OpenSearch cluster's URL, comma-separated for several nodes (user:password@ may be in it; "
            "never shown); AKHBAR_OPENSEARCH_URL overrides it"),
    Setting("OPENSEARCH_INDEX", "akhbar", "AKHBAR_OPENSEARCH_INDEX", "index_name",
            "the index (alias) name on the cluster; AKHBAR_OPENSEARCH_INDEX overrides it"),
)
_BY_FIELD = {s.field: s for s in STORE_SETTINGS}


def default(field: str) -> str:
    """A store setting's value when nothing sets it: its environment variable, or its default."""
    s = _BY_FIELD[field]
    return os.environ.get(s.variable) or s.default


@dataclass(frozen=True)
class StoreSettings:
    """Where an index lives: a folder (``engine="whoosh"``) or an alias on a cluster."""

    engine: str = DEFAULT_KIND
    index_dir: str = _BY_FIELD["index_dir"].default
    url: str = _BY_FIELD["url"].default
    index_name: str = _BY_FIELD["index_name"].default

    def __post_init__(self) -> None:
        if self.engine not in KINDS:
            from search.errors import ConfigError

            raise ConfigError(f"unknown engine {self.engine[:100]!r}: choose one of {', '.join(KINDS)}")

    @classmethod
    def from_config(cls, config: Mapping) -> StoreSettings:
        """The settings of an app's configuration (its names: ``INDEX_DIR``, ``ENGINE`` ...)."""
        return cls(**{s.field: str(config.get(s.name, s.default)) for s in STORE_SETTINGS})

    def where(self) -> str:
        """The index as a message may show it (a cluster's URL without credentials)."""
        if self.engine == "opensearch":
            from search.engines.opensearch.connection import redact

            return f"{self.index_name} on {redact(self.url)}"
        return os.path.abspath(self.index_dir)
