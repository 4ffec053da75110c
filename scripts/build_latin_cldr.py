"""Write search/lexicon/latin_places_cldr.tsv: the names of countries, territories,
continents and large cities in English, French, German, Spanish, Italian, Portuguese
and Turkish, and each country's name in its own official languages when they write in
Latin letters («Hrvatska», «España», «Türkiye»), each with its Arabic name, from Unicode
CLDR read through Babel.

Two CLDR tables: territory names (countries, territories, the continents) and the
exemplar cities of the time zones (capitals and large cities: «Le Caire», «Kairo»,
«El Cairo»).  The Arabic written for a place is the one the hand-made lexicon
(search/lexicon/latin_names.tsv) gives the place's English CLDR name, when it lists
that name (so «Vereinigte Staaten» searches what «United States» searches), else
CLDR's Arabic name.  A spelling whose key the hand-made lexicon already has is left
out (the lexicon's reading wins).

Run with Babel installed (``pip install -e .[dev]``):  python scripts/build_latin_cldr.py
The CLDR data is (c) Unicode, Inc., under the Unicode License; Babel is BSD-3-Clause.
"""
import re
import sys
import zoneinfo
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from babel.languages import get_official_languages

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.latin import latin_key  # noqa: E402

LEXICON = ROOT / "search" / "lexicon" / "latin_names.tsv"
OUT = ROOT / "search" / "lexicon" / "latin_places_cldr.tsv"
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "tr")
#: Codes that are not places (the UN, the EU, the euro zone, pseudo-locales, «unknown»).
NOT_PLACES = {"UN", "EU", "EZ", "QO", "XA", "XB", "ZZ"}
#: The continents among CLDR's numeric regions: Africa, the Americas, Asia, Europe, Oceania.
CONTINENTS = {"002", "019", "142", "150", "009"}
ARABIC_NAME = re.compile("[\u0621-\u064a]+(?: [\u0621-\u064a]+)*")
#: A name in Latin letters (with diacritics), as the endonyms kept must be.
LATIN_NAME = re.compile(r"[A-Za-z\u00C0-\u024F' .,&-]+")


def endonyms(code: str) -> list[str]:
    """The territory's name in its official languages, those written in Latin letters."""
    out = []
    for lang in get_official_languages(code):
        try:
            name = clean(Locale.parse(lang).territories.get(code, ""))
        except (UnknownLocaleError, ValueError):
            continue
        if name and LATIN_NAME.fullmatch(name):
            out.append(name)
    return out


def hand_lexicon() -> dict[str, list[str]]:
    """Key of each English spelling of latin_names.tsv -> its Arabic names, in file order."""
    out: dict[str, list[str]] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "arabic\t")):
            continue
        arabic, _kind, latin = line.split("\t")[:3]
        names = out.setdefault(latin_key(latin), [])
        if arabic not in names:
            names.append(arabic)
    return out


def clean(name: str) -> str:
    """«هونغ كونغ الصينية (منطقة إدارية خاصة)» -> «هونغ كونغ الصينية»; «Bosnia & Herzegovina» kept."""
    return name.split("(")[0].strip()


def places() -> list[tuple[str, dict[str, str]]]:
    """(Arabic CLDR name, {language: name}) of each territory, continent and time-zone city."""
    out = []
    locales = {lang: Locale(lang) for lang in LANGUAGES + ("ar",)}
    for code, arabic in locales["ar"].territories.items():
        if code in NOT_PLACES or (not code.isalpha() and code not in CONTINENTS):
            continue
        names = {lang: clean(locales[lang].territories.get(code, "")) for lang in LANGUAGES}
        if code.isalpha():
            names.update({f"own{i}": name for i, name in enumerate(endonyms(code))})
        out.append((clean(arabic), names))
    for zone in sorted(zoneinfo.available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/")):
            continue
        arabic = get_timezone_location(zone, locale="ar", return_city=True)
        if not ARABIC_NAME.fullmatch(arabic) or len(arabic) < 4:
            continue
        names = {lang: get_timezone_location(zone, locale=lang, return_city=True) for lang in LANGUAGES}
        out.append((arabic, names))
    return out


def main() -> None:
    hand = hand_lexicon()
    rows: list[tuple[str, str]] = []
    for arabic_cldr, names in places():
        arabics = hand.get(latin_key(names["en"])) or [arabic_cldr]
        for latin in names.values():
            if not latin or latin_key(latin) in hand or not re.search("[A-Za-z]", latin):
                continue
            for arabic in arabics:
                if (arabic, latin) not in rows:
                    rows.append((arabic, latin))
    header = ("# Names of countries, territories, continents and large cities in English, French, German,\n"
              "# Spanish, Italian, Portuguese and Turkish, and countries' names in their own languages\n"
              "# written in Latin letters, with their Arabic names, from Unicode CLDR via Babel (Unicode\n"
              "# License). Generated by scripts/build_latin_cldr.py; do not edit.\n"
              "arabic\tkind\tlatin\n")
    OUT.write_text(header + "".join(f"{a}\tplaces\t{latin}\n" for a, latin in rows), encoding="utf-8")
    print(f"wrote {len(rows)} spellings of {len({a for a, _ in rows})} places to {OUT}")


if __name__ == "__main__":
    main()
