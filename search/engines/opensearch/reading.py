"""A build's index on the cluster read as ``index.variants.discover`` reads a collection: its
exact words and their article counts (the build's vocabulary), its articles' outlets and texts
(read through once, a page at a time)."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from search.engines.opensearch.connection import client, unavailable
from search.engines.opensearch.writer import VOCABULARY_PARTS, VOCABULARY_SUFFIX, _analyzers
from search.variants import ArticleWords

#: Articles read a page.
PAGE = 1000


class ClusterReading:
    """The concrete index ``index`` (refreshed: every article loaded is read) on ``url``."""

    def __init__(self, url: str, index: str, stemmer: str = "akhbar"):
        from opensearchpy import exceptions as E
        from opensearchpy import helpers

        self.url, self.index = url, index
        self.es = client(url)
        self.frequency: dict[str, int] = {}
        try:
            for hit in helpers.scan(self.es, index=index + VOCABULARY_SUFFIX, query={"query": VOCABULARY_PARTS}):
                for term, df in zip(hit["_source"].get("terms", ()), hit["_source"].get("df", ())):
                    self.frequency[term] = self.frequency.get(term, 0) + df
            self.documents = int(self.es.count(index=index)["count"])
        except E.TransportError as exc:
            raise unavailable(url, exc) from exc
        self._stem = _analyzers(stemmer)["text"]
        self._outlets: dict[str, int] = {}
        self._outlet: list[int] = []

    @property
    def outlet(self) -> np.ndarray:
        """Each article's outlet number, in the order :meth:`texts` read them (-1: none)."""
        return np.asarray(self._outlet, dtype=np.int64)

    @property
    def outlets(self) -> int:
        return len(self._outlets)

    def same_stem(self, a: str, b: str) -> bool:
        return bool(set(self._stem.forms(a)) & set(self._stem.forms(b)))

    def texts(self) -> Iterator[tuple[int, list[str]]]:
        """Every article, numbered as read, and its title and body as normalized words."""
        from opensearchpy import exceptions as E
        from opensearchpy import helpers

        words = ArticleWords()
        self._outlet = []
        try:
            hits = helpers.scan(self.es, index=self.index, size=PAGE, _source=["title", "body", "source"],
                                query={"query": {"match_all": {}}})
            for n, hit in enumerate(hits):
                src = hit["_source"]
                source = (src.get("source") or [None])[0]
                self._outlet.append(-1 if source is None else self._outlets.setdefault(source, len(self._outlets)))
                yield n, words(src.get("title"), src.get("body"))
        except E.TransportError as exc:
            raise unavailable(self.url, exc) from exc
