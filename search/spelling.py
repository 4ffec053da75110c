"""Spelling suggestions from the collection's own words, at a bounded cost.

A word the collection lacks is replaced by the indexed word (normalized, unstemmed:
the ``text_exact`` field) nearest to it: at most one edit away for words of up to
four letters, two for longer ones, an edit being a letter inserted, dropped,
replaced, or two neighbours swapped (optimal string alignment, RapidFuzz); among
the nearest, the word in most articles wins.  Only words found in at least
``MIN_DOC_FREQ`` articles are offered (a word seen once is as likely a typo).
A rare word with a far more common neighbour is corrected too, and Latin keys
typed on the wrong keyboard layout are read back as Arabic (:func:`suggest`).

Whoosh's own corrector builds a Levenshtein automaton in Python for every word:
about 200 ms a word even on a five-article index, so a query of 82 made-up words
held a server thread for 8 s.  Here the vocabulary is read once per index
generation and each correction compares the word with the words of nearby
length in C.  At most ``MAX_CORRECTED_WORDS`` words of at most ``MAX_WORD_CHARS``
letters are corrected per query, none once ``BUDGET_SECONDS`` are spent;
docs/reliability.md measures the worst case on ANT.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.analysis import analyze
from search.query import ParsedQuery, parse_query

#: Unknown words corrected per query; later ones are left as typed.
MAX_CORRECTED_WORDS = 6
#: Longer words are not corrected (no word a person types is this long).
MAX_WORD_CHARS = 20
#: No correction is started once this much time has gone into one suggestion.
BUDGET_SECONDS = 0.25
#: A suggested word is in at least this many articles.
MIN_DOC_FREQ = 2
#: A word the collection has is still corrected when it is this rare and a word one or two edits
#: away is in at least RARE_RATIO times as many articles (a typo that some article also made).
RARE_DOC_FREQ = 3
RARE_RATIO = 50
FIELD = "text_exact"

#: The Arabic PC keyboard (Arabic 101): the Latin key -> the Arabic letter it types.  A word typed
#: with the keyboard on the wrong layout («ptjv» for «حفتر») is read back through it.
ARABIC_KEYBOARD = str.maketrans({
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ", "p": "ح",
    "[": "ج", "]": "د", "a": "ش", "s": "س", "d": "ي", "f": "ب", "g": "ل", "h": "ا", "j": "ت", "k": "ن",
    "l": "م", ";": "ك", "'": "ط", "z": "ئ", "x": "ء", "c": "ؤ", "v": "ر", "b": "لا", "n": "ى", "m": "ة",
    ",": "و", ".": "ز", "/": "ظ", "`": "ذ"})


@dataclass(frozen=True)
class Vocabulary:
    """The collection's words by length, each list most frequent first."""

    by_length: dict[int, list[str]]
    frequency: dict[str, int]

    def nearest(self, word: str) -> str | None:
        """The most frequent word nearest to ``word`` (1 edit up to 4 letters, else 2), or None."""
        maxdist = 1 if len(word) <= 4 else 2
        best: tuple[int, int, str] | None = None
        for length in range(max(1, len(word) - maxdist), len(word) + maxdist + 1):
            words = self.by_length.get(length)
            if not words:
                continue
            for cand, dist, _index in process.extract(word, words, scorer=OSA.distance, score_cutoff=maxdist,
                                                      limit=None):
                key = (dist, -self.frequency[cand], cand)
                if cand != word and (best is None or key < best):
                    best = key
        return best[2] if best else None


_vocabularies: dict[tuple, Vocabulary] = {}
_lock = threading.Lock()


def vocabulary(engine) -> Vocabulary:
    """The vocabulary of the engine's index version (read once, then shared by threads)."""
    key = (id(engine), engine.version)
    with _lock:
        vocab = _vocabularies.get(key)
        if vocab is None:
            frequency = {word: df for word, df in engine.terms(FIELD)
                         if df >= MIN_DOC_FREQ and len(word) <= MAX_WORD_CHARS + 2}
            by_length: dict[int, list[str]] = {}
            for word in sorted(frequency, key=lambda w: (-frequency[w], w)):
                by_length.setdefault(len(word), []).append(word)
            vocab = Vocabulary(by_length, frequency)
            _vocabularies.clear()  # one generation is served at a time
            _vocabularies[key] = vocab
        return vocab


def from_wrong_layout(word: str) -> str | None:
    """A word of Latin keys read as the Arabic keyboard would have typed it, or None if it has other letters."""
    low = word.lower()
    if not low or not all(c in "abcdefghijklmnopqrstuvwxyz[];',./`" for c in low):
        return None
    return low.translate(ARABIC_KEYBOARD)


def suggest(engine, pq: ParsedQuery, budget: float = BUDGET_SECONDS) -> str | None:
    """A corrected query made of words that exist in the collection, or None.

    A word is corrected when the collection lacks it, or has it in at most RARE_DOC_FREQ
    articles while a word one or two edits away is RARE_RATIO times as common, or when it
    was typed in Latin keys with the keyboard set to Latin (read back through the Arabic
    layout).  Corrected words are shown as the collection's headlines spell them; the
    others are kept as typed, as are words past the limits above.
    """
    deadline = time.perf_counter() + budget
    exact = engine.analyzer(FIELD)
    out, changed, tried = [], False, 0
    for alternatives in pq.words:
        word = alternatives[0]
        found = None
        swapped = from_wrong_layout(word)
        if swapped is not None:
            forms = analyze(exact, swapped)
            if len(forms) == 1 and engine.doc_frequency(FIELD, forms[0]) >= MIN_DOC_FREQ:
                found = forms[0]
        else:
            forms = analyze(exact, word)
            df = engine.doc_frequency(FIELD, forms[0]) if forms else 0
            if (forms and df <= RARE_DOC_FREQ and len(forms[0]) <= MAX_WORD_CHARS
                    and tried < MAX_CORRECTED_WORDS and time.perf_counter() <= deadline):
                tried += 1
                vocab = vocabulary(engine)
                near = vocab.nearest(forms[0])
                if near is not None and (df == 0 or vocab.frequency[near] >= RARE_RATIO * df):
                    found = near
        if found:
            out.append(engine.spellings().get(found, found))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


#: "Did you mean" is offered when a query finds fewer articles than this ...
FEW_RESULTS = 10
#: ... and the corrected query finds at least this many times as many.
MORE_RESULTS = 3


def did_you_mean(engine, text: str, total: int) -> str | None:
    """The corrected query to offer for ``text`` (which found ``total`` articles), or None:
    when it found nothing, or few while the correction finds several times more."""
    if total >= FEW_RESULTS or not text.strip():
        return None
    pq = parse_query(text)
    found = suggest(engine, pq)
    if found is None or total == 0:
        return found
    better = engine.match(parse_query(found))
    return found if better.total >= MORE_RESULTS * total else None
