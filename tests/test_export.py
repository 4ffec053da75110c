"""Exports: every match of a search as CSV (RFC 4180, UTF-8 with a BOM) or JSON Lines, in the
order of /search, from the page's link, the API and the command line."""
import csv
import io
import json
import subprocess
import sys

import pytest

from search.searching import each_result, search
from tests.conftest import ROOT

JSON = {"Accept": "application/json"}


def _all_pages(client, query: str) -> list[dict]:
    out, page = [], 1
    while True:
        body = client.get(f"/search?{query}&page={page}&group=off", headers=JSON).get_json()
        out += body["results"]
        if page * body["page_size"] >= body["total"]:
            return out
        page += 1


def _csv_rows(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode()), "no BOM: Excel would not read the Arabic as UTF-8"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and not any(line.endswith("\r") for line in text.split("\r\n"))
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("query", ["q=طرابلس", "q=طرابلس&sort=date", "q=ليبيا&f=person:خليفة حفتر",
                                   "q=&f=place:طرابلس", 'q="الوفد المصري"'])
def test_csv_and_jsonl_hold_every_match_in_the_order_of_search(client, query):
    expected = _all_pages(client, query)
    assert expected, query
    r = client.get(f"/search.csv?{query}")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=\"akhbar-")
    assert r.headers["X-Total-Count"] == str(len(expected))
    rows = _csv_rows(r.data)
    assert [row["id"] for row in rows] == [e["id"] for e in expected]
    for row, e in zip(rows, expected):
        assert row["title"] == e["title"] and row["source"] == (e["source"] or "")
        assert row["persons"] == "; ".join(e["persons"]) and row["places"] == "; ".join(e["places"])
        assert row["date"] == (e["date"] or "") and row["score"] == ("" if e["score"] is None else str(e["score"]))
    lines = client.get(f"/search.jsonl?{query}").get_data(as_text=True).splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["id"] for o in objects] == [e["id"] for e in expected]
    assert objects[0]["persons"] == expected[0]["persons"] and objects[0]["title"] == expected[0]["title"]


def test_export_quotes_fields_with_commas_quotes_and_newlines(tmp_path):
    from index.builder import build_index
    from web import create_app

    rows = [{"id": "q1", "title": 'بيان "عاجل"، من طرابلس,\nوبنغازي', "text": "وصل الوفد إلى طرابلس اليوم.",
             "url": 'https://news.example/a,b?c="d"'}]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    got = _csv_rows(client.get("/search.csv?q=طرابلس").data)
    assert len(got) == 1 and got[0]["title"] == rows[0]["title"] and got[0]["url"] == rows[0]["url"]


def test_export_streams_in_chunks_from_the_engine(engine):
    """Rows come from the engine's paged reader (each_result), not a built list: the response
    is a generator of chunks, CHUNK_ROWS rows each."""
    from web.export import CHUNK_ROWS, csv_chunks

    total, warnings, results = each_result(engine, "طرابلس")
    assert total == search(engine, "طرابلس")["total"] and warnings == []
    assert not isinstance(results, list)
    fake_many = ({"id": str(n), "title": "خبر"} for n in range(CHUNK_ROWS * 3 + 5))
    sizes = [c.count("\r\n") for c in csv_chunks(fake_many)]
    assert sizes == [CHUNK_ROWS + 1, CHUNK_ROWS, CHUNK_ROWS, 5]  # header in the first


def test_export_errors_have_the_json_shape(client):
    r = client.get("/search.csv?q=")
    assert r.status_code == 400 and r.is_json and r.get_json()["ok"] is False
    r = client.get("/search.jsonl?q=x&sort=oldest-first-please")
    assert r.status_code == 400 and r.is_json


def test_results_page_links_the_exports(client):
    html = client.get("/search?q=طرابلس&sort=date").get_data(as_text=True)
    assert 'class="export-csv" href="/search.csv?q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3&amp;sort=date"' in html
    assert 'class="export-jsonl" href="/search.jsonl?' in html


def test_cli_exports_every_match(sample_index):
    out = subprocess.run([sys.executable, "-m", "web.cli", "search", "طرابلس", "--index", str(sample_index), "--all",
                          "--format", "jsonl"], capture_output=True, text=True, cwd=ROOT, check=True)
    ids = [json.loads(line)["id"] for line in out.stdout.splitlines()]
    assert len(ids) == 5 and "5 articles exported" in out.stderr
    out = subprocess.run([sys.executable, "-m", "web.cli", "search", "طرابلس", "--index", str(sample_index), "--all"],
                         capture_output=True, cwd=ROOT, check=True)
    assert [r["id"] for r in _csv_rows(out.stdout)] == ids


def test_exports_say_each_rows_story_and_which_rows_copy_another(tmp_path):
    """``story_id``, ``story_size`` and ``duplicate_of`` (issue #33): another outlet's copy of a report
    names the report, so a spreadsheet can keep one row a report."""
    from index.builder import build_index
    from tests.conftest import sample_texts
    from web import create_app

    texts = list(sample_texts().values())
    title, body = texts[0].split("\n", 1)
    rows = [{"id": "cnn", "title": title, "text": body, "source": "CNN", "date": "2020-12-27T10:00:00Z"},
            {"id": "bbc", "title": title, "text": body, "source": "BBC", "date": "2020-12-27T12:00:00Z"},
            {"id": "other", "title": "برلين", "text": texts[3], "source": "BBC", "date": "2021-01-05"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")})
    client = app.test_client()
    got = {r["id"]: r for r in map(json.loads, client.get("/search.jsonl", query_string={"q": "ليبيا"})
                                   .get_data(as_text=True).splitlines())}
    assert set(got) == {"cnn", "bbc", "other"}
    assert got["cnn"]["story_id"] == got["bbc"]["story_id"] == "cnn" and got["cnn"]["story_size"] == 2
    assert got["bbc"]["duplicate_of"] == "cnn" and got["cnn"]["duplicate_of"] is None
    assert (got["other"]["story_size"], got["other"]["duplicate_of"]) == (1, None)
    csv_text = client.get("/search.csv", query_string={"q": "ليبيا"}).get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0].endswith("story_id,story_size,duplicate_of,indexed")
    app.extensions["akhbar_engine"].close()  # its column files now, not when collected at exit
