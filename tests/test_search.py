"""End to end on the sample collection: query language, ranking, snippets, facets."""
import json

import pytest

from search.normalize import normalize_arabic
from search.query import parse_query
from search.searching import search
from tests.conftest import sample_texts


def ids(res):
    return {r["id"] for r in res["results"]}


def test_tripoli_finds_every_article_that_mentions_it(engine):
    mentioning = {i for i, text in sample_texts().items() if "طرابلس" in text}
    assert len(mentioning) == 5
    assert ids(search(engine, "طرابلس")) == mentioning


def test_plural_nisba_finds_articles_with_only_the_singular_or_the_country(engine):
    only_singular = {i for i, t in sample_texts().items() if "المصريين" not in t}
    assert only_singular  # some articles say only «المصري» or «مصر»
    assert only_singular <= ids(search(engine, "المصريين"))


def test_plain_word_finds_diacritized_form_and_snippet_keeps_diacritics(engine):
    res = search(engine, "متحدث")
    assert "000_7d249ea639f1103d" in ids(res)
    snippet = next(r for r in res["results"] if r["id"] == "000_7d249ea639f1103d")["snippet_html"]
    assert "<mark class=\"hl t1\">مُتحدث</mark>" in snippet or ">مُتحدث</mark>" in snippet


def test_phrase_matches_only_the_exact_phrase(engine):
    with_phrase = {i for i, t in sample_texts().items() if "الوفد المصري" in t}
    with_both_words = {i for i, t in sample_texts().items() if "الوفد" in t and "المصري" in t}
    assert with_phrase != with_both_words  # a document has both words, apart
    res = search(engine, '"الوفد المصري"')
    assert ids(res) == with_phrase
    assert all("<mark" in r["snippet_html"] for r in res["results"])


def test_arabic_quotes_work_as_phrase_quotes(engine):
    assert ids(search(engine, "«الوفد المصري»")) == ids(search(engine, '"الوفد المصري"'))


def test_person_filter(engine):
    res = search(engine, "person:حفتر")
    assert res["total"] >= 4
    assert all("خليفة حفتر" in r["persons"] for r in res["results"])
    res = search(engine, 'طرابلس person:"عبد الحميد الدبيبة"')
    assert ids(res) == {"003_1a1189609da923f6"}


def test_source_filter(engine):
    assert ids(search(engine, "source:CNN")) == {"000_7d249ea639f1103d"}
    assert ids(search(engine, "ليبيا source:الجزيرة")) == {"003_1a1189609da923f6"}
    assert ids(search(engine, "source:cnn")) == {"000_7d249ea639f1103d"}  # case folded


def test_place_and_org_filters(engine):
    assert ids(search(engine, "place:بنغازي")) == {i for i, t in sample_texts().items() if "بنغازي" in t}
    # «مجلس نواب طبرق» in 004 is an organization; the place filter follows the entity fields
    res = search(engine, "place:طبرق")
    assert "001_03dfe024d18c3b2a" in ids(res) and all("طبرق" in r["places"] for r in res["results"])
    assert "003_1a1189609da923f6" in ids(search(engine, 'org:"حكومة الوحدة الوطنية"'))


def test_or_and_exclusion(engine):
    texts = sample_texts()
    either = ids(search(engine, "بلينكن OR معيتيق"))
    assert either == {i for i, t in texts.items() if "بلينكن" in t or "معيتيق" in t}
    excluded = ids(search(engine, "حفتر -بنغازي"))
    assert excluded and not any("بنغازي" in texts[i] for i in excluded)


def test_documents_with_all_words_rank_first(engine):
    texts = sample_texts()
    res = search(engine, "باشاغا تويتر")
    both = {i for i, t in texts.items() if "باشاغا" in t and "تويتر" in t}
    assert both and res["results"][0]["id"] in both


def test_question_in_natural_language_ranks_the_answer_first(engine):
    res = search(engine, "من هو رئيس المخابرات المصرية الذي التقى حفتر في بنغازي؟")
    assert res["results"][0]["id"] == "003_1a1189609da923f6"


@pytest.mark.parametrize("q", ['"unbalanced', "((( OR", "OR", "-", 'person:"', "date:", "foo:bar", ":::", "\u202eحفتر",
                               "حفتر OR OR -", '"" "" ""', "source:", "a" * 400, "*?[]{}^~\\"])
def test_malformed_queries_never_raise(engine, q):
    res = search(engine, q)
    assert isinstance(res["total"], int)


def test_bad_date_filter_is_reported_not_raised(engine):
    res = search(engine, "حفتر date:2020-13")
    assert res["warnings"] and res["total"] > 0  # degrades to the words


def test_parse_query_parts():
    pq = parse_query('حفتر OR الدبيبة "وقف إطلاق النار" -تركيا person:"خليفة حفتر" date:2020-12..2021-06 عشوائي:قيمة')
    assert pq.words == [["حفتر", "الدبيبة"], ["عشوائي"], ["قيمة"]]
    assert pq.phrases == ["وقف إطلاق النار"]
    assert pq.excluded_words == ["تركيا"]
    assert pq.filters == [("person", "خليفة حفتر")]
    start, end = pq.date_range
    assert (start.isoformat(), end.date().isoformat()) == ("2020-12-01T00:00:00", "2021-06-30")


def test_facets_count_sources_and_entities(engine):
    res = search(engine, "ليبيا")
    persons = {f["value"]: f["count"] for f in res["facets"]["persons"]}
    assert persons["خليفة حفتر"] == sum(1 for r in res["results"] if "خليفة حفتر" in r["persons"])
    sources = {f["value"] for f in res["facets"]["source"]}
    assert {"CNN", "الجزيرة"} <= sources


def test_snippets_are_escaped(tmp_path):
    from index.builder import build_index
    from search.engines import open_engine

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.jsonl").write_text(json.dumps(
        {"id": "x", "title": "<script>alert(1)</script> حفتر", "text": 'حفتر "><img src=x onerror=alert(1)> <b>'},
        ensure_ascii=False), encoding="utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    with open_engine(tmp_path / "ix") as s:
        r = search(s, "حفتر")["results"][0]
    assert "<img" not in r["snippet_html"] and "&lt;img" in r["snippet_html"]
    assert "<script>" not in r["title_html"] and "&lt;script&gt;" in r["title_html"]
    assert "<mark" in r["snippet_html"]


def test_sort_by_date(tmp_path):
    from index.builder import build_index
    from search.engines import open_engine

    (tmp_path / "c").mkdir()
    rows = [{"id": f"d{m}", "title": "ليبيا", "text": "خبر عن ليبيا " * m, "date": f"2021-0{m}-01"} for m in (3, 1, 2)]
    (tmp_path / "c" / "x.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    with open_engine(tmp_path / "ix") as s:
        assert [r["id"] for r in search(s, "ليبيا", sort="date")["results"]] == ["d3", "d2", "d1"]
        assert ids(search(s, "ليبيا date:2021-02..2021-03")) == {"d2", "d3"}
        months = {f["value"] for f in search(s, "ليبيا")["facets"]["month"]}
        assert months == {"2021-01", "2021-02", "2021-03"}


def test_normalization_is_the_same_for_index_and_query(engine):
    assert ids(search(engine, "القاهره")) == ids(search(engine, "القاهرة"))
    assert ids(search(engine, normalize_arabic("المسئولين"))) == ids(search(engine, "المسؤولين"))


def test_phrase_in_a_long_query_ranks_but_is_not_required(engine):
    """A pasted headline with a quoted word still finds its article when the body lacks the quote."""
    texts = sample_texts()
    assert "لقاءات مثمرة للغاية" not in texts["002_ec7758134357b2f5"]
    res = search(engine, 'باشاغا يصف لقاءات الوفد الأمني المصري في طرابلس بأنها "لقاءات مثمرة للغاية"')
    assert res["results"][0]["id"] == "002_ec7758134357b2f5"
    # in a short query the phrase is required; when no article has it, the words are searched, and it says so
    res = search(engine, 'باشاغا "لقاءات مثمرة للغاية"')
    assert res["warnings"] and "exact phrase" in res["warnings"][0]
    assert res["results"][0]["id"] == "002_ec7758134357b2f5"
    assert not search(engine, '"الوفد المصري"')["warnings"]


def test_a_name_spelled_two_ways_across_articles_is_one_facet_value(tmp_path):
    from index.builder import build_index
    from search.engines import open_engine
    from tests.test_builder import write_jsonl

    write_jsonl(tmp_path / "c", [
        {"id": "1", "title": "زيارة", "text": "وصل المستشار الألماني أولاف شولتس إلى باريس أمس."},
        {"id": "2", "title": "قمة", "text": "قال المستشار الألماني اولاف شولتس إن القمة ناجحة."},
        {"id": "3", "title": "لقاء", "text": "استقبل المستشار الألماني أولاف شولتس ضيفه في برلين."},
    ])
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    with open_engine(tmp_path / "ix") as s:
        persons = search(s, "المستشار")["facets"]["persons"]
        assert persons == [{"value": "أولاف شولتس", "count": 3}]  # the spelling two articles use
        assert search(s, "person:\"أولاف شولتس\"")["total"] == 3


@pytest.mark.parametrize("q", ["حفتر", "حفتر طرابلس", '"الوفد المصري"', "حفتر OR الدبيبة", "طرابلس -تركيا",
                               "person:حفتر", "place:بنغازي حفتر", "مصر ليبيا التعاون الأمني", "من هو حفتر؟"])
def test_total_is_what_whoosh_itself_matches(engine, q):
    """The numpy evaluation of the match set agrees with Whoosh's own matcher."""
    from whoosh import query as Q

    from search.engines.whoosh.queries import to_whoosh

    searcher = engine.searcher()
    scoring_q, filter_q = to_whoosh(parse_query(q), searcher.schema)
    whole = scoring_q if filter_q is None else Q.And([scoring_q, filter_q])
    assert search(engine, q)["total"] == len(set(searcher.docs_for_query(whole))) > 0


def test_highlighter_tokens_are_the_exact_analyzers(engine):
    """The snippet tokenizer mirrors the index's exact analyzer: same words and offsets; the
    words it keeps besides are the stopwords, marked as such."""
    from search.highlight import _marks, match_terms
    from search.stopwords import stopwords

    terms = match_terms(parse_query("حفتر"), engine)
    analyzer = engine.analyzer("text_exact")
    for text in sample_texts().values():
        marked = _marks(text, terms)  # (normalized, start, end, stopword, matched)
        expected = [(t.text, t.startchar, t.endchar) for t in analyzer(text)]
        assert [(word, start, end) for word, start, end, stopped, _ in marked if not stopped] == expected
        assert all(word in stopwords() for word, _, _, stopped, _ in marked if stopped)
        assert any(matched for *_, matched in marked) == ("حفتر" in text)


def test_broad_stems_serve_long_queries_only(tmp_path):
    """«أمطار» and «المطار» share a broad stem: a short query must not match through it;
    a pasted headline finds its article through the derivation its body uses."""
    from index.builder import build_index
    from search.engines import open_engine

    rows = [{"id": "rain", "title": "", "text": "هطلت أمطار غزيرة على مدينة بنغازي"},
            {"id": "army", "title": "", "text": "كشف الجيش الليبي عن تفاصيل الهجوم الذي استهدف مدينة سرت"}]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    with open_engine(tmp_path / "ix") as s:
        assert search(s, "المطار")["total"] == 0
        assert search(s, "يكشف")["total"] == 0
        res = search(s, "مصادر عسكرية يكشف ملابسات هجمات استهدفت سرت")
        assert res["results"][0]["id"] == "army"
        assert '<mark class="hl t0">كشف</mark>' in res["results"][0]["snippet_html"]
