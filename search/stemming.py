"""Light stemming with tashaphyne, configured for news search.

Tashaphyne's ``ArabicLightStemmer`` as shipped strips any letter of «مأسفلونيتاكب»
that matches its long affix lists and keeps the shortest stem, which mangles
names and common words (ليبيا -> بي, تعاون -> تعا, بلينكن -> لين).  Here its
segmenter is given the affix lists of Arabic *nominal* clitics and inflections
only (no verb-tense prefixes, no single-letter ت/ي/ن/ا/م), and the stem is
chosen from its candidate segmentations with explicit rules:

* a proclitic from :data:`PROCLITICS` is removed (the article and its
  combinations with و ف ب ك ل); a bare one-letter clitic (و ف ب ك ل) is removed
  only in front of a protected name: «بطرابلس» -> «طرابلس», «لحفتر» -> «حفتر»;
* one suffix from :data:`SUFFIX_MIN_STEM` is removed, provided the stem keeps
  at least the number of letters given there;
* protected names (the gazetteer in ``search/lexicon``) are never cut.

Input is a token already normalized by :func:`search.normalize.normalize_arabic`
(so teh marbuta is «ه» and alef maksura «ي»).  :func:`stem` is a pure function,
cached and thread-safe (each thread owns its tashaphyne instance, whose
``segment`` keeps state on the object).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

from tashaphyne.stemming import ArabicLightStemmer

from search.lexicon import protected_words

#: Words each stemming function remembers (least recently used first out).  Each analyzer
#: already keeps every word's forms (``search.analysis.MEMO_WORDS``), so these caches only
#: serve what the analyzers share within a while (the stemmed and the broad analyzer stem the
#: same word) and the callers without a memo; larger, they held hundreds of MB in each build
#: worker for a few points of hit rate (scripts/experiments/worker_memory.py --analysis).
STEM_CACHE = 20_000

#: Proclitics removed before any word (normalized spelling).
PROCLITICS = ("ال", "وال", "بال", "كال", "فال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال")

#: One-letter clitics (and their pairs) removed only in front of a protected name.
NAME_CLITICS = ("و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل", "وك")

#: Suffix -> the minimum length of the stem left after removing it.
#: Composite suffixes (nisba + plural, teh marbuta + pronoun) are listed whole
#: so that one removal gives what iterated removal would.
SUFFIX_MIN_STEM = {
    # nisba and its feminine / plural forms: مصريين مصرية مصريات -> مصر
    "ي": 3, "يه": 3, "يين": 3, "يون": 3, "يان": 3, "يات": 3, "يتين": 3, "يتان": 3,
    # sound plurals and duals: need a longer stem, «تعاون» and «لبنان» are not plurals
    "ات": 3, "ون": 4, "ين": 4, "ان": 4, "تين": 4, "تان": 4,
    # teh marbuta (normalized to heh) and attached pronouns
    "ه": 3, "ها": 3, "هم": 3, "هما": 3, "هن": 3, "كم": 3, "كما": 3, "نا": 3,
    "ته": 3, "تها": 3, "تهم": 3, "تهما": 3, "تنا": 3, "تكم": 3,
    "اته": 3, "اتها": 3, "اتهم": 3,
}

_local = threading.local()


def _segmenter() -> ArabicLightStemmer:
    """This thread's tashaphyne stemmer, configured with our affix lists."""
    seg = getattr(_local, "stemmer", None)
    if seg is None:
        seg = ArabicLightStemmer()
        seg.set_prefix_list(("",) + PROCLITICS)
        seg.set_suffix_list(("",) + tuple(SUFFIX_MIN_STEM))
        seg.set_max_prefix_length(max(map(len, PROCLITICS)))
        seg.set_max_suffix_length(max(map(len, SUFFIX_MIN_STEM)))
        # set_*_list stores the lists but the lookup trees are built in __init__
        seg._create_prefix_tree(seg.prefix_list)
        seg._create_suffix_tree(seg.suffix_list)
        _local.stemmer = seg
    return seg


@lru_cache(maxsize=STEM_CACHE)
def clitic_readings(word: str, clitics: tuple[str, ...] = NAME_CLITICS, shortest: int = 3) -> tuple[str, ...]:
    """The word, then what it may be without one of ``clitics``, the article restored
    where the clitic absorbed it: «وبالقاهره» -> (…, «القاهره»), «للقاهره» -> (…, «القاهره»).

    The default strips only one-letter clitics and their pairs, keeping the article
    (the entity extractor must not read «الرياض» as the given name «رياض»), and
    leaves at least ``shortest`` letters.
    """
    out = [word]
    for clitic in clitics:
        rest = word[len(clitic):]
        if not word.startswith(clitic) or len(rest) < shortest:
            continue
        out.append(rest)
        if clitic.endswith(("ال", "لل")):  # بالقاهره = ب + القاهره, للقاهره = ل + القاهره
            out.append("ال" + rest)
        elif clitic.endswith("ل") and rest.startswith("ل"):
            out.append("ا" + rest)
    return tuple(dict.fromkeys(out))


def _protected_form(word: str, names: frozenset[str]) -> str | None:
    """The protected name inside ``word`` (after clitics), or None."""
    return next((r for r in clitic_readings(word, NAME_CLITICS + PROCLITICS) if r in names), None)


def _choose_segment(word: str, segments) -> tuple[int, int]:
    """Pick (left, right): the longest proclitic, then the longest valid suffix."""
    best = (0, len(word))
    best_key = (0, 0)
    for left, right in segments:
        prefix, suffix = word[:left], word[right:]
        stem_len = right - left
        if suffix and stem_len < SUFFIX_MIN_STEM.get(suffix, 99):
            continue
        if prefix and stem_len < 2:
            continue
        key = (left, len(word) - right)
        if key > best_key:
            best, best_key = (left, right), key
    return best


@lru_cache(maxsize=STEM_CACHE)
def stem(word: str) -> str:
    """Light stem of one normalized token: «والمصريين» -> «مصر», «ليبيا» -> «ليبيا»."""
    if len(word) < 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    names = protected_words()
    name = _protected_form(word, names)
    if name is not None:
        return name
    seg = _segmenter()
    left, right = _choose_segment(word, seg.segment(word))
    return word[left:right]


#: One-letter clitics whose removal is offered as an alternative stem.
BARE_CLITICS = "".join(c for c in NAME_CLITICS if len(c) == 1)


@lru_cache(maxsize=STEM_CACHE)
def clitic_alternative(word: str) -> str | None:
    """The stem of ``word`` without a leading one-letter clitic, when that reading is possible.

    «وصعوبات» may be «و» + «صعوبات» or a word of its own (like «وزارات»); the
    analyzer indexes both readings at the same position, so «صعوبات» finds
    «وصعوبات» while «وزارة» keeps its own stem.  None when there is no such reading.
    """
    if len(word) < 5 or word[0] not in BARE_CLITICS or not ("\u0621" <= word[1] <= "\u064a"):
        return None
    if word.startswith(PROCLITICS):
        return None  # «للعاصمة», «والمصريين»: the proclitic is already removed
    if _protected_form(word, protected_words()) is not None:
        return None  # names already lose their clitic in stem()
    alternative = stem(word[1:])
    return alternative if alternative != stem(word) and len(alternative) >= 3 else None


@lru_cache(maxsize=STEM_CACHE)
def tashaphyne_stem(word: str) -> str:
    """Tashaphyne's light stemmer exactly as shipped (for comparison only: it over-stems)."""
    seg = getattr(_local, "shipped", None)
    if seg is None:
        seg = _local.shipped = ArabicLightStemmer()
    return seg.light_stem(word) or word


@lru_cache(maxsize=STEM_CACHE)
def broad_stem(word: str) -> str:
    """A deliberately aggressive stem for the low-weight ``text_broad`` field.

    Tashaphyne's light stemmer as shipped also strips verb-tense prefixes and the
    «م» of derived nouns, so «يكشف», «كشف» and «الكشف» meet, as do «مقتل» and
    «قتل»: derivations a headline and its article use for the same event.  Names
    are protected as in :func:`stem` (tashaphyne alone cuts «ليبيا» to «بي»), and
    a cut that leaves fewer than three letters falls back to :func:`stem`.
    """
    if len(word) < 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    name = _protected_form(word, protected_words())
    if name is not None:
        return name
    cut = tashaphyne_stem(word)
    return cut if len(cut) >= 3 else stem(word)


def no_stem(word: str) -> str:
    """No stemming: normalization only (for comparison)."""
    return word


#: Stemmers by name, as stored in an index's analyzer.
STEMMERS: dict[str, Callable[[str], str]] = {"akhbar": stem, "tashaphyne": tashaphyne_stem, "none": no_stem, "broad": broad_stem}
