"""The generation's numpy arrays (search/engines/whoosh/arrays.py) hold exactly what Whoosh holds.

The sample index is built with every term kept in the arrays (``MIN_DF`` 1), so
each posting list, position, length and date is compared with Whoosh's own
per-posting API; phrases and date ranges evaluated on the arrays are compared
with Whoosh's own ``Phrase`` and ``DateRange``; and an update that deletes and
changes articles leaves arrays that agree with the updated index.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime

import numpy as np
import pytest
from whoosh import query as Q

from index.builder import build_index
from search.analysis import analyze
from search.engines import open_engine
from search.engines.whoosh import arrays, arrays_writer, docsets, facet_columns, facets, tables
from search.engines.whoosh.docsets import generation_key
from search.searching import search
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def every_term_index(tmp_path_factory):
    """The sample collection, built with every term of every field kept in the arrays."""
    root = tmp_path_factory.mktemp("every-term")
    saved, arrays.MIN_DF = arrays.MIN_DF, 1
    try:
        build_index([SAMPLE], root, progress=False)
    finally:
        arrays.MIN_DF = saved
    return root


def _compare_with_whoosh(engine) -> int:
    """Every term of every field in the arrays equals Whoosh's per-posting reading; returns the terms seen."""
    searcher = engine.searcher()
    kept = searcher.akhbar_generation.arrays
    assert kept is not None, "the build wrote no arrays, or the engine did not open them"
    reader = searcher.reader()
    seen = 0
    for field in kept.meta["fields"]:
        positional = arrays.positional(searcher.schema, field)
        lengths = kept.lengths(field)
        assert lengths.tolist() == [reader.doc_field_length(d, field, 0) or 0 for d in range(reader.doc_count_all())]
        for raw, _info in reader.iter_field(field):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            whoosh_items = list(reader.postings(field, text).items_as("weight"))
            got = kept.term(field, text, positions=positional)
            if not whoosh_items:  # every posting deleted
                continue
            assert got is not None, (field, text)
            assert got.ids.tolist() == [d for d, _w in whoosh_items], (field, text)
            assert got.tf.tolist() == pytest.approx([w for _d, w in whoosh_items]), (field, text)
            if positional:
                whoosh_positions = [p for _d, p in reader.postings(field, text).items_as("positions")]
                mine = [got.positions[got.starts[i]:got.starts[i + 1]].tolist() for i in range(len(got.ids))]
                assert mine == whoosh_positions, (field, text)
            seen += 1
    assert kept.live().tolist() == list(reader.all_doc_ids())
    return seen


def test_every_posting_position_and_length_is_whooshs(every_term_index):
    with open_engine(every_term_index) as engine:
        seen = _compare_with_whoosh(engine)
    assert seen > 1000  # five articles, three text fields and the entity fields


def _phrases(engine) -> list[list[str]]:
    """Consecutive analyzed words of the sample articles (2 to 4 words), and some that never occur."""
    exact = engine.analyzer("text_exact")
    out = []
    for path in sorted(SAMPLE.glob("*.txt"))[:3]:
        words = analyze(exact, path.read_text(encoding="utf-8"))
        for size in (2, 3, 4):
            out += [words[i:i + size] for i in range(0, 60, 7)]
        out.append(words[5:7][::-1])  # the same words, reversed
        out.append([words[3], words[3]])  # a word twice
    return out


@pytest.mark.parametrize("with_arrays", [True, False])
def test_phrases_on_the_arrays_match_whooshs_phrase_query(every_term_index, with_arrays):
    with open_engine(every_term_index) as engine:
        searcher = engine.searcher()
        if not with_arrays:
            searcher.akhbar_generation = searcher.akhbar_generation.without_arrays()  # positions read from Whoosh's codec
        gen = generation_key(searcher.reader())
        docsets.clear()
        found = 0
        for words in _phrases(engine):
            q = Q.Phrase("text_exact", words)
            expected = sorted(q.docs(searcher))
            assert docsets.matching_docs(searcher, q).tolist() == expected, words
            found += bool(expected)
        assert found > 20  # most phrases are real ones
        assert docsets._phrase(searcher, gen, Q.Phrase("text_exact", ["حفتر", "xyz"])).tolist() == []


def test_date_ranges_on_the_arrays_match_whooshs(tmp_path):
    """The sample's articles as JSON Lines with dates (two without one), one of them deleted by an update."""
    texts = sorted(SAMPLE.glob("*.txt"))
    dates = ["2020-12-27", "2020-12-28", None, "2021-03-04T10:30:00", "2020-07-01", None]
    lines = [json.dumps({"id": f"a{i}", "text": texts[i % len(texts)].read_text(encoding="utf-8"), "date": d})
             for i, d in enumerate(dates)]
    collection = tmp_path / "c.jsonl"
    collection.write_text("\n".join(lines), encoding="utf-8")
    build_index([collection], tmp_path / "ix", progress=False)
    collection.write_text("\n".join(lines[1:]), encoding="utf-8")
    build_index([collection], tmp_path / "ix", update=True, progress=False)  # a0 deleted
    ranges = [(datetime(2020, 1, 1), datetime(2020, 12, 31, 23, 59)), (datetime(2020, 12, 27), None),
              (None, datetime(2020, 12, 28)), (datetime(1990, 1, 1), datetime(1990, 2, 1)), (None, None)]
    with open_engine(tmp_path / "ix") as engine:
        searcher = engine.searcher()
        assert searcher.akhbar_generation.arrays is not None and searcher.reader().has_deletions()
        sizes = []
        for start, end in ranges:
            for startexcl, endexcl in ((False, False), (True, True)):
                q = Q.DateRange("date", start, end, startexcl=startexcl, endexcl=endexcl)
                expected = sorted(q.docs(searcher))
                assert docsets.matching_docs(searcher, q).tolist() == expected, (start, end)
                sizes.append(len(expected))
        # newest first, articles without a date last (their unsigned "no value" once broke this sort)
        kept = searcher.akhbar_generation
        for read in (kept, kept.without_arrays()):
            searcher.akhbar_generation = read
            results = search(engine, "ليبيا", sort="date", page_size=10)["results"]
            assert [r["date"] for r in results] == ["2021-03-04", "2020-12-28", "2020-07-01", None, None]
    assert max(sizes) == 3 and min(sizes) == 0  # the three dated live articles; none in 1990


def test_arrays_of_another_generation_are_ignored(tmp_path, sample_index):
    """Arrays copied beside other Whoosh files (a hand-made mix) are not used: Whoosh serves."""
    root = tmp_path / "ix"
    build_index([SAMPLE], root, progress=False)
    live = (root / "current").resolve()
    shutil.rmtree(live / arrays.DIRNAME)
    shutil.copytree((sample_index / "current").resolve() / arrays.DIRNAME, live / arrays.DIRNAME)
    with open_engine(root) as engine:
        assert engine.searcher().akhbar_generation.arrays is None
        assert search(engine, "حفتر")["total"] == 4


def test_an_update_that_deletes_and_changes_articles_leaves_matching_arrays(tmp_path):
    collection = tmp_path / "c"
    shutil.copytree(SAMPLE, collection)
    root = tmp_path / "ix"
    saved, arrays.MIN_DF = arrays.MIN_DF, 1
    try:
        build_index([collection], root, progress=False)
        with open_engine(root) as engine:
            before = search(engine, "حفتر", page_size=10)
        first = sorted(collection.glob("*.txt"))[0]
        gone = next(r["id"] for r in before["results"] if r["id"] != first.stem)
        (collection / f"{gone}.txt").unlink()
        first.write_text(first.read_text(encoding="utf-8") + "\nوأضاف المرسوم الجديد عن حفتر كلاماً آخر.", encoding="utf-8")
        summary = build_index([collection], root, update=True, progress=False)
        assert (summary.deleted, summary.updated) == (1, 1)
    finally:
        arrays.MIN_DF = saved
    with open_engine(root) as engine:
        assert engine.searcher().reader().has_deletions() or len(engine.searcher().reader().leaf_readers()) > 1
        _compare_with_whoosh(engine)
        docsets.clear()
        after = search(engine, "حفتر", page_size=10)
        assert after["total"] == before["total"] - 1
        assert gone not in {r["id"] for r in after["results"]}
        # the arrays and Whoosh's own reading give the same page, scores included
        engine.searcher().akhbar_generation = engine.searcher().akhbar_generation.without_arrays()
        docsets.clear()
        whooshs = search(engine, "حفتر", page_size=10)
        assert whooshs["results"] == after["results"]
        assert whooshs["facets"] == after["facets"]  # the build's facet columns left the deleted article out


def _arrays_meta(root) -> dict:
    return json.loads(((root / "current").resolve() / arrays.DIRNAME / "meta.json").read_text(encoding="utf-8"))


def test_an_update_carries_the_arrays_forward_and_they_equal_a_full_write(tmp_path, monkeypatch):
    """An update adds a segment and deletes in the others: the kept segments' arrays are carried
    forward (meta ``carried``), and every posting, position, length, date, tie, story and facet
    pair equals Whoosh's reading and a full write of the same generation."""
    collection = tmp_path / "c"
    shutil.copytree(SAMPLE, collection)
    root = tmp_path / "ix"
    monkeypatch.setattr(arrays, "MIN_DF", 1)  # every term kept in the arrays
    build_index([collection], root, progress=False)
    assert _arrays_meta(root)["carried"] == 0
    files = sorted(collection.glob("*.txt"))
    files[1].unlink()  # deleted
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\nوأضاف المرسوم الجديد عن حفتر كلاماً آخر.",
                        encoding="utf-8")  # replaced: deleted in its segment, added in the new one
    (collection / "new-one.txt").write_text(
        files[2].read_text(encoding="utf-8").replace("ليبيا", "ليبيا والجزائر ونواكشوط"), encoding="utf-8")
    summary = build_index([collection], root, update=True, progress=False)
    assert (summary.added, summary.updated, summary.deleted) == (1, 1, 1)
    meta = _arrays_meta(root)
    with open_engine(root) as engine:
        reader = engine.searcher().reader()
        assert 0 < meta["carried"] < reader.doc_count_all() and reader.has_deletions()
        _compare_with_whoosh(engine)
        # the digests an update compares, from the arrays: those Whoosh stores, deleted ones left out
        stored = {f["id"]: f["digest"] for f in engine.searcher().all_stored_fields()}
        assert arrays_writer.digests((root / "current").resolve(), reader) == stored and len(stored) == 5
        docsets.clear()
        assert search(engine, "نواكشوط")["total"] == 1  # a term only the new segment has
        carried = engine.searcher().akhbar_generation.arrays
        gen = (root / "current").resolve()
        full = tmp_path / "full"
        shutil.copytree(gen, full, ignore=shutil.ignore_patterns(arrays.DIRNAME))
        story_of = {i: i for i in json.loads((carried.path / "ids.json").read_text()) if i}
        story = carried.stories()
        arrays_writer.write(full, tuple(carried.meta["fields"]), min_df=1, story_of=story_of)
    written = full / arrays.DIRNAME
    for name in ("live.npy", "dates.npy", "coarse_dates.npy", "seq.npy", "ties.npy"):
        assert np.load(written / name).tolist() == carried.array(name).tolist(), name
    for name in ("ids.json", "digests.json"):
        assert json.loads((written / name).read_text()) == json.loads((carried.path / name).read_text()), name
    # story.npy: the same articles together (the full write above gave each its own story)
    assert len(np.unique(story)) <= len(story)
    for field in facet_columns.COUNTED_FIELDS:
        assert json.loads((written / f"facets.{field}.values.json").read_text()) == carried.facets()[field].values
        assert np.load(written / f"facets.{field}.docs.npy").tolist() == carried.facets()[field].docs.tolist()
        assert np.load(written / f"facets.{field}.ids.npy").tolist() == carried.facets()[field].value_ids.tolist()
    for field in carried.meta["fields"]:
        assert np.load(written / f"{field}.lengths.npy").tolist() == carried.lengths(field).tolist()
        terms = json.loads((written / f"{field}.terms.json").read_text())
        assert sorted(terms) == sorted(carried.terms(field)), field


def test_updates_that_merge_small_segments_keep_the_large_ones_and_carry_their_arrays(tmp_path, monkeypatch):
    """An update of 100 articles, then seven of one article each: Whoosh merges small segments
    on the sixth; the segments up to the largest keep their place (Whoosh's own policy sorts them
    all by size, moving the largest after the others and renumbering them), so their arrays are
    carried forward every time."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    lines = [json.dumps({"id": f"a{i}", "text": f"{texts[i % len(texts)]}\nالفقرة رقم {i}."}) for i in range(200)]
    collection = tmp_path / "c.jsonl"
    collection.write_text("\n".join(lines), encoding="utf-8")
    root = tmp_path / "ix"
    monkeypatch.setattr(arrays, "MIN_DF", 1)  # every term kept in the arrays
    build_index([collection], root, progress=False)
    with open_engine(root) as engine:
        sizes = [leaf.doc_count_all() for leaf, _offset in engine.searcher().reader().leaf_readers()]
    largest = sizes.index(max(sizes))
    kept, documents = _arrays_meta(root)["segments"][:largest + 1], sum(sizes[:largest + 1])
    lines += [json.dumps({"id": f"more{i}", "text": f"{texts[i % len(texts)]}\nفقرة أخرى {i}."}) for i in range(100)]
    collection.write_text("\n".join(lines), encoding="utf-8")
    build_index([collection], root, update=True, progress=False)
    counts = []
    for k in range(7):
        lines.append(json.dumps({"id": f"new{k}", "text": f"{texts[k % len(texts)]}\nتحديث رقم {k}."}))
        collection.write_text("\n".join(lines), encoding="utf-8")
        build_index([collection], root, update=True, progress=False)
        meta = _arrays_meta(root)
        assert meta["segments"][:largest + 1] == kept and meta["carried"] >= documents, (k, meta)
        counts.append(len(meta["segments"]))
    assert any(b < a for a, b in zip(counts, counts[1:])), counts  # small ones were merged
    with open_engine(root) as engine:
        _compare_with_whoosh(engine)
        assert search(engine, "تحديث")["total"] == 7


def test_arrays_written_before_version_2_are_still_served_and_an_update_writes_them_again(tmp_path):
    """Version 2 added only what an update carries forward: a server reads version 1 as before,
    and an update writes version 2 in full (there is nothing to carry from)."""
    root = tmp_path / "ix"
    build_index([SAMPLE], root, progress=False)
    folder = (root / "current").resolve() / arrays.DIRNAME
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps(dict(meta, version=1)), encoding="utf-8")
    for name in ("digests.json", "ids.json", "seq.npy"):
        (folder / name).unlink()
    with open_engine(root) as engine:
        assert engine.searcher().akhbar_generation.arrays is not None and search(engine, "حفتر")["total"] == 4
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text("خبر جديد\nوصل الوفد إلى غدامس صباح اليوم.", encoding="utf-8")
    build_index([SAMPLE, extra], root, update=True, progress=False)
    assert _arrays_meta(root)["version"] == arrays.VERSION and _arrays_meta(root)["carried"] == 0


def test_tables_come_from_the_arrays_when_present(engine):
    searcher = engine.searcher()
    kept = searcher.akhbar_generation.arrays
    assert tables.field_lengths(searcher, "text") is kept.lengths("text")
    assert np.array_equal(tables.dates(searcher), arrays.dates_of(searcher.reader()))
    # the facet columns: the build's, memory-mapped, the same as those read from Whoosh
    columns = kept.facets()
    assert facets.doc_values(searcher) is columns
    built = facet_columns.build(searcher.reader())
    assert set(columns) == set(built) == set(facet_columns.COUNTED_FIELDS)
    assert all(isinstance(c.docs, np.memmap) for c in columns.values())
    for field, c in built.items():
        assert columns[field].values == c.values and c.values, field
        assert columns[field].docs.tolist() == c.docs.tolist() and columns[field].value_ids.tolist() == c.value_ids.tolist()


@pytest.mark.slow
def test_on_ant_frequent_terms_and_phrases_of_common_words_are_whooshs(ant_index):
    """On ANT (the default ``MIN_DF``): the most frequent terms' postings and phrases of them."""
    with open_engine(ant_index[0]) as engine:
        searcher = engine.searcher()
        kept, reader = searcher.akhbar_generation.arrays, searcher.reader()
        assert kept is not None and kept.min_df == arrays.MIN_DF
        common = {}
        for field in ("text", "text_exact", "text_broad"):
            by_df = sorted(((info.doc_frequency(), raw.decode("utf-8")) for raw, info in reader.iter_field(field)),
                           reverse=True)
            common[field] = [t for _df, t in by_df[:40]]
            for text in common[field][:10] + [t for df, t in by_df if df == arrays.MIN_DF][:5]:
                got = kept.term(field, text, positions=field == "text_exact")
                items = list(reader.postings(field, text).items_as("weight"))
                assert got.ids.tolist() == [d for d, _w in items], (field, text)
                assert got.tf.tolist() == pytest.approx([w for _d, w in items])
            assert kept.term(field, next(t for df, t in by_df if df < arrays.MIN_DF)) is None
        words = common["text_exact"]
        docsets.clear()
        for phrase in ([words[0], words[1]], [words[2], words[3]], words[4:7], ["رئيس", "الوزراء"]):
            q = Q.Phrase("text_exact", phrase)
            assert docsets.matching_docs(searcher, q).tolist() == sorted(q.docs(searcher)), phrase
