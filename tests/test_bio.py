"""BIO files and CoNLL entity scoring, on hand-made Arabic examples with known answers."""
import pytest

from index.bio import error_counts, read_bio, score, sentences, spans, split_point


def test_read_bio_maps_types_and_reports_malformed_lines(tmp_path):
    f = tmp_path / "gold.txt"
    f.write_text("التقى O\nخليفة B-PER\nحفتر I-PER\n O\nفي O\nبنغازي B-LOC\nمع O\nالأمم B-MISC\n"
                 "الصالحية ونايفة O\nوفد B-ORG\nبلا-وسم\n", encoding="utf-8")
    data = read_bio(f)
    assert data.tokens == ["التقى", "خليفة", "حفتر", "في", "بنغازي", "مع", "الأمم", "الصالحية", "ونايفة", "وفد"]
    assert data.tags == ["O", "B-PERS", "I-PERS", "O", "B-LOC", "O", "O", "O", "O", "B-ORG"]
    assert len(data.problems) == 3  # no token; two tokens for one tag; no tag
    assert any("line 4" in p for p in data.problems) and any("line 11" in p for p in data.problems)


def test_spans_follow_conll():
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-ORG", "I-PERS", "B-LOC"]
    assert spans(tags) == [(0, 2, "PERS"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "PERS"), (7, 8, "LOC")]


def test_score_exact_values():
    gold = ["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "I-ORG"]
    pred = ["B-PERS", "O", "O", "B-LOC", "O", "B-ORG", "I-ORG"]  # person cut short: wrong
    s = score(gold, pred)
    assert s["PERS"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 1, "predicted": 1}
    assert s["LOC"]["f1"] == 1.0 and s["ORG"]["f1"] == 1.0
    assert s["micro"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["micro"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    with pytest.raises(ValueError):
        score(gold, pred[:-1])


def test_split_point_moves_to_a_sentence_start():
    tokens = ["قال", "الوزير", ".", "ثم", "عاد", "إلى", "القاهرة", ".", "انتهى"]
    assert split_point(tokens, 0.5) == 8  # 4 is mid-sentence: the test part starts after the next «.»
    assert sentences(tokens) == [(0, 3), (3, 8), (8, 9)]
    assert sentences(["كلمة"] * 5, max_len=2) == [(0, 2), (2, 4), (4, 5)]


def test_error_counts_tell_missed_boundary_type_and_spurious_apart():
    # «خليفة حفتر» cut to «حفتر», «بنغازي» missed, «الوفاق» read as a place, «أمس» spurious
    gold = ["B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "O"]
    pred = ["O", "B-PERS", "O", "O", "O", "B-LOC", "B-LOC"]
    out = error_counts(gold, pred)
    assert out["PERS"] == {"missed": 0, "boundary": 1, "wrong_type": 0, "spurious": 0}
    assert out["LOC"] == {"missed": 1, "boundary": 0, "wrong_type": 0, "spurious": 1}
    assert out["ORG"] == {"missed": 0, "boundary": 0, "wrong_type": 1, "spurious": 0}
    assert error_counts(gold, gold) == {k: dict.fromkeys(("missed", "boundary", "wrong_type", "spurious"), 0)
                                        for k in ("PERS", "LOC", "ORG")}
