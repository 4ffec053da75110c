"""What every engine answers: the read side of an index, engine-neutral.

An article comes back as a plain dict (:data:`ARTICLE_FIELDS`): entity and source
fields as lists, the date as a ``datetime`` or None.  A search is two steps, so
that :func:`search.searching.search` can decide between them (a phrase no article
has is relaxed into its words): :meth:`Engine.match` evaluates a parsed query and
its filters and returns :class:`Matches` (the total, pinned to the index version
it was computed on); :meth:`Engine.ranked` and :meth:`Engine.facets` read that
same version, however many rebuilds happen in between.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from search.query import ParsedQuery

#: ``by_date=OLDEST``: oldest first (``by_date=True``: newest first); undated articles last either way.
OLDEST = "oldest"

#: The fields of an article as engines return them.
ARTICLE_FIELDS = ("id", "title", "body", "source", "date", "date_precision", "url", "category", "persons",
                  "places", "organizations", "digest", "indexed")


@dataclass
class Matches:
    """The articles a query matched, in one index version (the engine's own handle)."""

    total: int
    state: Any = field(repr=False, default=None)  # engine-specific: the version and the matched set


#: Other matching articles of a story listed with its best-ranked one (:meth:`Engine.grouped`).
OTHERS = 10


@dataclass
class Hit:
    """One ranked article: its fields (:data:`ARTICLE_FIELDS`) and score (None when sorted by date)."""

    fields: dict
    score: float | None
    #: Grouped by story (:meth:`Engine.grouped`): the story's other matching articles, and how many match.
    others: list[Hit] = field(default_factory=list)
    matching: int = 1


class Engine(Protocol):
    """An open index: searches, look-ups and statistics.  Safe to share between threads."""

    def analyzer(self, field: str):
        """The analysis chain of a text field (``text``, ``text_exact``, ``text_broad``), or None
        if the index has no such field: queries are analyzed exactly as the index was."""

    def match(self, pq: ParsedQuery) -> Matches:
        """Evaluate ``pq`` (words, phrases, exclusions, filters, dates) on the current index version."""

    def ranked(self, matches: Matches, first: int, count: int, by_date: bool = False) -> list[Hit]:
        """Hits ``first`` .. ``first + count`` of ``matches``, by BM25 score or newest first."""

    def each(self, matches: Matches, by_date: bool = False) -> Iterator[Hit]:
        """Every hit of ``matches`` in the order of :meth:`ranked`, read a page at a time (memory
        stays bounded however many there are); the fields without ``body`` (an empty string)."""

    def grouped(self, matches: Matches, first: int, count: int, by_date: bool = False,
                others: int = 10) -> tuple[list[Hit], int]:
        """Stories ``first`` .. ``first + count`` of ``matches`` in the order of :meth:`ranked`: each
        story's best-ranked article, with up to ``others`` of its other matching articles in
        ``Hit.others`` (fields without body) and their number in ``Hit.matching``; and how many
        stories the matches are in.  An index without stories: every article is its own."""

    def stories(self):
        """The :class:`search.stories.StoryIndex` of the index version served, or None."""

    def days(self, matches: Matches | None, by_source: bool = False) -> dict:
        """Articles per day, of ``matches`` or of the whole index (None): ``{"days": {"YYYY-MM-DD":
        n}, "undated": n, "sources": {source: {day: n}}}`` (sources only with ``by_source``)."""

    def facets(self, matches: Matches) -> dict[str, list[dict]]:
        """Facet counts of ``matches``: source, persons, places, organizations (top values),
        year and month (all, newest first), each ``[{"value", "count"}]``."""

    def document(self, doc_id: str) -> dict | None:
        """One article's fields, or None."""

    def doc_frequency(self, field: str, term: str) -> int:
        """In how many articles ``term`` (an analyzed form) occurs in ``field``."""

    def terms(self, field: str) -> Iterator[tuple[str, int]]:
        """Every term of ``field`` with its document frequency (``text_exact``, and the facet
        fields ``source``, ``persons``, ``places``, ``organizations``: their values)."""

    def variants(self):
        """The :class:`search.variants.Variants` (house spellings) of the index version served;
        :data:`search.variants.NONE` when it has none."""

    def spellings(self) -> dict[str, str]:
        """Normalized word -> the spelling the collection's headlines use most (search.vocabulary)."""

    @property
    def version(self) -> tuple:
        """Identifies the index version being served (changes with every rebuild or update)."""

    def stats(self) -> dict:
        """``documents`` and what the build recorded (``built_at``, ``analyzer_version`` ...)."""

    def close(self) -> None:
        """Release files and connections."""
