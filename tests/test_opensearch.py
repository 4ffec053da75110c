"""The OpenSearch engine on a real 3-node cluster gives the embedded engine's results.

Every test here runs against real OpenSearch 2.19 nodes (``opensearch_cluster``:
three JVMs started by scripts/opensearch-cluster.sh), indexes with one replica,
and compares with the Whoosh engine on the same collection: totals, order,
facets, snippets, filters, phrases, dates, the article page and ``/search`` JSON.
Then the faults: a node killed while searches run, a rebuild killed mid-way, an
unreachable cluster.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from index.builder import build_index
from index.opensearch_build import build_opensearch, served_index
from index.pipeline import read_items
from search.engines import open_engine
from search.searching import get_article, search
from tests.conftest import ROOT, SAMPLE, shared_path
from tests.test_ranking import SAMPLE_QUERIES

pytestmark = pytest.mark.opensearch

#: Scores may differ this much: Lucene and Whoosh each keep a field's length in one byte, rounded differently.
SCORE_TOLERANCE = 0.05


def _url(cluster) -> str:
    return cluster[0]


#: Result fields that differ between two builds of one collection: the score and when each build took the article.
BUILD_TIMES = ("score", "indexed")


def _same(whoosh, cluster_engine, q: str, sort: str = "relevance", exact_order: bool = True) -> tuple[list, list]:
    """Both engines give the same total, facets, warnings and results (fields, snippets); the same order,
    except that results whose scores differ by less than SCORE_TOLERANCE may swap (near ties)."""
    a = search(whoosh, q, page_size=20, sort=sort)
    b = search(cluster_engine, q, page_size=20, sort=sort)
    assert b["total"] == a["total"], q
    assert b["facets"] == a["facets"], q
    assert b["warnings"] == a["warnings"], q
    assert b["variants"] == a["variants"], q
    ids_a, ids_b = [r["id"] for r in a["results"]], [r["id"] for r in b["results"]]
    if exact_order:
        assert sorted(ids_b) == sorted(ids_a) or a["total"] > len(ids_a), q
        by_id = {r["id"]: r for r in a["results"]}
        if sort == "date" or not a["results"]:
            assert ids_b == ids_a, q
        for prev, rb in zip([None] + b["results"], b["results"]):
            ra = by_id.get(rb["id"])
            if ra is None:  # past the page: a near tie at its edge
                assert rb["score"] == pytest.approx(a["results"][-1]["score"], rel=SCORE_TOLERANCE), q
                continue
            # (``indexed``: when each engine's build first took the article, a time of its own)
            assert rb["indexed"] and ra["indexed"], q
            assert {k: v for k, v in rb.items() if k not in BUILD_TIMES} == {k: v for k, v in ra.items() if k not in BUILD_TIMES}, q
            if ra["score"] is not None:
                assert rb["score"] == pytest.approx(ra["score"], rel=SCORE_TOLERANCE), q
                if prev is not None and prev["id"] in by_id:  # never above a result Whoosh scores clearly higher
                    assert by_id[prev["id"]]["score"] >= ra["score"] * (1 - SCORE_TOLERANCE), q
    return ids_a, ids_b


@pytest.fixture(scope="module")
def sample_on_cluster(opensearch_cluster):
    name = "test-sample"
    summary = build_opensearch([SAMPLE], _url(opensearch_cluster), name, replicas=1, progress=False)
    assert summary.documents == 5
    return name


@pytest.mark.parametrize("q", SAMPLE_QUERIES + ["حفتر", "ليبيا", "حفتر OR باشاغا -طرابلس", '"خليفة حفتر"', "قزقزقز"])
def test_the_sample_gives_the_same_results_on_both_engines(engine, opensearch_cluster, sample_on_cluster, q):
    with open_engine(_url(opensearch_cluster), "opensearch", sample_on_cluster) as cluster:
        _same(engine, cluster, q)
        _same(engine, cluster, q, sort="date")


def test_the_article_page_and_json_are_the_same_on_both_engines(app, engine, opensearch_cluster, sample_on_cluster):
    from web import create_app

    on_cluster = create_app({"TESTING": True, "ENGINE": "opensearch", "OPENSEARCH_URL": _url(opensearch_cluster),
                             "OPENSEARCH_INDEX": sample_on_cluster}).test_client()
    embedded = app.test_client()
    grouped: dict = {}
    for q in ("حفتر", '"الوفد المصري"', "place:بنغازي"):
        for group in ("off", "on"):  # every article listed, and grouped by story (the page's default)
            a = embedded.get("/search", query_string={"q": q, "format": "json", "group": group}).get_json()
            b = on_cluster.get("/search", query_string={"q": q, "format": "json", "group": group}).get_json()
            for res in (a, b):
                res.pop("took_ms")
                for r in res["results"]:
                    r.pop("score")
                    assert r.pop("indexed")  # (each engine's build took it at a time of its own)
                    for other in r["also"]:
                        other.pop("indexed", None)
            assert b == a
            grouped = grouped if q != "حفتر" or group == "off" else a
        assert on_cluster.get("/search", query_string={"q": q}).status_code == 200
    assert grouped["grouped"] and grouped["stories"] == 3 and grouped["total"] == 4
    first = next(r["id"] for r in grouped["results"] if r["story_size"] == 3)  # (the sample's story of three reports)
    page_a = embedded.get("/article", query_string={"id": first}).get_data(as_text=True)
    page_b = on_cluster.get("/article", query_string={"id": first}).get_data(as_text=True)
    article = lambda page: page[page.index("<article"):page.index("</article>")]  # noqa: E731 (not the story lists)
    assert article(page_b) == article(page_a) and "dir=\"rtl\"" in page_b
    assert on_cluster.get("/article", query_string={"id": "no-such-article"}).status_code == 404
    strip = lambda rows: [{k: v for k, v in r.items() if k != "indexed"} for r in rows]  # noqa: E731
    with open_engine(_url(opensearch_cluster), "opensearch", sample_on_cluster) as cluster:
        a_page, b_page = get_article(engine, first), get_article(cluster, first)
    assert len(a_page["story"]) == 3 and strip(b_page["story"]) == strip(a_page["story"])  # its story, copies marked
    assert a_page["related"] and strip(b_page["related"]) == strip(a_page["related"])
    assert b_page["story_id"] == a_page["story_id"]


def test_a_cache_that_cannot_be_written_lists_results_ungrouped(opensearch_cluster, sample_on_cluster, tmp_path,
                                                                 monkeypatch, caplog):
    """A server whose stories cache cannot be written still answers, every article its own row, and
    its log says what to set."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("AKHBAR_CACHE", str(blocked))
    with open_engine(_url(opensearch_cluster), "opensearch", sample_on_cluster) as cluster:
        res = search(cluster, "حفتر", group=True)
    assert res["total"] == 4 and not res["grouped"] and len(res["results"]) == 4
    assert "set AKHBAR_CACHE to a writable folder" in caplog.text


@pytest.mark.parametrize("page", [2, 1000])
def test_exports_are_the_same_on_both_engines(app, opensearch_cluster, sample_on_cluster, monkeypatch, page):
    """/search.csv and /search.jsonl: every match in the same order on both engines; with pages of 2
    the cluster reads them with search_after over several requests."""
    from search.engines.opensearch import engine as os_engine
    from web import create_app

    monkeypatch.setattr(os_engine, "EXPORT_PAGE", page)
    on_cluster = create_app({"TESTING": True, "ENGINE": "opensearch", "OPENSEARCH_URL": _url(opensearch_cluster),
                             "OPENSEARCH_INDEX": sample_on_cluster}).test_client()
    embedded = app.test_client()
    def fetch(client, url):  # read the streamed body at once: one request in flight at a time
        r = client.get(url)
        return r.status_code, r.headers["X-Total-Count"], r.get_data(as_text=True)

    for q in ("q=طرابلس", "q=طرابلس&sort=date", "q=&f=place:طرابلس", "q=حفتر OR باشاغا"):
        a, b = fetch(embedded, f"/search.csv?{q}"), fetch(on_cluster, f"/search.csv?{q}")
        assert a[0] == b[0] == 200 and a[1] == b[1]
        a, b = fetch(embedded, f"/search.jsonl?{q}"), fetch(on_cluster, f"/search.jsonl?{q}")
        ids = [[json.loads(line)["id"] for line in body.splitlines()] for _status, _total, body in (a, b)]
        assert ids[1] == ids[0] and len(ids[0]) == int(a[1]) > 0, q


def test_suggestions_are_the_same_on_both_engines(engine, opensearch_cluster, sample_on_cluster):
    """The autocompletion table from the cluster (facet values by composite aggregation, headline
    spellings from the vocabulary index) equals the embedded engine's."""
    from search.suggest import Suggester

    with open_engine(_url(opensearch_cluster), "opensearch", sample_on_cluster) as cluster:
        assert cluster.spellings() == engine.spellings() and len(engine.spellings()) >= 40
        a, b = Suggester.from_engine(engine), Suggester.from_engine(cluster)
        assert sorted(b.entries, key=repr) == sorted(a.entries, key=repr)
        for typed in ("حف", "طرا", "الوفا", "المصر"):
            assert b.suggest(typed) == a.suggest(typed)


def _dated(tmp_path: Path, rows: list) -> Path:
    texts = sorted(SAMPLE.glob("*.txt"))
    lines = [json.dumps({"id": f"a{i}", "text": texts[i % len(texts)].read_text(encoding="utf-8"), "date": d,
                         "source": s}, ensure_ascii=False) for i, (d, s) in enumerate(rows)]
    path = tmp_path / "dated.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_dates_update_and_deletion_agree_with_the_embedded_engine(tmp_path, opensearch_cluster):
    """Date filters and sorting, then ``--update`` (one article changed, one deleted, one added) on both engines."""
    url, name = _url(opensearch_cluster), "test-dated"
    rows = [("2020-12-27", "CNN"), ("2020-12-28", "BBC"), (None, None), ("2021-03-04T10:30:00", "CNN"),
            ("2020-07-01", "الجزيرة"), (None, "BBC")]
    collection = _dated(tmp_path, rows)
    build_index([collection], tmp_path / "ix", progress=False)
    build_opensearch([collection], url, name, replicas=1, progress=False)
    queries = ["ليبيا", "ليبيا date:2020", "حفتر date:2020-12..2021-12", "source:CNN", "date:2021", "ليبيا -حفتر"]
    with open_engine(tmp_path / "ix") as whoosh, open_engine(url, "opensearch", name) as cluster:
        for q in queries:
            _same(whoosh, cluster, q)
            _same(whoosh, cluster, q, sort="date")
        first_indexed = {i: cluster.document(i)["indexed"] for i in ("a0", "a1")}
    lines = collection.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[1])
    time.sleep(1.1)  # the update's time is another second
    changed["text"] += "\nوأعلن المتحدث أن وفد التفاوض سيعود إلى جنيف الأسبوع المقبل."
    extra = {"id": "new", "text": "وصل وفد التفاوض إلى جنيف لبحث وقف إطلاق النار في ليبيا.", "date": "2021-05-01"}
    collection.write_text("\n".join([lines[0], json.dumps(changed, ensure_ascii=False)] + lines[3:]
                                    + [json.dumps(extra, ensure_ascii=False)]), encoding="utf-8")
    a = build_index([collection], tmp_path / "ix", update=True, progress=False)
    b = build_opensearch([collection], url, name, update=True, progress=False)
    assert (b.added, b.updated, b.deleted, b.unchanged) == (a.added, a.updated, a.deleted, a.unchanged) == (1, 1, 1, 4)
    assert b.documents == a.documents == 6
    with open_engine(tmp_path / "ix") as whoosh, open_engine(url, "opensearch", name) as cluster:
        for q in queries + ["جنيف", '"وفد التفاوض"']:
            _same(whoosh, cluster, q, exact_order=False)  # updated articles: Whoosh renumbers them
        assert search(cluster, "جنيف")["total"] == 2
        assert cluster.document("a2") is None and cluster.document("new")["date"].year == 2021
        # when each first entered the index: kept by the update (a1 changed, a0 not), the update's for the new one
        assert {i: cluster.document(i)["indexed"] for i in ("a0", "a1")} == first_indexed
        assert cluster.document("new")["indexed"] > first_indexed["a1"]
    again = build_opensearch([collection], url, name, progress=False)  # a full rebuild keeps them too
    assert again.documents == 6
    with open_engine(url, "opensearch", name) as cluster:
        assert {i: cluster.document(i)["indexed"] for i in ("a0", "a1")} == first_indexed


def _same_stories(whoosh, cluster, queries) -> None:
    """Both engines hold the same stories, duplicate groups, copies and related articles, and group
    the results of ``queries`` alike (the stories counted, each row's article and its others)."""
    a, b = whoosh.stories(), cluster.stories()
    assert a is not None and b is not None and len(b) == len(a) > 0
    for doc_id in a.ids:
        assert (b.story_of(doc_id), b.duplicate_of(doc_id), b.copies(doc_id)) == \
               (a.story_of(doc_id), a.duplicate_of(doc_id), a.copies(doc_id)), doc_id
        assert b.related(doc_id) == a.related(doc_id), doc_id
    for q in queries:
        for sort in ("relevance", "date"):
            ra, rb = search(whoosh, q, group=True, sort=sort), search(cluster, q, group=True, sort=sort)
            assert rb["grouped"] and (rb["total"], rb["stories"]) == (ra["total"], ra["stories"]), q
            rows = lambda res: {(r["id"], r["story_id"], r["story_size"], r["also_matching"], tuple(sorted(x["id"] for x in r["also"])))  # noqa: E731
                                for r in res["results"]}
            if ra["total"] <= 20:  # (past one page, near ties may change which rows it holds)
                assert rows(rb) == rows(ra), q


def test_stories_are_the_same_on_both_engines_and_follow_an_update(tmp_path, opensearch_cluster, monkeypatch):
    """Issue #34: the cluster's build groups stories (the embedded engine's grouping, stored in the
    cluster) and its searches collapse on each article's story.  An update whose new article is
    dated before a story's first renames that story: the kept articles' ``story`` fields follow.
    The update runs as on another machine: the stories are fetched from the cluster, in chunks."""
    import shutil

    from search.engines.opensearch import stories as cluster_stories

    monkeypatch.setattr(cluster_stories, "CHUNK", 4096)  # (every file of a few articles in several chunks)
    url, name = _url(opensearch_cluster), "test-stories"
    rows = [("2020-12-27", "CNN"), ("2020-12-28", "BBC"), ("2020-12-27", "الجزيرة"), ("2021-01-01", "الجزيرة"),
            ("2020-01-01", "CNN")]
    collection = _dated(tmp_path, rows)
    build_index([collection], tmp_path / "ix", progress=False)
    build_opensearch([collection], url, name, replicas=1, progress=False)
    queries = ["ليبيا", "حفتر", "طرابلس", "source:CNN"]
    with open_engine(tmp_path / "ix") as whoosh, open_engine(url, "opensearch", name) as cluster:
        _same_stories(whoosh, cluster, queries)
        # the vocabulary's readers skip the stories' chunks stored beside it (on ANT, 165 MB read in
        # one scroll ran a node out of memory)
        assert all("data" not in doc for doc in cluster._vocabulary_docs())
        assert cluster.spellings() == whoosh.spellings()
        story = whoosh.stories().story_of("a1")
        assert whoosh.stories().size("a1") >= 2 and story != "a1"
    lines = collection.read_text(encoding="utf-8").splitlines()
    first_text = json.loads(lines[int(story[1:])])["text"]  # the story's first article, again a day before
    extra = {"id": "a5", "text": first_text, "date": "2020-12-26", "source": "سكاي نيوز عربية"}
    collection.write_text("\n".join(lines + [json.dumps(extra, ensure_ascii=False)]), encoding="utf-8")
    served = served_index(url, name)
    shutil.rmtree(cluster_stories.cache_dir() / served)  # (what the build kept: the update fetches it)
    a = build_index([collection], tmp_path / "ix", update=True, progress=False)
    b = build_opensearch([collection], url, name, update=True, progress=False)
    assert (a.added, b.added, b.unchanged) == (1, 1, 5)
    assert (cluster_stories.cache_dir() / served).is_dir()
    with open_engine(tmp_path / "ix") as whoosh, open_engine(url, "opensearch", name) as cluster:
        assert whoosh.stories().story_of("a1") == "a5"  # renamed: its first report is the new one
        _same_stories(whoosh, cluster, queries)


def test_an_update_of_an_index_built_by_another_analyzer_is_a_full_build(tmp_path, opensearch_cluster):
    """As the embedded build does: an update of a cluster index whose analyzer (or mapping, or schema)
    is another version's builds it again in full, says so, and keeps the first-indexed times."""
    from search.engines.opensearch.writer import Writer

    url, name = _url(opensearch_cluster), "test-versions"
    collection = _dated(tmp_path, [("2020-12-27", "CNN"), (None, "BBC")])
    build_opensearch([collection], url, name, replicas=1, progress=False)
    writer = Writer(url, name)
    served = writer.served()
    with open_engine(url, "opensearch", name) as cluster:
        first = cluster.document("a1")["indexed"]
    meta = writer._meta(served)
    writer.es.indices.put_mapping(index=served, body={"_meta": dict(meta, analyzer_version="an older one")})
    summary = build_opensearch([collection], url, name, update=True, progress=False)
    assert any("another Akhbar version" in str(p) for p in summary.problems)
    assert writer.served() != served and summary.added == 2 and summary.unchanged == 0  # built again
    with open_engine(url, "opensearch", name) as cluster:
        assert search(cluster, "ليبيا")["total"] == 2 and cluster.document("a1")["indexed"] == first


def test_a_cluster_update_reads_again_only_the_files_whose_size_or_time_changed(tmp_path, opensearch_cluster):
    """As the embedded build does (``index.filetable``): the table is stored beside the cluster's
    vocabulary; an edit that keeps a file's size and time is not seen until the time changes."""
    import os

    url, name = _url(opensearch_cluster), "test-files"
    c = tmp_path / "c"
    c.mkdir()
    for n, word in enumerate(("القاهرة", "طرابلس", "بنغازي")):
        (c / f"a{n}.txt").write_text(f"خبر عن {word}\nوصل الوفد إلى {word} صباح اليوم في زيارة رسمية.", encoding="utf-8")
    build_opensearch([c], url, name, replicas=1, progress=False)
    a1 = c / "a1.txt"
    stat = a1.stat()
    a1.write_text(a1.read_text(encoding="utf-8").replace("طرابلس", "سرت!!!!!!"), encoding="utf-8")
    assert a1.stat().st_size == stat.st_size
    os.utime(a1, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    same = build_opensearch([c], url, name, update=True, progress=False)
    assert (same.updated, same.unchanged, same.files_kept) == (0, 3, 3)
    with open_engine(url, "opensearch", name) as cluster:
        assert search(cluster, "سرت")["total"] == 0 and search(cluster, "طرابلس")["total"] == 1
    os.utime(a1, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    (c / "a3.txt").write_text("خبر عن مصراتة\nوصل الوفد إلى مصراتة.", encoding="utf-8")
    changed = build_opensearch([c], url, name, update=True, progress=False)
    assert (changed.added, changed.updated, changed.unchanged, changed.files_kept) == (1, 1, 2, 2)
    with open_engine(url, "opensearch", name) as cluster:
        assert search(cluster, "سرت")["total"] == 1 and search(cluster, "مصراتة")["total"] == 1
        assert cluster.variants() is not None  # (the vocabulary index, where the table is kept, still reads)


def test_a_cluster_update_takes_the_file_of_a_republished_copy_as_read(tmp_path, opensearch_cluster):
    """As the embedded build does: a republished copy's file is taken as read while the article it
    repeats is indexed; when that article is gone, the update reads every file and indexes the copy."""
    from tests.test_builder import write_republished

    url, name = _url(opensearch_cluster), "test-copies"
    c = tmp_path / "c"
    write_republished(c)
    first = build_opensearch([c], url, name, replicas=1, progress=False)
    assert first.added == 2 and len(first.republished) == 1
    same = build_opensearch([c], url, name, update=True, progress=False)
    assert (same.files_kept, same.unchanged, len(same.republished), same.kept_generation) == (3, 2, 1, True)
    (c / "a.jsonl").unlink()
    gone = build_opensearch([c], url, name, update=True, progress=False)
    assert (gone.added, gone.deleted, gone.files_kept, gone.republished) == (1, 1, 0, [])
    with open_engine(url, "opensearch", name) as cluster:
        assert cluster.document("f2")["category"] == "العالم العربي" and cluster.document("f1") is None
        assert search(cluster, "طرابلس")["total"] == 1


def test_parts_loaded_separately_and_published_equal_one_build(tmp_path, opensearch_cluster, engine):
    """Two machines' parts (here two runs) of the sample, published together, serve what one build serves."""
    url = _url(opensearch_cluster)
    for k in (1, 2):
        build_opensearch([SAMPLE], url, "test-parts", part=(k, 2), build="parts1", publish=False, progress=False)
    assert served_index(url, "test-parts") is None  # nothing served until published
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "web.cli", "index", "--engine", "opensearch", "--url", url,
                          "--index-name", "test-parts", "--publish", "parts1"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    with open_engine(url, "opensearch", "test-parts") as cluster:
        for q in ("حفتر", '"الوفد المصري"', "person:حفتر"):
            _same(engine, cluster, q)


def test_an_unreachable_cluster_is_one_line_without_the_credentials():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "web.cli", "search", "حفتر", "--engine", "opensearch",
                          "--url", "http://akhbar:s3cret-word@127.0.0.1:9"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert "cannot connect" in lines[0] and "127.0.0.1:9" in lines[0]
    assert "s3cret" not in out.stderr + out.stdout


def test_an_unreachable_cluster_is_a_503_that_does_not_name_it():
    """The page and the API say what is wrong; where the cluster is (an internal address) goes to the log."""
    from web import create_app

    client = create_app({"TESTING": True, "ENGINE": "opensearch",
                         "OPENSEARCH_URL": "http://akhbar:s3cret-word@127.0.0.1:9"}).test_client()
    r = client.get("/search?q=حفتر", headers={"Accept": "application/json"})
    assert r.status_code == 503 and "cannot connect" in r.get_json()["error"]
    assert "127.0.0.1" not in r.get_data(as_text=True) and "s3cret" not in r.get_data(as_text=True)


def test_urls_are_shown_without_credentials():
    from search.engines.opensearch.connection import redact

    assert redact("https://akhbar:s3cret@a.example:9200,http://b.example:9201") == "https://a.example:9200,http://b.example:9201"
    assert redact("127.0.0.1:9250") == "http://127.0.0.1:9250"
    assert "s3cret" not in redact("http://u:s3cret@host:notaport")


def test_a_rebuild_killed_midway_leaves_the_alias_on_the_old_index(tmp_path, opensearch_cluster, sample_on_cluster):
    url = _url(opensearch_cluster)
    before = served_index(url, sample_on_cluster)
    big = tmp_path / "big.jsonl"
    body = (SAMPLE / sorted(p.name for p in SAMPLE.glob("*.txt"))[0]).read_text(encoding="utf-8")
    # each its own article (the same text twice is one: index.republished)
    big.write_text("\n".join(json.dumps({"id": f"n{i}", "text": f"{body}\nالخبر رقم {i}."}) for i in range(1200)),
                   encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), AKHBAR_KILL_AT="write")
    proc = subprocess.run([sys.executable, "-m", "web.cli", "index", "--engine", "opensearch", "--url", url,
                           "--index-name", sample_on_cluster, "--collection", str(big), "--no-progress"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert served_index(url, sample_on_cluster) == before
    with open_engine(url, "opensearch", sample_on_cluster) as cluster:
        assert search(cluster, "حفتر")["total"] == 4
    # the next build removes what the killed one left
    build_opensearch([SAMPLE], url, sample_on_cluster, replicas=1, progress=False)
    from opensearchpy import OpenSearch

    es = OpenSearch(url.split(","))
    left = sorted(es.indices.get(index=f"{sample_on_cluster}-b*"))
    assert len([i for i in left if not i.endswith("-vocabulary")]) == 2  # the one served and the one before


@pytest.mark.slow
def test_a_few_thousand_ant_articles_agree_with_the_embedded_engine(tmp_path, opensearch_cluster):
    """3,000 ANT articles on both engines: every bench query's total and facets equal; top-10 overlap reported."""
    archive = shared_path("corpus", "ant-multisource-v2.1.tar.gz")
    rows = []
    for item in read_items([archive]):
        if hasattr(item, "body"):
            rows.append({"id": item.id, "title": item.title, "text": item.body, "source": item.source,
                         "date": item.date.isoformat() if item.date else None, "url": item.url})
        if len(rows) == 3000:
            break
    collection = tmp_path / "ant3000.jsonl"
    collection.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([collection], tmp_path / "ix", progress=False)
    build_opensearch([collection], _url(opensearch_cluster), "test-ant", replicas=1, progress=False)
    queries = [q.strip() for q in (ROOT / "scripts" / "bench_queries.txt").read_text(encoding="utf-8").splitlines()
               if q.strip() and not q.startswith("#")]
    overlaps, same_order = [], 0
    with open_engine(tmp_path / "ix") as whoosh, open_engine(_url(opensearch_cluster), "opensearch", "test-ant") as cluster:
        for q in queries:
            a, b = _same(whoosh, cluster, q, exact_order=False)
            a, b = a[:10], b[:10]
            if a:
                overlaps.append(len(set(a) & set(b)) / len(a))
                same_order += a == b
        _same_stories(whoosh, cluster, queries[:10])
    mean = sum(overlaps) / len(overlaps)
    print(f"\n3,000 ANT articles, {len(queries)} bench queries: equal totals and facets on all; "
          f"top-10 overlap {mean:.3f} (mean over {len(overlaps)} queries with results), identical top 10 in {same_order}")
    assert mean >= 0.9
    # an update of 100 new articles and 10 deleted: grouped into the stories kept, alike on both engines
    lines = collection.read_text(encoding="utf-8").splitlines()
    new = [json.dumps(dict(r, id=f"{r['id']}-new", url=f"{r['url']}?n={n}", title=f"{r['title']} ({n})",
                           text=f"تحديث رقم {n}: {r['text']}"), ensure_ascii=False)
           for n, r in enumerate(map(json.loads, lines[100:200]))]  # (new articles: their own address and first line)
    collection.write_text("\n".join(lines[10:] + new), encoding="utf-8")
    a = build_index([collection], tmp_path / "ix", update=True, progress=False)
    b = build_opensearch([collection], _url(opensearch_cluster), "test-ant", update=True, progress=False)
    assert (b.added, b.deleted) == (a.added, a.deleted) == (100, 10) and a.stories_kept and b.stories_kept
    with open_engine(tmp_path / "ix") as whoosh, open_engine(_url(opensearch_cluster), "opensearch", "test-ant") as cluster:
        _same_stories(whoosh, cluster, queries[:10])


def test_house_spellings_are_found_and_searched_alike_on_both_engines(tmp_path, opensearch_cluster):
    """Issue #32 on the cluster: the build finds the same spelling groups from the articles it loaded,
    and a query, a phrase, a filter and an exclusion search them as the embedded engine does."""
    from tests.test_variants import write_house_collection

    collection = write_house_collection(tmp_path / "news.jsonl")
    build_index([collection], tmp_path / "ix", progress=False, workers=1)
    summary = build_opensearch([collection], _url(opensearch_cluster), "test-house", replicas=1, progress=False)
    assert summary.variants["groups"] >= 1
    with open_engine(tmp_path / "ix") as whoosh, \
            open_engine(_url(opensearch_cluster), "opensearch", "test-house") as cluster:
        assert cluster.variants().groups == whoosh.variants().groups
        assert set(cluster.variants().spellings("ترمب")) == {"ترمب", "ترامب"}
        for q in ("ترمب", "ترامب", '"دونالد ترمب"', "person:ترامب", "قمة -ترمب", "كتب"):
            _same(whoosh, cluster, q)
        assert search(cluster, "ترمب")["total"] == 12 and search(cluster, "ترمب", variants=False)["total"] == 6
    # an update of one article in 25 keeps the groups (#34); --regroup finds them again, the same
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "source": "سكاي نيوز عربية", "date": "2018-06-20", "title": "قمة جديدة",
                                 "text": "قال الرئيس الأميركي دونالد ترامب إن القمة المقبلة ستعقد في واشنطن."},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    kept = build_opensearch([collection, extra], _url(opensearch_cluster), "test-house", update=True, progress=False)
    again = build_opensearch([collection, extra], _url(opensearch_cluster), "test-house", update=True, progress=False,
                             regroup=True)
    assert kept.added == 1 and kept.variants["kept"] and "kept" not in again.variants
    with open_engine(_url(opensearch_cluster), "opensearch", "test-house") as cluster:
        assert set(cluster.variants().spellings("ترمب")) == {"ترمب", "ترامب"}
        assert "new-1" in {r["id"] for r in search(cluster, "ترمب", page_size=50)["results"]}


def test_searches_go_on_when_a_node_is_killed(tmp_path, opensearch_cluster, sample_on_cluster):
    """SIGKILL one of the three nodes while searches run: after the cluster reroutes, no search fails
    and no article is lost (the index has one replica).  Runs last: the cluster keeps two nodes."""
    url, home = opensearch_cluster
    with open_engine(url, "opensearch", sample_on_cluster) as cluster:
        expected = search(cluster, "حفتر")["total"]
        failures: list[tuple[float, str]] = []
        done = threading.Event()
        count = [0]

        def searching():
            while not done.is_set():
                try:
                    assert search(cluster, "حفتر")["total"] == expected
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    failures.append((time.monotonic(), repr(exc)[:200]))
                count[0] += 1

        worker = threading.Thread(target=searching, daemon=True)
        worker.start()
        try:
            time.sleep(2)
            victim = int((Path(home) / "node-3.pid").read_text())
            killed = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            from opensearchpy import OpenSearch

            es = OpenSearch(url.split(",")[:2])
            for _ in range(120):
                h = es.cluster.health(params={"wait_for_nodes": "2", "timeout": "1s", "request_timeout": 30})
                if not h["timed_out"] and h["status"] in ("green", "yellow") and h["initializing_shards"] == 0:
                    break
                time.sleep(1)
            rerouted = time.monotonic()
            after = len(failures)
            time.sleep(10)
        finally:
            done.set()
            worker.join(timeout=60)
    late = [f for f in failures if f[0] > rerouted]
    print(f"\nnode killed: {count[0]} searches, {after} failed within {rerouted - killed:.1f} s of the kill "
          f"(the reroute window), {len(late)} after it")
    assert late == [], late[:3]
    with open_engine(url.split(",")[0], "opensearch", sample_on_cluster) as cluster:
        assert cluster.stats()["documents"] == 5
