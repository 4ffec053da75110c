"""Arabic stopwords for search, from the arabic-stopwords package.

The package lists every clitic form of ~500 function words (13k forms).  Forms of
lemmas that carry meaning in news text («عين», «نفس», «أبو», «ابن», «نعم» ...)
are kept out, and interrogatives missing from the list are added, so that
questions are reduced to their content words.  The list is normalized with the
same rules as the text, since stopwords are removed after normalization.
"""
from __future__ import annotations

from functools import lru_cache

from arabicstopwords.stopwordsallforms import STOPWORDS

from search.normalize import normalize_arabic

#: Lemmas of the package list that are content words in news, or name parts.
KEEP_LEMMAS = frozenset({
    "ابن", "أب", "أبا", "أبو", "أبي", "أخ", "أخا", "أخو", "أخي", "حم", "حما", "حمو", "حمي",
    "عين", "نفس", "نعم", "عدس", "شطر", "رب", "بس", "جلل", "جير", "طاق", "طق", "بطآن",
    "سبحان", "معاذ", "آمين", "ذات", "عامة", "أجمع", "حي", "وي", "ها",
})

#: Lemmas kept bare only: with clitics their normalized forms collide with nouns
#: («ولأية» normalizes to «ولايه», the same as «ولاية», a state).
BARE_ONLY_LEMMAS = frozenset({"أي", "أية", "أيها", "أيتها"})

#: Question and discourse words that the package does not list.
EXTRA_STOPWORDS = ("لماذا", "ولماذا", "هل", "وهل", "كم", "ما", "وما", "فما", "متى", "أين", "كيف", "ماذا",
                   "الى", "إلى", "علي", "على", "التي", "الذي", "الذين", "اللذين", "أيضا", "ايضا", "اي", "أي")


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    """Normalized stopword forms."""
    forms = {
        form
        for form, analyses in STOPWORDS.items()
        if not any(a.get("original") in KEEP_LEMMAS for a in analyses)
        and not (form not in BARE_ONLY_LEMMAS and any(a.get("original") in BARE_ONLY_LEMMAS for a in analyses))
    }
    forms.update(EXTRA_STOPWORDS)
    return frozenset(normalize_arabic(f) for f in forms)
