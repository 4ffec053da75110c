"""Name lists matched in token sequences: people, places, organizations.

The lists are ``search/lexicon``'s.  A name matches after a clitic comes off its
first word («بطرابلس», «لحفتر», «وبالقاهرة», and in a name of several words even a
two-letter one: «لبي بي سي»), longest name first, and is reported
in its canonical spelling; organization aliases map to one canonical name.
"""
from __future__ import annotations

from functools import lru_cache

from search.lexicon import organization_spellings, person_spellings, place_spellings
from search.normalize import normalize_arabic
from search.stemming import clitic_readings

PERS, LOC, ORG = "PERS", "LOC", "ORG"

Entry = tuple[tuple[str, ...], str, str]  # (normalized words, canonical name, type)


@lru_cache(maxsize=None)
def table() -> dict[str, list[Entry]]:
    """First normalized word -> entries starting with it, longest first."""
    out: dict[str, list[Entry]] = {}

    def add(alias: str, canonical: str, kind: str) -> None:
        words = tuple(normalize_arabic(alias).split())
        if words:
            out.setdefault(words[0], []).append((words, canonical, kind))

    for alias, name in person_spellings():
        add(alias, name, PERS)
    for alias, name in place_spellings():
        add(alias, name, LOC)
    for alias, name in organization_spellings():
        add(alias, name, ORG)
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


def match(norms: list[str], i: int, breaks: list[bool] | None = None) -> tuple[int, str, str] | None:
    """The longest name starting at word i: (number of words, canonical name, type) or None.

    ``norms`` are normalized words; ``breaks[k]`` is True when punctuation
    separates word k from the one before (a name never spans it).
    """
    entries = table()
    for reading in clitic_readings(norms[i], shortest=2):
        for words, canonical, kind in entries.get(reading, ()):
            n = len(words)
            if i + n > len(norms) or (n == 1 and len(reading) < 3 and reading != norms[i]):
                continue  # a two-letter word after a clitic is only trusted inside a longer name («لبي بي سي»)
            if all(norms[i + k] == words[k] and not (breaks and breaks[i + k]) for k in range(1, n)):
                return n, canonical, kind
    return None

