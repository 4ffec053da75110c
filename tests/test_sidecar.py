"""Metadata beside the text (index/sidecar.py): the sample's own table, and bad tables."""
from __future__ import annotations

import json
import shutil

from index.builder import build_index
from search.engines import open_engine
from search.searching import get_article, search
from tests.conftest import SAMPLE

CNN, FOLLOW_UP, SAME_DAY, JAZEERA, ARABY = ("000_7d249ea639f1103d", "001_03dfe024d18c3b2a", "002_ec7758134357b2f5",
                                            "003_1a1189609da923f6", "004_ed295794a679e97b")


def test_the_sample_states_its_dates_at_their_precision(engine):
    got = {i: get_article(engine, i) for i in (CNN, FOLLOW_UP, SAME_DAY, JAZEERA, ARABY)}
    assert got[CNN]["date"] == "2020-12-27" and got[CNN]["source"] == "CNN"
    assert got[FOLLOW_UP]["date"] == "2020-12-28" and got[SAME_DAY]["date"] == "2020-12-27"
    assert got[JAZEERA]["date"] == "2021" and got[JAZEERA]["source"] == "الجزيرة"
    assert got[ARABY]["date"] == "2020"  # a year, not 1 January
    story = got[FOLLOW_UP]["story"]
    assert [a["id"] for a in story] == [CNN, SAME_DAY, FOLLOW_UP]
    assert [a["first"] for a in story] == [True, False, False]  # the first report


def test_the_sample_timeline_counts_days_and_leaves_years_alone(engine):
    tl = search(engine, "الوفد المصري طرابلس", timeline=True)["timeline"]
    assert tl["unit"] == "day" and tl["buckets"] == [{"start": "2020-12-27", "count": 2},
                                                     {"start": "2020-12-28", "count": 1}]
    assert tl["undated"] == 2  # 003 and 004: a year alone has no day


def test_the_page_shows_dates_the_timeline_and_the_first_report(client):
    html = client.get("/search", query_string={"q": "الوفد المصري طرابلس"}).get_data(as_text=True)
    assert "27 ديسمبر 2020" in html and '<svg class="timeline-chart"' in html
    page = client.get("/article", query_string={"id": FOLLOW_UP}).get_data(as_text=True)
    assert "أول من نشر" in page and "28 ديسمبر 2020" in page


def _collection(tmp_path, table_name: str, table: str):
    c = tmp_path / "c"
    shutil.copytree(SAMPLE, c)
    (c / "metadata.csv").unlink()
    (c / table_name).write_text(table, encoding="utf-8")
    return c


def test_a_bad_table_is_reported_row_by_row_and_loses_nothing(tmp_path):
    table = ("file,source,date,colour\n"
             f"{CNN}.txt,BBC عربي,2020-13-45,red\n"        # bad date: the source still applies
             f"{FOLLOW_UP}.txt,,2020-12,\n"               # a month
             f"{FOLLOW_UP}.txt,,2020-11-01,\n"            # a second row for the same file
             "missing.txt,CNN,2020-01-01,\n"              # no such article
             ",CNN,2020,\n")                              # neither file nor id
    c = _collection(tmp_path, "metadata.csv", table)
    problems = []
    summary = build_index([c], tmp_path / "ix", progress=False, on_problem=problems.append)
    assert summary.documents == 5 and summary.skipped == 0 and summary.warnings == len(problems) == 5
    reasons = " | ".join(p.reason for p in problems)
    for expected in ("unknown column(s) colour", "date '2020-13-45'", "already has a row", "no such article",
                     "needs a file or an id"):
        assert expected in reasons
    assert all(p.origin.startswith(str(c / "metadata.csv")) for p in problems)
    with open_engine(tmp_path / "ix") as e:
        assert get_article(e, CNN)["source"] == "BBC عربي" and get_article(e, CNN)["date"] is None
        assert get_article(e, FOLLOW_UP)["date"] == "2020-12"
    assert " warning(s), " in summary.line()


def test_metadata_given_as_json_lines_by_id(tmp_path):
    c = _collection(tmp_path, "elsewhere.txt", "")
    (c / "elsewhere.txt").unlink()
    table = tmp_path / "scraper.jsonl"
    table.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": JAZEERA, "date": "2021-06", "url": "https://www.aljazeera.net/news/x", "title": "عنوان من الجدول"},
        {"id": ARABY, "source": "العربي الجديد", "date": "2020-07-01T10:00:00"}]), encoding="utf-8")
    build_index([c], tmp_path / "ix", progress=False, metadata=table)
    with open_engine(tmp_path / "ix") as e:
        jazeera, araby = get_article(e, JAZEERA), get_article(e, ARABY)
        assert (jazeera["date"], jazeera["title"], jazeera["url"]) == ("2021-06", "عنوان من الجدول",
                                                                      "https://www.aljazeera.net/news/x")
        assert (araby["source"], araby["date"]) == ("العربي الجديد", "2020-07-01")
        assert search(e, "date:2021-06 حفتر")["total"] == 1


def test_a_table_in_a_folder_is_not_read_as_articles(tmp_path):
    c = _collection(tmp_path, "metadata.jsonl", json.dumps({"id": CNN, "date": "2020-12-27"}))
    summary = build_index([c], tmp_path / "ix", progress=False)
    assert summary.documents == 5 and summary.problems == []
