"""One test per normalization rule, on Arabic literals."""
from search.normalize import (
    normalize_alef,
    normalize_alef_maksura,
    normalize_arabic,
    normalize_digits,
    normalize_hamza_carriers,
    normalize_teh_marbuta,
    strip_tashkeel,
    strip_tatweel,
)


def test_strip_tashkeel_removes_harakat_shadda_and_tanween():
    assert strip_tashkeel("مُتَحَدِّثٌ") == "متحدث"
    assert strip_tashkeel("صدَت") == "صدت"


def test_strip_tashkeel_removes_superscript_alef():
    assert strip_tashkeel("هٰذا") == "هذا"


def test_strip_tatweel():
    assert strip_tatweel("مـصـر") == "مصر"


def test_normalize_alef_folds_hamza_madda_and_wasla():
    assert normalize_alef("أحمد إبراهيم آمال ٱلله") == "احمد ابراهيم امال الله"


def test_normalize_hamza_carriers_makes_egyptian_and_levantine_spellings_meet():
    assert normalize_hamza_carriers("مسؤول") == normalize_hamza_carriers("مسئول") == "مسءول"


def test_normalize_alef_maksura():
    assert normalize_alef_maksura("مستشفى") == "مستشفي"


def test_normalize_teh_marbuta():
    assert normalize_teh_marbuta("القاهرة") == "القاهره"


def test_normalize_digits_arabic_indic_and_persian():
    assert normalize_digits("٢٠٢٠ و۱۹") == "2020 و19"


def test_normalize_arabic_applies_every_rule_and_lowercases():
    assert normalize_arabic("الـمُتَحدِّثة باسم CNN في ٢٠٢١") == "المتحدثه باسم cnn في 2021"
    assert normalize_arabic("إدارة") == normalize_arabic("ادارة")
