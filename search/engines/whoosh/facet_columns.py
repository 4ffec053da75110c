"""The facet fields' (document, value) pairs of a Whoosh index, as numpy arrays.

Built once per generation by the build (written with the generation's :mod:`arrays`,
memory-mapped by every server process) or, for an index built before them, by the
first query that counts facets.  Entity names spelled differently across articles
(diacritics, hamza, ta marbuta) are one value, shown as the spelling most articles use.
"""
from __future__ import annotations

import numpy as np

from search.fields import ENTITY_FIELDS, FACET_FIELDS
from search.normalize import normalize_arabic
from search.variants import NONE, Variants

#: Facet fields counted for each query (entity and source facets, and the month).
COUNTED_FIELDS = tuple(FACET_FIELDS) + ("month",)


class Column:
    """One facet field: its values (sorted) and the (document, value number) pairs, sorted."""

    def __init__(self, values: list[str], docs: np.ndarray, value_ids: np.ndarray):
        self.values, self.docs, self.value_ids = values, docs, value_ids

    def count(self, mask: np.ndarray, limit: int | None = None) -> list[tuple[str, int]]:
        """(value, count) of the masked documents' values, most frequent first, then by value."""
        counts = np.bincount(self.value_ids[mask[self.docs]], minlength=len(self.values))
        present = np.flatnonzero(counts)
        order = present[np.argsort(-counts[present], kind="stable")]  # values are sorted: ties by value
        if limit is not None:
            order = order[:limit]
        return [(self.values[i], int(counts[i])) for i in order]


def shown_spellings(counts: dict[str, int], variants: Variants = NONE) -> dict[str, str]:
    """Each value -> the spelling shown for it (``counts``: value -> its documents): values that
    normalize alike («الدبيبة», «الدبيبه», «الدّبيبة»), or whose words are house spellings of one
    word (``variants``: «دونالد ترمب», «دونالد ترامب»), are one name, shown as the spelling most
    articles use."""
    groups: dict[str, list[str]] = {}
    for value in counts:
        groups.setdefault(variants.canonical_text(normalize_arabic(value)), []).append(value)
    shown: dict[str, str] = {}
    for names in groups.values():
        best = min(names, key=lambda v: (-counts[v], v))
        shown.update((v, best) for v in names)
    return shown


def build(reader) -> dict[str, Column]:
    """Every counted field's column, read from a Whoosh reader (deleted documents left out)."""
    return {field: column(reader, field) for field in COUNTED_FIELDS}


def column(reader, field: str, variants: Variants = NONE) -> Column:
    postings: dict[str, list[np.ndarray]] = {}
    if field in reader.schema:
        for leaf, offset in reader.leaf_readers():  # segment by segment: a multi-segment lexicon
            for term in leaf.lexicon(field):        # looks each term up in every segment
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                docs = np.fromiter(leaf.postings(field, term).all_ids(), dtype=np.int64)
                postings.setdefault(value, []).append(docs + offset)
    counts = {v: sum(len(d) for d in parts) for v, parts in postings.items()}
    shown = shown_spellings(counts, variants) if field in ENTITY_FIELDS else {v: v for v in postings}
    values = sorted(set(shown.values()))
    number = {v: i for i, v in enumerate(values)}
    n = max(len(values), 1)
    pairs = [docs * n + number[shown[v]] for v, parts in postings.items() for docs in parts]
    # (document, value) pairs, sorted, each once (two spellings of one name in a document count once)
    keys = np.unique(np.concatenate(pairs)) if pairs else np.zeros(0, dtype=np.int64)
    return Column(values, (keys // n).astype(np.int32), (keys % n).astype(np.int32))
