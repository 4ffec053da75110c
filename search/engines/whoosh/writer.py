"""The write side of the embedded engine: one generation folder's Whoosh index and its arrays.

``index.builder`` owns the generations (the lock, the new folder, the swap of
``current``) and decides what to write (``index.builder.changes``); this module
is what it calls to create or copy the Whoosh index, write documents into it,
and finish it (commit, then the generation's numpy arrays: ``arrays``).
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as windex

from search.engines.whoosh import arrays
from search.engines.whoosh.schema import build_schema
from search.fields import FILTER_FIELDS, SCORED_TEXT_FIELDS, scored_text

#: What a failing Whoosh write raises, besides OSError and ValueError.
ERRORS = (OSError, ValueError, windex.IndexError)


def to_fields(doc, scored_fields: tuple[str, ...] = SCORED_TEXT_FIELDS) -> dict:
    """The Whoosh fields of one document (``index.documents.Document``, entities already extracted)."""
    text = scored_text(doc.title, doc.body)
    fields = {"id": doc.id, "title": doc.title, "body": doc.body, "digest": doc.digest}
    fields.update(dict.fromkeys(scored_fields, text))
    if doc.date is not None:
        fields["date"] = doc.date  # a month or year known alone: its first day, for sorting and date ranges
        if doc.date_precision in ("month", "year"):
            fields["date_precision"] = doc.date_precision
        if doc.date_precision != "year":
            fields["month"] = doc.date.strftime("%Y-%m")
    for name in ("url", "category"):
        value = getattr(doc, name)
        if value:
            fields[name] = value
    facets = {"source": [doc.source] if doc.source else [], "persons": doc.persons,
              "places": doc.places, "organizations": doc.organizations}
    for name, values in facets.items():
        if values:
            joined = ",".join(v.replace(",", " ") for v in values)
            fields[name] = joined
            fields[name + "_text"] = joined
    return fields


class WhooshWriter:
    """The Whoosh index of a generation folder being built."""

    def __init__(self, ix):
        self.ix = ix
        self.path = Path(ix.storage.folder)

    @classmethod
    def create(cls, path: Path, stemmer: str = "akhbar") -> WhooshWriter:
        path.mkdir()
        return cls(windex.create_in(str(path), build_schema(stemmer)))

    @classmethod
    def copy(cls, live: Path, path: Path) -> WhooshWriter:
        """A copy of the live generation, to update (the arrays are written anew at the end)."""
        shutil.copytree(live.resolve(), path, ignore=shutil.ignore_patterns(arrays.DIRNAME))
        return cls(windex.open_dir(str(path)))

    def digests(self) -> dict[str, str]:
        """id -> digest of every document indexed."""
        with self.ix.searcher() as s:
            return {f["id"]: f.get("digest", "") for f in s.all_stored_fields()}

    @contextmanager
    def writing(self):
        """A writer whose ``add(doc)``, ``replace(doc)`` and ``delete(id)`` are committed on leaving."""
        scored = tuple(f for f in SCORED_TEXT_FIELDS if f in self.ix.schema)
        # compound=False: whoosh3 copies a compound segment's sub-files into memory on every open
        # (BytesIO of the mmap), which cost ~50 ms and tens of MB per search on ANT
        with self.ix.writer(limitmb=256, compound=False) as w:
            yield _Writes(w, scored)

    def finish(self, story_of: dict[str, str] | None = None) -> int:
        """Close the index and write its arrays (``story_of``: article id -> its story's id);
        returns the number of documents."""
        documents = self.ix.doc_count()
        self.ix.close()
        arrays.write(self.path, SCORED_TEXT_FIELDS + tuple(FILTER_FIELDS.values()), story_of=story_of)
        return documents


class _Writes:
    def __init__(self, w, scored):
        self.w, self.scored = w, scored

    def add(self, doc) -> None:
        self.w.add_document(**to_fields(doc, self.scored))

    def replace(self, doc) -> None:
        self.w.update_document(**to_fields(doc, self.scored))

    def delete(self, doc_id: str) -> None:
        self.w.delete_by_term("id", doc_id)
