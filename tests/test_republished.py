"""One article, once (issue #33): an outlet's article under two addresses or sections (France 24 files
each article under two categories in ANT) is indexed once, under the first id read, with all its
sections; counted once in totals, facets, the timeline and exports; its other id's page redirects to
it; ``--update`` keeps it so.  Real TREC files as ANT ships them, with the sample's Arabic text."""
from __future__ import annotations

import json

import pytest

from index.builder import build_index
from index.republished import canonical_url
from search.engines import open_engine
from search.searching import search
from tests.conftest import sample_texts
from web import create_app


@pytest.mark.parametrize("a, b", [
    ("https://www.france24.com/ar/20180123-خبر", "http://france24.com/ar/20180123-%D8%AE%D8%A8%D8%B1/"),
    ("http://example.com/a?id=3&utm_source=tw&fbclid=x#top", "HTTP://EXAMPLE.COM:80/a?id=3"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
])
def test_one_address_however_written(a, b):
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize("a, b", [
    ("https://example.com/a?id=3", "https://example.com/a?id=4"),
    ("https://example.com/news/1", "https://example.org/news/1"),
    ("https://example.com:8080/a", "https://example.com/a"),
])
def test_different_addresses_stay_different(a, b):
    assert canonical_url(a) != canonical_url(b)


def _trec(docno: str, url: str, src: str, cat: str, title: str, time: str, text: str) -> str:
    return (f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<URL>{url}</URL>\n<SRC>{src}</SRC>\n<CAT>{cat}</CAT>\n"
            f"<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n")


URL = "http://www.france24.com/ar/20201227-الوفد-المصري-طرابلس"


@pytest.fixture()
def collection(tmp_path):
    """France 24's report under two sections (one address written two ways), the same text again
    from CNN (another outlet: its own article), and another France 24 article."""
    texts = list(sample_texts().values())
    report, other = texts[0].split("\n", 1)[1], texts[3].split("\n", 1)[1]
    title = "وفد مصري في طرابلس لأول مرة منذ سنوات"
    root = tmp_path / "c"
    for folder, name, url, src, cat, text, t in (
            ("France24/internationalNews", "FR-int-1", URL, "france24", "internationalNews", report, "Sun, 27 Dec 2020 14:00:00 GMT"),
            ("France24/middleEast", "FR-mid-7", URL.replace("http://www.", "https://") + "?xtor=RSS", "france24", "middleEast",
             report, "Sun, 27 Dec 2020 14:00:00 GMT"),
            ("CNN/middleEast", "CN-mid-3", "https://arabic.cnn.com/a/b", "CNN", "middleEast", report, "Sun, 27 Dec 2020 15:00:00 +0000"),
            ("France24/middleEast", "FR-mid-8", "http://www.france24.com/ar/20210101-برلين", "france24", "middleEast", other,
             "Fri, 01 Jan 2021 09:00:00 GMT")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{name}.txt").write_text(_trec(name, url, src, cat, title if name != "FR-mid-8" else "برلين",
                                                         t, text), encoding="utf-8")
    return root


def _client(ix):
    return create_app({"TESTING": True, "INDEX_DIR": str(ix)}).test_client()


def test_a_republished_article_is_indexed_and_counted_once(collection, tmp_path):
    summary = build_index([collection], tmp_path / "ix", progress=False, workers=1)
    assert summary.documents == 3 and [(r.id, r.first) for r in summary.republished] == [("FR-mid-7", "FR-int-1")]
    assert "1 republished copies counted once" in summary.line()
    client = _client(tmp_path / "ix")
    body = client.get("/search", query_string={"q": "طرابلس", "format": "json", "group": "off"}).get_json()
    assert sorted(r["id"] for r in body["results"]) == ["CN-mid-3", "FR-int-1", "FR-mid-8"]
    sources = {f["value"]: f["count"] for f in body["facets"]["source"]}
    assert sorted(sources.values()) == [1, 2] and sum(sources.values()) == body["total"] == 3
    assert body["timeline"]["total"] + body["timeline"]["undated"] == body["total"]
    assert sum(b["count"] for b in body["timeline"]["buckets"]) == body["timeline"]["total"]
    rows = client.get("/search.jsonl", query_string={"q": "طرابلس"}).get_data(as_text=True).splitlines()
    assert len(rows) == 3 and len({canonical_url(json.loads(r)["url"]) for r in rows}) == 3
    # the article keeps both sections, and the other id still leads to it
    art = client.get("/article", query_string={"id": "FR-int-1", "format": "json"}).get_json()
    assert art["categories"] == ["internationalNews", "middleEast"]
    assert art["republished"] == [{"id": "FR-mid-7", "category": "middleEast", "url": URL.replace("http://www.", "https://")
                                   + "?xtor=RSS"}]
    html = client.get("/article", query_string={"id": "FR-int-1"}).get_data(as_text=True)
    assert "أخبار دولية" in html and "الشرق الأوسط" in html
    moved = client.get("/article", query_string={"id": "FR-mid-7", "q": "طرابلس"})
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/article?id=FR-int-1&q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3")
    with open_engine(tmp_path / "ix") as engine:
        stories = engine.stories()
        assert stories.story_of("FR-mid-7") == stories.story_of("FR-int-1")
        assert stories.is_copy("FR-mid-7", "FR-int-1")


def test_an_update_keeps_one_article_once(collection, tmp_path):
    ix = tmp_path / "ix"
    build_index([collection], ix, progress=False, workers=1)
    # the first copy's file goes: the other copy is now the article
    (collection / "France24/internationalNews/FR-int-1.txt").unlink()
    summary = build_index([collection], ix, update=True, progress=False, workers=1)
    assert (summary.added, summary.deleted, summary.documents, summary.republished) == (1, 1, 3, [])
    with open_engine(ix) as engine:
        ids = sorted(r["id"] for r in search(engine, "طرابلس", group=False, facets=False, snippets=False)["results"])
    assert ids == ["CN-mid-3", "FR-mid-7", "FR-mid-8"]
    assert _client(ix).get("/article", query_string={"id": "FR-int-1"}).status_code == 404
    # a third copy arrives (the same text from the same outlet, another address): counted once
    third = (collection / "France24/middleEast/FR-mid-7.txt").read_text(encoding="utf-8")
    third = third.replace("FR-mid-7", "FR-spo-9").replace("<URL>https://", "<URL>https://m.").replace("middleEast", "sport")
    (collection / "France24/sport").mkdir()
    (collection / "France24/sport/FR-spo-9.txt").write_text(third, encoding="utf-8")
    summary = build_index([collection], ix, update=True, progress=False, workers=1)
    assert summary.documents == 3 and [(r.id, r.first) for r in summary.republished] == [("FR-spo-9", "FR-mid-7")]
    art = _client(ix).get("/article", query_string={"id": "FR-mid-7", "format": "json"}).get_json()
    assert art["categories"] == ["middleEast", "sport"]
