"""House spellings (issue #32): the build finds one name's spellings across outlets, a query
searches them all, facets and filters count the name once; look-alikes stay apart."""
from __future__ import annotations

import json

import pytest

from index.builder import build_index
from index.variants.letters import candidates, clitic_only, compounds, inflected, root_pattern, skeleton
from search.engines import open_engine
from search.searching import each_result, search

# ---- the letters' rules, on real words ------------------------------------------------------


def test_transliteration_pairs_are_candidates():
    freq = dict.fromkeys(["ترامب", "ترمب", "غوغل", "جوجل", "منوتشين", "منوشين", "امبابي", "مبابي",
                          "الانجليز", "الانكليز", "سويلو", "صويلو"], 5)
    found = set(candidates(freq))
    for pair in [("ترامب", "ترمب"), ("جوجل", "غوغل"), ("منوتشين", "منوشين"), ("امبابي", "مبابي"),
                 ("الانجليز", "الانكليز"), ("سويلو", "صويلو")]:
        assert tuple(sorted(pair)) in found, pair


def test_what_the_stemmer_reads_or_another_letter_is_no_candidate():
    freq = dict.fromkeys(["قتلا", "قتلوا", "لدور", "للدور", "تحديدهم", "تحييدهم", "قاتل", "قتيل", "ينصب", "انصب"], 5)
    assert candidates(freq) == [("قاتل", "قتيل")]  # only a vowel letter apart; the evidence decides
    assert inflected("قتلا", "قتلوا") and inflected("ينصب", "انصب") and clitic_only("لدور", "للدور")
    assert skeleton("تحديدهم") != skeleton("تحييدهم")  # «د ي د» is no doubled letter
    assert candidates({"المرضين": 5, "الممرضين": 5}) == []  # the article before «م», not «مم» doubled
    assert candidates({"استدعت": 5, "استدعيت": 5}) == []  # a verb's person
    assert candidates({"الانترنت": 5, "الانترنيت": 5}) == [("الانترنت", "الانترنيت")]  # a long stem


def test_root_patterns_are_told_apart_from_foreign_words():
    assert root_pattern("كتب", "كاتب") and root_pattern("تحمل", "تحميل") and root_pattern("مصرف", "مصارف")
    assert not root_pattern("الانترنت", "الانترنيت") and not root_pattern("جوجل", "غوغل")


def test_words_written_together_are_found_with_their_parts():
    freq = {"عبدالعزيز": 9, "عبد": 40, "العزيز": 30, "وطنيه": 9, "وطن": 20, "يه": 4, "10دولار": 3, "دولار": 50, "10": 80}
    assert compounds(freq) == [("عبدالعزيز", "عبد", "العزيز")]


# ---- a real build: two outlets, two spellings -----------------------------------------------

#: Al Arabiya writes «ترمب», Sky News Arabia «ترامب»; both write «كتب» and «كاتب» (different words).
STORIES = [
    ("قمة سنغافورة", "التقى الرئيس الأميركي دونالد {t} الزعيم الكوري الشمالي كيم جونغ أون في سنغافورة، وقال {t} إن اللقاء كان ممتازا."),
    ("الرسوم الجمركية", "فرض الرئيس الأميركي دونالد {t} رسوما جمركية على واردات الصلب من الصين، وقال {t} إن بلاده تدافع عن عمالها."),
    ("الاتفاق النووي", "أعلن الرئيس الأميركي دونالد {t} انسحاب بلاده من الاتفاق النووي مع إيران، وقال {t} إن الاتفاق كارثي."),
    ("حلف الأطلسي", "انتقد الرئيس الأميركي دونالد {t} حلفاء بلاده في حلف شمال الأطلسي، وقال {t} إن عليهم زيادة الإنفاق."),
    ("قمة هلسنكي", "التقى الرئيس الأميركي دونالد {t} نظيره الروسي فلاديمير بوتين في هلسنكي، وقال {t} إن العلاقات تحسنت."),
    ("الهجرة", "دافع الرئيس الأميركي دونالد {t} عن سياسة الهجرة على الحدود مع المكسيك، وقال {t} إن القانون يجب أن يطبق."),
]
OUTLETS = {"العربية": "ترمب", "سكاي نيوز عربية": "ترامب"}
#: Words of an ordinary page both outlets write alike (their own subject each time).
WRITERS = ["كتب الكاتب {n} مقالا عن الرواية العربية الحديثة في معرض الكتاب رقم {n}.",
           "قال كاتب المقال {n} إنه كتب عن المسرح والشعر في الدورة {n}."]


def write_house_collection(path):
    """The two outlets' articles as a JSON Lines collection at ``path``."""
    lines = []
    for o, (source, trump) in enumerate(OUTLETS.items()):
        for n, (title, body) in enumerate(STORIES):
            lines.append({"id": f"{o}-{n}", "source": source, "date": f"2018-06-{n + 10:02d}",
                          "title": f"{title}: {trump} {o}{n}", "text": body.format(t=trump)})
        for n in range(6):
            lines.append({"id": f"{o}-w{n}", "source": source, "date": f"2018-07-{n + 10:02d}",
                          "title": f"ثقافة {o}{n}", "text": WRITERS[n % 2].format(n=f"{o}{n}")})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def house_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("variants")
    summary = build_index([write_house_collection(tmp / "news.jsonl")], tmp / "ix", progress=False, workers=1)
    assert summary.variants["groups"] >= 1
    return tmp / "ix"


def test_the_build_finds_the_house_spellings_and_not_the_look_alikes(house_index):
    with open_engine(house_index) as e:
        variants = e.variants()
        assert set(variants.spellings("ترمب")) == {"ترمب", "ترامب"}
        assert variants.spellings("كتب") == ("كتب",) and variants.spellings("كاتب") == ("كاتب",)


def test_a_spelling_finds_every_outlets_articles_scored_as_one_word(house_index):
    with open_engine(house_index) as e:
        for typed in ("ترمب", "ترامب"):
            res = search(e, typed, page_size=20)
            assert res["total"] == 12
            assert {f["value"] for f in res["facets"]["source"]} == set(OUTLETS)
            assert res["variants"] == [{"word": typed, "also": [{"ترمب": "ترامب", "ترامب": "ترمب"}[typed]]}]
            # one word: the same article scores alike whichever spelling is typed
            scores = {r["id"]: r["score"] for r in res["results"]}
            assert scores == {r["id"]: r["score"] for r in search(e, "ترامب" if typed == "ترمب" else "ترمب",
                                                                    page_size=20)["results"]}
        literal = search(e, "ترمب", variants=False)
        assert literal["total"] == 6 and literal["variants"] == []
        assert {f["value"] for f in literal["facets"]["source"]} == {"العربية"}


def test_phrases_filters_highlights_and_exclusions_follow_the_spellings(house_index):
    with open_engine(house_index) as e:
        assert search(e, '"دونالد ترمب"')["total"] == 12
        assert search(e, "person:ترامب")["total"] == 12
        assert search(e, "قمة -ترمب")["total"] == 0
        hit = next(r for r in search(e, "ترامب", page_size=20)["results"] if r["source"] == "العربية")
        assert '<mark class="hl t0">ترمب</mark>' in hit["snippet_html"]


def test_the_person_facet_lists_one_entry_for_both_spellings(house_index):
    with open_engine(house_index) as e:
        people = search(e, "سنغافورة")["facets"]["persons"]
        trump = [p for p in people if "دونالد" in p["value"]]
        assert len(trump) == 1 and trump[0]["count"] == 2


def test_the_page_the_cli_and_the_export_say_what_else_was_searched(house_index, capsys):
    from web import create_app
    from web.cli import main

    client = create_app({"TESTING": True, "INDEX_DIR": str(house_index)}).test_client()
    page = client.get("/search", query_string={"q": "ترمب"}).get_data(as_text=True)
    assert "وأيضًا" in page and "«ترامب»" in page and "variants=off" in page
    off = client.get("/search", query_string={"q": "ترمب", "variants": "off", "format": "json"}).get_json()
    assert off["total"] == 6 and off["variants"] == []
    assert client.get("/search", query_string={"q": "ترمب", "variants": "maybe"}).status_code == 400
    assert main(["search", "ترمب", "--index", str(house_index)]) == 0
    assert "ترامب" in capsys.readouterr().err
    with open_engine(house_index) as e:
        total, warnings, rows = each_result(e, "ترمب")
        assert total == 12 and len(list(rows)) == 12 and any("ترامب" in w for w in warnings)


def test_autocomplete_offers_the_person_once_under_either_spelling(house_index):
    from search.suggest import Suggester

    with open_engine(house_index) as e:
        table = Suggester.from_engine(e)
        for typed in ("ترم", "ترا", "دونالد"):
            people = [s for s in table.suggest(typed) if s.kind == "person"]
            assert len(people) == 1 and people[0].count == 12, (typed, people)


def test_a_long_query_is_searched_as_typed_its_filters_with_their_spellings(house_index):
    """A question or a pasted headline (more than four words) is searched as typed: its other words
    reach the other outlets already, and added spellings bring competitors (docs/quality.md);
    a filter is a name, searched with its spellings whatever the query's length."""
    with open_engine(house_index) as e:
        headline = "التقى الرئيس الأميركي دونالد ترمب الزعيم الكوري"
        assert search(e, headline)["variants"] == []
        assert search(e, headline)["total"] == search(e, headline, variants=False)["total"]
        res = search(e, f"{headline} person:ترمب")
        assert res["variants"] == [{"word": "ترمب", "also": ["ترامب"]}]


def test_an_update_keeps_the_spellings_when_few_articles_change_and_regroup_finds_them_again(tmp_path):
    """#34: finding the spellings reads every article; an update of at most KEEP_SHARE of them keeps
    the groups (the summary says so), ``regroup`` or a larger update finds them again."""
    from index.variants.discover import KEEP_SHARE

    news = write_house_collection(tmp_path / "news.jsonl")
    build_index([news], tmp_path / "ix", progress=False, workers=1)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "source": "سكاي نيوز عربية", "date": "2018-06-20", "title": "قمة جديدة",
                                 "text": "قال الرئيس الأميركي دونالد ترامب إن القمة المقبلة ستعقد في واشنطن."},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    assert 1 <= KEEP_SHARE * 25
    small = build_index([news, extra], tmp_path / "ix", update=True, progress=False, workers=1)
    assert small.added == 1 and small.variants["kept"] and "kept: few articles changed" in small.line()
    with open_engine(tmp_path / "ix") as e:
        assert set(e.variants().spellings("ترمب")) == {"ترمب", "ترامب"}
        ids = {r["id"] for r in search(e, "ترمب", page_size=50)["results"]}
        assert "new-1" in ids and "0-0" in ids  # the new article, in the other outlet's spelling
    again = build_index([news, extra], tmp_path / "ix", update=True, progress=False, workers=1, regroup=True)
    assert "kept" not in again.variants and again.variants["groups"] >= 1
    # one outlet's articles gone: more than KEEP_SHARE changed, so the spellings are looked for again
    (tmp_path / "sky.jsonl").write_text("".join(line + "\n" for line in news.read_text(encoding="utf-8").splitlines()
                                                if "سكاي" in line), encoding="utf-8")
    large = build_index([tmp_path / "sky.jsonl"], tmp_path / "ix", update=True, progress=False, workers=1)
    assert large.deleted == 13 and "kept" not in large.variants
    with open_engine(tmp_path / "ix") as e:
        assert e.variants().spellings("ترامب") == ("ترامب",)  # one outlet: no evidence of a second spelling
