"""House spellings: the words that are one name or loanword spelled differently across outlets.

Outlets keep their own spellings of foreign names and loanwords (Al Arabiya's «ترمب», the
others' «ترامب»).  The build finds them in the collection (``index.variants``) and stores
the groups with the index generation; :class:`Variants` answers a query's questions: every
spelling of a word (:meth:`Variants.spellings`, searched as one word by
:mod:`search.querytree`), and the spelling a name's facet entry is shown under
(:meth:`Variants.canonical`).
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from search.analysis import TOKEN_RE
from search.normalize import normalize_word

#: Distinct words :class:`ArticleWords` keeps normalized at a time.
NORMAL_CACHE = 1_000_000


class ArticleWords:
    """An article's headline and body as the normalized words its house spellings are found in
    (each engine's build reads its articles through one: the same words from either)."""

    def __init__(self):
        self._normal: dict[str, str] = {}

    def __call__(self, title: str | None, body: str | None) -> list[str]:
        normal = self._normal
        if len(normal) > NORMAL_CACHE:
            normal.clear()
        return [normal.get(w) or normal.setdefault(w, normalize_word(w))
                for w in TOKEN_RE.findall(f"{title or ''}\n{body or ''}")]


class Variants:
    """The collection's spelling groups: each group's spellings (normalized forms), the most
    used first (the one shown)."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self.groups = [g for g in (tuple(g) for g in groups) if len(g) > 1]
        self._of = {w: i for i, g in enumerate(self.groups) for w in g}

    def __len__(self) -> int:
        return len(self.groups)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def spellings(self, word: str) -> tuple[str, ...]:
        """Every spelling of ``word``'s group (``word`` first), or ``(word,)``."""
        i = self._of.get(word)
        if i is None:
            return (word,)
        return (word,) + tuple(w for w in self.groups[i] if w != word)

    def canonical(self, word: str) -> str:
        """The group's most used spelling (``word`` itself if it has no group)."""
        i = self._of.get(word)
        return word if i is None else self.groups[i][0]

    def canonical_text(self, text: str) -> str:
        """Normalized ``text`` with each word its group's most used spelling."""
        return " ".join(map(self.canonical, text.split())) if self._of else text

    def to_json(self) -> str:
        return json.dumps(self.groups, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Variants:
        groups = json.loads(text)
        if not isinstance(groups, list) or not all(isinstance(g, list) and all(isinstance(w, str) for w in g)
                                                   for g in groups):
            raise ValueError("not a list of spelling groups")
        return cls(groups)


#: No spelling groups (an index built before them, or the cluster engine).
NONE = Variants()
