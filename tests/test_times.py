"""Dates with times; "first" is first (issue #33): a time with a zone is kept as the instant it names
(compared in UTC), shown where "first" matters, and used for ``sort=oldest`` and the «أول من نشر» mark.
Al Arabiya gives +0400 times: its 01:50 is 21:50 UTC the day before, earlier than another outlet's
23:00 GMT; read as wall-clock times (before) it sorted four hours late."""
from __future__ import annotations

import json

import pytest

from index.builder import build_index
from tests.conftest import sample_texts
from web import create_app


def _trec(docno, src, time, title, text):
    return (f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<URL>https://example.org/{docno}</URL>\n<SRC>{src}</SRC>\n<CAT>middleEast</CAT>\n"
            f"<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("times")
    report = list(sample_texts().values())[0]
    title, body = report.split("\n", 1)
    (tmp / "c").mkdir()
    # the same report: Sky at 23:00 GMT on the 11th, Al Arabiya at 01:50 +0400 on the 12th (21:50 UTC on the 11th)
    (tmp / "c" / "sky.txt").write_text(_trec("SK-1", "skynews", "Sun, 11 Mar 2018 23:00:00 GMT", title, body), "utf-8")
    (tmp / "c" / "arabiya.txt").write_text(_trec("AL-1", "alarabiya", "Mon, 12 Mar 2018 01:50:00 +0400", title,
                                                 body + "\nوأضاف المصدر أن الوفد سيعود غدا."), "utf-8")
    (tmp / "c" / "day.jsonl").write_text(json.dumps({"id": "day-only", "title": title, "text": body + "\nتحديث.",
                                                     "source": "BBC", "date": "2018-03-12"}, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    build_index([tmp / "c"], tmp / "ix", progress=False, workers=1)
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp / "ix")})
    yield app.test_client()
    if "akhbar_engine" in app.extensions:
        app.extensions["akhbar_engine"].close()


def test_times_are_instants_in_utc(client):
    res = client.get("/search", query_string={"q": "طرابلس", "format": "json", "group": "off", "sort": "oldest"}).get_json()
    got = {r["id"]: (r["date"], r["time"]) for r in res["results"]}
    assert got == {"AL-1": ("2018-03-11", "21:50"), "SK-1": ("2018-03-11", "23:00"), "day-only": ("2018-03-12", None)}
    assert [r["id"] for r in res["results"]] == ["AL-1", "SK-1", "day-only"]  # the +0400 article first


def test_the_first_report_is_the_earliest_instant_and_the_page_shows_times(client):
    art = client.get("/article", query_string={"id": "SK-1", "format": "json"}).get_json()
    story = {a["id"]: a for a in art["story"]}
    assert set(story) == {"AL-1", "SK-1", "day-only"}
    assert [i for i, a in story.items() if a["first"]] == ["AL-1"]
    assert story["AL-1"]["time"] == "21:50"
    html = client.get("/article", query_string={"id": "SK-1"}).get_data(as_text=True)
    assert '<time datetime="2018-03-11T21:50Z">11 مارس 2018، 21:50 غرينتش</time>' in html
    assert '<time datetime="2018-03-12">12 مارس 2018</time>' in html


def test_exports_carry_the_time(client):
    rows = [json.loads(x) for x in client.get("/search.jsonl", query_string={"q": "طرابلس", "sort": "oldest"})
            .get_data(as_text=True).splitlines()]
    assert [(r["id"], r["date"], r["time"]) for r in rows] == [
        ("AL-1", "2018-03-11", "21:50"), ("SK-1", "2018-03-11", "23:00"), ("day-only", "2018-03-12", None)]


def test_an_update_of_an_index_of_another_schema_builds_it_again_in_full(tmp_path):
    """Dates became UTC instants with schema 5: an update of a schema-4 index would keep its unchanged
    articles' wall-clock dates; it is built again in full, and says so."""
    from index.builder import META
    from search.engines.whoosh.store import current_dir

    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "a", "title": "وفد", "text": "وصل الوفد إلى طرابلس.",
                                                  "date": "2018-03-12T01:50:00+04:00"}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    meta_path = current_dir(tmp_path / "ix") / META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "schema_version": 4}), encoding="utf-8")
    summary = build_index([tmp_path / "c.jsonl"], tmp_path / "ix", update=True, progress=False, workers=1)
    assert (summary.added, summary.unchanged) == (1, 0)
    assert any("built again in full" in p.reason and not p.skipped for p in summary.problems)
    assert json.loads(meta_path.read_text(encoding="utf-8"))["schema_version"] != 4
