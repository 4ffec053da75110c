"""The letters of house spellings: one small function per rule.

Two spellings of a foreign name or loanword differ by the transliteration correspondences
(:data:`FOLD`: g written غ ج ك or ق, v ف or ڤ, the emphatic and plain letters of a Latin
s, t, d, z, th; «تش» or «ش» for ch; ة or ه), by long vowels and hamza's seat written or
left out (:data:`VOWEL_LETTERS`), by a doubled letter, and by a leading alef («إمبابي»,
«مبابي»).  :func:`candidates` pairs the collection's words that differ by those alone.

Arabic words derived from one root differ in the same letters («كتب», «كاتب»; «تحمل»,
«تحميل»; «مصرف», «مصارف»), and so do a word's inflections («قتلا», «قتلوا»): such pairs
(:func:`inflected`, :func:`root_pattern`) need more evidence (``index.variants.evidence``).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import combinations

from rapidfuzz.distance import Indel

from search.stemming import NAME_CLITICS, PROCLITICS

#: Letters one outlet writes where another writes another, each folded to one.
FOLD = str.maketrans({"غ": "ج", "ك": "ج", "ق": "ج", "ڭ": "ج", "گ": "ج", "چ": "ج", "ڤ": "ف", "پ": "ب", "ة": "ه",
                      "ص": "س", "ط": "ت", "ض": "د", "ظ": "ز", "ث": "ت", "ذ": "ز"})
#: Two letters for one Latin sound before a vowel letter or at the end («منوتشين», «منوشين»; not
#: «يتشتت», a verb of «شتت»).
DIGRAPHS = ((re.compile("تش(?=[اوي]|$)"), "ش"),)
#: Letters written or left out in a foreign word's vowels (and hamza's seat).
VOWEL_LETTERS = "اويء"
_VOWELS = frozenset(VOWEL_LETTERS)
_VOWELS_RE = re.compile(f"[{VOWEL_LETTERS}]")
_DOUBLED_RE = re.compile(r"(.)\1+")
#: A word is paired when it is in at least this many articles and has this many letters.
MIN_ARTICLES = 3
MIN_LETTERS = 4
#: Vowel letters written or left out between two spellings, at most: one, two in words of
#: LONG_WORD letters or more.
LONG_WORD = 7
#: Clitics and the article (the stemmer's), longest first: a pair differing in them alone is one word already.
_CLITICS = tuple(sorted(PROCLITICS + NAME_CLITICS, key=len, reverse=True))
#: Endings and beginnings of one word's inflections (dual, plural, case, person, tense).
SUFFIXES = frozenset({"", "ا", "وا", "ون", "ين", "ان", "تا", "تان", "تين", "ت", "ه", "ي", "و", "يه", "ات", "ها", "هم",
                      "نا", "كم", "وه", "وها"})
#: Endings of a verb's person («استدعت», «استدعيت»): inflections after a verb's stem (VERB_STEM letters at most).
VERB_SUFFIXES = frozenset({"يت", "تم", "يتم", "تما", "ينا", "تن"})
VERB_STEM = 5
#: Endings of number and case («ديمقراطيين», «ديموقراطيون»): two words with two of them are
#: inflections whatever else differs.
ENDINGS = ("يين", "يون", "تين", "تان", "ون", "ين", "ان", "ات", "وا")
#: Attached pronouns, set aside before an inflection is looked for («حليفتها», «حليفتيها»).
PRONOUNS = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه")
PREFIXES = frozenset({"", "ي", "ت", "ا", "ن", "م", "س", "سي", "ست", "سا", "ان", "ات", "است", "ال", "لل", "ل", "و", "ب",
                      "ف", "ك", "وال", "بال"})
#: Letters that begin derived Arabic stems (تفعيل, افتعال, مفعول, استفعال).
DERIVING = "تامي"


def folded(word: str) -> str:
    """``word`` with :data:`FOLD` and :data:`DIGRAPHS` applied and doubled letters single (after
    its first two letters, three after «ال»: «لل» is a preposition and the article, «الممرضين»
    the article and a word that begins with «م», not a doubled letter)."""
    head = 3 if word.startswith("ال") else 2
    if len(word) > head:  # a letter written twice, not two letters folded into one («احبطت»)
        word = word[:head] + _DOUBLED_RE.sub(r"\1", word[head:])
    word = word.translate(FOLD)
    for two, one in DIGRAPHS:
        word = two.sub(one, word)
    return word


def skeleton(word: str) -> str:
    """What one word's spellings share: :func:`folded`, without the vowel letters inside it (its
    first letter, its article «ال» and its last letter kept)."""
    word = folded(word)
    head = 3 if word.startswith("ال") else 1
    if len(word) <= head + 1:
        return word
    return word[:head] + _VOWELS_RE.sub("", word[head:-1]) + word[-1]


def skeletons(word: str) -> set[str]:
    """:func:`skeleton`, and that of the word without a leading alef («إمبابي», «مبابي»)."""
    keys = {skeleton(word)}
    if word.startswith("ا") and not word.startswith("ال") and len(word) > MIN_LETTERS:
        keys.add(skeleton(word[1:]))
    return keys


def vowel_edits(a: str, b: str, doubled: bool = False) -> int | None:
    """How many vowel letters one of two spellings writes where the other writes none or another
    (once folded; ``doubled``: a doubled letter written single counts too), or None if they differ
    in another letter."""
    fa, fb = (a.translate(FOLD), b.translate(FOLD)) if doubled else (folded(a), folded(b))
    dropped = added = 0
    for op, i1, i2, j1, j2 in Indel.opcodes(fa, fb):
        if op == "equal":
            continue
        letters = fa[i1:i2] + fb[j1:j2]
        if not set(letters) <= _VOWELS:
            return None
        dropped += i2 - i1
        added += j2 - j1
    return max(dropped, added)  # a vowel for another («ماسك», «موسك») is one


def near(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by vowel letters only, one (two in long words), or by folded letters alone."""
    edits = vowel_edits(a, b)
    return edits is not None and edits <= (2 if min(len(a), len(b)) >= LONG_WORD else 1)


def base(word: str) -> str:
    """``word`` without its clitics and article («وللبيان» -> «بيان»), if a word is left."""
    for clitic in _CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            return word[len(clitic):]
    return word


def clitic_only(a: str, b: str) -> bool:
    """The two differ in their clitics or article alone («لدور», «للدور»): one word, which the stemmer reads."""
    return base(a) == base(b)


def _ending(word: str) -> str:
    return next((e for e in ENDINGS if word.endswith(e) and len(word) > len(e) + 2), "")


def _without_pronoun(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` without the attached pronoun both end with."""
    for p in PRONOUNS:
        if a.endswith(p) and b.endswith(p) and min(len(a), len(b)) > len(p) + 2:
            return a[:-len(p)], b[:-len(p)]
    return a, b


def inflected(a: str, b: str) -> bool:
    """The two differ in an inflection's ending or beginning («قتلا», «قتلوا»; «ينصب», «انصب»;
    «حليفتها», «حليفتيها»), or end in two endings of number or case («ديمقراطيين», «ديموقراطيون»)."""
    ea, eb = _ending(a), _ending(b)
    if ea and eb and ea != eb:
        return True
    a, b = _without_pronoun(a, b)
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    if i >= 2 and a[i:] in SUFFIXES and b[i:] in SUFFIXES:
        return True
    if 2 <= i <= VERB_STEM and {a[i:], b[i:]} <= SUFFIXES | VERB_SUFFIXES:
        return True
    pa, pb = a[:len(a) - j], b[:len(b) - j]
    if {pa, pb} == {"ا", ""} and j >= MIN_LETTERS:  # a leading alef on a long word: «إمبابي», «مبابي»
        return False
    return j >= 2 and pa in PREFIXES and pb in PREFIXES


def root_pattern(a: str, b: str) -> bool:
    """The two may be one Arabic root's derivations: they differ in vowel letters, and the
    shorter is a root of three consonants («كتب», «كاتب»; «حسن», «حسين») or a derived stem of
    four («تحمل», «تحميل»; «مصرف», «مصارف»)."""
    if vowel_edits(a, b, doubled=True) in (None, 0):
        return False
    short = min(_without_pronoun(base(a), base(b)), key=len)
    for suffix in ("ات", "ه"):  # a plural or feminine ending is no root letter
        if short.endswith(suffix) and len(short) > len(suffix) + 2:
            short = short[:-len(suffix)]
            break
    consonants = [c for c in short if c not in _VOWELS and c not in "هة"]
    return len(consonants) <= 3 or (short[0] in DERIVING and len(consonants) <= 4)


def candidates(frequency: Mapping[str, int]) -> list[tuple[str, str]]:
    """Pairs of the collection's words (normalized, with their article counts) that may be one
    word's spellings: a skeleton in common, :func:`near`, each in MIN_ARTICLES articles; not
    pairs the stemmer reads as one word already (:func:`clitic_only`, :func:`inflected`)."""
    by_key: dict[str, list[str]] = {}
    for word, df in frequency.items():
        if df >= MIN_ARTICLES and len(word) >= MIN_LETTERS and not any(ch.isdigit() for ch in word):
            for key in skeletons(word):
                by_key.setdefault(key, []).append(word)
    pairs = {(a, b) for words in by_key.values() if len(words) > 1 for a, b in combinations(sorted(words), 2)}
    return sorted((a, b) for a, b in pairs if near(a, b) and not clitic_only(a, b) and not inflected(a, b))


#: A two-word spelling's first word has this many letters, its second this many («عبد العزيز»,
#: «فيس بوك», «أبو ظبي»).
MIN_PART = 2


def compounds(frequency: Mapping[str, int]) -> list[tuple[str, str, str]]:
    """``(word, first, second)``: the collection's words that are two of its words written together
    («عبدالعزيز»: «عبد» + «العزيز»), each in MIN_ARTICLES articles.  Whether the two are ever
    written apart, and mean the word, the collection says (``index.variants.discover``)."""
    out = []
    for word, df in frequency.items():
        if df < MIN_ARTICLES or len(word) < 2 * MIN_PART + 1 or any(ch.isdigit() for ch in word):
            continue
        for k in range(MIN_PART, len(word) - MIN_PART + 1):
            first, second = word[:k], word[k:]
            if first in PREFIXES or second in SUFFIXES:  # a clitic or an ending, not a word
                continue
            if frequency.get(first, 0) >= MIN_ARTICLES and frequency.get(second, 0) >= MIN_ARTICLES:
                out.append((word, first, second))
    return out
