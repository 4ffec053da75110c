"""The entity recognizer: the shipped CRF, the gazetteer merge, propagation, the harness."""
import json

from index import gazetteer
from index.bio import sentences, spans
from index.ner import (
    Features,
    Recognizer,
    apply_gazetteer,
    drop_verbal_nouns,
    extend_given_names,
    is_verbal_noun,
    join_name_links,
    join_org_places,
    model_features,
    prefer_listed_names,
    propagate,
    recognize,
    sentence_features,
    split_coordinated_names,
    tokenize,
    trim_person_leads,
)
from search.normalize import normalize_arabic
from tests.conftest import sample_texts, shared_path
from web.cli import main


def _entities(text):
    toks = tokenize(text)
    return {(" ".join(toks[s:e]), k) for s, e, k in spans(recognize(toks))}


def test_tokens_are_words_and_punctuation():
    assert tokenize("قال «حفتر»، إنّ الجيش.") == ["قال", "«", "حفتر", "»", "،", "إنّ", "الجيش", "."]


def test_a_dotted_acronym_is_its_letters_and_ends_no_sentence():
    assert tokenize("ونقلت شبكة بي.بي.سي عن وكالة (د.ب.أ) أن") == [
        "ونقلت", "شبكة", "بي", "بي", "سي", "عن", "وكالة", "(", "د", "ب", "أ", ")", "أن"]
    # a full stop between two words is still one
    assert tokenize("في مصر.وقال") == ["في", "مصر", ".", "وقال"]


def test_unlisted_names_are_found_by_the_model():
    # «ترودو» is neither in the shipped lists nor in ANERcorp: the word classes learned
    # from unlabeled news put it beside other politicians' names
    found = _entities("وقال رئيس الوزراء الكندي جاستن ترودو إن بلاده ستستضيف القمة في باريس الشهر المقبل .")
    assert ("جاستن ترودو", "PERS") in found and ("باريس", "LOC") in found


def test_a_surname_alone_is_tagged_again_near_the_full_name():
    tags = ["B-PERS", "I-PERS", "O", "O", "O", "O"]
    toks = ["ميكايل", "شوماخر", "فاز", ".", "وقال", "شوماخر"]
    assert propagate(toks, tags) == ["B-PERS", "I-PERS", "O", "O", "O", "B-PERS"]
    assert propagate(toks, tags, window=2) == tags  # too far away


def test_a_name_tagged_with_two_types_takes_the_nearest_on_a_tie():
    # «الجزيرة» tagged once as a place and once as an organization: the untagged one between
    # takes the type of the nearer mention, whatever the order of the evidence
    toks = "زار الجزيرة . الجزيرة إن مراسل قناة الجزيرة".split()
    assert propagate(toks, ["O", "B-LOC", "O", "O", "O", "O", "O", "B-ORG"])[3] == "B-LOC"
    toks = "مراسل الجزيرة . الجزيرة إن من زار الجزيرة".split()
    assert propagate(toks, ["O", "B-ORG", "O", "O", "O", "O", "O", "B-LOC"])[3] == "B-ORG"


def test_a_name_is_completed_across_its_link_words():
    # the model stopped at «آل» and started a new person at «مكتوم»
    toks = "صاحب السمو الشيخ محمد بن راشد آل مكتوم نائب رئيس الدولة".split()
    tags = ["O", "O", "O", "B-PERS", "I-PERS", "I-PERS", "I-PERS", "B-PERS", "O", "O", "O"]
    assert join_name_links(toks, tags)[3:9] == ["B-PERS"] + ["I-PERS"] * 4 + ["O"]
    # the model stopped right before «آل ثاني»
    toks = "استقبل الشيخ حمد بن خليفة آل ثاني ، أمس".split()
    tags = ["O", "O", "B-PERS", "I-PERS", "I-PERS", "O", "O", "O", "O"]
    assert join_name_links(toks, tags) == ["O", "O", "B-PERS"] + ["I-PERS"] * 4 + ["O", "O"]
    # a link word alone after a one-word person is not enough («عباس بن» ... ): nothing changes
    toks = "قال عباس إن الاتفاق".split()
    assert join_name_links(toks, ["O", "B-PERS", "O", "O"]) == ["O", "B-PERS", "O", "O"]


def test_names_joined_by_wa_are_two_people():
    toks = "وأحمد رزق ، وغادة عادل وياسمين عبد العزيز ،".split()
    tags = ["B-PERS", "I-PERS", "O", "B-PERS", "I-PERS", "I-PERS", "I-PERS", "I-PERS", "O"]
    out = split_coordinated_names(toks, tags)
    assert [" ".join(toks[s:e]) for s, e, _ in spans(out)] == ["وأحمد رزق", "وغادة عادل", "وياسمين عبد العزيز"]
    # a given name that starts with «و» is not a conjunction
    toks = "محمد وليد".split()
    assert split_coordinated_names(toks, ["B-PERS", "I-PERS"]) == ["B-PERS", "I-PERS"]
    # nor is «وعلى» (and on), though «على» normalizes like the name «علي»
    toks = "خليفة حفتر وعلى".split()
    assert split_coordinated_names(toks, ["B-PERS", "I-PERS", "I-PERS"]) == ["B-PERS", "I-PERS", "I-PERS"]


def test_listed_names_fill_only_what_the_model_left_untagged():
    # «قطاع غزة» is listed, but the model tagged «غزة» alone (ANERcorp's convention): the model's span stays
    toks = "قصف قطاع غزة أمس".split()
    model = ["O", "O", "B-LOC", "O"]
    gaz = ["O", "B-LOC", "I-LOC", "O"]
    assert apply_gazetteer(model, gaz) == model
    # a listed name the model missed entirely is added, several words as one entity
    toks = "وصل محمد الطاهر سيالة إلى القاهرة".split()
    model = ["O", "O", "O", "O", "O", "B-LOC"]
    gaz = ["O", "B-PERS", "I-PERS", "I-PERS", "O", "B-LOC"]
    out = apply_gazetteer(model, gaz)
    assert [(" ".join(toks[s:e]), k) for s, e, k in spans(out)] == [("محمد الطاهر سيالة", "PERS"), ("القاهرة", "LOC")]


def test_a_listed_name_of_several_words_matches_after_a_clitic_on_a_two_letter_word(monkeypatch):
    # «لبي بي سي» (to the BBC) had been a person: «لبي» was never read as «ل» + «بي»
    assert gazetteer.match(normalize_arabic("وقالت لبي بي سي إن").split(), 1) == (3, "بي بي سي", "ORG")
    # a listed two-letter name alone is matched as written only: «بلي» (with a ball) is no «ب» + «لي»
    monkeypatch.setattr(gazetteer, "table", lambda: {"لي": [(("لي",), "لي", "PERS")]})
    assert gazetteer.match(["لي"], 0) == (1, "لي", "PERS")
    assert gazetteer.match(["بلي"], 0) is None


def entities_after(stage, text, tags):
    """(words, type) of the entities ``stage`` leaves in ``text`` tagged ``tags``."""
    toks = text.split()
    return [(" ".join(toks[s:e]), k) for s, e, k in spans(stage(toks, tags))]


def with_listed_names(tokens, tags):
    """prefer_listed_names with the gazetteer's tags, as the recognizer hands them over."""
    return prefer_listed_names(tokens, tags, sentence_features(tokens)[1])


def test_facets_prefer_the_listed_spelling_of_a_name_the_model_cut_or_ran_past():
    # the model tagged part of a listed name
    assert entities_after(with_listed_names, "قصف قطاع غزة أمس", ["O", "O", "B-LOC", "O"]) == [("قطاع غزة", "LOC")]
    assert entities_after(with_listed_names, "التقى محمد الطاهر سيالة", ["O", "O", "B-PERS", "I-PERS"]) == [
        ("محمد الطاهر سيالة", "PERS")]
    # the model ran on past a listed name into «ل» + a place
    assert entities_after(with_listed_names, "اجتماع اللجنة العسكرية المشتركة لليبيا في سرت",
                          ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-LOC"]) == [
        ("اللجنة العسكرية المشتركة", "ORG"), ("سرت", "LOC")]
    # a listed organization around a place the model found: the organization
    assert entities_after(with_listed_names, "مقاتلي هيئة تحرير الشام في إدلب", ["O", "O", "O", "B-LOC", "O", "B-LOC"]) == [
        ("هيئة تحرير الشام", "ORG"), ("إدلب", "LOC")]
    # a listed name inside a longer, different organization is left alone
    assert entities_after(with_listed_names, "أمام الجمعية العامة للأمم المتحدة",
                          ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"]) == [("الجمعية العامة للأمم المتحدة", "ORG")]


def test_a_given_name_before_a_person_is_its_first_name():
    assert entities_after(extend_given_names, "وزراء الحكومة الصومالية علي محمد جيدي بدعم",
                          ["O", "O", "O", "O", "B-PERS", "I-PERS", "O"]) == [("علي محمد جيدي", "PERS")]
    # also after «و»: «وناصر» + «مسعود راشد»
    assert entities_after(extend_given_names, "سعد وناصر مسعود راشد وخلف",
                          ["O", "O", "B-PERS", "I-PERS", "O"]) == [("وناصر مسعود راشد", "PERS")]
    # «على» (on) normalizes like the name «علي», but is written with alef maqsura
    assert entities_after(extend_given_names, "ردا على ترامب", ["O", "O", "B-PERS"]) == [("ترامب", "PERS")]
    assert entities_after(extend_given_names, "وقال علي عبد العال", ["O", "O", "B-PERS", "I-PERS"]) == [
        ("علي عبد العال", "PERS")]
    # a word that is not a given name is left out
    assert entities_after(extend_given_names, "هاجمت قوات حفتر", ["O", "O", "B-PERS"]) == [("حفتر", "PERS")]


def test_titles_roles_and_adjectives_leave_the_start_of_a_person():
    assert entities_after(trim_person_leads, "نائب رئيس الوزراء الاذري يعقوب ايابوف والسفير",
                          ["O", "O", "O", "B-PERS", "I-PERS", "I-PERS", "O"]) == [("يعقوب ايابوف", "PERS")]
    assert entities_after(trim_person_leads, "قال للناقد المصري الراحل غالي شكري",
                          ["O", "B-PERS", "I-PERS", "I-PERS", "I-PERS", "I-PERS"]) == [("غالي شكري", "PERS")]
    # a one-word person is never emptied, and a name is not an adjective
    assert entities_after(trim_person_leads, "القذافي", ["B-PERS"]) == [("القذافي", "PERS")]
    assert entities_after(trim_person_leads, "خليفة حفتر", ["B-PERS", "I-PERS"]) == [("خليفة حفتر", "PERS")]


def test_a_place_after_an_organization_noun_is_part_of_its_name():
    toks = "فاز اتحاد طنجة على أسيك أبيدجان ، واجتمع الاتحاد الأوروبي والصين".split()
    tags = ["O", "O", "B-LOC", "O", "B-ORG", "B-LOC", "O", "O", "B-ORG", "I-ORG", "B-LOC"]
    out = join_org_places(toks, tags)
    assert [(" ".join(toks[s:e]), k) for s, e, k in spans(out)] == [
        ("اتحاد طنجة", "ORG"), ("أسيك أبيدجان", "ORG"), ("الاتحاد الأوروبي", "ORG"), ("والصين", "LOC")]


def test_verbal_nouns_are_not_places():
    assert all(is_verbal_noun(w) for w in ["إيجاز", "اجتماع", "واستقبال", "تعزيز", "تعاون", "مباحثة"])
    assert not any(is_verbal_noun(w) for w in ["طرابلس", "إيطاليا", "القاهرة", "باشاغا"])
    toks = ["وبحسب", "إيجاز", "صحفي", "في", "الأنبار"]
    tags = ["O", "B-LOC", "O", "O", "B-LOC"]
    # the indefinite verbal noun goes; «الأنبار» has the shape too, but the article marks a name
    assert drop_verbal_nouns(toks, tags) == ["O", "O", "O", "O", "B-LOC"]


def test_organizations_news_cites_are_listed():
    found = _entities("وقالت منظمة أوبك إن إنتاج النفط ارتفع ، بحسب وكالة الطاقة الدولية .")
    assert ("منظمة أوبك", "ORG") in found and ("وكالة الطاقة الدولية", "ORG") in found


def test_unsure_guesses_are_left_out():
    # «إيجاز» (a briefing) looks like an unknown place name to the model: its letters
    # resemble «إيران» and «الحجاز»
    found = _entities("وبحسب إيجاز صحفي لوزارة داخلية الوفاق، تم الإفراج عن الضابطين في طرابلس.")
    assert ("طرابلس", "LOC") in found
    assert not any(name == "إيجاز" for name, _ in found)


def _sample_sentences():
    for text in sample_texts().values():
        tokens = tokenize(text)
        for start, end in sentences(tokens):
            yield tokens[start:end]


def test_the_recognizer_gives_the_model_only_features_it_weighs_and_tags_alike():
    recognizer = Recognizer()
    recognizer.tag(["حفتر"])  # opens the model
    tagger = recognizer._tagger()
    known = model_features(tagger)
    for sentence in _sample_sentences():
        every, gaz = sentence_features(sentence)
        kept, kept_gaz = recognizer._features.sentence(sentence)
        assert kept_gaz == gaz
        # what a feature the model has no weight for would have added: nothing
        assert kept == [[f for f in feats if f in known] for feats in every]
        tags = tagger.tag(kept)
        marginals = [tagger.marginal(t, k) for k, t in enumerate(tags)]
        assert tagger.tag(every) == tags
        assert [tagger.marginal(t, k) for k, t in enumerate(tags)] == marginals
    assert sum(len(f) for s in _sample_sentences() for f in recognizer._features.sentence(s)[0]) < \
        sum(len(f) for s in _sample_sentences() for f in sentence_features(s)[0])


def test_word_pair_features_are_kept_whatever_their_words_hold():
    # a "|" is a token of its own, and the pair features join two words with one
    tokens = ["قال", "|", "|", "حفتر", "|"]
    every = sentence_features(tokens)[0]
    pairs = {f for feats in every for f in feats if f.startswith(("w-1w=", "ww+1="))}
    assert {"w-1w=||حفتر", "ww+1=|||", "ww+1=حفتر||", "w-1w=قال||"} <= pairs
    known = frozenset(pairs | {"bias", "gaz=O", "-1:w=قال"})
    kept = Features(known).sentence(tokens)[0]
    assert kept == [[f for f in feats if f in known] for feats in every]


def test_eval_ner_harness_on_a_small_gold_file(tmp_path, capsys):
    gold = tmp_path / "gold.txt"
    lines = "التقى O\nخليفة B-PERS\nحفتر I-PERS\nفي O\nبنغازي B-LOC\nوفد O\nحكومة B-ORG\nالوفاق I-ORG\n. O\n"
    gold.write_text(lines, encoding="utf-8")
    assert main(["eval-ner", "--gold", str(gold), "--split", "all"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tokens"] == 9 and out["micro"]["gold"] == 3
    assert out["micro"]["f1"] == 1.0


def test_anercorp_test_split_figures(capsys):
    """The figures docs/entities.md quotes (ANERcorp's last sixth, never trained on)."""
    gold = shared_path("eval", "ner", "anercorp", "ANERCorp.txt")
    assert main(["eval-ner", "--gold", str(gold), "--split", "test"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["micro"]["f1"] >= 0.75 and out["LOC"]["f1"] >= 0.85
