"""Autocompletion on real Arabic: names by the start of any word, any hamza/ta-marbuta spelling,
with or without «ال» and clitics, ranked by article count; words as the headlines spell them."""
import json

import pytest

from index.builder import build_index
from search.engines import open_engine
from search.suggest import Suggester, readings
from web import create_app


@pytest.fixture(scope="module")
def table(sample_index):
    with open_engine(sample_index) as e:
        yield Suggester.from_engine(e)


def _values(table, typed):
    return [(s.value, s.kind) for s in table.suggest(typed)]


@pytest.mark.parametrize("typed", ["حف", "حفت", "والحف", "لحفتر", "خليفة حف", "خليفه حف", "خليفةَ حفـتر"])
def test_a_name_is_found_from_any_of_its_words_and_spellings(table, typed):
    assert ("خليفة حفتر", "person") in _values(table, typed)


def test_places_and_organizations_with_or_without_the_article_and_clitics(table):
    assert _values(table, "طرا")[0] == ("طرابلس", "place")
    assert _values(table, "بطرابل")[0] == ("طرابلس", "place")
    assert ("القاهرة", "place") in _values(table, "القاه") and ("القاهرة", "place") in _values(table, "قاه")
    assert ("حكومة الوفاق", "org") in _values(table, "الوفا")


def test_ranked_by_article_count_and_a_name_is_not_repeated_as_a_word(table):
    found = table.suggest("ال")
    counts = [s.count for s in found]
    assert counts == sorted(counts, reverse=True) and len(found) == 8
    values = [s.value for s in table.suggest("طرابل")]
    assert values.count("طرابلس") == 1


def test_words_are_shown_as_headlines_spell_them_and_the_last_word_is_completed(table):
    words = [s for s in table.suggest("المصر") if s.kind == "word"]
    assert words and all("ه" != w.value[-1] for w in words)  # «المصرية», never the normalized «المصريه»
    assert any(s.value.startswith("الوفد المصري") for s in table.suggest("الوفد المص"))


def test_nothing_for_empty_or_wordless_input(table):
    assert table.suggest("") == [] and table.suggest("   ") == [] and table.suggest("«»!؟") == []
    assert readings("والحف") == ["والحف", "حف"]


def test_suggest_endpoint_returns_urls_that_run_the_filter(client):
    body = client.get("/suggest?q=حف").get_json()
    assert body["query"] == "حف"
    first = body["suggestions"][0]
    assert first == {"value": "خليفة حفتر", "kind": "person", "count": 4,
                     "url": "/search?q=&f=person%3A%D8%AE%D9%84%D9%8A%D9%81%D8%A9+%D8%AD%D9%81%D8%AA%D8%B1"}
    filtered = client.get(first["url"] + "&format=json").get_json()
    assert filtered["total"] == 4
    assert client.get("/suggest?q=" + "ح" * 101).status_code == 400
    assert client.get("/suggest?q=").get_json()["suggestions"] == []


def test_the_table_follows_an_update(tmp_path):
    rows = [{"id": "a", "title": "أردوغان يزور طرابلس", "text": "زار الرئيس التركي رجب طيب أردوغان طرابلس."}]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.jsonl").write_text(json.dumps(rows[0], ensure_ascii=False), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    assert not any(s["value"] == "الدبيبة" for s in client.get("/suggest?q=الدب").get_json()["suggestions"])
    rows.append({"id": "b", "title": "الدبيبة في أنقرة", "text": "وصل عبد الحميد الدبيبة إلى أنقرة."})
    (tmp_path / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False, update=True)
    import time

    deadline = time.monotonic() + 30  # the new table is built in the background; the old one answers meanwhile
    while True:
        got = client.get("/suggest?q=الدب").get_json()["suggestions"]
        if any("الدبيبة" in s["value"] for s in got) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert any("الدبيبة" in s["value"] for s in got), got


def test_a_request_during_the_warm_up_waits_for_that_build_not_a_second(sample_index):
    """The server builds its tables at start (PerVersion.warm); a request meanwhile waits for
    that build instead of starting another."""
    import threading

    from search.versioned import PerVersion

    builds = []
    gate = threading.Event()

    def slow_build(engine):
        builds.append(1)
        gate.wait(5)
        return Suggester.from_engine(engine)

    tables = PerVersion(slow_build)
    with open_engine(sample_index) as e:
        warm = tables.warm(e)
        got = []
        request = threading.Thread(target=lambda: got.append(tables.get(e)))
        request.start()
        gate.set()
        warm.join(10)
        request.join(10)
        assert len(builds) == 1 and got and got[0].suggest("حف")
