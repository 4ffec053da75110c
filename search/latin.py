"""Names typed in Latin letters («Haftar», «Khalifa Hafter», «Muslim Brotherhood») searched as the
Arabic names they stand for.

Two ways, tried in order for each run of Latin words of a query, longest first:

1. **The lexicon** (``search/lexicon/latin_*.tsv``, see :data:`LEXICONS`): the English
   spellings of the people, places and organizations Arabic news mentions most, the
   organizations' and regions' names in six other languages, CLDR's names of places in
   seven, and GeoNames' Latin names of cities and towns, each with its Arabic name.  A spelling matches when its *key* is
   equal to the typed words' key (lower case, no diacritics or dots, hyphens and
   articles ignored, doubled letters single, abbreviations written out), or else,
   tier by tier (:func:`lookup`), its words in another order, its *sound key*: the
   consonant skeleton both scripts share («Haftar», «Hafter», «Hiftar» and «حفتر»
   -> ``HFTR``), also read with other languages' spelling conventions, a key blind to
   vowels, and a looser skeleton for names of several words; so spellings the
   lexicon does not list still match.  A surname names its person when the given
   name typed before it fits (:func:`_span_name`).  Of several names with one key,
   the one in most articles of the collection wins.
2. **Transliteration against the collection** (a name the lexicon lacks): a name of two
   words or more is compared, by sound key, with the entities the collection's articles
   are tagged with (the persons, organizations and places facets: «Imran Khan» -> «عمران
   خان»), a single Latin word with the words of the collection's headlines
   (``Engine.spellings``); the most frequent with the same skeleton is taken
   («Dbeibah» -> «الدبيبة»).  No transliteration library fits: those on PyPI go from
   Arabic to Latin, and Latin spellings of Arabic names drop the short vowels, so a
   word-by-word rule set cannot restore them; the collection's own words can.

The resolved query keeps the user's other words; a matched name becomes its Arabic
words as a phrase (a surname alone becomes the Arabic surname, when the articles with it
are about the name: never a generic word, :func:`generic`, nor an acronym's last word), and
the page says what was searched.  Right or honest: Latin words no name is found for with
confidence (a weak sound match, :func:`vowels_fit`; a generic word; a common short word)
are searched as typed and listed as such (:data:`AS_TYPED`), and the page says so.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.normalize import normalize_arabic
from search.versioned import PerVersion

LEXICON = Path(__file__).resolve().parent / "lexicon" / "latin_names.tsv"
#: The lexicon's files, the hand-made one first (it wins ties), each with how it is matched:
#: ``"sound"``, by every key (the English lexicon, and the organizations' names in six other
#: languages and their acronyms there, ``latin_organizations.tsv``, hand-made); ``"exact"``, as
#: written only (with diacritics and articles ignored): the regions of the news CLDR lacks in those
#: languages (``latin_regions.tsv``, hand-made) and the names of places in seven languages from
#: CLDR (scripts/build_latin_cldr.py): they are many and short, and their skeletons would catch
#: other words («Agency» is the skeleton of «Congo»); ``"late"``, as written only and after the
#: skeletons of the others: the Latin names of cities and towns from GeoNames with the Arabic the
#: collection uses (scripts/build_latin_geonames.py), 55,000 names of 9,000 places, among which
#: small towns' names («Pekin», Illinois) would otherwise take the spelling of a known name.
LEXICONS = ((LEXICON, "sound"), (LEXICON.with_name("latin_organizations.tsv"), "sound"),
            (LEXICON.with_name("latin_regions.tsv"), "exact"), (LEXICON.with_name("latin_places_cldr.tsv"), "exact"),
            (LEXICON.with_name("latin_places_geonames.tsv"), "late"))
#: Words of a name typed in Latin letters, at most.
MAX_NAME_WORDS = 5
#: A sound key shorter than this is too ambiguous to match on («Sisi» -> «SS»): exact keys only.
MIN_SOUND_KEY = 3
#: A collection word offered for an unlisted Latin word is in at least this many headlines' articles.
MIN_WORD_ARTICLES = 3
#: A collection entity offered for an unlisted Latin name of several words is tagged in at least this
#: many articles (with the other spellings of its skeleton), and its skeleton has at least this many
#: consonants.
MIN_ENTITY_ARTICLES = 3
MIN_ENTITY_KEY = 5
#: ... and, to be matched by the looser skeleton, this many («Party Court» is not «ألبرتو غراتسي»).
MIN_LOOSE_ENTITY_KEY = 6

_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F'’.-]+")  # «N.», «R.»: initials
#: Articles: Arabic ones as transliterated, and the French, Spanish, Italian and Portuguese ones
#: that begin place names («Le Caire», «El Cairo», «Il Cairo»).
_ARTICLES = ("al", "el", "al-", "el-", "as", "ash", "ad", "ar", "az", "an", "at",
             "le", "la", "les", "l", "il", "lo", "los", "las", "o", "os")

# Latin -> sound classes: digraphs first, then letters; vowels, y and w (also vowels in
# transliteration) and apostrophes (ع, ء) are dropped.
_LATIN_DIGRAPHS = (("tsch", "S"), ("tch", "S"), ("kh", "H"), ("sh", "S"), ("ch", "S"), ("th", "T"), ("dh", "D"), ("gh", "G"), ("ph", "F"),
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


#: Letters that have no decomposition, and letters that stand for two Latin letters: German ß,
#: Turkish dotless ı and ş, the Slavic č, ć, š, ž (for «Modrić» the Arabic writes «مودريتش»).  Turkish
#: ç stays c, as in French and Portuguese («Barça»): its sound class is that of ج.
_LETTERS = str.maketrans({"ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l",
                          "ş": "sh", "ș": "sh", "š": "sh", "č": "ch", "ć": "ch", "ž": "zh"})


def _plain(text: str) -> str:
    """Lower case, diacritics off, dots off («Erdoğan» -> «erdogan», «Großbritannien» ->
    «grossbritannien», «U.S.» -> «us»)."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS)).replace(".", "")
    return "".join(c for c in text if not unicodedata.combining(c))


#: «Abdel», «Abdul», «Abdur-» (the article of «عبد ال...» written onto «abd», or assimilated to
#: the next consonant: «Abdurrahman»), «Aboul»: the first word of a compound name as its own word.
_COMPOUND = re.compile(r"^(abd|abu|abou)(?:[aeiou]?l-?|[aeiou](?=(sh|[tdrzsn])\2))(?=[a-z]*$)")

#: Abbreviations and the words several languages write for one («St», «San», «Sankt» and «São»
#: for «Saint»), folded to one word in the keys of both the lexicon and what is typed.
_WORDS = {"st": "saint", "ste": "saint", "san": "saint", "sankt": "saint", "sao": "saint", "santo": "saint",
          "santa": "saint", "utd": "united", "dept": "department", "intl": "international",
          "int": "international", "govt": "government", "org": "organization", "organisation": "organization",
          "defence": "defense", "centre": "center", "n": "north", "s": "south", "e": "east", "w": "west",
          "jr": "junior"}
#: Names several words long that organizations' names begin with in their short form:
#: «United States Congress» is the «US Congress», «United Nations Security Council» the «UN ...».
_PHRASES = (("united states of america", "us"), ("united states", "us"), ("united nations", "un"),
            ("united kingdom", "uk"), ("european union", "eu"), ("new york", "ny"))


#: «Nurettin», «Salaheddine», «Nasrallah», «Hezbollah»: a name with «الدين» or «الله» written onto it
#: (Turkish and Maghreb spellings), the article's vowel and doubled consonant marking the join; and
#: the Turkish «-oğlu» Arabic writes as a word of its own («Kılıçdaroğlu»: «قليجدار أوغلو»).
_SUFFIX_COMPOUND = re.compile(r"^([a-z]{3,}?)(?:[aeiou](?:(?:dd|tt)(in)e?|ll(ah?))|(oglu))$")


def _compound(word: str) -> list[str]:
    """«abdelmalek» -> [«abd», «malek»]; «abdurrahman» -> [«abd», «rrahman»]; «nurettin» -> [«nur»,
    «din»]; «nasrallah» -> [«nasr», «lah»]; «cavushoglu» -> [«cavush», «oglu»]; other words as they are."""
    m = _COMPOUND.match(word)
    if not m:
        m = _SUFFIX_COMPOUND.match(word)
        return [m.group(1), "d" + m.group(2) if m.group(2) else "l" + m.group(3) if m.group(3) else m.group(4)] \
            if m else [word]
    rest = word[m.end():]
    return [m.group(1), rest] if rest else [m.group(1)]


def latin_words(text: str) -> list[str]:
    """The words of ``text`` as a name's key words: plain, hyphens split, articles dropped,
    abbreviations written out, «Abdel»-style compounds split."""
    plain = " " + " ".join(re.split(r"[\s\-'’]+", _plain(text))) + " "
    for a, b in _PHRASES:
        plain = plain.replace(f" {a} ", f" {b} ")
    words = []
    for w in plain.split():
        if w in _ARTICLES:
            continue
        words.extend(_compound(_WORDS.get(w, w)))
    return words


def latin_key(text: str) -> str:
    """The exact key of a Latin spelling: plain words, articles off, doubled letters single."""
    return " ".join(re.sub(r"(.)\1+", r"\1", w) for w in latin_words(text))


#: Words left out of the key that ignores word order: «Department of Defense» is the «Defense Department».
_LINKS = {"of", "the", "de", "du", "des", "d", "der", "die", "das", "del", "di", "della", "do", "da", "for", "and"}


#: Words news organizations' names use one for the other (in the word-order key only).
_SYNONYMS = {"press": "news", "pres": "news"}


def order_key(text: str) -> str:
    """The key without linking words, its words sorted (word order is not compared), «press»
    and «news» one word («Saudi News Agency», «Saudi Press Agency»)."""
    words = [_SYNONYMS.get(w, w) for w in latin_key(text).split() if w not in _LINKS]
    return " ".join(sorted(words)) if len(words) >= 2 else ""


#: The kind of state a country's full name begins with («Royaume d'Arabie saoudite», «Kingdom of
#: Saudi Arabia», «République arabe syrienne» is not cut: the kind must come first and be followed
#: by a linking word).
_STATES = {"kingdom", "republic", "state", "emirate", "sultanate", "royaume", "republique", "etat", "emirat",
           "sultanat", "konigreich", "republik", "staat", "reino", "republica", "estado", "regno",
           "repubblica", "stato", "krallik", "cumhuriyeti"}


def without_state(text: str) -> str:
    """«Royaume d'Arabie saoudite» -> «Arabie saoudite»; «Kingdom of Jordan» -> «Jordan»; else ""."""
    words = re.split(r"[\s'’]+", _plain(text))
    if len(words) >= 3 and words[0] in _STATES and words[1] in _LINKS:
        return " ".join(words[2:])
    if len(words) >= 2 and words[0] in ("konigreich", "republik", "staat"):
        return " ".join(words[1:])
    return ""


def other_number(key: str) -> str:
    """The key with its last word's plural s taken off or put on («Reuter» for «Reuters», «Houthi»
    for «Houthis»); "" for a word of three letters or fewer."""
    if len(key.rsplit(" ", 1)[-1]) <= 3:
        return ""
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key + "s"


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


def shape_key(text: str) -> str:
    """The letters with each run of vowels (y and w among them) as one «a» and digraphs as one
    letter: spellings that differ in their vowels only («Souria», «Syria»; «Dubayy», «Dubai»;
    «Lybia», «Libya») meet, where the consonant skeleton is too short to tell names apart.  Kept
    only with two consonants or more."""
    out = []
    for w in latin_words(text):
        for a, b in (("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("q", "k")):
            w = w.replace(a, b)
        w = re.sub(r"[aeiouyw]+", "a", re.sub(r"(.)\1+", r"\1", w))
        out.append(re.sub(r"(.)\1+", r"\1", w))
    key = " ".join(out)
    return key if len(re.sub(r"[a ]", "", key)) >= 2 else ""


#: Consonant classes Latin spellings confuse (kh for ق in «Khadafi», k for خ in «Kashoggi», s for ز,
#: d for ذ and t for ط), folded together for a last, looser comparison; a final s (a plural: «Reuters»,
#: «Griffiths») is dropped.
_LOOSE = str.maketrans({"H": "K", "Z": "S", "D": "T"})


def loose_key(sound: str) -> str:
    words = [w.translate(_LOOSE) for w in sound.split()]
    words = [w[:-1] if len(w) > 2 and w.endswith("S") else w for w in words]
    key = " ".join(w for w in words if w)
    return key if len(key.replace(" ", "")) >= MIN_SOUND_KEY else ""


def sound_key_arabic(text: str) -> str:
    """The consonant skeleton of an Arabic name, in the classes of :func:`sound_key_latin`."""
    out = []
    for w in normalize_arabic(text).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        w = re.sub(r"(.)\1+", r"\1", w).replace("تش", "ش")  # «الله»: one l in Latin; «تش» is Latin ch
        key = "".join(_ARABIC_LETTERS.get(c, "") for c in w).translate(_FOLD)
        out.append(key[:-1] if key.endswith("H") else key)
    return " ".join(k for k in out if k)


@dataclass(frozen=True)
class Name:
    arabic: str
    kind: str  # persons, places, organizations
    latin: str  # the spelling of the lexicon it was found by ("" when by transliteration)
    word: bool = False  # the spelling is also an ordinary English word («Nice»): matched when capitalized only


def is_acronym(latin: str) -> bool:
    """«ACNUR», «U.N.», «CR7»: letters read one by one, which have no consonant skeleton to
    match by (the sound key of «ACNUR» is that of «Junior»)."""
    return not any(c.islower() for c in latin) and " " not in latin.strip()


@dataclass(frozen=True)
class Tables:
    """The lexicon's spellings by each of their keys (key -> names, in file order)."""

    exact: dict[str, list[Name]]
    order: dict[str, list[Name]]  # words in any order
    sound: dict[str, list[Name]]  # the Latin spellings' consonant skeletons
    arabic: dict[str, list[Name]]  # the Arabic names' consonant skeletons
    shape: dict[str, list[Name]]
    loose: dict[str, list[Name]]
    late: dict[str, list[Name]]  # the exact keys of the files matched after the skeletons


@lru_cache(maxsize=1)
def lexicon() -> Tables:
    """The lexicon's tables.  The files matched by sound (see :data:`LEXICONS`) fill every table
    but the late one; the others the exact and word-order tables, or the late table only."""
    t = Tables({}, {}, {}, {}, {}, {}, {})
    for path, how in LEXICONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith(("#", "arabic\t")):
                continue
            arabic, kind, latin, *note = line.split("\t")
            name = Name(arabic, kind, latin, bool(note) and note[0].strip() == "word")
            if how == "late":
                keys = [(t.late, latin_key(latin))]
            else:
                keys = [(t.exact, latin_key(latin)), (t.order, order_key(latin))]
            if how == "sound" and not is_acronym(latin):
                sound = sound_key_latin(latin)
                keys += [(t.sound, sound), (t.shape, shape_key(latin)), (t.loose, loose_key(sound))]
            if how == "sound":
                arabic_sound = sound_key_arabic(arabic)
                keys += [(t.arabic, arabic_sound), (t.loose, loose_key(arabic_sound))]
            for table, key in keys:
                if key and name not in table.setdefault(key, []):
                    table[key].append(name)
    return t


#: A word this short typed in lower case («who», «us», «un», «ap», «pa») is a word, not the acronym
#: the lexicon has in capitals («WHO», «US», «UN»), nor the name whose key it is («United States»).
MAX_WORD_ACRONYM = 3


def _best(names: list[Name], counts: dict[str, int], typed: str = "") -> Name | None:
    """Of several names, the one in most articles (the lexicon's order on ties); a name whose
    spelling is an ordinary English word only when ``typed`` is written as a name (capitalized),
    a short acronym (:data:`MAX_WORD_ACRONYM`) only when typed in capitals."""
    if typed and not _written_as_name(typed):
        names = [n for n in names if not n.word]
    if typed and any(c.islower() for c in typed) and len(latin_key(typed)) <= MAX_WORD_ACRONYM:
        # «who», «us», «un»: a word, not «WHO», nor «United States» or «United Nations» (their keys are «us», «un»)
        names = [n for n in names if not is_acronym(n.latin) and latin_key(n.latin) == latin_key(typed)
                 and _plain(n.latin) == _plain(typed)]
    if not names:
        return None
    return max(enumerate(names), key=lambda e: (tagged_articles(e[1].arabic, counts), -e[0]))[1]


#: Spelling conventions of other languages, tried when a spelling matches nothing as English:
#: German tsch = ch, sch = sh, w = v, j = y, ch = kh, s before a vowel = z («Sacharowa»);
#: French ou = u, dj = j; German ä, ö, ü written ae, oe, ue; c before e, i, y = s («Cyril», «Jacinda»);
#: German final z = ts («Scholz»: «شولتس»); Catalan, Portuguese and Chinese initial x = sh («Xavi»,
#: «Xinjiang»); Spanish j = kh («Juan»: «خوان», «Jorge»).
_FOREIGN = ((r"tsch", "ch"), (r"sch", "sh"), (r"w", "v"), (r"j", "y"), (r"(?<!s)ch", "kh"), (r"ou", "u"),
            (r"dj", "j"), (r"\bs(?=[aeiou])", "z"), (r"ae", "a"), (r"oe", "o"), (r"ue", "u"), (r"c(?=[eiy])", "s"),
            (r"(?<!t)z\b", "ts"), (r"\bx", "sh"), (r"j", "kh"))


def _sound_fits(latin: str, key: str, name: Name) -> bool:
    """For one word typed, matched by its skeleton ``key``: whether the word of ``name`` with that
    skeleton has its long vowels where the typed word has vowels (:func:`vowels_fit`: «Eastern» is
    not «سيتروين», Citroën, whose skeleton it has read as French); when no Arabic word has it (the
    skeleton is a Latin spelling's: «Pence», «بنس»), whether the word is written as a name («bank»
    is not).  Names of several words typed fit."""
    if " " in key:
        return True
    words = [w for w in name.arabic.split() if sound_key_arabic(w) == key]
    return all(vowels_fit(latin, w) for w in words) if words else _written_as_name(latin)


def _variants(latin: str) -> list[str]:
    """The spelling, then the same read with other languages' conventions (one at a time, then all)."""
    plain = _plain(latin)
    out = [latin]
    every = plain
    for a, b in _FOREIGN:
        if re.search(a, plain):
            out.append(re.sub(a, b, plain))
        every = re.sub(a, b, every)
    out.append(every)
    return list(dict.fromkeys(out))


def _written_as_name(latin: str) -> bool:
    """Every word capitalized (articles and particles aside), as names are written."""
    words = [w for w in re.split(r"[\s\-'’]+", latin) if w and _plain(w) not in _ARTICLES + tuple(_LINKS)]
    return bool(words) and all(w[0].isupper() for w in words)


def lookup(latin: str, counts: dict[str, int] | None = None, loose: bool = True) -> Name | None:
    """The Arabic name a Latin spelling stands for, or None.  Tried in order, the first that
    matches wins: the exact key (of the spelling, then of it without a kind of state before a
    country's name); the words in any order; the exact key in the other number (a plural s);
    the consonant skeleton of a lexicon spelling or of an Arabic name, of the spelling and of it
    read with other languages' conventions; the vowels ignored (for a spelling written as a
    name, capitalized); the exact key of the GeoNames towns (or a name with its vowel-blind key,
    the one in most articles: «kuweit» is Kuwait before Kuwait City); then, for a name of two words or more, the looser skeleton
    (:func:`loose_key`).  ``loose=False``: the exact keys and skeletons only (not the GeoNames towns)."""
    t = lexicon()
    counts = counts or {}
    forms = [f for f in (latin, without_state(latin)) if f]
    for table, key in ((t.exact, latin_key), (t.order, order_key)):
        for form in forms:
            found = _best(table.get(key(form), []), counts, latin)
            if found:
                return found
    found = _best(t.exact.get(other_number(latin_key(latin)), []), counts, latin)
    if found:
        return found
    variants = _variants(latin)
    for variant in variants:
        sound = sound_key_latin(variant)
        if len(sound.replace(" ", "")) >= MIN_SOUND_KEY:
            # the one in most articles of both, its vowels where the typed word has vowels
            fitting = [n for n in t.sound.get(sound, []) + t.arabic.get(sound, []) if _sound_fits(latin, sound, n)]
            if fitting:
                return _best(fitting, counts)
    if not loose:
        return None
    if _written_as_name(latin):  # «said», «home», «road» are words, «Souria» a name
        shaped = t.shape.get(shape_key(latin))
        if shaped:
            return _best(shaped, counts)
    late = [n for n in t.late.get(latin_key(latin), []) if not n.word or _written_as_name(latin)]
    if late:  # a town's name: or a name it shares its vowel-blind key with, the one in most articles
        return _best(t.shape.get(shape_key(latin), []) + late, counts)
    if len(latin_words(latin)) >= 2:  # a name of several words is told apart by them all
        for variant in variants:
            loosely = t.loose.get(loose_key(sound_key_latin(variant)))
            if loosely:
                return _best(loosely, counts)
    return None


#: A word of a name stands for it when at most this many times as many of the collection's articles
#: contain the word as are tagged with the name: then at least half of the articles its search finds
#: may be the name's (scripts/eval_latin.py counts a resolution right on that condition).  «حفتر» is in
#: about as many articles as «خليفة حفتر» is tagged in; «الدولي» in 11,141 of ANT's, the IMF in a few hundred.
GENERIC_RATIO = 2


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    """Every spelling of the gazetteers' people, places and organizations (normalized) -> the name the
    entity recognizer tags the articles with (normalized): «داعش» -> «تنظيم الدولة»."""
    from search.lexicon import organization_spellings, person_spellings, place_spellings

    return {normalize_arabic(a): normalize_arabic(c) for a, c in person_spellings() + place_spellings() + organization_spellings()}


def same_name(a: str, b: str) -> bool:
    """Whether two Arabic names are one name: equal, or spellings of one name of the gazetteers
    («داعش» and «تنظيم الدولة»), normalized."""
    a, b = normalize_arabic(a), normalize_arabic(b)
    return a == b or _canonical().get(a, a) == _canonical().get(b, b)


def tagged_articles(arabic: str, counts: dict[str, int]) -> int:
    """The articles tagged with a name, written as the recognizer tags it or as another of its spellings."""
    key = normalize_arabic(arabic)
    return counts.get(_canonical().get(key, key), 0)


def generic(articles: int, tagged: int) -> bool:
    """Whether a word in ``articles`` articles is generic for a name tagged in ``tagged`` articles
    (:data:`GENERIC_RATIO`); a word in no article is not."""
    return articles > GENERIC_RATIO * tagged


#: The Latin vowels each Arabic long vowel (or ع, hamza, a final ة) may be written with.
_VOWEL_LETTERS = {"ا": "aeo", "ى": "aeiy", "و": "ouw", "ي": "iey", "ه": "aeh"}
_ANY_VOWEL = "aeiouyw'h"


def _gaps(units: list[str]) -> list[str]:
    """Of a word as consonant classes (upper case) and vowel letters (lower case), the vowel letters
    of each gap (before the first consonant, between two, after the last); a final H is a vowel
    «h» (the skeleton drops it: «ة», «ه», «ح» and «h» end names alike)."""
    if units and units[-1] == "H":
        units = units[:-1] + ["h"]
    gaps = [""]
    for u in units:
        if u.isupper():
            gaps.extend([""] * len(u))
        else:
            gaps[-1] += u
    return gaps


def _latin_units(latin: str) -> list[str]:
    w = re.sub(r"(.)\1+", r"\1", "".join(latin_words(latin)))
    units, i = [], 0
    while i < len(w):
        for a, b in _LATIN_DIGRAPHS:
            if w.startswith(a, i):
                units.append(b or a)
                i += len(a)
                break
        else:
            units.append(_LATIN_LETTERS.get(w[i], w[i]))
            i += 1
    return units


def _arabic_units(arabic: str) -> list[str]:
    w = normalize_arabic(arabic)
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    w = re.sub(r"(.)\1+", r"\1", w).replace("تش", "ش")
    units = [_ARABIC_LETTERS.get(c, c) for c in w]
    if units and units[-1] == "H" and w[-1] == "ه":  # a final ة (normalized ه): a vowel
        units[-1] = "ه"
    return units


def vowels_fit(latin: str, arabic: str) -> bool:
    """Whether each long vowel (or ع, hamza, final ة) of an Arabic word, between its consonants or
    after the last, has a Latin vowel that may write it in the same place («Dbeibah» and «الدبيبة»;
    not «gold» and «كلود»: no vowel between l and d; not «bank» and «بوينغ»: «a» does not write
    «وي»).  Spellings whose skeletons differ fit."""
    latin_gaps, arabic_gaps = _gaps(_latin_units(latin)), _gaps(_arabic_units(arabic))
    if len(latin_gaps) != len(arabic_gaps):
        return True
    last = len(arabic_gaps) - 1
    for i in range(1, len(arabic_gaps)):
        written = arabic_gaps[i].replace("ي", "ى") if i == last else arabic_gaps[i]  # «سقطرى»: ى is ي normalized
        if written and not any(c in latin_gaps[i] for v in written for c in _VOWEL_LETTERS.get(v, _ANY_VOWEL)):
            return False
    return True


#: English words that join names («King Abdullah of Jordan») and are no part of an entity's name.
_ENGLISH_LINKS = {"of", "the", "and", "for", "in", "on", "at", "to"}


class Transliterator:
    """Latin word -> the collection's word with its sound key (the most frequent), for one index
    version: built from the headline spellings and the document frequencies; and a Latin name of
    two words or more -> the collection's entity (a person, place or organization its articles are
    tagged with) with the same skeleton, the one in most articles (:meth:`name`)."""

    def __init__(self, spellings: dict[str, str], frequency: dict[str, int],
                 entities: Iterable[tuple[str, str, int]] = (), articles: Callable[[str], int] | None = None):
        entities = list(entities)
        #: The collection's words (normalized) with the articles they are in (``frequency``), how many
        #: articles the search of a word finds (``articles``: its stem's, with the forms it stands for:
        #: «طالبان» finds «طالب»'s 1,303 of ANT's articles, its own form is in 147; by default its
        #: form's), and the words of the names the articles are tagged with, with their articles.
        self.frequency = frequency
        self.articles = articles or (lambda word: frequency.get(word, 0))
        named: dict[str, int] = {}
        self.named = named
        for _kind, value, n in entities:
            for w in set(normalize_arabic(value).split()):
                named[w] = named.get(w, 0) + n
        # skeleton -> (articles of all its entities, articles of the likeliest, the likeliest)
        by_key: dict[str, list] = {}
        by_loose: dict[str, list] = {}
        for kind, value, n in entities:
            if " " not in value.strip():
                continue
            key = sound_key_arabic(value)
            if " " not in key or len(key.split()) < len(value.split()) or len(key.replace(" ", "")) < MIN_ENTITY_KEY:
                continue  # one word, or a word without consonants («يحيى»): a skeleton that says too little
            for table, k in ((by_key, key), (by_loose, loose_key(key))):
                entry = table.setdefault(k, [0, 0, None])
                entry[0] += n
                if n > entry[1]:
                    entry[1:] = [n, Name(value, kind, "")]
        #: The entities by skeleton, and by the looser one: the spellings of one
        #: name («جاسيندا أردرن», «جاسيندا أرديرن») count together, the likeliest stands for them.
        self.entities = {k: e[2] for k, e in by_key.items() if k and e[0] >= MIN_ENTITY_ARTICLES}
        self.loose_entities = {k: e[2] for k, e in by_loose.items()
                               if len(k.replace(" ", "")) >= MIN_LOOSE_ENTITY_KEY and e[0] >= MIN_ENTITY_ARTICLES}
        # skeleton -> the headline spellings of the words of names with it, most articles first
        by_sound: dict[str, list[tuple[int, str]]] = {}
        for form, shown in spellings.items():
            n = frequency.get(form, 0)
            if n < MIN_WORD_ARTICLES or generic(n, named.get(form, 0)):  # by its form's articles: cheap
                continue
            key = sound_key_arabic(shown)
            if len(key) >= MIN_SOUND_KEY and " " not in key:
                by_sound.setdefault(key, []).append((n, shown))
        self.best = {key: [shown for _n, shown in sorted(found, key=lambda e: (-e[0], e[1]))]
                     for key, found in by_sound.items()}

    def distinctive(self, word: str, tagged: int) -> bool:
        """Whether an Arabic word (normalized) stands for a name tagged in ``tagged`` articles: its
        search finds at most :data:`GENERIC_RATIO` times as many articles (:func:`generic`)."""
        return not generic(self.articles(word), tagged)

    def word(self, latin: str) -> str | None:
        """The collection's word that a Latin word written as a name (capitalized: «summit» is a word)
        sounds like: a word of a name the collection's articles are tagged with and not generic
        (:meth:`distinctive`), with the Latin word's
        skeleton and its long vowels where the Latin has vowels (:func:`vowels_fit`: «gold» is not
        «كلود», «Eastern» not «سيتروين»), the one in most articles."""
        key = sound_key_latin(latin)
        if len(key) < MIN_SOUND_KEY or " " in key or not _written_as_name(latin):  # «summit» is a word
            return None
        return next((shown for shown in self.best.get(key, ()) if vowels_fit(latin, shown)
                     and self.distinctive(normalize_arabic(shown), self.named.get(normalize_arabic(shown), 0))), None)

    def name(self, latin: str, loose: bool = True) -> Name | None:
        """The collection's entity a Latin name of two words or more, each with consonants, sounds
        like: by the skeleton, of the spelling and, for a spelling written as a name, of it read
        with other languages' conventions, then (``loose``), for such a spelling, by the looser one (:func:`loose_key`:
        «Imran Khan», «Nurettin Canikli», «Cyril Ramaphosa»)."""
        words = latin_words(latin)
        if len(words) < 2 or not all(sound_key_latin(w) for w in words) or _ENGLISH_LINKS & set(words):
            return None
        as_name = _written_as_name(latin)  # «bank money», «great same» are no names
        for variant in _variants(latin) if as_name else [latin]:
            found = self.entities.get(sound_key_latin(variant))
            if found:
                return found
        if loose and as_name:
            for variant in _variants(latin):
                found = self.loose_entities.get(loose_key(sound_key_latin(variant)))
                if found:
                    return found
        return None


def arabic_words_for(latin: str, name: Name, counts: dict[str, int] | None = None,
                     translit: Transliterator | None = None) -> str:
    """What to search for a matched name: the whole Arabic name, or, when one word was typed
    for a name of several, one word of it that stands for the name: the Arabic word that sounds
    like the word typed («Haftar» for «خليفة حفتر», «Hamas» for «حركة حماس»), or a person's
    surname (the last word: «MBS»); never a word of the collection that is generic for the name
    (:func:`generic`, when the collection is known: «Assad» is «الأسد», but «UN», «IMF», «WHO»
    are «الأمم المتحدة», «صندوق النقد الدولي», «منظمة الصحة العالمية» whole, not «المتحدة»,
    «الدولي», «العالمية»)."""
    words = name.arabic.split()
    typed = latin_words(latin)
    if len(typed) != 1 or len(words) == 1:
        return name.arabic
    tagged = tagged_articles(name.arabic, counts or {})

    def stands_for_name(word: str) -> bool:
        return translit is None or not translit.frequency or translit.distinctive(normalize_arabic(word), tagged)

    key = sound_key_latin(latin)
    for w in reversed(words):  # a surname is usually last
        if sound_key_arabic(w) == key:
            return w if stands_for_name(w) else name.arabic
    if name.kind == "persons" and len(latin_words(name.latin)) == 1 and stands_for_name(words[-1]):
        return words[-1]
    return name.arabic


@dataclass(frozen=True)
class Resolved:
    """A query with its Latin names replaced, and what replaced what."""

    text: str
    #: (latin as typed, arabic searched, "lexicon" or "collection"), or (latin, "", "as typed") for Latin
    #: words no name was found for with confidence, searched as typed
    names: tuple[tuple[str, str, str], ...]


#: How a run of Latin words no name was found for is searched (the page and the command line say so).
AS_TYPED = "as typed"


_TOKEN = re.compile(r"\S+")
_OPERATORS = {"OR", "AND", "NOT"}


def _is_latin(token: str) -> bool:
    return bool(_LATIN_WORD.fullmatch(token)) and token not in _OPERATORS and not token.startswith("-") \
        and any(c.isalpha() for c in token)


def _initial(word: str) -> bool:
    """«R.», «J»: a middle initial."""
    return len(_plain(word)) == 1


def _given_name_fits(typed: str, name: Name) -> bool:
    """Whether a typed given name may be the given name of ``name`` written otherwise («Donal»,
    «Michael», «John» for «دونالد», «مايك», «جون»): it begins with the same consonant class, and
    the lexicon does not take it for some other name."""
    given = name.arabic.split()[0]
    typed_key, arabic_key = sound_key_latin(typed), sound_key_arabic(given)
    other = lookup(typed, loose=False)
    return bool(typed_key and arabic_key) and typed_key[0] == arabic_key[0] and other in (None, name)


def _span_name(words: list[str], counts: dict[str, int], translit: Transliterator | None = None) -> Name | None:
    """The lexicon's name for a span of Latin words: as written, or without its middle words
    («Angela Dorothea Merkel», «James N. Mattis» -> their first and last, matched strictly), or
    a person the surname names when the given name before it (and an initial between) fits
    (:func:`_given_name_fits`: «Michael R. Pompeo»), or else the collection's entity that sounds
    like the whole span (:meth:`Transliterator.name`): by its skeleton before the lexicon's
    looser tiers, by its looser skeleton after them."""
    span = " ".join(words)
    name = lookup(span, counts, loose=False) or _entity(words, counts, translit, loose=False) or lookup(span, counts)
    if name is None and len(words) >= 3:
        name = lookup(f"{words[0]} {words[-1]}", counts, loose=False)
    if name is None and (len(words) == 2 or (len(words) == 3 and _initial(words[1]))):
        person = lookup(words[-1], counts)
        if person is not None and person.kind == "persons" and len(person.arabic.split()) >= 2 \
                and _given_name_fits(words[0], person):
            name = person
    return name or _entity(words, counts, translit, loose=True)


def _entity(words: list[str], counts: dict[str, int], translit: Transliterator | None, loose: bool) -> Name | None:
    """The collection's entity a span of two words or more sounds like (:meth:`Transliterator.name`),
    unless it is a longer form of the lexicon's name of one of its words («Neymar da Silva Santos»:
    the name itself, with the particles after it)."""
    if len(words) < 2 or translit is None:
        return None
    name = translit.name(" ".join(words), loose)
    if name is not None and any(_within(lookup(w, counts, loose=False), name) for w in words):
        return None
    return name


def _within(part: Name | None, name: Name) -> bool:
    """Whether ``part``'s Arabic words are all words of ``name``'s."""
    return part is not None and set(normalize_arabic(part.arabic).split()) <= set(normalize_arabic(name.arabic).split())


#: Words that continue a person's name without naming anyone else: Portuguese, Spanish, Italian,
#: French, Dutch and German particles before family names («Cristiano Ronaldo dos Santos Aveiro»),
#: and the suffixes after a name.
_PARTICLES = {"da", "das", "do", "dos", "de", "del", "della", "di", "du", "van", "von", "y"}
_SUFFIXES = {"jr", "junior", "sr", "senior", "filho", "neto"}


def _rest_of_full_name(run: list[str], j: int) -> int:
    """How many words of ``run`` from ``j`` continue a person's full name: suffixes, and a particle
    with the capitalized words after it."""
    k = j
    while k < len(run):
        word = _plain(run[k])
        if word in _SUFFIXES:
            k += 1
        elif word in _PARTICLES and k + 1 < len(run) and run[k + 1][:1].isupper():
            k += 1
            while k < len(run) and (run[k][:1].isupper() or _plain(run[k]) in _PARTICLES):
                k += 1
        else:
            break
    return k - j


def resolve(text: str, counts: dict[str, int], translit: Transliterator | None,
            known: dict[str, int] | None = None) -> Resolved:
    """``text`` with each run of Latin words that names someone or something replaced by the
    Arabic (a phrase): in each run, the longest spans the lexicon knows, left to right; a word
    left over is looked up among the collection's words by sound (:meth:`Transliterator.word`),
    and when none is found with confidence it is searched as typed and listed as such
    (:data:`AS_TYPED`, consecutive words together); words inside quotes and operators stay as
    typed (and are not listed).  ``known``: the collection's Latin words (normalized) with their
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
        run_names: list[int] = []  # the last word of each run of words left as typed, in this run
        while j < len(run):
            for n in range(min(MAX_NAME_WORDS, len(run) - j), 0, -1):
                name = _span_name(run[j:j + n], counts, translit)
                if name is not None:
                    if name.kind == "persons":
                        n += _rest_of_full_name(run, j + n)
                    latin = " ".join(run[j:j + n])
                    arabic = arabic_words_for(latin, name, counts, translit)
                    quoted_arabic = f'"{arabic}"' if " " in arabic else arabic
                    if n == 1 and known.get(normalize_arabic(latin), 0) > 0:
                        out.append(f"{latin} OR {quoted_arabic}")
                    else:
                        out.append(quoted_arabic)
                    names.append((latin, arabic, "lexicon" if name.latin else "collection"))
                    j += n
                    break
            else:
                word = run[j]
                in_articles = known.get(normalize_arabic(word), 0) > 0
                spelled = translit.word(word) if translit is not None and len(word) > 2 and not in_articles else None
                out.append(spelled or word)
                if spelled:
                    names.append((word, spelled, "collection"))
                elif j > 0 and run_names and run_names[-1] == j - 1:  # the words left as typed, together
                    names[-1] = (f"{names[-1][0]} {word}", "", AS_TYPED)
                    run_names[-1] = j
                else:
                    names.append((word, "", AS_TYPED))
                    run_names.append(j)
                j += 1
        i = end
    changed = any(how != AS_TYPED for _l, _a, how in names)
    return Resolved(" ".join(out) if changed else text, tuple(names))


@dataclass(frozen=True)
class Context:
    """What resolving needs from one index version: article counts of the names, and the
    collection's words by sound key."""

    counts: dict[str, int]
    translit: Transliterator
    known: dict[str, int]

    @classmethod
    def from_engine(cls, engine) -> Context:
        """From what the engine's version already has: the facets' values with their article
        counts (the names' counts), the word frequencies of the spelling vocabulary and the
        headlines' spellings (no other pass over the index; not the suggestion table, whose
        search structures the Latin names do not need: 3 s of a first query on ANT)."""
        from search.fields import ENTITY_FIELDS, FACET_FIELDS
        from search.spelling import vocabulary

        counts: dict[str, int] = {}
        entities = []
        for field in FACET_FIELDS:
            for value, n in engine.terms(field):
                key = normalize_arabic(value)
                counts[key] = counts.get(key, 0) + n
                if field in ENTITY_FIELDS:
                    entities.append((field, value, n))
        frequency = vocabulary(engine).frequency
        latin = {w: n for w, n in frequency.items() if w.isascii()}
        lexicon()  # read the lexicon's files here too, where servers build the tables ahead of queries
        return cls(counts, Transliterator(engine.spellings(), frequency, entities, _articles(engine)), latin)


def _articles(engine) -> Callable[[str], int]:
    """How many articles the search of one Arabic word (normalized) finds: its light stem's document
    frequency in ``text``, the field a word is searched in with its exact form (whose articles are
    among the stem's)."""
    from search.analysis import analyze

    stems = engine.analyzer("text")

    @lru_cache(maxsize=4096)
    def articles(word: str) -> int:
        terms = analyze(stems, word) if stems is not None else [word]
        return max((engine.doc_frequency("text" if stems is not None else "text_exact", t) for t in terms), default=0)

    return articles


#: One context per engine and index version.
contexts = PerVersion(Context.from_engine)


def has_latin(text: str) -> bool:
    return any(_is_latin(t) for t in _TOKEN.findall(text))
