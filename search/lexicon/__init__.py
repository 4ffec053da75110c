"""Gazetteers shipped with Akhbar: people, places, organizations.

Files are UTF-8, one entry per line, ``#`` starts a comment.  Sources and
licences are in the README («Resources»).  The analyzer uses them to protect
names from the stemmer; the entity extractor (``index.entities``) to find and
canonicalize mentions.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search.normalize import normalize_arabic

_HERE = Path(__file__).resolve().parent


def read_entries(name: str) -> list[str]:
    """Entries of one lexicon file, in file order, comments and blanks dropped."""
    entries = []
    for line in (_HERE / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def spellings(*names: str) -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name) of the entries of lexicon files, in file order: a line is a
    canonical name and its other spellings after «|» («دونالد ترامب|دونالد ترمب»).  A spelling
    met twice keeps its first canonical name."""
    out: dict[str, str] = {}
    for name in names:
        for line in read_entries(name):
            entry = [n.strip() for n in line.split("|") if n.strip()]
            for alias in entry:
                out.setdefault(alias, entry[0])
    return tuple(out.items())


@lru_cache(maxsize=None)
def person_spellings() -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name) of well-known people («دونالد ترمب» -> «دونالد ترامب»)."""
    return spellings("persons.txt")


@lru_cache(maxsize=None)
def place_spellings() -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name) of places: hand-made cities and regions, then CLDR
    territories («الولايات المتحدة الأمريكية» -> «الولايات المتحدة»)."""
    return spellings("places.txt", "places_cldr.txt")


@lru_cache(maxsize=None)
def organization_spellings() -> tuple[tuple[str, str], ...]:
    """(spelling, canonical name) of organizations («قوات الوفاق» -> «حكومة الوفاق»)."""
    return spellings("organizations.txt")


@lru_cache(maxsize=None)
def places() -> tuple[str, ...]:
    """Canonical place names: hand-made cities and regions, then CLDR territories."""
    return tuple(dict.fromkeys(name for _alias, name in place_spellings()))


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    """Normalized given names that may start a person's name."""
    return frozenset(normalize_arabic(w) for line in read_entries("first_names.txt") for w in line.split())


@lru_cache(maxsize=None)
def given_names() -> frozenset[str]:
    """Normalized given names for the entity recognizer: first_names.txt and given_names.txt.

    Only the first list is protected from the stemmer (see :func:`protected_words`).
    """
    extra = (normalize_arabic(w) for line in read_entries("given_names.txt") for w in line.split())
    return first_names() | frozenset(extra)


@lru_cache(maxsize=None)
def protected_words() -> frozenset[str]:
    """Normalized single words the stemmer must never cut: name parts of people and places."""
    words = set(first_names())
    for name in tuple(alias for alias, _ in person_spellings()) + places():
        words.update(normalize_arabic(name).split())
    return frozenset(w for w in words if len(w) >= 3)
