"""A build on several cores: each worker recognizes, analyzes and writes its own segment
(index.pipeline.SegmentWorkers).  The index must be the same as a one-process build's: the same
documents, entities, stories, facet counts and result order (ties in reading order), on real
Arabic articles recombined into a collection large enough to start the workers."""
from __future__ import annotations

import json

import pytest
from whoosh import index as windex

from index.build_steps import STORY_SPILL
from index.builder import build_index
from index.pipeline import SERIAL_FIRST
from search.engines import open_engine
from search.engines.whoosh.store import current_dir
from search.searching import search
from search.stories import StoryIndex
from search.suggest import Suggester
from tests.conftest import sample_texts

ARTICLES = 300
QUERIES = ("طرابلس", "الوفد المصري", "حفتر", "وزير الدفاع التركي", "source:CNN ليبيا")
SOURCES = ("CNN", "BBC", "الجزيرة")


def _collection(path, count: int = ARTICLES, first: int = 0):
    """Articles made of the sample's paragraphs: many share words, some are exact copies (ties), each
    months from the others (a re-run, not the outlet's one article read twice: ``index.republished``)."""
    paras = [p for t in sample_texts().values() for p in t.split("\n") if len(p.split()) > 4]
    lines = []
    for n in range(first, first + count):
        body = "\n".join(paras[(n * k) % len(paras)] for k in (1, 3, 7))
        lines.append(json.dumps({"id": f"a{n:04d}", "title": paras[n % len(paras)][:80], "text": body,
                                 "source": SOURCES[n % 3], "date": f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _segments(root) -> int:
    with windex.open_dir(str(current_dir(root))).reader() as r:
        return len(r.leaf_readers())


def _everything(root) -> dict:
    """What a user can see of an index: every query's ranked ids and facets, each article's story."""
    engine = open_engine(str(root))
    out = {}
    for q in QUERIES:
        res = search(engine, q, page_size=ARTICLES, snippets=False)
        out[q] = ([(r["id"], round(r["score"], 4)) for r in res["results"]], res["facets"], res["total"])
        by_date = search(engine, q, page_size=ARTICLES, sort="newest", facets=False, snippets=False)
        out[q + " newest"] = [r["id"] for r in by_date["results"]]
    for field in ("text_exact", "persons", "places"):  # what suggestions and the Latin names read
        out["terms " + field] = list(engine.terms(field))
    out["suggest"] = [s.as_dict() for s in Suggester.from_engine(engine).suggest("طر")]
    stories = engine.stories()
    out["stories"] = {i: (stories.story_of(i), stories.duplicate_of(i)) for i in stories.ids}
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parallel")
    collection = _collection(tmp / "c.jsonl")
    one = build_index([collection], tmp / "one", progress=False, workers=1)
    two = build_index([collection], tmp / "two", progress=False, workers=2)
    return tmp, one, two


def test_two_workers_write_two_segments_and_the_index_is_the_same(two_builds):
    tmp, one, two = two_builds
    assert one.documents == two.documents == ARTICLES
    assert _segments(tmp / "one") == 1
    assert _segments(tmp / "two") == 3  # the first SERIAL_FIRST articles here, then one per worker
    a, b = _everything(tmp / "one"), _everything(tmp / "two")
    assert a["طرابلس"][2] > SERIAL_FIRST  # the query reaches articles the workers wrote
    assert a["suggest"] and a["terms persons"]
    assert a == b
    for root in (tmp / "one", tmp / "two"):  # the build's story articles, read back, are not left behind
        assert not (current_dir(root) / STORY_SPILL).exists()
        assert len(StoryIndex.open(current_dir(root)).ids) == ARTICLES


def test_workers_start_a_new_segment_every_segment_docs_and_the_index_is_the_same(two_builds, monkeypatch):
    """A worker finishes its segment after SEGMENT_DOCS articles and starts another (what keeps its
    memory flat on a large collection): more segments, the same answers as one process's."""
    from search.engines.whoosh import writer

    tmp, _one, _two = two_builds
    monkeypatch.setattr(writer, "SEGMENT_DOCS", 50)
    build_index([tmp / "c.jsonl"], tmp / "small", progress=False, workers=2)
    # the first SERIAL_FIRST articles, then the workers' 128 and 108 in segments of 50, 50 and the rest
    assert _segments(tmp / "small") == 1 + 2 * 3
    assert _everything(tmp / "small") == _everything(tmp / "one")


def test_an_update_with_workers_replaces_adds_and_deletes(two_builds, tmp_path):
    tmp, _one, _two = two_builds
    root = tmp_path / "ix"
    collection = _collection(tmp_path / "c.jsonl")
    build_index([collection], root, progress=False, workers=2)
    # 100 articles changed (new text under the same ids), 150 new, the last 50 gone
    lines = collection.read_text(encoding="utf-8").splitlines()[:ARTICLES - 50]
    changed = [json.loads(x) for x in lines[:100]]
    for d in changed:
        d["text"] = d["text"] + "\nتحديث: وصل الوفد إلى سنغافورة مساء الأحد."
    newer = _collection(tmp_path / "new.jsonl", 150, first=ARTICLES).read_text(encoding="utf-8").splitlines()
    collection.write_text("\n".join([json.dumps(d, ensure_ascii=False) for d in changed] + lines[100:] + newer) + "\n",
                          encoding="utf-8")
    summary = build_index([collection], root, update=True, progress=False, workers=2)
    assert (summary.added, summary.updated, summary.deleted) == (150, 100, 50)
    assert summary.documents == ARTICLES - 50 + 150
    engine = open_engine(str(root))
    res = search(engine, "سنغافورة", page_size=100, facets=False, snippets=False)
    assert sorted(r["id"] for r in res["results"]) == sorted(d["id"] for d in changed)
    with windex.open_dir(str(current_dir(root))).searcher() as s:  # no replaced copy left behind
        ids = [f["id"] for f in s.all_stored_fields()]
    assert len(ids) == len(set(ids)) == summary.documents
    # the same as a full build of the new collection
    full = build_index([collection], tmp_path / "full", progress=False, workers=1)
    assert full.documents == summary.documents
    assert _everything(root)["stories"] == _everything(tmp_path / "full")["stories"]
