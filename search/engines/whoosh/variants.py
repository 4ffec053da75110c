"""A committed Whoosh generation read as ``index.variants.discover`` reads a collection:
its exact words' postings, its articles' outlets, story vectors and texts."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from whoosh import index as windex

from search.analysis import TOKEN_RE, stem_function
from search.engines.whoosh import facet_columns
from search.engines.whoosh.analysis import chain_of
from search.engines.whoosh.arrays import stored_columns, term_frequencies
from search.normalize import normalize_word
from search.stories import StoryIndex

FIELD = "text_exact"
#: Distinct words whose normalized form :meth:`GenerationReading.texts` keeps at a time.
NORMAL_CACHE = 1_000_000


class GenerationReading:
    """The generation in ``gen_dir`` (its index committed, its stories written), open for
    reading until :meth:`close` (a context manager)."""

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
        self.vectors, self.column = _vectors(self.reader, StoryIndex.open(gen_dir), n)
        self._stems = stem_function(chain_of(self.ix.schema["text"]))

    def same_stem(self, a: str, b: str) -> bool:
        return bool(set(self._stems(a)) & set(self._stems(b)))

    def texts(self) -> Iterator[tuple[int, list[str]]]:
        """Every live article's number, and its title and body as normalized words."""
        normal: dict[str, str] = {}  # each distinct word normalized once (bounded: NORMAL_CACHE)
        for d in range(self.reader.doc_count_all()):
            if self.reader.has_deletions() and self.reader.is_deleted(d):
                continue
            fields = self.reader.stored_fields(d)
            text = f"{fields.get('title') or ''} . {fields.get('body') or ''}"
            words = TOKEN_RE.findall(text)
            if len(normal) > NORMAL_CACHE:
                normal.clear()
            yield d, [normal.get(w) or normal.setdefault(w, normalize_word(w)) for w in words]

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> GenerationReading:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _vectors(reader, stories: StoryIndex | None, n: int):
    """Each document's story tf-idf vector, unit length (rows by document number), and the
    word -> column map (no columns for a generation without stories)."""
    if stories is None:
        return sp.csr_matrix((n, 1), dtype=np.float32), lambda word: None
    ids, _coarse, _ties = stored_columns(reader)
    matrix = stories.vectors()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = (sp.diags(1 / np.maximum(norms, 1e-9)) @ matrix).astype(np.float32)
    blank = matrix.shape[0]
    rows = np.array([r if i is not None and (r := stories.ids.row(i)) is not None else blank for i in ids],
                    dtype=np.int64)
    matrix = sp.vstack([matrix, sp.csr_matrix((1, matrix.shape[1]), dtype=np.float32)]).tocsr()[rows]
    columns = {t: c for c, t in enumerate(stories.terms())}
    return matrix, columns.get
