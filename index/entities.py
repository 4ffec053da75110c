"""Entities of an article: the recognizer's mentions, turned into canonical names.

Stages (tokens in, tags out, as in camel_tools): :func:`index.ner.tokenize` ->
:meth:`index.ner.Recognizer.tag_with_listed` (BIO tags) -> :func:`index.ner.prefer_listed_names`
(the listed spelling of a name the model cut short) -> :func:`mentions` -> :func:`canonical`.

A canonical name is what a facet shows and what a facet filter matches:

* a clitic is taken off the first word («بالقاهرة» -> «القاهرة», «لحفتر» ->
  «حفتر») when the corpus knows the word without it better than with it;
* titles are dropped («المشير خليفة حفتر» -> «خليفة حفتر»);
* a name in the gazetteers takes its listed spelling and type (aliases such as
  «قوات الوفاق» -> «حكومة الوفاق»);
* a shortened name is the full name it belongs to, when exactly one such name is
  mentioned in the same article, or a listed person's surname («حفتر» -> «خليفة حفتر»,
  «سامح» -> «سامح شكري», «كيم جونغ» -> «كيم جونغ أون»; :func:`merge_short_names`);
* spellings that differ only in diacritics, hamza or ta marbuta are one name
  within an article (here) and across the collection (``search.facets``).
"""
from __future__ import annotations

from functools import lru_cache

from index import gazetteer
from index.bio import SENTENCE_END, spans
from index.ner import NAME_BREAKERS, NAME_LINKS, TITLES, default_recognizer, prefer_listed_names, tokenize, word_classes
from search.fields import MAX_FACET_CHARS
from search.lexicon import first_names, person_spellings
from search.normalize import normalize_arabic, strip_tashkeel, strip_tatweel
from search.stemming import clitic_readings
from search.stopwords import stopwords

PERSON, PLACE, ORG = "persons", "places", "organizations"
FIELD_OF = {"PERS": PERSON, "LOC": PLACE, "ORG": ORG}
#: Words dropped from the start of a person mention: titles, role and group nouns.
_PERSON_LEAD = TITLES | NAME_BREAKERS

def display(surface: str) -> str:
    """The written form without diacritics and tatweel (same length as its normalized form)."""
    return strip_tatweel(strip_tashkeel(surface))


@lru_cache(maxsize=None)
def _rank() -> dict[str, int]:
    """Normalized word -> its frequency rank in the unlabeled corpus (0 = most frequent)."""
    return {w: r for r, w in enumerate(word_classes())}


def _listed(norm: str) -> bool:
    return norm in gazetteer.table() or norm in first_names() or norm in _surnames()


def _written(word: str, norm: str, reading: str) -> str:
    """``reading`` (a normalized reading of ``word``) in ``word``'s own letters."""
    k = 0
    while k < min(len(norm), len(reading)) and norm[-1 - k] == reading[-1 - k]:
        k += 1
    return reading[:len(reading) - k] + word[len(word) - k:]


def strip_clitic(word: str) -> str:
    """A name's first word without a leading conjunction or preposition (display form in and out).

    The readings are :func:`search.stemming.clitic_readings`'.  A clitic before
    the article comes off («وبالقاهرة» -> «القاهرة»; «وبالمنيا» -> «المنيا» though neither is
    known) unless the word is better known whole («كاليفورنيا»); otherwise the reading
    the name lists or the corpus know best wins: «لليبيا» -> «ليبيا» (not «اليبيا»),
    «للقاهرة» -> «القاهرة», «وعباس» -> «عباس», while «وليد» stays whole.
    """
    norm = normalize_arabic(word)
    readings = clitic_readings(norm)[1:]
    rank = _rank()

    def known(form: str) -> tuple[bool, int]:
        return (not _listed(form), rank.get(form, len(rank)))

    for reading in readings:
        # «وكالة» is no «و»+«ك»+«الة», nor «كاليفورنيا» «ك»+«اليفورنيا» (which no text writes)
        if reading.startswith("ال") and len(reading) >= 5 and norm.endswith(reading) and known(reading) <= known(norm):
            return _written(word, norm, reading)
    best = min(readings, key=known, default=norm)
    return _written(word, norm, best) if known(best) < known(norm) else word


@lru_cache(maxsize=None)
def _surnames() -> dict[str, str]:
    """Distinctive last words of listed people -> full name («حفتر», «ترمب» -> «خليفة حفتر»,
    «دونالد ترامب»).  A last word two listed people share («صالح»: عقيلة صالح, برهم صالح)
    names neither."""
    owners: dict[str, set[str]] = {}
    for alias, name in person_spellings():
        words = normalize_arabic(alias).split()
        last = words[-1]
        if (len(words) > 1 and len(last) >= 4 and last not in first_names() and last not in stopwords()
                and last not in NAME_BREAKERS):
            owners.setdefault(last, set()).add(name)
    return {last: next(iter(names)) for last, names in owners.items() if len(names) == 1}


def mentions(tokens: list[str], tags: list[str]) -> list[tuple[str, list[str]]]:
    """(field, display words) of each tagged entity, titles dropped, first clitic stripped.

    A person's name does not start with a role or group noun either: «قوات حفتر»
    (Haftar's forces) mentions «حفتر».
    """
    out = []
    for start, end, kind in spans(tags):
        words = [display(t) for t in tokens[start:end]]
        lead = _PERSON_LEAD if kind == "PERS" else TITLES
        while words:
            words[0] = strip_clitic(words[0])
            if normalize_arabic(words[0]) not in lead:
                out.append((FIELD_OF[kind], words))
                break
            words = words[1:]
    return out


def _junk(words: list[str]) -> bool:
    """Mentions no reader wants in a facet: a stopword, a number, a lone letter, a role noun,
    a run of words longer than any name (:data:`search.fields.MAX_FACET_CHARS`)."""
    norms = [normalize_arabic(w) for w in words]
    if any(not any(c.isalpha() for c in n) for n in norms) or len(" ".join(words)) > MAX_FACET_CHARS:
        return True
    return len(norms) == 1 and (len(norms[0]) < 2 or norms[0] in stopwords() or norms[0] in NAME_BREAKERS)


def canonical(field: str, words: list[str]) -> tuple[str, str]:
    """(field, canonical name) of one mention: the gazetteer's name and type when it lists it."""
    norms = [normalize_arabic(w) for w in words]
    hit = gazetteer.match(norms, 0)
    if hit is not None and hit[0] == len(norms):
        return FIELD_OF[hit[2]], hit[1]
    return field, " ".join(words)


def extract_entities(title: str, body: str) -> dict[str, list[str]]:
    """Canonical persons, places and organizations of an article (headline and body), in order."""
    tokens: list[str] = []
    for line in (title + "\n" + body).splitlines():
        line_tokens = tokenize(line)
        if line_tokens:
            # a line break ends a sentence: the model reads sentence by sentence
            tokens += line_tokens if not tokens or tokens[-1] in SENTENCE_END else ["."] + line_tokens
    found: dict[str, dict[str, str]] = {PERSON: {}, PLACE: {}, ORG: {}}  # field -> key -> name
    tags, listed = default_recognizer().tag_with_listed(tokens)
    for field, words in mentions(tokens, prefer_listed_names(tokens, tags, listed)):
        if _junk(words):
            continue
        field, name = canonical(field, words)
        found[field].setdefault(normalize_arabic(name), name)
    found[PERSON] = merge_short_names(found[PERSON])
    return {field: list(names.values()) for field, names in found.items()}


@lru_cache(maxsize=None)
def _listed_people() -> frozenset[str]:
    """Normalized names of the listed people (their canonical spellings)."""
    return frozenset(normalize_arabic(name) for _alias, name in person_spellings())


def _one_name(words: list[str]) -> bool:
    """A single name, though written in two words: «عبد الرحمن», «بن سلمان», «أبو الغيط»."""
    return len(words) == 1 or (len(words) == 2 and words[0] in NAME_LINKS)


def _starts_or_ends(words: list[str], longer: list[str]) -> bool:
    """Whether ``longer`` is a fuller form of the name ``words``: it begins with them, or
    ends with a single name.  «علي عبد الله صالح» does not make «أحمد علي عبد الله صالح»
    (his son: an Arabic full name goes on with the father's).
    """
    n = len(words)
    return len(longer) > n and (longer[:n] == words or (_one_name(words) and longer[-n:] == words))


def merge_short_names(people: dict[str, str]) -> dict[str, str]:
    """One article's persons (normalized key -> name), each short form merged into the
    full name it begins or ends, when exactly one full name in the article does
    («سامح» -> «سامح شكري», «كيم جونغ» and «كيم» -> «كيم جونغ أون»); a listed person
    stays who they are («دونالد ترامب» beside «دونالد ترامب جونيور»).  Otherwise a
    listed person's surname alone is that person («حفتر» -> «خليفة حفتر»; «ترامب» too
    where the model also ran «ترامب» into a neighbouring name, «ترامب كومي»).
    """
    listed = _listed_people()
    split = {key: key.split() for key in people}
    # a fuller form shares the first word, or the last: only those are compared (an article
    # of thousands of names must not compare every pair)
    by_edge: dict[str, list[str]] = {}
    for key, words in split.items():
        for edge in dict.fromkeys((words[0], words[-1])):
            by_edge.setdefault(edge, []).append(key)

    def fuller(key: str) -> list[str]:
        words = split[key]
        near = dict.fromkeys(by_edge.get(words[0], []) + by_edge.get(words[-1], []))
        return [other for other in near if _starts_or_ends(words, split[other])]

    full = {key for key in split if key in listed or not fuller(key)}
    merged: dict[str, str] = {}
    for key, name in people.items():
        if key in listed:  # «دونالد ترامب» is not «دونالد ترامب جونيور»
            merged.setdefault(key, name)
            continue
        owners = [people[other] for other in fuller(key) if other in full]
        if len(owners) == 1:
            name = owners[0]
        elif len(split[key]) == 1:
            name = _surnames().get(key, name)
        merged.setdefault(normalize_arabic(name), name)
    return merged
