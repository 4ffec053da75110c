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
    return shown(read_raw(reader, field), field, variants)


class Raw:
    """One facet field as indexed: each (document, value) pair, the values as written (not yet
    one name per spelling), so that an update can carry them forward and add its own."""

    def __init__(self, values: list[str], docs: np.ndarray, value_ids: np.ndarray):
        self.values, self.docs, self.value_ids = values, docs, value_ids


def read_raw(reader, field: str, start: int = 0) -> Raw:
    """The pairs of the live documents numbered from ``start`` on (a segment's first document)."""
    values: list[str] = []
    number: dict[str, int] = {}
    docs, ids = [], []
    if field in reader.schema:
        for leaf, offset in reader.leaf_readers():  # segment by segment: a multi-segment lexicon
            if offset < start:                      # looks each term up in every segment
                continue
            for term in leaf.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                found = np.fromiter(leaf.postings(field, term).all_ids(), dtype=np.int64)
                if not len(found):
                    continue  # every document deleted
                if value not in number:
                    number[value] = len(values)
                    values.append(value)
                docs.append(found + offset)
                ids.append(np.full(len(found), number[value], dtype=np.int64))
    return Raw(values, np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
               np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64))


def joined(head: Raw, keep: np.ndarray, tail: Raw) -> Raw:
    """``head``'s pairs whose document ``keep`` marks (deleted or renumbered ones dropped), then
    ``tail``'s, its values numbered after ``head``'s."""
    kept = keep[head.docs] if len(head.docs) else np.zeros(0, dtype=bool)
    values = list(head.values)
    number = {v: i for i, v in enumerate(values)}
    for value in tail.values:
        if value not in number:
            number[value] = len(values)
            values.append(value)
    renumber = np.array([number[v] for v in tail.values], dtype=np.int64)
    return Raw(values, np.concatenate([np.asarray(head.docs[kept], dtype=np.int64), tail.docs]),
               np.concatenate([np.asarray(head.value_ids[kept], dtype=np.int64),
                               renumber[tail.value_ids] if len(tail.value_ids) else tail.value_ids]))


def shown(raw: Raw, field: str, variants: Variants = NONE) -> Column:
    """The column a query counts: a name's spellings one value (entity fields), values with no
    document left out, pairs sorted and each once (two spellings in a document count once)."""
    counts = np.bincount(raw.value_ids, minlength=len(raw.values)) if len(raw.values) else np.zeros(0, dtype=np.int64)
    present = {raw.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}
    spelling = shown_spellings(present, variants) if field in ENTITY_FIELDS else {v: v for v in present}
    values = sorted(set(spelling.values()))
    number = {v: i for i, v in enumerate(values)}
    n = max(len(values), 1)
    to_shown = np.array([number[spelling[v]] if v in spelling else 0 for v in raw.values], dtype=np.int64)
    keys = np.unique(raw.docs * n + to_shown[raw.value_ids]) if len(raw.docs) else np.zeros(0, dtype=np.int64)
    return Column(values, (keys // n).astype(np.int32), (keys % n).astype(np.int32))
