"""Names typed in Latin letters find the articles of the Arabic names (real sample articles)."""
import pytest

from search.latin import lookup, sound_key_arabic, sound_key_latin
from search.searching import search

JSON = {"Accept": "application/json"}


@pytest.mark.parametrize("latin, arabic", [("Haftar", "حفتر"), ("Hiftar", "حفتر"), ("Erdoğan", "أردوغان"),
                                           ("Dbeibah", "الدبيبة"), ("Benghazi", "بنغازي"), ("Qatar", "قطر"),
                                           ("Gaddafi", "القذافي"), ("Bashagha", "باشاغا")])
def test_both_scripts_share_a_sound_key(latin, arabic):
    assert sound_key_latin(latin) == sound_key_arabic(arabic)


@pytest.mark.parametrize("latin, arabic", [("Khalifa Haftar", "خليفة حفتر"), ("khalifa hafter", "خليفة حفتر"),
                                           ("Muslim Brotherhood", None), ("Tripoli", "طرابلس"),
                                           ("Recep Tayyip Erdoğan", "رجب طيب أردوغان")])
def test_the_lexicon_knows_spellings_it_does_not_list(latin, arabic):
    name = lookup(latin)
    assert name is not None, latin
    if arabic:
        assert name.arabic == arabic
    else:
        assert "الإخوان" in name.arabic


def test_a_latin_query_finds_what_the_arabic_one_finds(engine):
    for latin, arabic in (("Haftar", "حفتر"), ("Khalifa Hafter", '"خليفة حفتر"'), ("Tripoli", "طرابلس"),
                          ("Bashagha Tripoli", 'باشاغا طرابلس')):
        a, b = search(engine, latin), search(engine, arabic)
        assert a["total"] == b["total"] > 0, latin
        assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]], latin
        assert a["latin"] and all(n["arabic"] for n in a["latin"])
        assert a["results"][0]["snippet_html"] == b["results"][0]["snippet_html"]  # Arabic words highlighted


def test_an_unlisted_latin_name_is_found_through_the_collection_words(engine):
    res = search(engine, "Dbeibah")
    assert res["total"] > 0 and res["latin"][0]["how"] in ("lexicon", "collection")
    assert "الدبيبة" in res["latin"][0]["arabic"]


def test_latin_off_searches_the_letters_as_typed(engine, client):
    assert search(engine, "Haftar", latin=False)["total"] == 0
    body = client.get("/search?q=Haftar", headers=JSON).get_json()
    assert body["total"] == 4 and body["latin"] == [{"latin": "Haftar", "arabic": "حفتر", "how": "lexicon"}]
    html = client.get("/search?q=Haftar").get_data(as_text=True)
    assert "بحثنا عن «حفتر» (Haftar)" in html and "latin=off" in html
    assert client.get("/search?q=Haftar&latin=off", headers=JSON).get_json()["total"] == 0
    assert client.get("/search?q=Haftar&latin=maybe", headers=JSON).status_code == 400


def test_arabic_queries_operators_and_quotes_are_left_alone(engine):
    for q in ("حفتر طرابلس", '"Haftar"', "حفتر OR الدبيبة", "-Haftar حفتر"):
        assert search(engine, q)["latin"] == [], q


def test_exports_and_feeds_follow_the_latin_switch(client):
    """latin=on/off means the same on /search, the exports and the feed."""
    assert client.get("/search.jsonl?q=Haftar").get_data(as_text=True).count("\n") == 4
    assert client.get("/search.jsonl?q=Haftar&latin=off").get_data(as_text=True).strip() == ""
    assert client.get("/search.atom?q=Haftar").get_data(as_text=True).count("<entry>") == 4
    assert client.get("/search.atom?q=Haftar&latin=off").get_data(as_text=True).count("<entry>") == 0
