"""The command line and the web answer alike (issue #31): the same sorts, the same refusals (an empty
query, a page past the last), the same word on Latin names; the API does what docs/api.md says
(a page past the last is a 404 with a link to the last page); one default address for the cluster."""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from search.engines.settings import StoreSettings
from search.searching import SORTS
from tests.conftest import ROOT
from web.cli import build_parser, main


def test_every_web_sort_is_a_cli_sort(sample_index, capsys):
    cli_sorts = next(a for a in build_parser()._subparsers._group_actions[0].choices["search"]._actions
                     if a.dest == "sort").choices
    assert tuple(cli_sorts) == SORTS
    assert main(["search", "طرابلس", "--index", str(sample_index), "--sort", "oldest", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    dates = [r["date"] for r in body["results"] if r["date"]]
    assert body["sort"] == "oldest" and dates == sorted(dates) and len(dates) >= 3


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_refused_by_both(sample_index, client, capsys, query):
    assert main(["search", query, "--index", str(sample_index)]) == 2
    assert "empty query" in capsys.readouterr().err
    assert client.get("/search", query_string={"q": query, "format": "json"}).status_code == 400


def test_a_page_past_the_last_is_refused_by_both(sample_index, client, capsys):
    # «طرابلس»: 5 articles, 3 stories on the sample: with 2 a page, 3 pages of stories and 3 of articles
    assert main(["search", "طرابلس", "--index", str(sample_index), "--page-size", "2", "--page", "3"]) == 0
    capsys.readouterr()
    assert main(["search", "طرابلس", "--index", str(sample_index), "--page-size", "2", "--page", "99"]) == 1
    err = capsys.readouterr().err
    assert "page 99 is past the last page of results (3; 5 results)" in err
    first = client.get("/search", query_string={"q": "طرابلس", "format": "json"}).get_json()
    assert first["pages"] == 1 and first["grouped"]
    past = client.get("/search", query_string={"q": "طرابلس", "page": "2", "format": "json"})
    assert past.status_code == 404
    assert past.get_json() == {"ok": False, "status": 404,
                               "error": "لا توجد صفحة 2: النتائج في 1 صفحة (page 2 is past the last page of results (1))"}
    page = client.get("/search", query_string={"q": "طرابلس", "page": "45"})
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "لا توجد صفحة 45" in html and 'href="/search?q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3"' in html
    assert "صفحة 45 من" not in html
    assert client.get("/search", query_string={"q": "طرابلس", "page": "1"}).status_code == 200
    nothing = client.get("/search", query_string={"q": "سنغافورة", "format": "json"})  # no match: page 1 is fine
    assert nothing.status_code == 200 and nothing.get_json()["pages"] == 0


def test_the_cli_says_what_a_latin_query_was_searched_as(sample_index, capsys):
    assert main(["search", "Haftar", "--index", str(sample_index)]) == 0
    captured = capsys.readouterr()
    assert "«حفتر» (Haftar)" in captured.err and "4 results" in captured.out
    assert main(["search", "Haftar", "--index", str(sample_index), "--latin", "off"]) == 0
    captured = capsys.readouterr()
    assert "حفتر" not in captured.err and "0 results" in captured.out
    assert main(["search", "Haftar", "--index", str(sample_index), "--all", "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert "«حفتر» (Haftar)" in captured.err and len(captured.out.splitlines()) == 4


def test_the_stopword_notice_is_in_arabic_too(sample_index, client, capsys):
    assert main(["search", "في من", "--index", str(sample_index)]) == 0
    assert "ليس في الاستعلام كلمة يُبحث بها" in capsys.readouterr().err
    body = client.get("/search", query_string={"q": "في من", "format": "json"}).get_json()
    assert any(w.startswith("ليس في الاستعلام كلمة") for w in body["warnings"])


def test_an_english_category_key_is_shown_in_arabic(tmp_path):
    from index.builder import build_index
    from web import create_app

    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x1", "title": "قمة في هلسنكي", "text": "التقى الرئيسان في هلسنكي.",
                                                  "category": "internationalNews"}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    html = client.get("/article", query_string={"id": "x1"}).get_data(as_text=True)
    assert re.search(r'<span class="category"[^>]*>أخبار دولية</span>', html)
    assert client.get("/article", query_string={"id": "x1", "format": "json"}).get_json()["category"] == "internationalNews"


def test_the_search_box_placeholder_keeps_person_filter_whole(client):
    html = client.get("/").get_data(as_text=True)
    placeholder = re.search(r'placeholder="([^"]*)"', html).group(1)
    assert "\u2066person:حفتر\u2069" in placeholder  # an isolate: «person:» stays left of the name in RTL text


def test_the_dev_cluster_listens_where_the_cli_looks():
    script = (ROOT / "scripts" / "opensearch-cluster.sh").read_text(encoding="utf-8")
    port = int(re.search(r"HTTP_PORT=\$\{AKHBAR_OS_HTTP_PORT:-(\d+)\}", script).group(1))
    assert urlparse(StoreSettings().url).port == port
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"127.0.0.1:{port}" in readme
