"""Date sorts list the articles with every word (issue #33): "who reported it first" on «الصليب الأحمر
اليمن» must not open on an article about the Houthis with no Red Cross in it.  The page, the JSON, the
exports, the feed and the CLI agree; ``match=any`` lists the broader set; a query no article has whole
falls back to any word, and says so."""
from __future__ import annotations

import json

import pytest

from index.builder import build_index
from web import create_app
from web.cli import main

ROWS = [  # (id, day, text): the oldest articles have one word of the query each
    ("houthi", "2018-06-01", "قال الحوثيون في اليمن إن المعارك تتواصل قرب الحديدة."),
    ("redcross-geneva", "2018-06-02", "قالت اللجنة الدولية للصليب الأحمر في جنيف إنها تراجع عملها."),
    ("redcross-yemen", "2018-06-05", "أعلن الصليب الأحمر سحب موظفيه الأجانب من اليمن بسبب المخاطر الأمنية."),
    ("redcross-yemen-2", "2018-06-06", "موظفو الصليب الأحمر يغادرون اليمن، والمنظمة تقول إن عملها هناك مستمر."),
    ("yemen-late", "2018-06-07", "وصل المبعوث الأممي إلى اليمن لبحث وقف إطلاق النار."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("datesort")
    lines = [json.dumps({"id": i, "title": t.split("،")[0].split(" إن")[0], "text": t, "date": d, "source": "BBC"},
                        ensure_ascii=False) for i, d, t in ROWS]
    (tmp / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_index([tmp / "c.jsonl"], tmp / "ix", progress=False, workers=1)
    return tmp / "ix"


@pytest.fixture(scope="module")
def client(index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    yield app.test_client()
    if "akhbar_engine" in app.extensions:
        app.extensions["akhbar_engine"].close()


def _get(client, **params):
    return client.get("/search", query_string={"format": "json", "group": "off", **params}).get_json()


def test_oldest_first_lists_only_articles_with_every_word(client):
    res = _get(client, q="الصليب الأحمر اليمن", sort="oldest")
    assert [r["id"] for r in res["results"]] == ["redcross-yemen", "redcross-yemen-2"]
    assert (res["match"], res["total"], res["broader_total"]) == ("all", 2, 5)
    newest = _get(client, q="الصليب الأحمر اليمن", sort="date")
    assert [r["id"] for r in newest["results"]] == ["redcross-yemen-2", "redcross-yemen"]
    by_relevance = _get(client, q="الصليب الأحمر اليمن")  # relevance: any word matches, all words first
    assert by_relevance["total"] == 5 and by_relevance["match"] == "any" and by_relevance["broader_total"] is None
    assert {r["id"] for r in by_relevance["results"][:2]} == {"redcross-yemen", "redcross-yemen-2"}


def test_match_any_lists_the_broader_set_by_date(client):
    res = _get(client, q="الصليب الأحمر اليمن", sort="oldest", match="any")
    assert [r["id"] for r in res["results"]] == [i for i, _d, _t in ROWS]
    assert res["match"] == "any" and res["broader_total"] is None
    assert client.get("/search", query_string={"q": "اليمن", "match": "maybe", "format": "json"}).status_code == 400


def test_the_page_says_how_many_have_any_word_and_links_them(client):
    html = client.get("/search", query_string={"q": "الصليب الأحمر اليمن", "sort": "oldest", "group": "off"}
                      ).get_data(as_text=True)
    assert "المقالات التي فيها كل كلمات البحث (2)، من 5 فيها إحداها" in html
    assert "match=any" in html


def test_no_article_with_every_word_falls_back_to_any_and_says_so(client):
    res = _get(client, q="الحوثيون جنيف", sort="oldest")
    assert [r["id"] for r in res["results"]] == ["houthi", "redcross-geneva"]
    assert res["match"] == "any" and any("no article has every word" in w for w in res["warnings"])


def test_exports_feeds_and_the_cli_sort_the_same_set(client, index, capsys):
    rows = client.get("/search.jsonl", query_string={"q": "الصليب الأحمر اليمن", "sort": "oldest"}).get_data(as_text=True)
    assert [json.loads(r)["id"] for r in rows.splitlines()] == ["redcross-yemen", "redcross-yemen-2"]
    feed = client.get("/search.atom", query_string={"q": "الصليب الأحمر اليمن"}).get_data(as_text=True)
    assert feed.count("<entry>") == 2 and "houthi" not in feed
    assert main(["search", "الصليب الأحمر اليمن", "--index", str(index), "--sort", "oldest", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["results"]] == ["redcross-yemen", "redcross-yemen-2"]
    assert main(["search", "الصليب الأحمر اليمن", "--index", str(index), "--sort", "oldest"]) == 0
    assert "(2) من 5" in capsys.readouterr().err


def test_every_word_means_the_word_not_a_broad_stems_relative(tmp_path):
    """A question of five words or more is ranked with tashaphyne's broad stems too («تعهد», pledged,
    meets «العهد»); a date sort's "every word" means the words themselves."""
    rows = [{"id": "pledge", "title": "السعودية تتعهد بدعم العراق", "date": "2018-02-14",
             "text": "أعلنت السعودية تعهدها بتقديم مليار ونصف دولار لإعمار العراق، وقال ولي الأمر السعودي إن الدعم مستمر."},
            {"id": "crown", "title": "ولي العهد السعودي في القاهرة", "date": "2018-03-04",
             "text": "وصل ولي العهد السعودي الأمير محمد بن سلمان إلى القاهرة في أول جولة خارجية له."}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([tmp_path / "c.jsonl"], tmp_path / "ix", progress=False, workers=1)
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")})
    res = app.test_client().get("/search", query_string={"q": "من هو ولي العهد السعودي؟", "sort": "oldest",
                                                          "format": "json", "group": "off"}).get_json()
    assert [r["id"] for r in res["results"]] == ["crown"] and res["broader_total"] == 2
    app.extensions["akhbar_engine"].close()
