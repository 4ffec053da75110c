"""A first named-entity extractor: gazetteers plus a few rules.

Stage contract (as in camel_tools): :func:`tokenize` turns text into
:class:`Tok`; :func:`extract` takes tokens and returns canonical names per type.

* Gazetteer names (``search/lexicon``) are matched after stripping a clitic from
  the first word («بطرابلس», «لحفتر», «وبالقاهرة»), longest match first, and
  reported in their canonical spelling; organization aliases map to one name.
* A person not in the gazetteer is a given name (``first_names.txt``), or a
  word after a title (اللواء، المشير، الوزير ...), followed by one to three
  name words, stopping at punctuation, stopwords and title nouns.
* A surname alone («حفتر», «باشاغا») is the full name it belongs to, when that
  name appears in the same article or the surname is distinctive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import TOKEN_RE
from search.lexicon import first_names, persons, places, read_entries
from search.normalize import normalize_arabic, normalize_word, strip_tashkeel, strip_tatweel
from search.stemming import clitic_readings
from search.stopwords import stopwords

PERSON, PLACE, ORG = "persons", "places", "organizations"

#: Words that announce a person's name.
TITLES = frozenset(normalize_arabic(w) for w in (
    "الرئيس الوزير اللواء المشير السفير الجنرال العقيد العميد الفريق الشيخ الأمير الملك السيد "
    "السيدة الدكتور المستشار الزعيم النائب المبعوث الأمين القائد الناطق المتحدث نظيره نظيرته"
).split())

#: Nouns that end a name («أيمن بديع نائب رئيس ...»): roles, and frequent non-name words.
NAME_BREAKERS = frozenset(normalize_arabic(w) for w in (
    "وزير وزيرة رئيس رئيسة نائب مساعد سفير مدير قائد عضو وكيل مسؤول متحدث زعيم أمين مبعوث "
    "مستشار نظيره نظيرته خلال بعد قبل عند حول منذ اليوم أمس الأحد الاثنين الثلاثاء الأربعاء "
    "الخميس الجمعة السبت إن أن قال وقال أكد وأكد أضاف وأضاف أشار التقى يلتقي بحث وبحث "
    "حكومة مجلس وزارة قوات جهاز الأول الثاني الثالث الرابع الأخير"
).split())

#: First words after which a third name word is expected («عبد الحميد الدبيبة»).
_COMPOUND_STARTS = frozenset(normalize_arabic(w) for w in ("عبد", "أبو", "ابو", "بن", "ابن"))

_SPOKESMAN = frozenset(normalize_arabic(w) for w in ("المتحدث", "متحدث", "الناطق", "ناطق", "المتحدثة"))


@dataclass(frozen=True)
class Tok:
    """A word of the text: its surface form, normalized form, and whether punctuation precedes it."""

    surface: str
    norm: str
    boundary_before: bool


def tokenize(text: str) -> list[Tok]:
    """Words of ``text`` with the punctuation boundaries between them."""
    toks, last_end = [], 0
    for m in TOKEN_RE.finditer(text):
        gap = text[last_end:m.start()]
        boundary = bool(gap.strip()) or "\n" in gap
        toks.append(Tok(m.group(), normalize_word(m.group()), boundary))
        last_end = m.end()
    return toks


@lru_cache(maxsize=None)
def _gazetteer() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """First normalized word -> [(all normalized words, canonical name, type)], longest first."""
    table: dict[str, list] = {}

    def add(alias: str, canonical: str, kind: str) -> None:
        words = tuple(normalize_arabic(alias).split())
        if words:
            table.setdefault(words[0], []).append((words, canonical, kind))

    for name in persons():
        add(name, name, PERSON)
    for name in places():
        add(name, name, PLACE)
    for line in read_entries("organizations.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for alias in names:
            add(alias, names[0], ORG)
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


@lru_cache(maxsize=None)
def _known_surnames() -> dict[str, str]:
    """Distinctive last words of gazetteer people -> full name («حفتر» -> «خليفة حفتر»)."""
    out = {}
    for name in persons():
        words = normalize_arabic(name).split()
        last = words[-1]
        if (len(words) > 1 and len(last) >= 4 and last not in first_names() and last not in stopwords()
                and last not in NAME_BREAKERS):
            out[last] = name
    return out


def _match_gazetteer(toks: list[Tok], i: int):
    """The longest gazetteer name starting at word i: (length, canonical, type) or None."""
    table = _gazetteer()
    for v in clitic_readings(toks[i].norm):
        for words, canonical, kind in table.get(v, ()):
            n = len(words)
            if i + n > len(toks):
                continue
            if all(toks[i + k].norm == words[k] and not toks[i + k].boundary_before for k in range(1, n)):
                return n, canonical, kind
    return None


def _display(surface: str) -> str:
    return strip_tatweel(strip_tashkeel(surface))


def _rule_person(toks: list[Tok], i: int, surnames: dict[str, str]) -> tuple[int, str] | None:
    """A person's name by rule starting at word i: (length, display name) or None.

    ``surnames`` are last words of people already known: such a word starts no new name.
    """
    first = next((v for v in clitic_readings(toks[i].norm) if v in first_names()), None)
    if first == "باسم" and i > 0 and toks[i - 1].norm in _SPOKESMAN:  # «المتحدث باسم»: on behalf of
        return None
    after_title = (i > 0 and toks[i - 1].norm in TITLES and not toks[i].boundary_before
                   and not toks[i].norm.startswith("ال"))
    if first is None and not after_title:
        return None
    if (toks[i].norm in stopwords() or toks[i].norm in NAME_BREAKERS or toks[i].norm.isdigit()
            or any(v in surnames for v in clitic_readings(toks[i].norm))):
        return None
    n = 1
    while n < 3 and i + n < len(toks):
        t = toks[i + n]
        if (t.boundary_before or t.norm in stopwords() or t.norm in NAME_BREAKERS or t.norm in TITLES
                or t.norm.isdigit() or len(t.norm) < 2
                or (t.norm.startswith("و") and len(t.norm) > 3)
                or _match_gazetteer(toks, i + n)):
            break
        # a third word only after «عبد»/«أبو» or a second word with the article («محمد الطاهر سيالة»)
        if n == 2 and not (toks[i].norm in _COMPOUND_STARTS or toks[i + 1].norm.startswith("ال")):
            break
        n += 1
    if n < 2:
        return None
    words = [_display(t.surface) for t in toks[i:i + n]]
    if first is not None and first != toks[i].norm:  # drop the clitic: «وعباس» -> «عباس»
        words[0] = words[0][len(toks[i].norm) - len(first):]
    return n, " ".join(words)


def extract(toks: list[Tok]) -> dict[str, list[str]]:
    """Canonical persons, places and organizations mentioned in a token list, in order."""
    found: dict[str, dict[str, None]] = {PERSON: {}, PLACE: {}, ORG: {}}
    surnames = dict(_known_surnames())
    pending: list[int] = []  # words that may be a surname alone
    i = 0
    while i < len(toks):
        hit = _match_gazetteer(toks, i)
        if hit:
            n, canonical, kind = hit
            found[kind][canonical] = None
            if kind == PERSON:
                surnames.setdefault(normalize_arabic(canonical).split()[-1], canonical)
            i += n
            continue
        rule = _rule_person(toks, i, surnames)
        if rule:
            n, name = rule
            key = normalize_arabic(name)
            canonical = next((c for c in found[PERSON] if normalize_arabic(c) == key), name)
            found[PERSON][canonical] = None
            surnames.setdefault(key.split()[-1], canonical)
            i += n
            continue
        pending.append(i)
        i += 1
    for j in pending:
        for v in clitic_readings(toks[j].norm):
            if v in surnames:
                found[PERSON][surnames[v]] = None
                break
    return {kind: list(names) for kind, names in found.items()}


def extract_entities(title: str, body: str) -> dict[str, list[str]]:
    """Entities of an article (headline and body)."""
    return extract(tokenize(title + "\n" + body))
