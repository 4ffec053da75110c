"""Names typed in Latin letters («Haftar», «Khalifa Hafter», «Muslim Brotherhood») searched as the
Arabic names they stand for.

Two ways, tried in order for each run of Latin words of a query, longest first:

1. **The lexicon** (``search/lexicon/latin_names.tsv``): the Latin spellings of the
   people, places and organizations Arabic news mentions most, each with its Arabic
   name.  A spelling matches when its *key* is equal to the typed words' key (lower
   case, no diacritics, hyphens and «al-»/«el-» ignored, doubled letters single), or
   else its *sound key*: the consonant skeleton both scripts share («Haftar»,
   «Hafter», «Hiftar» -> ``HFTR``), so spellings the lexicon does not list still
   match.  Of several names with one key, the one in most articles of the collection
   wins.
2. **Transliteration against the collection** (a name the lexicon lacks): a single
   Latin word is compared, by sound key, with the words of the collection's headlines
   (``Engine.spellings``); the most frequent word with the same skeleton is taken
   («Dbeibah» -> «الدبيبة»).  No transliteration library fits: those on PyPI go from
   Arabic to Latin, and Latin spellings of Arabic names drop the short vowels, so a
   word-by-word rule set cannot restore them; the collection's own words can.

The resolved query keeps the user's other words; a matched name becomes its Arabic
words as a phrase (a surname alone becomes the Arabic surname), and the page says
what was searched.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.normalize import normalize_arabic
from search.versioned import PerVersion

LEXICON = Path(__file__).resolve().parent / "lexicon" / "latin_names.tsv"
#: The lexicon's files, the hand-made one first (it wins ties), each with whether its spellings
#: also match by sound key: the organizations' names in six other languages and their acronyms
#: there (``latin_organizations.tsv``, hand-made); the names of places in seven languages from CLDR
#: (scripts/build_latin_cldr.py) match as written only (with diacritics and articles ignored):
#: they are many and short, and their skeletons would catch other words («Agency» is the
#: skeleton of «Congo»).
LEXICONS = ((LEXICON, True), (LEXICON.with_name("latin_organizations.tsv"), True),
            (LEXICON.with_name("latin_places_cldr.tsv"), False))
#: Words of a name typed in Latin letters, at most.
MAX_NAME_WORDS = 5
#: A sound key shorter than this is too ambiguous to match on («Sisi» -> «SS»): exact keys only.
MIN_SOUND_KEY = 3
#: A collection word offered for an unlisted Latin word is in at least this many headlines' articles.
MIN_WORD_ARTICLES = 3

_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F'’-]+")
#: Articles: Arabic ones as transliterated, and the French, Spanish, Italian and Portuguese ones
#: that begin place names («Le Caire», «El Cairo», «Il Cairo»).
_ARTICLES = ("al", "el", "al-", "el-", "as", "ash", "ad", "ar", "az", "an", "at",
             "le", "la", "les", "l", "il", "lo", "los", "las", "o", "os")

# Latin -> sound classes: digraphs first, then letters; vowels, y and w (also vowels in
# transliteration) and apostrophes (ع, ء) are dropped.
_LATIN_DIGRAPHS = (("kh", "H"), ("sh", "S"), ("ch", "S"), ("th", "T"), ("dh", "D"), ("gh", "G"), ("ph", "F"),
                   ("ou", ""), ("ck", "K"))
_LATIN_LETTERS = {"b": "B", "p": "B", "t": "T", "j": "J", "g": "G", "h": "H", "d": "D", "r": "R", "z": "Z",
                  "s": "S", "f": "F", "v": "F", "q": "K", "k": "K", "c": "K", "l": "L", "m": "M", "n": "N",
                  "x": "KS"}
# Arabic letters (normalized) -> the same classes; long vowels, hamza and ain dropped.
_ARABIC_LETTERS = {"ب": "B", "ت": "T", "ث": "T", "ط": "T", "ج": "J", "ح": "H", "خ": "H", "ه": "H", "د": "D",
                   "ذ": "D", "ض": "D", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S", "ص": "S", "ش": "S", "غ": "G",
                   "ف": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M", "ن": "N"}
# Classes one script writes where the other writes another: g for ج (Egyptian) and for ق
# (Libyan «Gaddafi»), j for ج; these are folded into one class each for the comparison.
_FOLD = str.maketrans({"G": "K", "J": "K"})


#: Letters that have no decomposition: German ß, Turkish dotless ı, Scandinavian ø, ligatures.
_LETTERS = str.maketrans({"ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l"})


def _plain(text: str) -> str:
    """Lower case, diacritics off («Erdoğan» -> «erdogan», «Großbritannien» -> «grossbritannien»)."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def latin_words(text: str) -> list[str]:
    """The words of ``text`` as a name's key words: plain, hyphens split, articles dropped."""
    words = []
    for w in re.split(r"[\s\-'’]+", _plain(text)):
        if not w:
            continue
        if w in _ARTICLES:
            continue
        for art in ("al", "el"):
            if w.startswith(art + "-"):
                w = w[len(art) + 1:]
        words.append(w)
    return words


def latin_key(text: str) -> str:
    """The exact key of a Latin spelling: plain words, articles off, doubled letters single."""
    return " ".join(re.sub(r"(.)\1+", r"\1", w) for w in latin_words(text))


def sound_key_latin(text: str) -> str:
    """The consonant skeleton of a Latin spelling («Khalifa Haftar» -> «HLF HFTR»):
    doubled letters single, digraphs as one sound, vowels (and y, w) dropped, letters folded into
    the classes the Arabic letters fall in; a final H is dropped on both sides (ة, ه and ح
    end «Dbeibah», «Abdullah» and «Saleh» alike)."""
    out = []
    for w in latin_words(text):
        w = re.sub(r"(.)\1+", r"\1", w)
        for a, b in _LATIN_DIGRAPHS:
            w = w.replace(a, b.lower())
        key = "".join(_LATIN_LETTERS.get(c, "") for c in w).translate(_FOLD)
        out.append(key[:-1] if key.endswith("H") else key)
    return " ".join(k for k in out if k)


def sound_key_arabic(text: str) -> str:
    """The consonant skeleton of an Arabic name, in the classes of :func:`sound_key_latin`."""
    out = []
    for w in normalize_arabic(text).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        w = re.sub(r"(.)\1+", r"\1", w)  # «الله»: one l in Latin
        key = "".join(_ARABIC_LETTERS.get(c, "") for c in w).translate(_FOLD)
        out.append(key[:-1] if key.endswith("H") else key)
    return " ".join(k for k in out if k)


@dataclass(frozen=True)
class Name:
    arabic: str
    kind: str  # persons, places, organizations
    latin: str  # the spelling of the lexicon it was found by ("" when by transliteration)


def is_acronym(latin: str) -> bool:
    """«ACNUR», «U.N.», «CR7»: letters read one by one, which have no consonant skeleton to
    match by (the sound key of «ACNUR» is that of «Junior»)."""
    return not any(c.islower() for c in latin) and " " not in latin.strip()


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, list[Name]], dict[str, list[Name]]]:
    """(exact key -> names, sound key -> names) of the lexicon, in file order."""
    exact: dict[str, list[Name]] = {}
    sound: dict[str, list[Name]] = {}
    for path, by_sound in LEXICONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith(("#", "arabic\t")):
                continue
            arabic, kind, latin = line.split("\t")[:3]
            name = Name(arabic, kind, latin)
            keys = ((exact, latin_key(latin)),
                    (sound, sound_key_latin(latin) if by_sound and not is_acronym(latin) else ""))
            for table, key in keys:
                if key and name not in table.setdefault(key, []):
                    table[key].append(name)
    return exact, sound


def _best(names: list[Name], counts: dict[str, int]) -> Name:
    """Of several names, the one in most articles (the lexicon's order on ties)."""
    return max(enumerate(names), key=lambda e: (counts.get(normalize_arabic(e[1].arabic), 0), -e[0]))[1]


#: Spelling conventions of other languages, tried when a spelling matches nothing as English:
#: German w = v, j = y, ch = kh, sch = sh; French ou = u, dj = j; Turkish c = j.
_FOREIGN = ((r"sch", "sh"), (r"w", "v"), (r"j", "y"), (r"ch", "kh"), (r"ou", "u"), (r"dj", "j"), (r"tsch", "ch"))


def _variants(latin: str) -> list[str]:
    """The spelling, then the same read with other languages' conventions (one at a time, then all)."""
    plain = _plain(latin)
    out = [latin]
    for a, b in _FOREIGN:
        if a in plain:
            out.append(plain.replace(a, b))
    every = plain
    for a, b in _FOREIGN:
        every = every.replace(a, b)
    out.append(every)
    return list(dict.fromkeys(out))


def lookup(latin: str, counts: dict[str, int] | None = None) -> Name | None:
    """The Arabic name a Latin spelling stands for (exact key, then sound key, then the sound key
    of the spelling read with German, French or Turkish conventions), or None."""
    exact, sound = lexicon()
    counts = counts or {}
    found = exact.get(latin_key(latin))
    if found:
        return _best(found, counts)
    for variant in _variants(latin):
        key = sound_key_latin(variant)
        if len(key.replace(" ", "")) >= MIN_SOUND_KEY and key in sound:
            return _best(sound[key], counts)
    return None


class Transliterator:
    """Latin word -> the collection's word with its sound key (the most frequent), for one index
    version: built from the headline spellings and the document frequencies."""

    def __init__(self, spellings: dict[str, str], frequency: dict[str, int]):
        best: dict[str, tuple[int, str]] = {}
        for form, shown in spellings.items():
            n = frequency.get(form, 0)
            if n < MIN_WORD_ARTICLES:
                continue
            key = sound_key_arabic(shown)
            if len(key) >= MIN_SOUND_KEY and " " not in key and (key not in best or n > best[key][0]):
                best[key] = (n, shown)
        self.best = best

    def word(self, latin: str) -> str | None:
        key = sound_key_latin(latin)
        found = self.best.get(key) if len(key) >= MIN_SOUND_KEY and " " not in key else None
        return found[1] if found else None


def arabic_words_for(latin: str, name: Name) -> str:
    """What to search for a matched name: the whole Arabic name, or, when one word was typed
    for a name of several («Haftar» for «خليفة حفتر»), the Arabic word that sounds like it."""
    words = name.arabic.split()
    typed = latin_words(latin)
    if len(typed) != 1 or len(words) == 1:
        return name.arabic
    key = sound_key_latin(latin)
    for w in reversed(words):  # a surname is usually last
        if sound_key_arabic(w) == key:
            return w
    return name.arabic if len(latin_words(name.latin)) > 1 else words[-1]


@dataclass(frozen=True)
class Resolved:
    """A query with its Latin names replaced, and what replaced what."""

    text: str
    names: tuple[tuple[str, str, str], ...]  # (latin as typed, arabic searched, "lexicon" or "collection")


_TOKEN = re.compile(r"\S+")
_OPERATORS = {"OR", "AND", "NOT"}


def _is_latin(token: str) -> bool:
    return bool(_LATIN_WORD.fullmatch(token)) and token not in _OPERATORS and not token.startswith("-") \
        and any(c.isalpha() for c in token)


def _span_name(words: list[str], counts: dict[str, int]) -> Name | None:
    """The lexicon's name for a span of Latin words: as written, or without its middle words
    («Angela Dorothea Merkel», «James N. Mattis» -> their first and last)."""
    name = lookup(" ".join(words), counts)
    if name is None and len(words) >= 3:
        name = lookup(f"{words[0]} {words[-1]}", counts)
    return name


def resolve(text: str, counts: dict[str, int], translit: Transliterator | None,
            known: dict[str, int] | None = None) -> Resolved:
    """``text`` with each run of Latin words that names someone or something replaced by the
    Arabic (a phrase): in each run, the longest spans the lexicon knows, left to right; a word
    left over is looked up among the collection's words by sound; words inside quotes and
    operators stay as typed.  ``known``: the collection's Latin words (normalized) with their
    article counts: a Latin word at least two articles contain («CNN», «Brexit») is kept,
    the Arabic added as an alternative (``CNN OR سي إن إن``)."""
    known = known or {}
    tokens = _TOKEN.findall(text)
    out, names, i = [], [], 0
    quoted = False
    while i < len(tokens):
        tok = tokens[i]
        if quoted or not _is_latin(tok):
            quoted ^= tok.count('"') % 2 == 1
            out.append(tok)
            i += 1
            continue
        end = i
        while end < len(tokens) and _is_latin(tokens[end]):
            end += 1
        run, j = tokens[i:end], 0
        while j < len(run):
            for n in range(min(MAX_NAME_WORDS, len(run) - j), 0, -1):
                name = _span_name(run[j:j + n], counts)
                if name is not None:
                    latin = " ".join(run[j:j + n])
                    arabic = arabic_words_for(latin, name)
                    quoted_arabic = f'"{arabic}"' if " " in arabic else arabic
                    if n == 1 and known.get(normalize_arabic(latin), 0) > 0:
                        out.append(f"{latin} OR {quoted_arabic}")
                    else:
                        out.append(quoted_arabic)
                    names.append((latin, arabic, "lexicon"))
                    j += n
                    break
            else:
                word = run[j]
                in_articles = known.get(normalize_arabic(word), 0) > 0
                arabic = translit.word(word) if translit is not None and len(word) > 2 and not in_articles else None
                out.append(arabic or word)
                if arabic:
                    names.append((word, arabic, "collection"))
                j += 1
        i = end
    return Resolved(" ".join(out) if names else text, tuple(names))


@dataclass(frozen=True)
class Context:
    """What resolving needs from one index version: article counts of the names, and the
    collection's words by sound key."""

    counts: dict[str, int]
    translit: Transliterator
    known: dict[str, int]

    @classmethod
    def from_engine(cls, engine) -> Context:
        """From the tables the engine's version already has: the names' article counts of the
        suggestion table, the word frequencies of the spelling vocabulary (no other pass over
        the index)."""
        from search.spelling import vocabulary
        from search.suggest import suggesters

        counts: dict[str, int] = {}
        for e in suggesters.get(engine).entries:
            if e.kind != "word":
                key = normalize_arabic(e.value)
                counts[key] = counts.get(key, 0) + e.count
        frequency = vocabulary(engine).frequency
        latin = {w: n for w, n in frequency.items() if w.isascii()}
        return cls(counts, Transliterator(engine.spellings(), frequency), latin)


#: One context per engine and index version.
contexts = PerVersion(Context.from_engine)


def has_latin(text: str) -> bool:
    return any(_is_latin(t) for t in _TOKEN.findall(text))
