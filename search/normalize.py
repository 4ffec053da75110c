"""Arabic orthographic normalization: one small function per rule.

Every rule is applied identically at index time and at query time (through
:func:`normalize_arabic`), so spelling variants meet in the index.  Offsets are
never computed here: the tokenizer keeps character positions of the ORIGINAL
text, and these functions only rewrite a token's searchable form.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pyarabic import araby

_ALEF_VARIANTS_RE = re.compile("[\u0622\u0623\u0625\u0671\u0672\u0673]")
_HAMZA_CARRIER_RE = re.compile("[\u0624\u0626]")
_TATWEEL = "\u0640"
# Harakat, tanween, shadda, sukun (U+064B-U+0652), the extended marks up to
# U+065F, the superscript alef U+0670 and Quranic annotation marks.
_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)


def strip_tashkeel(text: str) -> str:
    """Remove diacritics: «مُتَحَدِّث» -> «متحدث».

    pyarabic's ``strip_tashkeel`` covers U+064B-U+0652; the extra marks
    (superscript alef U+0670, Quranic signs) are removed here as well.
    """
    return _MARKS_RE.sub("", araby.strip_tashkeel(text))


def strip_tatweel(text: str) -> str:
    """Remove the kashida (tatweel) used to stretch words: «مـصـر» -> «مصر»."""
    return text.replace(_TATWEEL, "")


def normalize_alef(text: str) -> str:
    """Fold hamzated and madda alef forms to bare alef: «أ إ آ ٱ» -> «ا»."""
    return _ALEF_VARIANTS_RE.sub("\u0627", text)


def normalize_hamza_carriers(text: str) -> str:
    """Fold hamza on waw and on yeh to the bare hamza: «مسؤول»/«مسئول» -> «مسءول».

    Egyptian and Levantine spellings of the same word disagree on the carrier;
    folding both to «ء» lets them meet.
    """
    return _HAMZA_CARRIER_RE.sub("\u0621", text)


def normalize_alef_maksura(text: str) -> str:
    """Fold alef maksura to yeh: «مستشفى» -> «مستشفي» (as Lucene does)."""
    return text.replace("\u0649", "\u064a")


def normalize_teh_marbuta(text: str) -> str:
    """Fold teh marbuta to heh: «القاهرة» -> «القاهره» (as Lucene does)."""
    return text.replace("\u0629", "\u0647")


def normalize_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII: «٢٠٢٠» -> «2020»."""
    return text.translate(_DIGITS)


def normalize_arabic(text: str) -> str:
    """The full normalization used for search: every rule above, then lowercase."""
    text = strip_tashkeel(text)
    text = strip_tatweel(text)
    text = normalize_alef(text)
    text = normalize_hamza_carriers(text)
    text = normalize_alef_maksura(text)
    text = normalize_teh_marbuta(text)
    text = normalize_digits(text)
    return text.lower()


@lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """:func:`normalize_arabic` for one token, cached (news vocabulary repeats a lot; the
    analyzers keep their own memo in front, so a small cache catches the rest: 80% of calls)."""
    return normalize_arabic(word)
