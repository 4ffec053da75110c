"""The whole ANT corpus (31,525 articles, 85 MB) indexes with no crash: a slow test on shared data."""
import pytest

from index.builder import build_index
from search.searching import search, weighting
from search.store import open_index
from tests.conftest import shared_path

pytestmark = pytest.mark.slow


def test_whole_ant_collection_indexes_and_serves(tmp_path):
    archive = shared_path("corpus", "ant-multisource-v2.1.tar.gz")
    summary = build_index([archive], tmp_path / "ix", progress=False)
    print(summary.line())
    # two ANT files have an empty <TEXT>: they are reported, everything else is indexed
    assert summary.documents == 31523 and summary.skipped == 2
    assert all("no <TEXT>" in p.reason for p in summary.problems)
    with open_index(tmp_path / "ix").searcher(weighting=weighting()) as s:
        res = search(s, "ترامب كوريا الشمالية")
        assert res["total"] > 100
        top = res["results"][0]
        assert "ترامب" in top["title"] and "كوريا" in top["title"]
        assert {f["value"] for f in res["facets"]["source"]} >= {"BBC", "CNN", "العربية"}
        assert res["facets"]["year"][0]["value"] == "2018"
        assert search(s, "person:ترامب date:2018-06")["total"] > 10
