"""A generation's stories folder: written by the build, read by ``search.stories``.

``ROOT/gen-*/stories/``:

* ``articles.pkl``  every article's :class:`~index.stories.grouping.Article` (shingles,
  terms, entities), pickled one after another, so that ``--update`` analyzes
  only the articles it adds or changes; ``articles.index.json`` each one's offset in it and
  its id, time and outlet, so that an update reads only the articles it groups;
* ``ids.npy``       article ids, in date order (undated last): row numbers below; ``ids.sorted.npy``
  and ``ids.sorted.rows.npy`` the same sorted, with their rows (``search.stories.Ids``);
* ``story.npy``, ``dup.npy``  each row's story and duplicate group (the row of its first article);
* ``copies.indptr.npy``, ``copies.indices.npy``  each row's copies, pair by pair (CSR, both ways);
* ``terms.json``, ``vec.*.npy``, ``inv.*.npy``  the rows' tf-idf vectors by row (CSR) and by
  term (CSC), memory-mapped by readers, for "related articles";
* ``assigned.npy``, ``vocabulary.json``, ``df.npy``, ``boilerplate.npy``, ``lines.json``  each
  row's story before the merge pass, every term with its number of articles, the shingles left out, how many of an
  outlet's articles have each body line: what an update's grouping of its new articles reads
  (``index.stories.incremental``);
* ``republished.json``  the articles not indexed because they republish one that is
  (``index.republished``): ``[id, first id, category, url]`` each;
* ``meta.json``     the settings they were computed with.
"""
from __future__ import annotations

import json
import os
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from index.stories import grouping
from index.stories.grouping import Article, Groups, group, head_of
from search.stories import DIRNAME, IDS_BY_ROW, IDS_SORTED, REPUBLISHED, ROWS_SORTED
from search.stories import arrays_of as ids_arrays

#: 2: articles keep their outlet and body lines (page furniture); 3: pickled one by one;
#: 4: with ``articles.index.json`` (each article's offset and head)
VERSION = 4
#: Versions whose articles ``read_articles`` reads (2 to 4 hold the same articles).
READS = (2, 3, 4)
#: Articles are pickled with protocol 4: protocol 5 loads each numpy array as a view of its own
#: bytearray: ANT's 31.5k articles took 311 MB loaded against 247 MB (docs/performance.md).
PICKLE_PROTOCOL = 4


#: Beside ``articles.pkl``: each article's offset in it and its head (:func:`head_of`).
ARTICLES_INDEX = "articles.index.json"


class ArticleWriter:
    """Articles pickled one after another into ``path`` (read back with
    ``ArticleFile(path, offsets, heads)`` once closed)."""

    def __init__(self, path: Path):
        self.path, self.offsets = path, []
        self.heads: list[tuple] = []
        self._fh = open(path, "wb")

    def add(self, article: Article) -> None:
        self.offsets.append(self._fh.tell())
        pickle.dump(article, self._fh, protocol=PICKLE_PROTOCOL)
        self.heads.append(head_of(article))

    def add_pickled(self, data: bytes, head: tuple) -> None:
        """An article as another file holds it (``ArticleFile.pickled``): not unpickled and pickled again."""
        self.offsets.append(self._fh.tell())
        self._fh.write(data)
        self.heads.append(head)

    def close(self) -> None:
        self._fh.close()


class ArticleFile(Sequence):
    """The articles of a file written by :class:`ArticleWriter`, each read (unpickled) when it is
    asked for: a build's grouping holds what it computes from them, not the articles; their heads
    (:func:`head_of`) without reading them."""

    def __init__(self, path: Path, offsets: list[int], heads: list[tuple]):
        self.path, self.offsets, self.heads = path, offsets, heads
        self._fh = open(path, "rb")

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, k: int) -> Article:  # (iterating reads them in file order: a seek within the buffer)
        self._fh.seek(self.offsets[k])
        return pickle.load(self._fh)

    def pickled(self, k: int) -> bytes:
        """Article ``k`` as the file holds it."""
        self._fh.seek(self.offsets[k])
        end = self.offsets[k + 1] if k + 1 < len(self.offsets) else None
        return self._fh.read(end - self.offsets[k]) if end is not None else self._fh.read()

    def close(self) -> None:
        self._fh.close()


def _each(fh) -> Iterator[Article]:
    while True:
        try:
            yield pickle.load(fh)
        except EOFError:
            return


def read_articles(gen: Path) -> dict[str, Article]:
    """The articles a generation's stories were computed from (empty if it has none, or if they
    were kept in an older version's form: the build then computes them again)."""
    try:
        if json.loads((gen / DIRNAME / "meta.json").read_text(encoding="utf-8")).get("version") not in READS:
            return {}
        out: dict[str, Article] = {}
        with open(gen / DIRNAME / "articles.pkl", "rb") as fh:
            for item in _each(fh):
                for a in item if isinstance(item, list) else (item,):  # version 2: one list of them
                    out[a.id] = a
        return out
    except (OSError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        return {}


class KeptArticles:
    """The articles of the generation an update starts from, by id, read only when used: an
    unchanged article goes into the new generation as the file holds it (``pickled``).  A folder
    written before ``articles.index.json`` is read whole (:func:`read_articles`)."""

    def __init__(self, file: ArticleFile | None = None, articles: dict[str, Article] | None = None):
        self.file, self.articles = file, articles or {}
        self.row = {h[0]: k for k, h in enumerate(file.heads)} if file is not None else {}

    @classmethod
    def open(cls, gen: Path) -> KeptArticles:
        folder = gen / DIRNAME
        try:
            if json.loads((folder / "meta.json").read_text(encoding="utf-8")).get("version") == VERSION:
                index = json.loads((folder / ARTICLES_INDEX).read_text(encoding="utf-8"))
                return cls(ArticleFile(folder / "articles.pkl", index["offsets"], [tuple(h) for h in index["heads"]]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return cls(articles=read_articles(gen))

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.row or doc_id in self.articles

    def __len__(self) -> int:
        return len(self.row) + len(self.articles)

    def pickled(self, doc_id: str) -> tuple[bytes, tuple]:
        """The article as it goes into the next file, and its head."""
        if doc_id in self.row:
            k = self.row[doc_id]
            assert self.file is not None
            return self.file.pickled(k), self.file.heads[k]
        a = self.articles[doc_id]
        return pickle.dumps(a, protocol=PICKLE_PROTOCOL), head_of(a)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def write(gen: Path, articles: Sequence[Article], republished: list[list] | None = None,
          previous: Path | None = None, fresh: set[str] | None = None) -> Groups:
    """Group ``articles`` and write the folder (with ``republished``: the copies not indexed,
    :meth:`index.republished.SameArticles.rows`); returns the groups (``.story``: id -> story id, its
    first article's id).
    ``previous`` (an update's: the stories folder it starts from) and ``fresh`` (the ids of the
    articles it adds or changes): only those are grouped, into the stories kept
    (``index.stories.incremental``), when the previous folder allows it; else all are grouped."""
    from index.stories.incremental import extend

    out = gen / DIRNAME
    out.mkdir(exist_ok=True)
    (out / REPUBLISHED).write_text(json.dumps(republished or [], ensure_ascii=False), encoding="utf-8")
    g = extend(previous, articles, fresh) if previous is not None and fresh is not None else None
    if g is None:
        g = group(articles)
    np.save(out / "story.npy", np.array(g.story_rows, dtype=np.int32))
    np.save(out / "dup.npy", np.array(g.dup_rows, dtype=np.int32))
    _write_copies(out, g.copy_pairs, len(g.articles))
    for name, array in zip((IDS_BY_ROW, IDS_SORTED, ROWS_SORTED), ids_arrays(g.ids)):
        np.save(out / name, array)
    _write_vectors(out, g.vectors, g.terms)
    np.save(out / "assigned.npy", np.array(g.assigned_rows, dtype=np.int32))
    np.save(out / "df.npy", np.asarray(g.df, dtype=np.int32))
    (out / "vocabulary.json").write_text(json.dumps(g.vocabulary, ensure_ascii=False), encoding="utf-8")
    np.save(out / "boilerplate.npy", np.asarray(g.boilerplate, dtype=np.uint32))
    lines = sorted(g.line_counts.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1]))
    (out / "lines.json").write_text(json.dumps([[o, h, c] for (o, h), c in lines], ensure_ascii=False), encoding="utf-8")
    if isinstance(articles, ArticleFile):  # the build's spill file moves into the folder (still open for reading)
        os.replace(articles.path, out / "articles.pkl")
        offsets, heads = articles.offsets, articles.heads
    else:
        kept = ArticleWriter(out / "articles.pkl")
        for a in articles:
            kept.add(a)
        kept.close()
        offsets, heads = kept.offsets, kept.heads
    (out / ARTICLES_INDEX).write_text(json.dumps({"offsets": offsets, "heads": heads}, ensure_ascii=False),
                                      encoding="utf-8")
    meta = {"version": VERSION, "articles": len(g.articles), "stories": len(set(g.story_rows)),
            "duplicate_groups": len(set(g.dup_rows)), "copy_pairs": len(g.copy_pairs), "window_days": grouping.WINDOW_DAYS,
            "story_cosine": grouping.STORY_COSINE, "link_cosine": grouping.LINK_COSINE,
            "furniture_lines": grouping.FURNITURE_LINES, "lsh_threshold": grouping.LSH_THRESHOLD, "dup_jaccard": grouping.DUP_JACCARD,
            "dup_containment": grouping.DUP_CONTAINMENT, "boilerplate_df": grouping.BOILERPLATE_DF,
            "lead_found": grouping.LEAD_FOUND, "story_span": grouping.STORY_SPAN,
            "series_across_days": grouping.SERIES_ACROSS_DAYS, "merge_days": grouping.MERGE_DAYS,
            "merge_cosine": grouping.MERGE_COSINE, "incremental": g.incremental}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return g


def _write_copies(out: Path, pairs: list[tuple[int, int]], rows: int) -> None:
    both = np.array(pairs + [(b, a) for a, b in pairs], dtype=np.int32).reshape(-1, 2)
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    np.save(out / "copies.indptr.npy", np.searchsorted(both[:, 0], np.arange(rows + 1)).astype(np.int64))
    np.save(out / "copies.indices.npy", both[:, 1].copy())


def _write_vectors(out: Path, X, terms: list[str]) -> None:
    X = X.tocsr()
    np.save(out / "vec.indptr.npy", X.indptr.astype(np.int64))
    np.save(out / "vec.indices.npy", X.indices.astype(np.int32))
    np.save(out / "vec.data.npy", X.data.astype(np.float32))
    C = X.tocsc()
    np.save(out / "inv.indptr.npy", C.indptr.astype(np.int64))
    np.save(out / "inv.indices.npy", C.indices.astype(np.int32))
    np.save(out / "inv.data.npy", C.data.astype(np.float32))
    (out / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
