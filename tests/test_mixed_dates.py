"""Dated and undated articles in one collection (issue #31): a segment whose articles have no date
has no date column, and Whoosh's multi-segment column reader skipped it without shifting the other
segments' document numbers, so a build whose first (serially written) articles were undated failed
with ``[Errno 22] Invalid argument``.  Every order, one process and two workers, and an update that
adds dated articles to an undated index; each served with ``sort=date`` and ``sort=oldest``."""
from __future__ import annotations

import json

import pytest

from index.builder import build_index
from search.engines import open_engine
from search.searching import search
from tests.conftest import sample_texts

N = 100  # each half is more than SERIAL_FIRST (64), so the workers write segments of their own


def _paragraphs() -> list[str]:
    return [p for t in sample_texts().values() for p in t.split("\n") if len(p.split()) > 4]


def _write(path, prefix: str, dated: bool):
    paras = _paragraphs()
    lines = []
    for n in range(N):
        doc = {"id": f"{prefix}{n:03d}", "title": paras[n % len(paras)][:80],
               "text": f"طرابلس، الخبر {n}\n" + "\n".join(paras[(n * k) % len(paras)] for k in (1, 3))}
        if dated:
            doc["date"] = f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
            doc["source"] = "CNN"
        lines.append(json.dumps(doc, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mixed")
    return tmp, _write(tmp / "undated.jsonl", "u", False), _write(tmp / "dated.jsonl", "d", True)


def _every(engine, sort: str) -> list[dict]:
    """Every match of «طرابلس» in ``sort`` order, page after page."""
    out = []
    for page in (1, 2):
        out += search(engine, "طرابلس", page=page, page_size=N, sort=sort, facets=False, snippets=False)["results"]
    return out


def _check_date_sorts(root):
    """Newest first lists the dated articles newest first, then the undated; oldest first the reverse
    of the dated ones, undated still last; the web app serves both."""
    from web import create_app

    with open_engine(str(root)) as engine:
        total = search(engine, "طرابلس", page_size=1, facets=False, snippets=False)["total"]
        assert total == 2 * N
        newest, oldest = (_every(engine, sort) for sort in ("date", "oldest"))
    for listed, reverse in ((newest, True), (oldest, False)):
        dates = [r["date"] for r in listed]
        dated = [d for d in dates if d]
        assert len(dated) == N and dates[:N] == dated  # undated last
        assert dated == sorted(dated, reverse=reverse)
    client = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()
    for sort in ("date", "oldest"):
        r = client.get("/search", query_string={"q": "طرابلس", "sort": sort, "format": "json", "group": "off"})
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.get_json()["total"] == 2 * N
        assert r.get_json()["results"][0]["date"]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("order", ["undated first", "dated first"])
def test_dated_and_undated_articles_build_and_sort_in_any_order(halves, tmp_path, workers, order):
    _tmp, undated, dated = halves
    collections = [undated, dated] if order == "undated first" else [dated, undated]
    summary = build_index(collections, tmp_path / "ix", progress=False, workers=workers)
    assert summary.documents == 2 * N and not summary.skipped
    _check_date_sorts(tmp_path / "ix")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_update_adds_dated_articles_to_an_undated_index(halves, tmp_path, workers):
    tmp, undated, dated = halves
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "undated.jsonl").write_text(undated.read_text(encoding="utf-8"), encoding="utf-8")
    build_index([folder], tmp_path / "ix", progress=False, workers=workers)
    with open_engine(str(tmp_path / "ix")) as engine:
        assert not any(r["date"] for r in _every(engine, "date"))
    (folder / "dated.jsonl").write_text(dated.read_text(encoding="utf-8"), encoding="utf-8")
    summary = build_index([folder], tmp_path / "ix", update=True, progress=False, workers=workers)
    assert (summary.added, summary.documents) == (N, 2 * N)
    _check_date_sorts(tmp_path / "ix")
