"""The entity extractor on the sample collection and on short Arabic texts."""
import pytest

from index.entities import extract_entities, merge_short_names, strip_clitic
from index.readers import read_collection
from search.normalize import normalize_arabic
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_entities():
    found = {"persons": set(), "places": set(), "organizations": set()}
    for doc in read_collection(SAMPLE):
        for kind, names in extract_entities(doc.title, doc.body).items():
            found[kind].update(names)
    return found


def test_sample_yields_the_obvious_people(sample_entities):
    assert {"خليفة حفتر", "فتحي باشاغا", "عماد الطرابلسي", "أيمن بديع", "محمد الطاهر سيالة", "سامح شكري",
            "عباس كامل", "عبد الحميد الدبيبة", "عقيلة صالح"} <= sample_entities["persons"]


def test_sample_yields_the_obvious_places_and_organizations(sample_entities):
    assert {"طرابلس", "القاهرة", "بنغازي", "ليبيا", "مصر", "سرت", "طبرق"} <= sample_entities["places"]
    assert "حكومة الوفاق" in sample_entities["organizations"]


def test_no_phrases_posing_as_people(sample_entities):
    for name in sample_entities["persons"]:
        words = name.split()
        assert 2 <= len(words) <= 4, name
        assert not any(w.startswith("ال") and i == 0 for i, w in enumerate(words)), name
        assert "وزارة" not in name and "حكومة" not in name, name


def test_variants_merge_into_one_canonical_name():
    ents = extract_entities("لقاء", "التقى المشير خليفة حفتر وفدا. وقال حفتر إن قوات لحفتر وصلت بالقاهرة والقاهرة.")
    assert ents["persons"] == ["خليفة حفتر"]
    assert ents["places"] == ["القاهرة"]


def test_transliteration_variants_of_a_listed_person_are_one_name():
    # «ترامب» / «ترمب», «نتنياهو» / «نتانياهو»: both spellings are common in Arabic news
    one = extract_entities("خبر", "قال الرئيس الأمريكي دونالد ترمب إن الاتفاق انتهى.")
    other = extract_entities("خبر", "وأكد ترامب أن بلاده ستنسحب، فيما رحب نتانياهو بالقرار.")
    assert one["persons"] == ["دونالد ترامب"]
    assert other["persons"] == ["دونالد ترامب", "بنيامين نتنياهو"]


def test_a_place_written_in_full_is_its_listed_name():
    # ANT writes «الولايات المتحدة الأمريكية» as often as «الولايات المتحدة»: one facet value,
    # and no «الأمريكية» place left over
    ents = extract_entities("خبر", "وقالت الولايات المتحدة الأمريكية إن واشنطن لن تنسحب.")
    assert "الولايات المتحدة" in ents["places"]
    assert not any("الأمريكية" in place for place in ents["places"])


def test_a_surname_two_listed_people_share_names_neither():
    # «صالح» alone may be عقيلة صالح or برهم صالح: it stays as written
    ents = extract_entities("خبر", "وقال رئيس مجلس النواب إن صالح سيزور القاهرة.")
    assert "صالح" in ents["persons"]  # recognized, so the mapping was asked
    assert "برهم صالح" not in ents["persons"] and "عقيلة صالح" not in ents["persons"]


def test_organization_aliases_map_to_one_name():
    ents = extract_entities("خبر", "أعلنت حكومة الوفاق الوطني وقالت قوات الوفاق ثم حكومة الوفاق الليبية")
    assert ents["organizations"] == ["حكومة الوفاق"]


def test_unknown_person_after_a_title_is_found():
    ents = extract_entities("خبر", "وقال المتحدث باسم الوزارة محمد القبلاوي، إن الاجتماع انتهى.")
    assert "محمد القبلاوي" in ents["persons"]


#: Every name the sample's facets may show, checked by reading the five articles: the
#: nine people, seven places and the organization the issue names, and the others the
#: articles do mention (a Turkish minister, a spokesman, outlets, social networks).
SAMPLE_NAMES = {
    "persons": {"خليفة حفتر", "فتحي باشاغا", "عماد الطرابلسي", "أيمن بديع", "محمد الطاهر سيالة", "سامح شكري",
                "عباس كامل", "عبد الحميد الدبيبة", "عقيلة صالح", "خلوصي أكار", "محمد القبلاوي", "محمد أبوبكر",
                "أحمد معيتيق", "أنتوني بلينكن", "نجلاء المنقوش", "روبرتو فيكو"},
    "places": {"طرابلس", "القاهرة", "بنغازي", "ليبيا", "مصر", "سرت", "طبرق", "تركيا", "دبي",
               "الإمارات العربية المتحدة", "برلين", "الغردقة", "البحر الأحمر", "واشنطن", "الولايات المتحدة",
               "روما", "إيطاليا", "ترهونة"},
    "organizations": {"حكومة الوفاق", "وزارة الخارجية الليبية", "وزارة الداخلية الليبية",
                      "جهاز الاستخبارات الليبية", "اللجنة العسكرية المشتركة", "جهاز المخابرات العامة المصرية",
                      "مجلس النواب الليبي", "وكالة الأناضول", "تويتر", "فيسبوك", "حكومة الوحدة الوطنية",
                      "وزارة الخارجية الأمريكية", "رويترز", "الجزيرة", "العربي الجديد"},
}


@pytest.mark.parametrize("kind", sorted(SAMPLE_NAMES))
def test_sample_facets_have_no_junk(sample_entities, kind):
    assert sample_entities[kind] <= SAMPLE_NAMES[kind], sample_entities[kind] - SAMPLE_NAMES[kind]


@pytest.mark.parametrize("word, name", [
    ("لليبيا", "ليبيا"), ("للقاهرة", "القاهرة"), ("وبالقاهرة", "القاهرة"), ("بطرابلس", "طرابلس"),
    ("وعباس", "عباس"), ("وليد", "وليد"), ("الرياض", "الرياض"),
    ("وبالمنيا", "المنيا"), ("كاليفورنيا", "كاليفورنيا"), ("وكاليفورنيا", "كاليفورنيا"),
])
def test_clitics_come_off_a_names_first_word(word, name):
    assert strip_clitic(word) == name


def test_a_dotted_acronym_is_the_name_written_apart():
    # «بي.بي.سي» had been «شبكة بي»: its dots were read as sentence ends
    found = extract_entities("", "وذكرت شبكة بي.بي.سي البريطانية أن الرئيس غادر لندن")
    assert "بي بي سي" in found["organizations"] and "لندن" in found["places"]


@pytest.mark.parametrize("text, network", [
    ("وقالت لبي بي سي إن الوضع خطير", "بي بي سي"),  # had been the person «لبي بي سي»
    ("وقال في مقابلة مع شبكة إن بي سي الأمريكية إن", "إن بي سي"),  # had been «بي سي»
])
def test_broadcasters_are_organizations_with_their_clitic_off(text, network):
    found = extract_entities("", text)
    assert found["organizations"] == [network] and found["persons"] == []


def test_given_name_alone_is_the_full_name_in_the_article():
    ents = extract_entities("خبر", "التقى الوزير سامح شكري نظيره. وأكد سامح أن الحوار مستمر.")
    assert ents["persons"] == ["سامح شكري"]


def test_shortened_names_are_the_one_full_name_they_begin_or_end():
    # ANT's facets held «كيم جونغ أون», «كيم جونغ» and «كيم» side by side
    ents = extract_entities("خبر", "التقى الزعيم الكوري الشمالي كيم جونغ أون بالرئيس دونالد ترامب. "
                                   "وقال كيم جونغ إن بلاده مستعدة. وأضاف كيم أن القمة تاريخية.")
    assert ents["persons"] == ["كيم جونغ أون", "دونالد ترامب"]


def test_a_listed_person_is_not_merged_into_a_longer_name():
    people = {normalize_arabic(n): n for n in ("دونالد ترامب", "دونالد ترامب جونيور", "دونالد", "ترامب")}
    assert list(merge_short_names(people).values()) == ["دونالد ترامب", "دونالد ترامب جونيور", "دونالد"]


def test_a_father_is_not_merged_into_his_sons_name():
    # an Arabic full name goes on with the father's: «أحمد علي عبد الله صالح» is the son of
    # «علي عبد الله صالح»; a single name at the end still merges («عبد الرحمن» -> «عمر عبد الرحمن»)
    people = {normalize_arabic(n): n for n in ("أحمد علي عبد الله صالح", "علي عبد الله صالح",
                                               "عمر عبد الرحمن", "عبد الرحمن")}
    assert list(merge_short_names(people).values()) == [
        "أحمد علي عبد الله صالح", "علي عبد الله صالح", "عمر عبد الرحمن"]


def test_a_short_name_two_full_names_share_stays_as_written():
    people = {normalize_arabic(n): n for n in ("خالد بن سلمان", "محمد بن سلمان", "بن سلمان", "محمد", "حفتر")}
    assert list(merge_short_names(people).values()) == [
        "خالد بن سلمان", "محمد بن سلمان", "بن سلمان",  # «بن سلمان» ends both
        "خليفة حفتر",  # «محمد» begins one only; «حفتر» is a listed surname no name here owns
    ]
