"""Search results as files: CSV (RFC 4180, UTF-8 with a BOM, so Arabic opens correctly in Excel)
and JSON Lines, one article a line.  Both stream: rows are written as the engine reads them,
so memory stays bounded whatever the total (``search.searching.each_result``).

The CSV is for spreadsheets, which run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula: every text cell passes through ``spreadsheet_cell`` (``/search.csv`` and
``akhbar search --all`` both write with ``csv_chunks``).  JSON Lines is data for programs and
carries every value as it is."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

#: The columns of an export, in order; list fields are joined with LIST_SEPARATOR in CSV.
COLUMNS = ("id", "title", "source", "date", "time", "url", "persons", "places", "organizations", "category", "score",
           "story_id", "story_size", "duplicate_of", "indexed")
LIST_SEPARATOR = "; "
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Rows per chunk handed to the server (one write per chunk).
CHUNK_ROWS = 200
#: A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@")
#: What may come before a formula's first character and still leave it one: spaces, controls,
#: bidi marks and other invisible formatting.
_LEADING = re.compile("[\\s\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*")


def spreadsheet_cell(text: str) -> str:
    """``text`` as a cell a spreadsheet shows and never runs (OWASP, "CSV Injection"): prefixed with
    ``'`` when it starts with = + - @, also after leading spaces or invisible characters, or with a
    tab, carriage return or NUL.  Other text is unchanged."""
    if text[:1].isalnum():  # most cells: a letter or a digit starts no formula
        return text
    first = text[_LEADING.match(text).end():][:1]
    if first in FORMULA_STARTS or text[:1] in ("\t", "\r", "\0"):
        return "'" + text
    return text


def _cell(value) -> str | float | int:
    """A CSV cell: lists joined, None empty, text made safe for spreadsheets; numbers (the
    score, which Akhbar computes) stay numbers, so a spreadsheet can sort them."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    if value is None:
        return ""
    return spreadsheet_cell(value) if isinstance(value, str) else value


def csv_chunks(results: Iterable[dict]) -> Iterator[str]:
    """The BOM and header, then the rows, ``CHUNK_ROWS`` at a time; lines end with CRLF."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, r in enumerate(results, 1):
        writer.writerow([_cell(r.get(c)) for c in COLUMNS])
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_chunks(results: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line (the COLUMNS; lists stay lists), ``CHUNK_ROWS`` lines at a time."""
    lines = []
    for r in results:
        lines.append(json.dumps({c: r.get(c) for c in COLUMNS}, ensure_ascii=False) + "\n")
        if len(lines) >= CHUNK_ROWS:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def chunks(fmt: str, results: Iterable[dict]) -> Iterator[str]:
    return csv_chunks(results) if fmt == "csv" else jsonl_chunks(results)
