"""Search results as files: CSV (RFC 4180, UTF-8 with a BOM, so Arabic opens correctly in Excel)
and JSON Lines, one article a line.  Both stream: rows are written as the engine reads them,
so memory stays bounded whatever the total (``search.searching.each_result``)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

#: The columns of an export, in order; list fields are joined with LIST_SEPARATOR in CSV.
COLUMNS = ("id", "title", "source", "date", "url", "persons", "places", "organizations", "category", "score",
           "story_id")
LIST_SEPARATOR = "; "
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Rows per chunk handed to the server (one write per chunk).
CHUNK_ROWS = 200


def csv_chunks(results: Iterable[dict]) -> Iterator[str]:
    """The BOM and header, then the rows, ``CHUNK_ROWS`` at a time; lines end with CRLF."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, r in enumerate(results, 1):
        writer.writerow([LIST_SEPARATOR.join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (r.get(c) for c in COLUMNS)])
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
