"""The analyzer chain on real Arabic: tokens, offsets, stopwords, stems."""
import pytest

from search.analysis import analyze, broad_analyzer, exact_analyzer, stemmed_analyzer
from search.engines.whoosh.analysis import WhooshAnalyzer
from search.stemming import broad_stem, stem, tashaphyne_stem
from tests.conftest import sample_texts


def test_tokenizer_keeps_diacritized_words_whole():
    tokens = [(t.text, t.startchar, t.endchar) for t in exact_analyzer()("ولفت مُتحدث الخارجية")]
    assert ("متحدث", 5, 11) in tokens  # one token, offsets of the original «مُتحدث»


def test_offsets_point_into_the_original_text():
    text = "قال المُتحدِّث «باشاغا»"
    for t in stemmed_analyzer()(text):
        original = text[t.startchar:t.endchar]
        assert "«" not in original and "»" not in original
        assert original.replace("ُ", "").replace("ِّ", "") in text.replace("ُ", "").replace("ِّ", "")


def test_stopwords_and_question_words_are_dropped():
    assert analyze(exact_analyzer(), "من هو رئيس المخابرات في ليبيا؟") == ["رءيس", "المخابرات", "ليبيا"]


def test_digits_are_indexed_as_ascii():
    assert analyze(exact_analyzer(), "لجنة ٥+٥ عام ٢٠٢٠") == ["لجنه", "5", "5", "عام", "2020"]


@pytest.mark.parametrize("word, expected", [
    ("والمصريين", "مصر"), ("المصري", "مصر"), ("مصر", "مصر"), ("الليبية", "ليب"),
    ("للعاصمة", "عاصم"), ("الانتخابات", "انتخاب"), ("مباحثات", "مباحث"),
    ("وزارة", "وزار"), ("الوزارات", "وزار"), ("التعاون", "تعاون"),
])
def test_light_stemming_of_clitics_and_inflections(word, expected):
    assert analyze(stemmed_analyzer(), word)[0] == expected


@pytest.mark.parametrize("word, readings", [
    ("وصعوبات", ["وصعوب", "صعوب"]), ("بواقعة", ["بواقع", "واقع"]), ("وتعاون", ["وتعا", "تعاون"]),
    ("وزارة", ["وزار", "زار"]), ("للعاصمة", ["عاصم"]), ("والمصريين", ["مصر"]), ("وزير", ["وزير"]),
    ("لحفتر", ["حفتر"]),
])
def test_bare_clitics_give_a_second_reading(word, readings):
    # «و ف ب ل ك» may be a clitic or the word's first letter: both readings are indexed
    assert analyze(stemmed_analyzer(), word) == readings


@pytest.mark.parametrize("word", ["ليبيا", "تعاون", "بلينكن", "فلسطين", "لبنان", "بوتين", "كتب", "فهم", "باشاغا"])
def test_words_tashaphyne_overstems_are_left_whole(word):
    # (the analyzer would also drop «فهم» as the stopword ف+هم; the stemmer leaves it whole)
    assert stem(word) == word


@pytest.mark.parametrize("word, name", [("بطرابلس", "طرابلس"), ("لحفتر", "حفتر"), ("وبنغازي", "بنغازي"),
                                         ("بالقاهرة", "القاهره"), ("للقاهرة", "القاهره")])
def test_clitics_come_off_protected_names(word, name):
    assert analyze(stemmed_analyzer(), word) == [name]


def test_hamza_forms_meet_at_query_time():
    a = stemmed_analyzer()
    assert analyze(a, "أحمد") == analyze(a, "احمد") == analyze(a, "إحمد")
    assert analyze(a, "مسؤولين") == analyze(a, "مسئولين")


def test_stem_is_cached_and_pure():
    assert stem("والمصريين") == stem("والمصريين") == "مصر"
    assert stem.cache_info().hits >= 1


def test_analyzer_pickles_for_the_index():
    import pickle

    a = pickle.loads(pickle.dumps(stemmed_analyzer()))
    assert analyze(a, "بالمصريين") == ["مصر"]


@pytest.mark.parametrize("word, broad", [("يكشف", "كشف"), ("الكشف", "كشف"), ("يبحث", "بحث"),
                                         ("قتلى", "قتل"), ("ليبيا", "ليبيا"), ("بطرابلس", "طرابلس")])
def test_broad_stems_meet_across_derivations_but_keep_names(word, broad):
    # the light stem keeps verb prefixes («يكشف»); the broad stem takes them off, names stay whole
    assert analyze(broad_analyzer(), word) == [broad]


@pytest.mark.parametrize("word, cut", [("يكون", "كو"), ("تعاون", "عا"), ("يوم", "وم")])
def test_broad_stem_falls_back_when_the_cut_is_too_short(word, cut):
    # tashaphyne as shipped leaves two letters; the light stem is kept instead
    assert tashaphyne_stem(word) == cut
    assert broad_stem(word) == stem(word) == word


def test_positions_are_the_tokens_forms_and_positions_without_their_spans():
    texts = [*sample_texts().values(), "", "من في عن", "في «مُتحدث» من الخارجية، وقال"]
    for analyzer in (exact_analyzer(), stemmed_analyzer(), broad_analyzer()):
        for text in texts:
            assert list(analyzer.positions(text)) == [(t.text, t.pos) for t in analyzer(text)]
    # the index's tokens (no character spans asked) are those the highlighter reads (with spans)
    for kind in ("exact", "stemmed", "broad"):
        whoosh = WhooshAnalyzer(kind)
        for text in texts:
            assert [(t.text, t.pos) for t in whoosh(text, positions=True)] == \
                [(t.text, t.pos) for t in whoosh(text, positions=True, chars=True)]
