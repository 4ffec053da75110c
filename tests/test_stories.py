"""Duplicate reports and stories on the sample (real Arabic articles): found at index time,
kept right by --update, grouped in results, listed on the article page."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from index.builder import build_index
from index.stories.features import containment, features, jaccard
from index.stories.grouping import same_report
from search.engines import open_engine
from search.stories import StoryIndex
from tests.conftest import SAMPLE, sample_texts

EGYPT_TRIPOLI = ("000_7d249ea639f1103d", "001_03dfe024d18c3b2a", "002_ec7758134357b2f5")
#: The story's articles by date (data/sample/metadata.csv): 000 and 002 on 27 December 2020, 001 the next day.
BY_DATE = [EGYPT_TRIPOLI[0], EGYPT_TRIPOLI[2], EGYPT_TRIPOLI[1]]
OTHERS = ("003_1a1189609da923f6", "004_ed295794a679e97b")


def _paragraphs(doc_id: str) -> list[str]:
    return [p for p in sample_texts()[doc_id].split("\n") if p.strip()]


def _copy_of(doc_id: str) -> str:
    """An agency copy as another outlet runs it: its own headline, the last paragraphs cut."""
    paras = _paragraphs(doc_id)
    return "\n".join(["عنوان آخر للخبر نفسه"] + paras[1:max(3, len(paras) * 2 // 3)])


def test_a_cut_copy_is_the_same_report_and_a_follow_up_is_not():
    original = features(*_title_body(EGYPT_TRIPOLI[0]))
    copy = features(*_title_body_text(_copy_of(EGYPT_TRIPOLI[0])))
    follow_up = features(*_title_body(EGYPT_TRIPOLI[1]))
    assert containment(copy.shingles, original.shingles) > 0.9
    assert same_report(copy.shingles, original.shingles)
    assert jaccard(follow_up.shingles, original.shingles) < 0.1
    assert not same_report(follow_up.shingles, original.shingles)


def _title_body(doc_id: str) -> tuple[str, str]:
    return _title_body_text(sample_texts()[doc_id])


def _title_body_text(text: str) -> tuple[str, str]:
    title, _, body = text.strip().partition("\n")
    return title, body


def test_the_egyptian_delegation_in_tripoli_is_one_story(engine):
    stories = engine.stories()
    assert stories.members(EGYPT_TRIPOLI[1]) == BY_DATE
    assert {stories.story_of(i) for i in EGYPT_TRIPOLI} == {EGYPT_TRIPOLI[0]}
    for other in OTHERS:
        assert stories.members(other) == [other] and stories.size(other) == 1
    # different write-ups, none a copy of another
    assert all(stories.duplicate_of(i) == i for i in EGYPT_TRIPOLI + OTHERS)


def test_results_are_grouped_by_story(client):
    res = client.get("/search", query_string={"q": "الوفد المصري طرابلس", "format": "json"}).get_json()
    assert res["grouped"] and res["total"] == 5 and res["stories"] == 3
    rows = [r for r in res["results"] if r["id"] in EGYPT_TRIPOLI]
    assert len(rows) == 1
    row = rows[0]
    assert row["story_id"] == EGYPT_TRIPOLI[0] and row["story_size"] == 3 and row["also_matching"] == 2
    assert {a["id"] for a in row["also"]} == set(EGYPT_TRIPOLI) - {row["id"]}
    assert {r["id"] for r in res["results"]} - set(EGYPT_TRIPOLI) == set(OTHERS)
    # facets still count articles
    assert sum(f["count"] for f in res["facets"]["source"]) <= 5
    every = client.get("/search", query_string={"q": "الوفد المصري طرابلس", "group": "off", "format": "json"}).get_json()
    assert not every["grouped"] and every["stories"] is None
    assert sorted(r["id"] for r in every["results"]) == sorted(EGYPT_TRIPOLI + OTHERS)
    assert all(r["also"] == [] for r in every["results"])


def test_the_page_shows_the_story_row_and_a_link_to_every_article(client):
    html = client.get("/search", query_string={"q": "الوفد المصري طرابلس"}).get_data(as_text=True)
    assert html.count('class="hit"') == 3 and html.count('class="also"') == 1
    assert "أيضًا في" in html and "القصة كاملة: 3 مقالات" in html and "5 نتيجة في 3 قصة" in html
    assert "group=off" in html
    every = client.get("/search", query_string={"q": "الوفد المصري طرابلس", "group": "off"}).get_data(as_text=True)
    assert every.count('class="hit"') == 5 and 'class="also"' not in every
    assert client.get("/search", query_string={"q": "الوفد", "group": "maybe"}).status_code == 400


def test_the_article_page_lists_its_story_and_related_articles(client):
    art = client.get("/article", query_string={"id": EGYPT_TRIPOLI[1], "format": "json"}).get_json()
    assert [a["id"] for a in art["story"]] == BY_DATE
    assert [a["this"] for a in art["story"]] == [False, False, True]
    related = [a["id"] for a in art["related"]]
    assert related and not set(related) & set(EGYPT_TRIPOLI)
    assert all(0 < a["similarity"] <= 1 for a in art["related"])
    html = client.get("/article", query_string={"id": EGYPT_TRIPOLI[1]}).get_data(as_text=True)
    assert 'id="story"' in html and 'aria-current="page"' in html and "مقالات ذات صلة" in html
    alone = client.get("/article", query_string={"id": OTHERS[0], "format": "json"}).get_json()
    assert alone["story"] == [] and alone["story_id"] == OTHERS[0]


def _groups(root) -> dict[str, tuple[str, str]]:
    with open_engine(root) as e:
        s = e.stories()
        return {i: (s.story_of(i), s.duplicate_of(i)) for i in s.ids}


@pytest.fixture
def collection(tmp_path):
    c = tmp_path / "c"
    shutil.copytree(SAMPLE, c)
    return c


def test_update_adds_a_copy_to_its_story_and_equals_a_full_build(tmp_path, collection):
    build_index([collection], tmp_path / "ix", progress=False)
    (collection / "005_copy.txt").write_text(_copy_of(EGYPT_TRIPOLI[0]), encoding="utf-8")
    summary = build_index([collection], tmp_path / "ix", update=True, progress=False)
    assert (summary.added, summary.unchanged) == (1, 5)
    groups = _groups(tmp_path / "ix")
    assert groups["005_copy"] == (EGYPT_TRIPOLI[0], EGYPT_TRIPOLI[0])  # same story, a copy of 000
    build_index([collection], tmp_path / "full", progress=False)
    assert _groups(tmp_path / "full") == groups


def test_an_update_reads_the_articles_an_earlier_version_kept_as_one_list(tmp_path, collection):
    import json
    import pickle

    from index.stories.store import read_articles

    build_index([collection], tmp_path / "ix", progress=False)
    folder = (tmp_path / "ix" / "current").resolve() / "stories"
    kept = read_articles(folder.parent)
    assert len(kept) == 5
    with open(folder / "articles.pkl", "wb") as fh:  # stories version 2: one pickled list
        pickle.dump(list(kept.values()), fh)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps(dict(meta, version=2)), encoding="utf-8")
    assert {i: a.terms for i, a in read_articles(folder.parent).items()} == {i: a.terms for i, a in kept.items()}
    (collection / "005_copy.txt").write_text(_copy_of(EGYPT_TRIPOLI[0]), encoding="utf-8")
    build_index([collection], tmp_path / "ix", update=True, progress=False)
    build_index([collection], tmp_path / "full", progress=False)
    assert _groups(tmp_path / "ix") == _groups(tmp_path / "full")


def test_an_update_copies_the_kept_articles_as_stored_and_indexes_them(tmp_path, collection):
    """An unchanged article's features go into the next generation byte for byte (not read and
    pickled again), and ``articles.index.json`` gives each article's offset and head."""
    import json

    from index.stories.grouping import head_of
    from index.stories.store import ARTICLES_INDEX, ArticleFile, read_articles

    def stored(root):
        folder = (root / "current").resolve() / "stories"
        index = json.loads((folder / ARTICLES_INDEX).read_text(encoding="utf-8"))
        f = ArticleFile(folder / "articles.pkl", index["offsets"], [tuple(h) for h in index["heads"]])
        try:
            assert [head_of(f[k]) for k in range(len(f))] == f.heads
            return {h[0]: f.pickled(k) for k, h in enumerate(f.heads)}, read_articles(folder.parent)
        finally:
            f.close()

    build_index([collection], tmp_path / "ix", progress=False)
    before, _ = stored(tmp_path / "ix")
    (collection / "005_copy.txt").write_text(_copy_of(EGYPT_TRIPOLI[0]), encoding="utf-8")
    build_index([collection], tmp_path / "ix", update=True, progress=False)
    after, articles = stored(tmp_path / "ix")
    assert set(after) == set(before) | {"005_copy"} and len(articles) == 6
    assert all(after[i] == before[i] for i in before)


def test_a_deleted_article_leaves_its_story(tmp_path, collection):
    build_index([collection], tmp_path / "ix", progress=False)
    next(collection.glob(EGYPT_TRIPOLI[1].split("_")[0] + "_*.txt")).unlink()
    build_index([collection], tmp_path / "ix", update=True, progress=False)
    with open_engine(tmp_path / "ix") as e:
        s = e.stories()
        assert EGYPT_TRIPOLI[1] not in s.ids
        assert s.members(EGYPT_TRIPOLI[0]) == [EGYPT_TRIPOLI[0], EGYPT_TRIPOLI[2]]


def test_an_index_without_stories_lists_every_article(tmp_path, collection):
    build_index([collection], tmp_path / "ix", progress=False)
    with open_engine(tmp_path / "ix") as e:
        folder = e.searcher().akhbar_generation.stories
        assert isinstance(folder, StoryIndex)
    gen = (tmp_path / "ix" / "current").resolve()
    shutil.rmtree(gen / "stories")
    (gen / "arrays" / "story.npy").unlink()
    from search.engines.whoosh import generation
    generation._opened.clear()  # (its files edited by hand: the generation is read again)
    from search.searching import search
    with open_engine(tmp_path / "ix") as e:
        res = search(e, "الوفد المصري طرابلس")
        assert not res["grouped"] and len(res["results"]) == 5


def _dated_collection(tmp_path) -> object:
    """Real sample texts as JSON Lines with dates and outlets over three weeks, with a gap."""
    import json

    texts = sample_texts()
    rows = []
    for n, (doc_id, text) in enumerate(sorted(texts.items())):
        title, body = _title_body_text(text)
        for k, day in enumerate(("2021-03-01", "2021-03-02", "2021-03-20")[: 1 + n % 3]):
            rows.append({"id": f"{doc_id}-{k}", "title": title, "text": body, "date": day,
                         "source": ("CNN", "BBC <عربي>")[k % 2]})
    rows.append({"id": "undated", "title": "بلا تاريخ", "text": "وفد مصري في طرابلس"})
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()


def test_the_timeline_sums_to_the_total_and_fills_gaps_with_zeros(tmp_path):
    c = _dated_collection(tmp_path)
    res = c.get("/search", query_string={"q": "طرابلس", "format": "json"}).get_json()
    tl = res["timeline"]
    assert tl["unit"] == "day" and tl["undated"] == 1
    assert sum(b["count"] for b in tl["buckets"]) + tl["undated"] == res["total"] == tl["total"] + 1
    starts = [b["start"] for b in tl["buckets"]]
    assert starts[0] == "2021-03-01" and starts[-1] == "2021-03-20" and len(starts) == 20  # every day
    assert all(b["count"] == 0 for b in tl["buckets"][2:-1])
    by_source = c.get("/search", query_string={"q": "طرابلس", "series": "on", "share": "on", "format": "json"}).get_json()
    for b in by_source["timeline"]["buckets"]:
        assert sum(b["sources"].values()) == b["count"]
        assert 0 <= b["share"] <= 1
    html = c.get("/search", query_string={"q": "طرابلس", "series": "on"}).get_data(as_text=True)
    assert '<svg class="timeline-chart"' in html and "timeline-table" in html
    assert "BBC &lt;عربي&gt;" in html and "BBC <عربي>" not in html  # escaped, in the chart and the table


def test_sort_oldest_lists_the_first_report_first_and_undated_last(tmp_path):
    c = _dated_collection(tmp_path)
    res = c.get("/search", query_string={"q": "طرابلس", "sort": "oldest", "group": "off", "format": "json"}).get_json()
    dates = [r["date"] for r in res["results"]]
    assert res["total"] == len(dates) <= 10  # one page holds them all
    assert res["sort"] == "oldest" and dates[0] == "2021-03-01" and dates[-1] is None
    dated = [d for d in dates if d]
    assert dated == sorted(dated)


def _article(doc_id: str, title: str, body: str, source: str = "CNN", day: int = 27):
    from datetime import datetime

    from index.stories.grouping import Article
    return Article.of(doc_id, datetime(2020, 12, day), features(title, body), (), source)


def test_lines_an_outlet_repeats_on_its_pages_leave_the_term_vectors():
    """Page furniture (the sidebar headlines an outlet prints under every article) chained
    unrelated ANT pages into one story; a line in three of an outlet's articles is left out of
    their vectors, except where it is the article's own lead."""
    from index.stories.grouping import furniture, vectors

    sidebar = _paragraphs(OTHERS[0])[1]   # a real paragraph, repeated as if it were a sidebar line
    paras = _paragraphs(EGYPT_TRIPOLI[0])
    pages = [_article(f"page-{n}", paras[0], "\n".join([paras[n], sidebar])) for n in (1, 2, 3)]
    other_outlet = _article("bbc", paras[0], "\n".join([paras[4], sidebar]), "BBC")
    first = _article("first", paras[0], "\n".join([sidebar, paras[5]]))
    articles = pages + [other_outlet, first]
    assert len(furniture(articles)) == 1  # the sidebar line, in CNN's pages (the BBC's copy is not CNN's)
    X, terms = vectors(articles)
    sidebar_terms = set(features("", sidebar).terms) - set(features(paras[0], "\n".join(paras[1:6])).terms)
    assert len(sidebar_terms) > 10
    column = {t: n for n, t in enumerate(terms)}
    def weight_on_sidebar(row):
        return sum(X[row, column[t]] for t in sidebar_terms if t in column)
    assert all(weight_on_sidebar(r) == 0 for r in range(3))   # CNN's pages: gone
    assert weight_on_sidebar(3) > 0                            # the BBC article: kept
    assert weight_on_sidebar(4) > 0                            # its own lead: kept


def test_boilerplate_is_every_shingle_in_more_articles_than_the_limit():
    """Counted a slice of the hash range at a time: the same shingles as counting them all."""
    from index.stories.grouping import BOILERPLATE_DF, boilerplate

    texts = list(sample_texts().values())
    # every sample article once, the first five times more and the second as often as the limit
    sets = [features("", t).shingles for t in texts + [texts[0]] * 5 + [texts[1]] * (BOILERPLATE_DF - 1)]
    sets += [np.array([0, 2**31, 2**32 - 1], dtype=np.uint32)] * 7 + [np.zeros(0, dtype=np.uint32)]
    values, counts = np.unique(np.concatenate(sets), return_counts=True)
    for outlets in (0, 6):
        found = boilerplate(sets, outlets)
        assert found.dtype == np.uint32
        assert found.tolist() == values[counts > max(BOILERPLATE_DF, outlets)].tolist()
    assert set(features("", texts[0]).shingles.tolist()) <= set(boilerplate(sets).tolist())
    at_the_limit = set(features("", texts[1]).shingles.tolist()).difference(
        *(features("", t).shingles.tolist() for t in texts if t != texts[1]))  # in exactly BOILERPLATE_DF sets
    assert at_the_limit and not at_the_limit & set(boilerplate(sets).tolist())
    assert {0, 2**31, 2**32 - 1} <= set(boilerplate(sets).tolist())


def test_a_short_cut_copy_of_a_long_report_is_found():
    """Two lead paragraphs run alone by another outlet: a low Jaccard (the copy is a small part
    of the report) but a high containment; the LSH must still offer the pair for comparison."""
    from index.stories.grouping import group

    title, body = _title_body(EGYPT_TRIPOLI[0])
    short = "\n".join(_paragraphs(EGYPT_TRIPOLI[0])[1:3])
    report, copy = _article("report", title, body), _article("copy", "عنوان آخر", short, "BBC", 28)
    assert jaccard(copy.shingles, report.shingles) < 0.3 <= containment(copy.shingles, report.shingles)
    others = [_article(d, *_title_body(d), "X", 29) for d in (EGYPT_TRIPOLI[1],) + OTHERS]
    g = group([report, copy] + others)
    assert g.dup["copy"] == "report"
    assert {g.dup[d] for d in (EGYPT_TRIPOLI[1],) + OTHERS} == {EGYPT_TRIPOLI[1], *OTHERS}


def test_a_compilation_of_two_reports_is_a_copy_of_both_pair_by_pair(tmp_path):
    """"The same report" is not transitive: an outlet's page running two wire reports is a copy
    of each, and they are not copies of each other.  The duplicate groups (a partition) put the
    compilation with one of them; the pairs keep both, in the index and in ``eval-stories``."""
    from index.stories.evaluate import score
    from index.stories.grouping import group
    from index.stories.store import write

    a_title, a_body = _title_body(EGYPT_TRIPOLI[0])
    b_title, b_body = _title_body(OTHERS[0])
    report_a, report_b = _article("a", a_title, a_body, "CNN", 27), _article("b", b_title, b_body, "الجزيرة", 27)
    both = _article("both", "موجز الأخبار", a_body + "\n" + b_body, "BBC", 28)
    g = group([report_a, report_b, both, _article(OTHERS[1], *_title_body(OTHERS[1]), "X", 29)])
    assert g.copies == {"a": {"both"}, "b": {"both"}, "both": {"a", "b"}}
    assert g.dup["both"] in ("a", "b") and g.dup["a"] != g.dup["b"]   # a partition holds one of the two

    write(tmp_path, g.articles)
    stories = StoryIndex.open(tmp_path)
    assert stories.copies("both") == ["a", "b"] and stories.copies("a") == ["both"]
    assert stories.is_copy("a", "both") and stories.is_copy("both", "b") and not stories.is_copy("a", "b")
    assert stories.copies(OTHERS[1]) == [] and not stories.is_copy("a", "a")
    pairs = [{"id_a": "both", "id_b": "a", "label": "same_report"}, {"id_a": "both", "id_b": "b", "label": "same_report"},
             {"id_a": "a", "id_b": "b", "label": "different"}]
    story = {i: stories.story_of(i) for i in stories.ids}
    assert (score(pairs, stories.is_copy, story).dup_precision, score(pairs, stories.is_copy, story).dup_recall) == (1, 1)
    as_groups = score(pairs, lambda x, y: stories.duplicate_of(x) == stories.duplicate_of(y), story)
    assert as_groups.dup_recall == 0.5


def test_the_article_page_marks_the_same_report_pair_by_pair(tmp_path, collection):
    """A copy of 000 added to the sample: on 000's page the copy is the same report, 002 (the
    same day's other write-up) and 001 (the next day's follow-up) are the story, not the report."""
    from web import create_app

    (collection / "005_copy.txt").write_text(_copy_of(EGYPT_TRIPOLI[0]), encoding="utf-8")
    build_index([collection], tmp_path / "ix", progress=False)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    art = client.get("/article", query_string={"id": EGYPT_TRIPOLI[0], "format": "json"}).get_json()
    same = {a["id"]: a["same_report"] for a in art["story"]}
    assert same == {EGYPT_TRIPOLI[0]: False, EGYPT_TRIPOLI[1]: False, EGYPT_TRIPOLI[2]: False, "005_copy": True}
    html = client.get("/article", query_string={"id": EGYPT_TRIPOLI[0]}).get_data(as_text=True)
    assert html.count("التقرير نفسه") == 1
    other = client.get("/article", query_string={"id": EGYPT_TRIPOLI[1], "format": "json"}).get_json()
    assert not any(a["same_report"] for a in other["story"])


def test_the_lsh_offers_the_pairs_datasketch_offers_with_the_same_signatures():
    """``index.stories.lsh`` computes a whole collection's MinHash signatures and LSH candidates in
    one pass: the values must be datasketch's MinHash values and the candidate pairs those its
    MinHashLSH (same threshold, same permutations) returns, on real texts cut and mixed."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from index.stories.grouping import LSH_THRESHOLD
    from index.stories.lsh import NUM_PERM, candidate_pairs, permutations, signatures

    paras = [p for d in EGYPT_TRIPOLI + OTHERS for p in _paragraphs(d)]
    texts = [paras[i:i + w] for w in (1, 2, 4) for i in range(0, len(paras) - w, 2)] + [[]]
    sets = [features("", "\n".join(t)).shingles for t in texts]
    hashes = [MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=int,
                      permutations=permutations()) for _ in sets]
    for m, s in zip(hashes, sets):
        m.update_batch(s.tolist())
    assert (signatures(sets, NUM_PERM) == np.array([m.hashvalues for m in hashes])).all()

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    expected = set()
    for n, (m, s) in enumerate(zip(hashes, sets)):
        expected |= {(n, o) for o in lsh.query(m)}
        if len(s):
            lsh.insert(n, m)
    got = candidate_pairs(sets, LSH_THRESHOLD)
    assert len(expected) > 20 and {tuple(p) for p in got.tolist()} == expected
    assert got.tolist() == sorted(got.tolist())


def test_story_ids_are_read_from_mapped_arrays_and_an_older_ids_json_gives_the_same(engine, tmp_path):
    """The ids of a generation's stories: by row, the row of an id (Arabic ones too), and the
    same from the ``ids.json`` of a generation built before the arrays."""
    import json

    from search.stories import IDS_BY_ROW, IDS_SORTED, ROWS_SORTED, Ids, arrays_of
    ids = ["ب-٢", "a-10", "الخبر-1", "a-2", "a-1"]
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
    from_json = Ids.open(folder)
    for name, array in zip((IDS_BY_ROW, IDS_SORTED, ROWS_SORTED), arrays_of(ids)):
        np.save(folder / name, array)
    mapped = Ids.open(folder)
    assert isinstance(mapped._by_row, np.memmap)
    for table in (from_json, mapped):
        assert list(table) == ids and [table[n] for n in range(len(ids))] == ids and len(table) == 5
        assert [table.row(i) for i in ids] == [0, 1, 2, 3, 4]
        assert table.row("a-") is None and table.row("a-100") is None and table.row("") is None
        assert table.row("الخبر-1 وأكثر من عرض الجدول") is None
    served = engine.stories()
    assert isinstance(served.ids._by_row, np.memmap)
    assert sorted(served.ids) == sorted(EGYPT_TRIPOLI + OTHERS)
    assert all(served.ids[served.ids.row(i)] == i for i in EGYPT_TRIPOLI + OTHERS)


def test_the_story_line_shows_each_outlet_once_with_a_title_and_a_count(tmp_path):
    """«أيضًا في» (issue #33): one line an outlet, its best-ranked article's shortened title and date, and
    how many of its articles the story has when more than one."""
    import json

    texts = sample_texts()
    title, body = _title_body_text(texts[EGYPT_TRIPOLI[0]])
    rows = [{"id": f"cnn-{k}", "title": f"{title} ({k})", "text": body + f"\nتحديث رقم {k}.", "source": "CNN",
             "date": f"2020-12-2{7 + k % 2}"} for k in range(3)]
    rows.append({"id": "bbc", "title": title, "text": body, "source": "BBC", "date": "2020-12-27"})
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    from web import create_app

    c = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    res = c.get("/search", query_string={"q": "الوفد المصري", "format": "json"}).get_json()
    assert res["stories"] == 1 and res["results"][0]["also_matching"] == 3
    html = c.get("/search", query_string={"q": "الوفد المصري"}).get_data(as_text=True)
    also = html[html.index('class="also"'):html.index('class="story-link"')]
    lead = res["results"][0]["source"]
    if lead == "CNN":  # the other two CNN articles on one line, BBC's on another
        assert also.count("<li>") == 2 and '<span class="n">(2)</span>' in also and "BBC" in also
    else:  # the three CNN articles on one line
        assert also.count("<li>") == 1 and '<span class="n">(3)</span>' in also and "BBC" not in also
    from web.views import short_title

    first = res["results"][0]["also"][0]
    assert len(first["title"]) > 70  # shown cut at a word, whole in the tooltip
    assert f'title="{first["title"]}">{short_title(first["title"])}</a>' in also


def test_a_short_title_is_cut_at_a_word():
    from web.views import short_title

    long = "رئيس المخابرات المصرية يلتقي المشير خليفة حفتر في بنغازي لبحث التطورات الأمنية والسياسية في ليبيا والمنطقة"
    cut = short_title(long)
    assert cut.endswith(" …") and len(cut) <= 72 and long.startswith(cut[:-2]) and long[len(cut) - 2] == " "
    assert short_title("عنوان قصير") == "عنوان قصير"


def _dated(doc_id: str, title: str, body: str, source: str, when):
    from index.stories.grouping import Article
    return Article.of(doc_id, when, features(title, body), (), source)


def test_a_background_paragraph_reused_by_the_same_outlet_is_not_a_copy():
    """An outlet's new report (its own lead) that repeats its earlier report as background shares
    enough shingles to pass for a copy (Sky News Arabia's warning to foreign parties, 29 June 2018,
    was marked the same report as its Derna liberation of the day before); the newer's lead must be
    in the older.  A re-run that keeps the lead is still a copy."""
    from datetime import datetime

    from index.stories.grouping import group

    earlier = _paragraphs(OTHERS[0])            # the Egyptian intelligence chief meets Haftar
    new_lead = _paragraphs(OTHERS[1])[1:3]       # another event: a GNA delegation in Cairo
    day = datetime(2021, 6, 3, 9)
    report = _dated("report", earlier[0], "\n".join(earlier[1:]), "CNN", day)
    follow = _dated("follow", new_lead[0], "\n".join(new_lead + earlier[1:]), "CNN", day.replace(hour=15))
    rerun = _dated("rerun", "عنوان آخر", "\n".join(earlier[1:]), "CNN", day.replace(hour=16))
    assert same_report(follow.shingles, report.shingles)  # the shingles alone call it a copy
    g = group([report, follow, rerun])
    assert g.copies["rerun"] == {"report", "follow"}  # its lead is in both
    assert g.copies["follow"] == {"rerun"} and g.dup["follow"] == "follow"


#: Sky News Arabia's gold reports of 10 and 11 July 2018 (their first paragraphs).
GOLD = [("انخفاض أسعار الذهب مع تعافي الدولار",
         "تخلت أسعار الذهب عن مكاسبها المبكرة لتنخفض قليلا، الثلاثاء، وذلك بالتزامن مع تعافي الدولار الأميركي.\n"
         "وهبط الذهب في التعاملات الفورية 0.1 بالمئة إلى 1256.79 دولارللأوقية (الأونصة) بحلول الساعة 07:09 بتوقيت غرينتش، "
         "بعد أن لامس أعلى مستوى منذ 26 يونيو عند 1265.87 دولار في الجلسة السابقة.\n"
         "وتراجع الذهب في العقود الأميركية الآجلة 0.2 بالمئة إلى 1257.40دولار للأوقية، وفق ما ذكرت \"رويترز\".\n"
         "وارتفع مؤشر الدولار، الذي يقيس قوة العملة أمام سلة من ست عملات رئيسية، 0.04 بالمئة إلى 94.114 بعدما هبط لأقل مستوى "
         "منذ منتصف يونيو أمس الاثنين."),
        ("انخفاض في أسعار الذهب مع ارتفاع الدولار مقابل اليوان",
         "انخفضت أسعار الذهب، الأربعاء، بالتزامن مع ارتفاع الدولار مقابل اليوان، بعد أن هددت الولايات المتحدة بفرض مزيد من "
         "الرسوم على سلع صينية، مما أثار المخاوف بنزوع نزاع تجاري بين أكبر اقتصادين في العالم.\n"
         "وبحلول الساعة 07:10 بتوقيت غرينتش انخفض الذهب في المعاملات الفورية 0.3 في المئة إلى 1251.43 دولار للأوقية (الأونصة)، "
         "وفق ما أوردت \"رويترز\".\n"
         "وكان المعدن الأصفر قد بلغ في الجلسة السابقة أدنى مستوى في أسبوع عند 1246.81 دولار للأوقية.\n"
         "وهبط الذهب في العقود الأميركية الآجلة تسليم أغسطس 0.3 في المئة إلى 1252.30 دولار للأوقية.")]


def test_an_outlets_daily_price_reports_are_not_one_story():
    """The same words every day chained 17 of Sky News Arabia's gold reports into one story of three
    weeks; an article is not compared with its own outlet's articles of an earlier day."""
    from datetime import datetime

    from index.stories.grouping import STORY_COSINE, group, vectors

    reports = [_dated(f"gold-{n}", t, b, "سكاي نيوز عربية", datetime(2018, 7, 10 + n, 11)) for n, (t, b) in enumerate(GOLD)]
    X, _ = vectors(reports)
    assert (X[0] @ X[1].T).toarray()[0, 0] >= STORY_COSINE  # close enough to be one story by words alone
    g = group(reports)
    assert g.story["gold-1"] == "gold-1" and g.story["gold-0"] == "gold-0"
    assert not g.copies
    # the same report the next day from another outlet is compared, and joins
    other = _dated("other", GOLD[1][0], GOLD[1][1], "العربية", datetime(2018, 7, 11, 12))
    g = group(reports + [other])
    assert g.story["other"] == g.story["gold-1"]


def test_a_copy_200_days_later_does_not_join_the_story():
    """A copy joined its report's story with no date check, so a shared background paragraph
    bridged months (a sentencing in February and an execution in October, 242 days apart): two
    dated texts more than WINDOW_DAYS apart are not copies, and a story spans at most STORY_SPAN."""
    from datetime import datetime, timedelta

    from index.stories.grouping import group

    title, body = _title_body(EGYPT_TRIPOLI[0])
    day = datetime(2020, 12, 27, 10)
    report = _dated("report", title, body, "CNN", day)
    soon = _dated("soon", "عنوان آخر", body, "BBC", day + timedelta(days=1))
    late = _dated("late", "عنوان آخر", body, "BBC", day + timedelta(days=200))
    g = group([report, soon, late])
    assert g.copies["soon"] == {"report"} and g.story["soon"] == "report"
    assert "late" not in g.copies and g.story["late"] == "late" and g.dup["late"] == "late"


def test_the_story_line_says_how_many_other_articles_it_does_not_show(tmp_path):
    """A row lists up to ten of its story's other matching articles (``OTHERS``), one line an outlet
    counting those listed; when the story has more, the line says how many are not shown."""
    import json

    title, body = _title_body_text(sample_texts()[EGYPT_TRIPOLI[0]])
    rows = [{"id": f"a{k:02d}", "title": f"{title} ({k})", "text": body + f"\nتحديث رقم {k}.",
             "source": ("CNN", "BBC", "الجزيرة")[k % 3], "date": "2020-12-27"} for k in range(14)]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    from web import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")})
    c = app.test_client()
    res = c.get("/search", query_string={"q": "الوفد المصري", "format": "json"}).get_json()
    assert res["stories"] == 1 and res["results"][0]["also_matching"] == 13 and len(res["results"][0]["also"]) == 10
    html = c.get("/search", query_string={"q": "الوفد المصري"}).get_data(as_text=True)
    also = html[html.index('class="also"'):html.index('class="story-link"')]
    assert "أيضًا في (13)" in also and "و3 غيرها لا تظهر هنا." in also
    app.extensions["akhbar_engine"].close()


def _meta(root) -> dict:
    import json

    return json.loads(((root / "current").resolve() / "stories" / "meta.json").read_text(encoding="utf-8"))


def test_an_update_of_few_articles_groups_only_them_and_equals_a_full_build(tmp_path, collection):
    """#34: an update that adds, changes or deletes at most UPDATE_SHARE of the articles groups only
    those into the stories kept (no regrouping of the rest); here it gives what a full build gives,
    also when a story's first article is deleted (the story is then named after its next one)."""
    from index.stories.incremental import UPDATE_SHARE
    from tests.test_variants import write_house_collection

    write_house_collection(collection / "house.jsonl")  # 24 more articles: one new is under the share
    build_index([collection], tmp_path / "ix", progress=False)
    assert _meta(tmp_path / "ix")["incremental"] is False and 1 <= UPDATE_SHARE * 30
    (collection / "005_copy.txt").write_text(_copy_of(EGYPT_TRIPOLI[0]), encoding="utf-8")
    summary = build_index([collection], tmp_path / "ix", update=True, progress=False)
    assert summary.added == 1 and _meta(tmp_path / "ix")["incremental"] is True
    assert summary.stories_kept and "grouped into the stories kept" in summary.line()
    groups = _groups(tmp_path / "ix")
    assert groups["005_copy"] == (EGYPT_TRIPOLI[0], EGYPT_TRIPOLI[0])  # its report's story, a copy of it
    build_index([collection], tmp_path / "full", progress=False)
    assert _groups(tmp_path / "full") == groups
    # the story's first article deleted: the story and the copy's group are named after the next article
    (collection / "000_7d249ea639f1103d.txt").unlink()
    build_index([collection], tmp_path / "ix", update=True, progress=False)
    assert _meta(tmp_path / "ix")["incremental"] is True
    groups = _groups(tmp_path / "ix")
    assert groups[EGYPT_TRIPOLI[2]][0] == groups["005_copy"][0] == groups[EGYPT_TRIPOLI[1]][0] != EGYPT_TRIPOLI[0]
    build_index([collection], tmp_path / "full2", progress=False)
    assert _groups(tmp_path / "full2") == groups
    # --regroup groups everything again
    build_index([collection], tmp_path / "ix", update=True, progress=False, regroup=True)
    assert _meta(tmp_path / "ix")["incremental"] is False and _groups(tmp_path / "ix") == groups
