"""Akhbar's analyzers (:mod:`search.analysis`) as Whoosh analyzers, for the schema's text fields.

Whoosh pickles a field's analyzer into the index, so :class:`WhooshAnalyzer`
holds only the chain's name and stemmer and rebuilds the chain when loaded.
"""
from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Analyzer as _WhooshBase
from whoosh.analysis import Token as _WhooshToken

from search.analysis import Analyzer, broad_analyzer, exact_analyzer, stemmed_analyzer

_CHAINS = {"exact": lambda stemmer: exact_analyzer(), "stemmed": stemmed_analyzer,
           "broad": lambda stemmer: broad_analyzer()}


class WhooshAnalyzer(_WhooshBase):
    """One of Akhbar's chains (``kind``: exact, stemmed or broad) yielding Whoosh tokens."""

    def __init__(self, kind: str, stemmer: str = "akhbar"):
        if kind not in _CHAINS:
            raise ValueError(f"unknown analyzer {kind!r}; choose one of {sorted(_CHAINS)}")
        self._set(kind, stemmer)

    def _set(self, kind: str, stemmer: str) -> None:
        self.kind, self.stemmer = kind, stemmer
        self.chain: Analyzer = _CHAINS[kind](stemmer)

    def __getstate__(self) -> dict:
        return {"kind": self.kind, "stemmer": self.stemmer}

    def __setstate__(self, state: dict) -> None:
        self._set(state["kind"], state["stemmer"])

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and (self.kind, self.stemmer) == (other.kind, other.stemmer)

    def __repr__(self) -> str:
        return f"WhooshAnalyzer({self.kind!r}, {self.stemmer!r})"

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[_WhooshToken]:
        t = _WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost, t.stopped = 1.0, False
        if not tokenize:  # the value is one word already
            for form in self.chain.forms(value):
                t.text = form
                if positions:
                    t.pos = start_pos
                if chars:
                    t.startchar, t.endchar = start_char, start_char + len(value)
                yield t
            return
        if not chars and not keeporiginal:  # indexing: the forms and positions alone
            for t.text, pos in self.chain.positions(value):
                if positions:
                    t.pos = start_pos + pos
                yield t
            return
        for tok in self.chain(value):
            t.text = tok.text
            if keeporiginal:
                t.original = value[tok.startchar:tok.endchar]  # type: ignore[attr-defined]  # (Whoosh's Token takes any)
            if positions:
                t.pos = start_pos + tok.pos
            if chars:
                t.startchar, t.endchar = start_char + tok.startchar, start_char + tok.endchar
            yield t


def chain_of(field) -> Analyzer | None:
    """The Akhbar chain behind a schema field (None for fields not analyzed by Akhbar)."""
    analyzer = getattr(field, "analyzer", None)
    return analyzer.chain if isinstance(analyzer, WhooshAnalyzer) else None
