"""How the collection spells its words: for each normalized form, the spelling its headlines use most.

Search matches normalized forms («الحكومه», «رءيس»), which readers should not be
shown; autocompletion shows a word as the headlines write it («الحكومة»,
«رئيس»).  Counted while building, from titles only (short, and they hold a
story's key words), and stored with the index.
"""
from __future__ import annotations

from collections import Counter

from search.analysis import TOKEN_RE
from search.normalize import normalize_word, strip_tashkeel, strip_tatweel


class Spellings:
    """Counts (normalized form, spelling) pairs of headline words; ``best()`` picks one spelling per form."""

    def __init__(self, pairs: Counter | None = None):
        self.pairs: Counter = pairs if pairs is not None else Counter()

    def add_title(self, title: str) -> None:
        for m in TOKEN_RE.finditer(title):
            shown = strip_tatweel(strip_tashkeel(m.group()))
            norm = normalize_word(shown)
            if norm and not norm.isdigit():
                self.pairs[(norm, shown)] += 1

    def merge(self, rows) -> None:
        """Add stored rows ``[norm, spelling, count]`` (another part of the build, or the index before an update)."""
        for norm, shown, n in rows:
            self.pairs[(norm, shown)] += n

    def rows(self) -> list[list]:
        """``[norm, spelling, count]`` for the most used spelling of each form (ties: the first in Unicode order)."""
        best: dict[str, tuple[int, str]] = {}
        for (norm, shown), n in self.pairs.items():
            if norm not in best or (-n, shown) < (-best[norm][0], best[norm][1]):
                best[norm] = (n, shown)
        return [[norm, shown, n] for norm, (n, shown) in sorted(best.items())]


def best_spellings(rows) -> dict[str, str]:
    """normalized form -> spelling, from stored rows (several parts may hold one form)."""
    s = Spellings()
    s.merge(rows)
    return {norm: shown for norm, shown, _n in s.rows()}
