"""The entity recognizer: the shipped CRF, the gazetteer merge, propagation, the harness."""
import json

import pytest

from index.ner import apply_gazetteer, propagate, recognize, tokenize
from index.bio import spans
from tests.conftest import shared_path
from web.cli import main


def _entities(text):
    toks = tokenize(text)
    return {(" ".join(toks[s:e]), k) for s, e, k in spans(recognize(toks))}


def test_tokens_are_words_and_punctuation():
    assert tokenize("قال «حفتر»، إنّ الجيش.") == ["قال", "«", "حفتر", "»", "،", "إنّ", "الجيش", "."]


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


def test_listed_names_of_several_words_win_over_the_model():
    model = ["B-PERS", "I-PERS", "B-LOC", "O", "B-LOC"]
    gaz = ["B-PERS", "I-PERS", "I-PERS", "O", "B-ORG"]  # «محمد الطاهر سيالة» ... a one-word name
    assert apply_gazetteer(model, gaz) == ["B-PERS", "I-PERS", "I-PERS", "O", "B-LOC"]
    assert apply_gazetteer(["O"] * 5, gaz) == gaz


def test_unsure_guesses_are_left_out():
    # «إيجاز» (a briefing) looks like an unknown place name to the model
    found = _entities("وبحسب إيجاز صحفي لوزارة داخلية الوفاق، تم الإفراج عن الضابطين في طرابلس.")
    assert ("طرابلس", "LOC") in found
    assert not any(name == "إيجاز" for name, _ in found)


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
