"""Spelling suggestions from the collection's own words, at a bounded cost.

A word the collection lacks is replaced by the indexed word (normalized, unstemmed:
the ``text_exact`` field) nearest to it: at most one edit away for words of up to
four letters, two for longer ones, an edit being a letter inserted, dropped,
replaced, or two neighbours swapped (optimal string alignment, RapidFuzz); among
the nearest, the word in most articles wins.  Only words found in at least
``MIN_DOC_FREQ`` articles are offered (a word seen once is as likely a typo).

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
from search.query import ParsedQuery

#: Unknown words corrected per query; later ones are left as typed.
MAX_CORRECTED_WORDS = 6
#: Longer words are not corrected (no word a person types is this long).
MAX_WORD_CHARS = 20
#: No correction is started once this much time has gone into one suggestion.
BUDGET_SECONDS = 0.25
#: A suggested word is in at least this many articles.
MIN_DOC_FREQ = 2
FIELD = "text_exact"


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


def suggest(engine, pq: ParsedQuery, budget: float = BUDGET_SECONDS) -> str | None:
    """A corrected query made of words that exist in the collection, or None.

    The suggestion is in normalized spelling; words that need no correction, and
    words past the limits above, are kept as typed.
    """
    deadline = time.perf_counter() + budget
    exact = engine.analyzer(FIELD)
    out, changed, tried = [], False, 0
    for alternatives in pq.words:
        word = alternatives[0]
        forms = analyze(exact, word)
        if not forms:
            continue
        form = forms[0]
        if (engine.doc_frequency(FIELD, form) > 0 or len(form) > MAX_WORD_CHARS
                or tried >= MAX_CORRECTED_WORDS or time.perf_counter() > deadline):
            out.append(word)
            continue
        tried += 1
        found = vocabulary(engine).nearest(form)
        if found:
            out.append(found)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None
