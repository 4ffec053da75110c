"""The timeline is bounded whatever the dates and outlets (issue #35, points 2 and 3): a far date
made every search a 500 (``OverflowError`` stepping past 9999-12-31), and one old article beside
60 outlets made a page of 24,243 month buckets times 60 series.  Now a coarser unit keeps the
buckets at most ``MAX_BUCKETS``, ``series=on`` draws at most ``MAX_SERIES`` outlets (the others
summed), and no date of the calendar (years 1 to 9999) overflows.  Collections built here from
real Arabic text, served by the real Flask app; the timeline function also on per-day counts."""
from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from index.builder import build_index
from search.timeline import MAX_BUCKETS, MAX_SERIES, UNITS, timeline
from tests.conftest import sample_texts
from web.openapi import spec

#: The timeline's JSON as /openapi.json describes it.
SCHEMA = spec()["components"]["schemas"]["Search"]["properties"]["timeline"]

Q = "طرابلس"


def _paragraphs() -> list[str]:
    return [p for t in sample_texts().values() for p in t.split("\n") if len(p.split()) > 4]


@pytest.fixture(autouse=True, scope="module")
def any_date_of_the_calendar():
    """The build keeps dates from 1900 to next year (``index.metadata.read_date``); the timeline must be
    safe without that bound (an index built before it, another writer, the cluster): here the build
    keeps any date of the calendar."""
    from index import metadata

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(metadata, "FIRST_YEAR", 1)
        patch.setattr(metadata, "latest_year", lambda: 9999)
        yield


def _client(tmp, dated: list[tuple[str, str]]):
    """A collection of one article per (date, outlet), each mentioning «طرابلس», plus one undated."""
    paras = _paragraphs()
    rows = [{"id": f"a{n:05d}", "title": paras[n % len(paras)][:80], "date": day, "source": source,
             "text": f"طرابلس، الخبر {n}\n" + "\n".join(paras[(n * k) % len(paras)] for k in (1, 3))}
            for n, (day, source) in enumerate(dated)]
    rows.append({"id": "undated", "title": "بلا تاريخ", "text": "وفد مصري في طرابلس"})
    (tmp / "c").mkdir()
    (tmp / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    summary = build_index([tmp / "c"], tmp / "ix", progress=False, workers=1)
    assert summary.documents == len(rows) and not summary.skipped
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(tmp / "ix")}).test_client()


def _outlets(n: int = 60) -> list[str]:
    return [f"وكالة {k:02d}" for k in range(n)]


def _check(tl: dict, total: int, series: bool = False) -> None:
    """As described in /openapi.json, bounded, adding up, in order, each start a date of the calendar."""
    jsonschema.validate(tl, SCHEMA)
    buckets = tl["buckets"]
    assert 0 < len(buckets) <= MAX_BUCKETS and tl["unit"] in UNITS
    assert sum(b["count"] for b in buckets) == tl["total"] == total - tl["undated"]
    starts = [b["start"] for b in buckets]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for s in starts:
        date.fromisoformat((s + "-01-01")[:10])
    if series:
        for b in buckets:
            assert len(b["sources"]) <= MAX_SERIES
            assert sum(b["sources"].values()) + b.get("other", 0) == b["count"]


def _get(client, **params):
    r = client.get("/search", query_string={"q": Q, **params})
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r


def _rows(html: str) -> int:
    table = html.split('<table class="timeline-table">')[1].split("</table>")[0]
    return table.count('<tr><th scope="row">')


def test_a_far_date_beside_a_recent_one_answers_with_a_timeline_by_century(tmp_path):
    c = _client(tmp_path, [("2021-01-01", "CNN"), ("9999-12-31", "BBC")])
    for params in ({}, {"series": "on"}, {"share": "on"}, {"series": "on", "share": "on"}):
        res = _get(c, format="json", **params).get_json()
        tl = res["timeline"]
        _check(tl, res["total"], series="series" in params)
        assert tl["unit"] == "century" and tl["undated"] == 1
        assert (tl["buckets"][0]["start"], tl["buckets"][-1]["start"]) == ("2000", "9900")
        assert [b["count"] for b in tl["buckets"] if b["count"]] == [1, 1]
        html = _get(c, **params).get_data(as_text=True)
        assert "النتائج عبر الزمن، لكل قرن" in html and '<svg class="timeline-chart"' in html
        assert _rows(html) == len(tl["buckets"])


@pytest.fixture(scope="module")
def year_one_beside_60_outlets(tmp_path_factory):
    """One article of 2 January of year 1 beside 60 outlets in 2021: the first outlet has only
    that article, the next 54 one each, the last five 2 to 6."""
    outlets, articles = _outlets(), [0] + [1] * 54 + [2, 3, 4, 5, 6]
    dated = [("0001-01-02", outlets[0])]
    dated += [(f"2021-{1 + n % 12:02d}-{1 + k % 28:02d}", s) for k, s in enumerate(outlets) for n in range(articles[k])]
    return _client(tmp_path_factory.mktemp("year-one"), dated), len(dated)


def test_an_article_of_year_one_beside_60_outlets_is_bounded(year_one_beside_60_outlets):
    c, n = year_one_beside_60_outlets
    res = _get(c, format="json").get_json()
    assert res["total"] == n + 1
    _check(res["timeline"], res["total"])
    assert res["timeline"]["unit"] == "decade" and res["timeline"]["buckets"][0]["start"] == "0001"  # 203 decades
    html = _get(c).get_data(as_text=True)
    assert _rows(html) == len(res["timeline"]["buckets"]) <= MAX_BUCKETS


def test_series_on_draws_the_outlets_with_most_matches_and_sums_the_others(year_one_beside_60_outlets):
    c, n = year_one_beside_60_outlets
    tl = _get(c, format="json", series="on").get_json()["timeline"]
    _check(tl, n + 1, series=True)
    top = [f"وكالة {k:02d}" for k in range(60 - (MAX_SERIES - 1), 60)]  # the outlets with most articles
    assert list(tl["buckets"][0]["sources"]) == sorted(top)
    assert tl["other_sources"] == 60 - (MAX_SERIES - 1)
    assert tl["buckets"][0]["other"] == 1  # the article of year 1, of «وكالة 00»
    html = _get(c, series="on").get_data(as_text=True)
    assert f"مصادر أخرى ({60 - (MAX_SERIES - 1)})" in html
    assert _rows(html) == len(tl["buckets"])
    legend = html.split('<ul class="legend">')[1].split("</ul>")[0]
    assert legend.count("<li>") == MAX_SERIES
    chart = html.split('<svg class="timeline-chart"')[1].split("</svg>")[0]
    assert 0 < chart.count("<rect") <= len(tl["buckets"]) * MAX_SERIES


def test_dates_over_nine_centuries_and_60_outlets_are_bounded(tmp_path):
    outlets = _outlets()
    dated = [(f"{year:04d}-{1 + k % 12:02d}-{1 + k % 28:02d}", outlets[k % 60]) for k, year in enumerate(range(1000, 9851, 59))]
    dated += [("1000-01-01", outlets[0]), ("9850-12-31", outlets[59])]
    c = _client(tmp_path, dated)
    for params in ({}, {"series": "on"}, {"series": "on", "share": "on"}):
        res = _get(c, format="json", **params).get_json()
        _check(res["timeline"], len(dated) + 1, series="series" in params)
        assert res["timeline"]["unit"] == "century"
        assert (res["timeline"]["buckets"][0]["start"], res["timeline"]["buckets"][-1]["start"]) == ("1000", "9800")
        assert _rows(_get(c, **params).get_data(as_text=True)) == len(res["timeline"]["buckets"])


# -- the timeline function on per-day counts (what Engine.days gives) --------------------------

EDGES = ["0001-01-01", "0001-01-02", "0001-12-31", "0099-12-31", "0100-01-01", "1969-12-31", "1970-01-01",
         "2021-01-01", "9999-01-01", "9999-12-27", "9999-12-31"]


@pytest.mark.parametrize("first", EDGES)
@pytest.mark.parametrize("last", EDGES)
def test_any_two_days_of_the_calendar_give_a_bounded_timeline(first, last):
    if last < first:
        return
    per_day = {"days": {first: 2, last: 3} if first != last else {first: 5}, "undated": 1,
               "sources": {"a": {first: 2}, "b": {last: 3}} if first != last else {"a": {first: 5}}}
    all_days = {"9999-12-31": 1}
    for day, n in ((first, 4), (last, 6)):
        all_days[day] = all_days.get(day, 0) + n
    tl = timeline(per_day, all_days=all_days)
    _check(tl, 6, series=True)
    assert tl["buckets"][0]["count"] + tl["buckets"][-1]["count"] * (len(tl["buckets"]) > 1) == 5
    assert all(0 <= b["share"] <= 1 for b in tl["buckets"])


FIRST_BUCKET = {"day": "0001-01-01", "week": "0001-01-01", "month": "0001-01", "quarter": "0001-01", "year": "0001",
                "decade": "0001", "century": "0001"}


@pytest.mark.parametrize("unit", UNITS)
def test_every_unit_reaches_both_ends_of_the_calendar(unit):
    tl = timeline({"days": {"9999-12-30": 1, "9999-12-31": 1}, "undated": 0}, unit=unit)
    assert tl["unit"] == unit and sum(b["count"] for b in tl["buckets"]) == 2
    assert timeline({"days": {"0001-01-01": 1}, "undated": 0}, unit=unit)["buckets"] == [{"start": FIRST_BUCKET[unit], "count": 1}]


@pytest.mark.parametrize(("last", "unit", "buckets"), [
    ("2021-04-02", "day", 92), ("2021-04-03", "week", 14), ("2023-01-01", "week", 105), ("2023-01-02", "month", 25),
    ("2054-04-30", "month", 400), ("2054-05-01", "quarter", 134), ("2121-01-01", "year", 101),
    ("2420-12-31", "year", 400), ("2421-01-01", "decade", 41), ("6019-12-31", "decade", 400), ("6020-01-01", "century", 41)])
def test_the_unit_is_the_finest_that_fits(last, unit, buckets):
    tl = timeline({"days": {"2021-01-01": 1, last: 1}, "undated": 0})
    assert (tl["unit"], len(tl["buckets"])) == (unit, buckets)


def test_a_finer_unit_asked_for_is_coarsened_to_the_bound():
    tl = timeline({"days": {"0001-01-01": 1, "9999-12-31": 1}, "undated": 0}, unit="day")
    assert tl["unit"] == "century" and len(tl["buckets"]) == 100


def test_a_day_that_does_not_parse_counts_with_the_undated():
    tl = timeline({"days": {"2021-01-01": 2, "10000-01-01": 3, "-0001-01-01": 1}, "undated": 1,
                   "sources": {"a": {"2021-01-01": 2, "10000-01-01": 3}}})
    assert tl["undated"] == 5 and tl["total"] == 2 and tl["buckets"] == [{"start": "2021-01-01", "count": 2, "sources": {"a": 2}}]


def test_six_outlets_are_all_drawn_and_seven_fold_two():
    days = {"2021-01-01": 28}
    six = {f"s{k}": {"2021-01-01": k + 1} for k in range(6)}
    tl = timeline({"days": {"2021-01-01": 21}, "undated": 0, "sources": six})
    assert list(tl["buckets"][0]["sources"]) == sorted(six) and "other" not in tl["buckets"][0] and "other_sources" not in tl
    seven = {f"s{k}": {"2021-01-01": k + 1} for k in range(7)}
    tl = timeline({"days": days, "undated": 0, "sources": seven})
    assert tl["buckets"][0]["sources"] == {f"s{k}": k + 1 for k in range(2, 7)}
    assert (tl["buckets"][0]["other"], tl["other_sources"]) == (1 + 2, 2)
