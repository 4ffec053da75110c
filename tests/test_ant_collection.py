"""The whole ANT corpus (31,525 articles, 85 MB): slow tests on shared data (one build, ``ant_index``)."""
import pytest

from search.analysis import analyze
from search.engines import open_engine
from search.searching import search

pytestmark = pytest.mark.slow


@pytest.fixture
def ant(ant_index):
    return ant_index


def test_whole_ant_collection_indexes_and_serves(ant):
    root, summary = ant
    # two ANT files have an empty <TEXT>: they are reported, everything else is indexed, each article
    # once (France 24 files each under two sections: index.republished)
    assert summary.documents + len(summary.republished) == 31523 and summary.skipped == 2
    assert sum(r.id.startswith("FR-") for r in summary.republished) > 1000
    assert all("no <TEXT>" in p.reason for p in summary.problems)
    with open_engine(root) as s:
        res = search(s, "ترامب كوريا الشمالية")
        assert res["total"] > 100
        top = res["results"][0]
        assert "ترامب" in top["title"] and "كوريا" in top["title"]
        assert {f["value"] for f in res["facets"]["source"]} >= {"BBC", "CNN", "العربية"}
        assert res["facets"]["year"][0]["value"] == "2018"
        assert search(s, "person:ترامب date:2018-06")["total"] > 10


def test_short_queries_rank_documents_with_every_word_first(ant):
    """On real news, the top results of 2-3 word queries contain every word."""
    root, _ = ant
    with open_engine(root) as s:
        stemmed = s.analyzer("text")
        for q in ("أسعار النفط", "محمد صلاح ليفربول", "الانتخابات العراقية", "اللاجئين السوريين لبنان"):
            words = set(analyze(stemmed, q))
            for hit in search(s, q, page_size=10, facets=False, snippets=False)["results"]:
                doc = s.document(hit["id"])
                assert words <= set(analyze(stemmed, doc["title"] + " " + doc["body"])), (q, hit["id"])


def test_no_article_is_counted_twice(ant):
    """Issue #33's count check: a broad query's export has no two rows with one outlet and canonical
    address, and its facet and timeline sums equal its total."""
    import json

    from index.republished import canonical_url
    from web import create_app

    root, _ = ant
    client = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()
    rows = [json.loads(line) for line in client.get("/search.jsonl", query_string={"q": "الرئيس"}).get_data(as_text=True).splitlines()]
    assert len(rows) > 5000
    keys = [(r["source"], canonical_url(r["url"])) for r in rows if r["url"]]
    assert len(keys) == len(set(keys))
    res = client.get("/search", query_string={"q": "الرئيس", "format": "json"}).get_json()
    assert res["total"] == len(rows)
    assert sum(f["count"] for f in res["facets"]["source"]) == res["total"]
    assert res["timeline"]["total"] + res["timeline"]["undated"] == res["total"]
    assert sum(b["count"] for b in res["timeline"]["buckets"]) == res["timeline"]["total"]


def test_one_name_across_the_outlets_spellings(ant):
    """Issue #32 on real news: Al Arabiya's «ترمب» and Sky's «بوتن» find every outlet's articles, the
    person facet lists «محرم إنجه» once across three spellings, ``person:`` follows, and no labelled
    look-alike pair (tests/data/variant_lookalikes.tsv) is searched as one word."""
    from index.variants.evaluate import LOOKALIKES, merged_lookalikes, read_tsv

    root, summary = ant
    assert summary.variants["groups"] > 300
    with open_engine(root) as s:
        for typed, other, outlet in (("ترمب", "ترامب", "العربية"), ("بوتن", "بوتين", "سكاي نيوز عربية")):
            res, literal = search(s, typed), search(s, typed, variants=False)
            assert other in res["variants"][0]["also"]
            assert res["total"] > 2 * literal["total"]
            assert {f["value"] for f in literal["facets"]["source"]}.issuperset({outlet})
            assert len([f for f in res["facets"]["source"] if f["count"] > 100]) >= 4  # every outlet, not one
        people = [p["value"] for p in search(s, "إنجه")["facets"]["persons"]]
        assert sum(p.startswith("محرم") for p in people) == 1, people
        assert search(s, 'person:"محرم إينجه"')["total"] == search(s, 'person:"محرم إنجه"')["total"] > 40
        merged, _normalized = merged_lookalikes(s, read_tsv(LOOKALIKES))
        assert merged == []
