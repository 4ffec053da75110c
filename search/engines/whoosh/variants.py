"""A committed Whoosh generation read as ``index.variants.discover`` reads a collection:
its exact words and their article counts, its articles' outlets and texts."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from whoosh import index as windex

from search.analysis import stem_function
from search.engines.whoosh import facet_columns
from search.engines.whoosh.analysis import chain_of
from search.engines.whoosh.arrays import term_frequencies
from search.variants import ArticleWords

FIELD = "text_exact"


class GenerationReading:
    """The generation in ``gen_dir`` (its index committed), open for reading until :meth:`close`
    (a context manager)."""

    def __init__(self, gen_dir: str | Path):
        self.ix = windex.open_dir(str(gen_dir))
        self.reader = self.ix.reader()
        self.frequency = {(raw.decode("utf-8") if isinstance(raw, bytes) else raw): df
                          for raw, df in term_frequencies(self.reader, FIELD)}
        n = self.reader.doc_count_all()
        sources = facet_columns.column(self.reader, "source")
        self.outlet = np.full(n, -1, dtype=np.int64)
        self.outlet[sources.docs] = sources.value_ids
        self.outlets = len(sources.values)
        self.documents = n
        self._stems = stem_function(chain_of(self.ix.schema["text"]))

    def same_stem(self, a: str, b: str) -> bool:
        return bool(set(self._stems(a)) & set(self._stems(b)))

    def texts(self) -> Iterator[tuple[int, list[str]]]:
        """Every live article's number, and its title and body as normalized words."""
        words = ArticleWords()
        for d in range(self.reader.doc_count_all()):
            if self.reader.has_deletions() and self.reader.is_deleted(d):
                continue
            fields = self.reader.stored_fields(d)
            yield d, words(fields.get("title"), fields.get("body"))

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> GenerationReading:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
