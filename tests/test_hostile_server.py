"""Hostile input against the server (issue #35, point 9).

* A metadata source of 5,000 characters is not kept as a facet: every facet and
  suggestion link of the index answers 200.
"""
from __future__ import annotations

import shutil
import urllib.parse

from index.builder import build_index
from search.fields import MAX_FACET_CHARS
from tests.conftest import SAMPLE
from web import create_app
from web.views import FACET_PREFIX, search_url

JSON = {"Accept": "application/json"}

LONG_SOURCE = ("وكالة أنباء الشرق " * 300)[:5000]


def test_a_5000_character_source_is_no_facet_and_every_facet_link_works(tmp_path):
    c = tmp_path / "c"
    shutil.copytree(SAMPLE, c)
    table = (c / "metadata.csv").read_text(encoding="utf-8").replace(
        "002_ec7758134357b2f5.txt,,", f'002_ec7758134357b2f5.txt,"{LONG_SOURCE}",')
    (c / "metadata.csv").write_text(table, encoding="utf-8")
    problems = []
    summary = build_index([c], tmp_path / "ix", progress=False, on_problem=problems.append)
    assert summary.documents == 5 and summary.skipped == 0
    assert any("source of 5,000 characters" in p.reason for p in problems)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()

    facets = client.get("/search?q=" + urllib.parse.quote("ليبيا"), headers=JSON).get_json()["facets"]
    links = [search_url("", [(FACET_PREFIX[name], f["value"])]) for name, values in facets.items() for f in values]
    assert links and all(len(f["value"]) <= MAX_FACET_CHARS for values in facets.values() for f in values)
    suggested = client.get("/suggest?q=" + urllib.parse.quote("وكا")).get_json()["suggestions"]
    links += [s["url"] for s in suggested]
    assert all(s["value"] != LONG_SOURCE for s in suggested)
    for link in links:
        r = client.get(link, headers=JSON)
        assert r.status_code == 200, link
    # the filter takes any value a facet can hold
    r = client.get(search_url("", [("source", "و" * MAX_FACET_CHARS)]), headers=JSON)
    assert r.status_code == 200 and r.get_json()["total"] == 0
