"""Metadata beside the text: a table a scraper wrote next to the article files.

``metadata.csv`` (UTF-8, a header row) or ``metadata.jsonl`` (one object a line) at the
top of a collection folder, or any such file given with ``akhbar index --metadata``.
Each row names an article by ``file`` (its path inside the collection folder, e.g.
``000_7d24.txt`` or ``2021/a.txt``) or by ``id``, and gives any of:

* ``source``: the outlet;
* ``date``: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO 8601 time, kept at the
  precision given (a year-only date is the year, not 1 January);
* ``url``, ``title``.

A value in the table replaces what was read from the article itself; an empty cell
leaves it.  Problems are reported like other bad input and lose nothing else: a
row with an unreadable date keeps its other values, a row naming no article of
the collection is reported at the end, an unreadable table is reported and the
articles are indexed without it.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from index.documents import Document, Problem, valid_text, warning
from index.metadata import display_source, parse_dated, read_date
from search.fields import MAX_FACET_CHARS

SIDECAR_NAMES = ("metadata.csv", "metadata.jsonl")
COLUMNS = ("file", "id", "source", "date", "url", "title")
#: A sidecar larger than this is refused (a table of a million rows is about 100 MB).
MAX_BYTES = 512 * 1024 * 1024


@dataclass
class Row:
    where: str
    values: dict[str, str]
    used: bool = False


@dataclass
class Sidecar:
    path: Path
    by_file: dict[str, Row] = field(default_factory=dict)
    by_id: dict[str, Row] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        table = cls(path)
        try:
            if path.stat().st_size > MAX_BYTES:
                table.problems.append(warning(str(path), f"metadata table over {MAX_BYTES // 2**20} MB, not read"))
                return table
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            table.problems.append(warning(str(path), f"cannot read the metadata table: {exc.strerror or exc}"))
            return table
        except UnicodeDecodeError as exc:
            table.problems.append(warning(str(path), f"metadata table not UTF-8 (byte {exc.start}); convert it"))
            return table
        rows = _jsonl_rows(text, path) if path.suffix.lower() == ".jsonl" else _csv_rows(text, path)
        for where, values in rows:
            if isinstance(values, str):
                table.problems.append(warning(where, values))
                continue
            table._add(where, values)
        return table

    def _add(self, where: str, values: dict) -> None:
        values = {k.strip().lower(): ("" if v is None else valid_text(str(v), k, where, self.problems).strip())
                  for k, v in values.items() if k}
        unknown = sorted(set(values) - set(COLUMNS) - self.unknown)
        if unknown:  # reported once a table
            self.unknown.update(unknown)
            self.problems.append(warning(where, f"unknown column(s) {', '.join(unknown)} ignored "
                                                f"(known: {', '.join(COLUMNS)})"))
        key_file, key_id = values.get("file", ""), values.get("id", "")
        if not key_file and not key_id:
            self.problems.append(warning(where, "a metadata row needs a file or an id"))
            return
        why = read_date(values.get("date")).problem
        if why:
            self.problems.append(warning(where, f"{why}; the row's other values are used"))
            values["date"] = ""
        if len(values.get("source", "")) > MAX_FACET_CHARS:
            self.problems.append(warning(where, f"source of {len(values['source']):,} characters is not an outlet's name "
                                                f"(at most {MAX_FACET_CHARS}); the row's other values are used"))
            values["source"] = ""
        row = Row(where, values)
        for index, key in ((self.by_file, key_file.replace("\\", "/").lstrip("./")), (self.by_id, key_id)):
            if not key:
                continue
            if key in index:
                self.problems.append(warning(where, f"{key!r} already has a row ({index[key].where}); this one is ignored"))
                return
            index[key] = row

    def apply(self, doc: Document, relative_file: str) -> None:
        """Fill ``doc`` from its row (by file, else by id), if it has one."""
        row = self.by_file.get(relative_file) or self.by_id.get(doc.id)
        if row is None:
            return
        row.used = True
        v = row.values
        if v.get("source"):
            doc.source = display_source(v["source"])
        if v.get("date"):
            doc.date, doc.date_precision = parse_dated(v["date"])
        if v.get("url"):
            doc.url = v["url"]
        if v.get("title"):
            doc.title = v["title"]

    def unused(self) -> list[Problem]:
        """Rows that named no article of the collection."""
        seen: set[int] = set()
        out = []
        for row in list(self.by_file.values()) + list(self.by_id.values()):
            if not row.used and id(row) not in seen:
                seen.add(id(row))
                name = row.values.get("file") or row.values.get("id")
                out.append(warning(row.where, f"metadata row for {name!r}: no such article in the collection"))
        return out


def _csv_rows(text: str, path: Path):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        yield str(path), "empty metadata table"
        return
    for values in reader:
        where = f"{path}:{reader.line_num}"
        if None in values:  # more cells than header columns
            yield where, "more cells than the header has columns"
            continue
        yield where, values


def _jsonl_rows(text: str, path: Path):
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, f"broken JSON in the metadata table: {exc.msg}"
            continue
        yield (where, obj) if isinstance(obj, dict) else (where, "a metadata line must be a JSON object")
