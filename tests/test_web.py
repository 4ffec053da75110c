"""Every route, the JSON shape, every error case, and XSS attempts coming back inert."""
import json

import pytest

from index.builder import build_index
from web import SETTINGS, create_app

JSON = {"Accept": "application/json"}


def test_home_page_is_arabic_and_right_to_left(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and 'name="q"' in html
    assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_search_page_shows_results_with_highlights_entities_and_facets(client):
    html = client.get("/search?q=حفتر").get_data(as_text=True)
    assert "نتيجة" in html and "<mark" in html
    assert 'class="chip person"' in html and "خليفة حفتر" in html
    assert 'class="facet facet-persons"' in html and 'class="facet facet-source"' in html
    assert 'value="حفتر"' in html  # the box keeps the query


def test_search_json_shape(client):
    r = client.get("/search?q=طرابلس", headers=JSON)
    assert r.status_code == 200 and r.is_json
    body = r.get_json()
    assert {"query", "total", "page", "page_size", "took_ms", "results", "facets"} <= set(body)
    assert body["query"] == "طرابلس" and body["total"] == 5 and body["page"] == 1
    hit = body["results"][0]
    assert {"id", "title", "source", "date", "score", "snippet_html", "persons", "places", "organizations"} <= set(hit)
    assert set(body["facets"]) >= {"source", "persons", "places", "organizations", "year", "month"}


def test_arabic_indic_page_numbers(client):
    assert client.get("/search?q=طرابلس&page=١&format=json").get_json()["page"] == 1


def test_format_json_parameter(client):
    assert client.get("/search?q=طرابلس&format=json").is_json


def test_facet_filter_applies_and_can_be_removed(client):
    all_hits = client.get("/search?q=ليبيا", headers=JSON).get_json()
    filtered = client.get("/search?q=ليبيا&f=person:عبد الحميد الدبيبة", headers=JSON).get_json()
    assert filtered["total"] < all_hits["total"]
    assert all("عبد الحميد الدبيبة" in r["persons"] for r in filtered["results"])
    html = client.get("/search?q=ليبيا&f=person:عبد الحميد الدبيبة").get_data(as_text=True)
    assert 'class="chip active"' in html


def test_filters_alone_are_a_query(client):
    r = client.get("/search?f=source:CNN", headers=JSON)
    assert r.status_code == 200 and [h["id"] for h in r.get_json()["results"]] == ["000_7d249ea639f1103d"]


def test_pagination_and_sort(client, tmp_path):
    rows = [{"id": f"n{i}", "title": f"خبر {i} عن ليبيا", "text": "ليبيا " * (i + 1), "date": f"2021-01-{i + 1:02d}"}
            for i in range(25)]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    c = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    # the 25 articles are near-copies of one text (grouped, they are a few stories): every article
    p3 = c.get("/search?q=ليبيا&page=3&format=json&group=off").get_json()
    assert p3["total"] == 25 and len(p3["results"]) == 5
    newest = c.get("/search?q=ليبيا&sort=date&format=json&group=off").get_json()["results"]
    assert [r["id"] for r in newest[:2]] == ["n24", "n23"]
    html = c.get("/search?q=ليبيا&page=2&group=off").get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html and "group=off&amp;page" not in html
    assert "page=3&amp;group=off" in html  # the next page keeps every article listed
    assert c.get("/search?q=ليبيا&page=99&format=json&group=off").status_code == 404  # past the last (docs/api.md)
    grouped = c.get("/search?q=ليبيا&format=json").get_json()
    assert grouped["total"] == 25 and grouped["stories"] < 25


@pytest.mark.parametrize("url, status", [
    ("/search?q=", 400), ("/search?q=%20%20", 400), ("/search", 400),
    ("/search?q=" + "ح" * 501, 400), ("/search?q=حفتر&page=0", 400), ("/search?q=حفتر&page=abc", 400),
    ("/search?q=حفتر&page=-1", 400), ("/search?q=حفتر&page=²", 400), ("/search?q=حفتر&f=date:2020-13", 400),
    ("/search?q=حفتر date:20x", 400),
    ("/search?q=حفتر&f=nope:x", 400), ("/search?q=حفتر&sort=random", 400), ("/article/nope", 404), ("/nope", 404),
])
def test_errors_have_one_json_shape(client, url, status):
    r = client.get(url, headers=JSON)
    assert r.status_code == status and r.is_json
    body = r.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    assert "Traceback" not in r.get_data(as_text=True)


def test_errors_for_browsers_are_arabic_pages(client):
    r = client.get("/search?q=")
    assert r.status_code == 400 and "اكتب كلمة للبحث" in r.get_data(as_text=True)


def test_missing_index_is_503_with_how_to_build(tmp_path):
    c = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    for url in ("/search?q=حفتر", "/healthz"):
        r = c.get(url, headers=JSON)
        assert r.status_code == 503 and "akhbar index" in r.get_json()["error"]
    assert c.get("/search?q=حفتر").status_code == 503


def test_corrupted_index_is_503(tmp_path):
    root = tmp_path / "ix"
    (root / "gen-x").mkdir(parents=True)
    (root / "gen-x" / "MAIN_garbage.toc").write_bytes(b"\x00garbage")
    (root / "current").symlink_to("gen-x")
    r = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client().get("/search?q=حفتر", headers=JSON)
    assert r.status_code == 503


def test_healthz_reports_count_and_build_time(client):
    body = client.get("/healthz").get_json()
    assert body["ok"] is True and body["documents"] == 5 and body["built_at"]


def test_article_page_highlights_query_in_original_spelling(client):
    html = client.get("/article/000_7d249ea639f1103d?q=متحدث").get_data(as_text=True)
    assert ">مُتحدث</mark>" in html
    assert "فتحي باشاغا" in html and "/search?q=&amp;f=person%3A" in html


def test_no_results_offers_a_spelling_suggestion(client):
    body = client.get("/search?q=باشاغة", headers=JSON).get_json()
    assert body["total"] == 0 and body["suggestion"] == "باشاغا"
    html = client.get("/search?q=باشاغة").get_data(as_text=True)
    assert "لا توجد نتائج" in html and "هل تقصد" in html


XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>"]


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_the_query_comes_back_inert(client, payload):
    html = client.get("/search", query_string={"q": payload + " حفتر"}).get_data(as_text=True)
    assert payload not in html and "<script>alert" not in html and "onerror=alert(1)>" not in html.replace("&gt;", "")
    body = client.get("/search", query_string={"q": payload, "format": "json"})
    assert body.status_code == 200


@pytest.fixture()
def hostile_client(tmp_path):
    rows = [{"id": "evil<script>", "title": XSS[0] + " حفتر", "text": "حفتر " + XSS[1] + " و " + XSS[2],
             "source": XSS[1], "url": "javascript:alert(1)"}]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.jsonl").write_text(json.dumps(rows[0], ensure_ascii=False), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    return create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()


def test_xss_in_an_indexed_article_comes_back_inert(hostile_client):
    for url in ("/search?q=حفتر", "/article/evil%3Cscript%3E?q=حفتر", "/search?q=حفتر&f=source:x"):
        html = hostile_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html
        assert 'href="javascript:' not in html
    html = hostile_client.get("/search?q=حفتر").get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<mark" in html


def test_every_setting_is_documented_in_the_readme():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS:
        assert name in readme, name


def test_every_endpoint_is_documented_in_the_readme(app):
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "search.favicon"):
            continue
        documented = rule.rule.split("<")[0].rstrip("/") or "/"
        assert f"`{documented}" in readme, rule.rule
