"""A generation's stories folder: written by the build, read by ``search.stories``.

``ROOT/gen-*/stories/``:

* ``articles.pkl``  every article's :class:`~index.stories.grouping.Article` (shingles,
  terms, entities), so that ``--update`` analyzes only the articles it adds or changes;
* ``ids.json``      article ids, in date order (undated last): row numbers below;
* ``story.npy``, ``dup.npy``  each row's story and duplicate group (the row of its first article);
* ``dates.npy``     each row's date in days since 1970 (NaN: undated);
* ``terms.json``, ``vec.*.npy``, ``inv.*.npy``  the rows' tf-idf vectors by row (CSR) and by
  term (CSC), memory-mapped by readers, for "related articles";
* ``meta.json``     the settings they were computed with.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np

from index.stories import grouping
from index.stories.grouping import Article, assign_stories, boilerplate, duplicate_leaders, vectors

DIRNAME = "stories"
VERSION = 1


def read_articles(gen: Path) -> dict[str, Article]:
    """The articles a generation's stories were computed from (empty if it has none)."""
    try:
        with open(gen / DIRNAME / "articles.pkl", "rb") as fh:
            return {a.id: a for a in pickle.load(fh)}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}


def write(gen: Path, articles: list[Article]) -> dict[str, str]:
    """Group ``articles`` and write the folder; returns id -> story id (its first article's id)."""
    out = gen / DIRNAME
    out.mkdir(exist_ok=True)
    articles = sorted(articles, key=grouping._order_key)
    leader = duplicate_leaders(articles, boilerplate(a.shingles for a in articles))
    dup = {a.id: articles[k].id for a, k in zip(articles, leader)}
    X, _idf, terms = vectors(articles)
    story_ids = assign_stories(articles, X, dup) if articles else []
    row = {a.id: n for n, a in enumerate(articles)}
    np.save(out / "story.npy", np.array([row[s] for s in story_ids], dtype=np.int32))
    np.save(out / "dup.npy", np.array(leader, dtype=np.int32))
    np.save(out / "dates.npy", np.array([a.date.timestamp() / 86400 if a.date else np.nan for a in articles]))
    (out / "ids.json").write_text(json.dumps([a.id for a in articles], ensure_ascii=False), encoding="utf-8")
    _write_vectors(out, X, terms)
    with open(out / "articles.pkl", "wb") as fh:
        pickle.dump(articles, fh, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {"version": VERSION, "articles": len(articles), "stories": len(set(story_ids)),
            "duplicate_groups": len(set(leader)), "window_days": grouping.WINDOW_DAYS,
            "story_cosine": grouping.STORY_COSINE, "dup_jaccard": grouping.DUP_JACCARD,
            "dup_containment": grouping.DUP_CONTAINMENT, "boilerplate_df": grouping.BOILERPLATE_DF}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return dict(zip((a.id for a in articles), story_ids))


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
