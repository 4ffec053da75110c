"""Read article collections: folders, single files and archives (``.tar.gz``, ``.zip``, ``.gz``:
``index.archives``).

Each file's format is detected from its content:

* TREC-like XML news (``<DOC><DOCNO>…<TEXT>…</DOC>``, one or several per file), as
  in the ANT corpus;
* JSON Lines (``.jsonl``, ``.json`` or a file starting with «{»): one object per line with
  ``id``, ``title``, ``text`` and optional ``source``, ``date``, ``url``, ``category``;
* plain UTF-8 text: one article per file, headline on the first line.

:func:`read_collection` yields :class:`Document` for every article and
:class:`Problem` for every input that cannot be read (wrong encoding, empty,
binary, broken XML or JSON, too long, hidden) or a value that was not kept as
given (a warning: a date out of range, a lone surrogate): the caller reports
problems and goes on.  No file is read whole past ``MAX_READ_BYTES``.
"""
from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from index.archives import READ_ERRORS, Member, is_archive, member_of, read_archive
from index.documents import Document, Problem, has_surrogates, shown, valid_text, warning
from index.filetable import FileEnd, FileTable
from index.metadata import derive_title, display_source, read_date, source_from_text, split_headline
from index.sidecar import SIDECAR_NAMES, Sidecar

#: Extensions never read as articles (documentation, web pages, data of other kinds): passed over
#: without a report (the README lists them).
IGNORED_SUFFIXES = frozenset({".md", ".rst", ".html", ".htm", ".csv", ".tsv", ".pdf", ".doc", ".docx",
                              ".png", ".jpg", ".jpeg", ".gif", ".py", ".pyc"})

_DOC_RE = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL)
_TAG_RE = {tag: re.compile(rf"<{tag}>(.*?)</{tag}>", re.DOTALL)
           for tag in ("DOCNO", "URL", "SRC", "CAT", "TITLE", "TIME", "TEXT", "ABSTRACT")}

#: Longest article body indexed, in characters.  The longest of ANT's 31,523 articles has
#: 21,119 and 99.9% have under 9,100; a bigger "article" is a dump.  The limit bounds what
#: one article costs to index: at 200,000 characters of all-distinct words (the worst
#: case) 26 s and 280 MB (docs/reliability.md); a 990,000-character one took 930 MB.
MAX_ARTICLE_CHARS = 200_000

#: Longest article id, in characters (ids are shown, linked and exported).
MAX_ID_CHARS = 500

#: Most bytes held at once of one file or archive member (TREC and plain text are read whole) or
#: of one JSON line: past it the file or line is reported and not read further, so an archive
#: member that expands to gigabytes costs this much.  16 MB is 80 times the longest article
#: in UTF-8 (an Arabic character is 2 bytes; a JSON escape «\u0644» 6) and more than a file of
#: a TREC collection (a few MB of hundreds of <DOC>).
MAX_READ_BYTES = 16 * 2**20

Item = Document | Problem


def read_collection(path: str | os.PathLike, follow_links: bool = False,
                    metadata: str | os.PathLike | Sidecar | None = None, files: FileTable | None = None) -> Iterator:
    """Every article (or problem) in a folder, file or archive, in a stable order.

    Symbolic links inside a folder are read when they point inside it; a link out of
    the collection (to ``/etc/passwd``, to another user's files) is reported and
    skipped unless ``follow_links`` (``akhbar index --follow-links``).
    ``metadata``: a sidecar table (``index.sidecar``) of the articles' source, date, url and
    title, a path or one already read (whose unused rows its reader reports); by default
    ``metadata.csv`` or ``metadata.jsonl`` at the top of a folder is read.
    ``files`` (an update's, ``index.filetable``): a plain file of a folder with the size and time
    the table gives is not read (a :class:`~index.filetable.Kept` instead of its articles), and
    each plain file read is followed by a :class:`~index.filetable.FileEnd`; not with a metadata table.
    """
    path = Path(path)
    if not path.exists():
        yield Problem(str(path), "no such file or folder")
        return
    shared = isinstance(metadata, Sidecar)
    sidecar_path = metadata.path if shared else Path(metadata) if metadata else _sidecar_in(path)
    sidecar = metadata if shared else Sidecar.read(sidecar_path) if sidecar_path else None
    if sidecar is not None and not shared:
        yield from sidecar.problems
    files = files if sidecar is None else None
    items = _read_folder(path, follow_links, skip=sidecar_path, files=files) if path.is_dir() else _read_file(path)
    for item in items:
        if isinstance(item, Document):
            if sidecar is not None:
                sidecar.apply(item, _relative(item.origin, path))
            item = _checked(item)
        yield item
    if sidecar is not None and not shared:
        yield from sidecar.unused()


def _sidecar_in(path: Path) -> Path | None:
    """The sidecar table at the top of a collection folder, if any."""
    if path.is_dir():
        for name in SIDECAR_NAMES:
            if (path / name).is_file():
                return path / name
    return None


def _relative(origin: str, top: Path) -> str:
    """A document's file relative to its collection folder («sub/a.txt»; an archive member as stored)."""
    member = member_of(origin)
    where = member.split(":", 1)[0] if member is not None else origin
    try:
        return Path(where).resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return Path(where).name


def _checked(doc: Document) -> Item:
    """The document, or the problem that keeps it out: a bad id or a body over the limit."""
    if len(doc.body) > MAX_ARTICLE_CHARS:
        return Problem(doc.origin, f"article too long ({len(doc.body):,} characters; "
                                   f"the limit is {MAX_ARTICLE_CHARS:,})")
    why = id_problem(doc.id)
    return Problem(doc.origin, why) if why else doc


def id_problem(doc_id: str) -> str | None:
    """Why ``doc_id`` cannot identify an article, or None.  An id is any text of 1 to
    ``MAX_ID_CHARS`` characters with no control characters (tab, new line, NUL, ...):
    «.», «../x» and «a b» are fine, every link quotes it.  A lone surrogate (JSON's «\\ud800»)
    is no text: such an id is refused, not changed into another article's id."""
    if not doc_id:
        return "empty id"
    if len(doc_id) > MAX_ID_CHARS:
        return f"id longer than {MAX_ID_CHARS} characters"
    if has_surrogates(doc_id):
        return f"id {doc_id[:40]!r} is not Unicode text (a lone surrogate, an escape such as \\ud800 that is no character)"
    if any(unicodedata.category(c) == "Cc" for c in doc_id):
        return f"id {doc_id[:40]!r} has control characters"
    return None


def _read_folder(folder: Path, follow_links: bool, skip: Path | None = None, files: FileTable | None = None) -> Iterator:
    top = folder.resolve()
    seen_dirs = {top}  # real folders walked: a link loop is walked once
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            yield Problem(str(here), f"cannot read folder: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            p = Path(entry.path)
            if entry.name.startswith("."):
                yield Problem(str(p), f"hidden {'folder' if entry.is_dir() else 'file'}, not read")
                continue
            if skip is not None and p == skip:
                continue  # the sidecar table: metadata, not an article
            if entry.is_symlink():
                why = _link_problem(p, top, follow_links)
                if why:
                    yield Problem(str(p), why)
                    continue
                if p.is_dir():
                    real = p.resolve()
                    if real not in seen_dirs and not _inside(real, top):
                        seen_dirs.add(real)  # a followed link out of the collection
                        subdirs.append(p)
                    continue  # a folder inside the collection is read where it is
            elif entry.is_dir():
                real = p.resolve()
                if real not in seen_dirs:
                    seen_dirs.add(real)
                    subdirs.append(p)
                continue
            if not p.is_file():
                if not _ignored(entry.name):
                    yield Problem(str(p), "not a regular file (a device, FIFO or socket), not read")
                continue
            if files is None or is_archive(p.name) or _ignored(entry.name):
                yield from _read_file(p)
            else:
                yield from _read_plain(p, files)
        stack.extend(reversed(subdirs))


def _read_plain(path: Path, files: FileTable) -> Iterator:
    """A plain file's articles and its :class:`FileEnd`, or the :class:`Kept` of an unchanged one."""
    try:
        stat = path.stat()
    except OSError:
        yield from _read_file(path)
        return
    kept = files.kept(path, stat)
    if kept is not None:
        yield kept
        return
    yield from read_plain(path, stat)


def read_plain(path: Path, stat: os.stat_result) -> Iterator:
    """A plain file's articles (checked) then its :class:`FileEnd` (``stat``: taken before reading)."""
    clean = True
    for item in _read_file(path):
        if isinstance(item, Document):
            item = _checked(item)
        clean = clean and isinstance(item, Document)
        yield item
    yield FileEnd(str(path), stat.st_size, stat.st_mtime_ns, clean)


def _inside(real: Path, top: Path) -> bool:
    return real == top or top in real.parents


def _link_problem(link: Path, top: Path, follow_links: bool) -> str | None:
    """Why the symbolic link ``link`` is not read, or None."""
    try:
        real = link.resolve(strict=True)
    except FileNotFoundError:
        return f"cannot read: broken symbolic link (to {os.readlink(link)!r})"
    except (OSError, RuntimeError) as exc:  # a loop: ELOOP, or RuntimeError from resolve()
        return f"cannot read: symbolic link loop ({getattr(exc, 'strerror', None) or exc})"
    if not follow_links and not _inside(real, top):
        return (f"symbolic link to {str(real)!r}, outside the collection: not read "
                "(akhbar index --follow-links reads such links)")
    return None


def _read_file(path: Path) -> Iterator[Item]:
    """A file's articles: an archive's members, or the file as a stream."""
    if is_archive(path.name):
        for item in read_archive(path):
            if isinstance(item, Member):
                if not _ignored(item.name):
                    yield from read_stream(item.stream, item.origin, item.name)
            else:
                yield item
        return
    if _ignored(path.name):
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        yield from read_stream(fh, str(path), path.name)


def _ignored(name: str) -> bool:
    return Path(name.rsplit("/", 1)[-1]).suffix.lower() in IGNORED_SUFFIXES


def read_stream(fh: BinaryIO, origin: str, name: str) -> Iterator[Item]:
    """The articles of one file (or archive member) named ``name``, read from ``fh``: JSON Lines
    (``.jsonl``, ``.json`` or starting with «{») a line at a time, any other format whole; never
    more than ``MAX_READ_BYTES`` at once."""
    try:
        head = fh.read(8192)
        if name.lower().endswith((".jsonl", ".json")) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            fh.seek(0)
            yield from _read_jsonl_lines(fh, origin)
            return
        data = head + fh.read(MAX_READ_BYTES + 1 - len(head))
    except READ_ERRORS as exc:
        yield Problem(origin, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        return
    if len(data) > MAX_READ_BYTES:
        yield Problem(origin, _not_text(data) or f"file too long: over {MAX_READ_BYTES // 2**20} MB, not read "
                                                  f"(an article is at most {MAX_ARTICLE_CHARS:,} characters)")
        return
    yield from parse_bytes(data, origin, Path(name).stem)


def _not_text(data: bytes) -> str | None:
    """Why bytes starting with ``data`` are not UTF-8 text, from their start alone, or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text; convert it to UTF-8"
    if b"\x00" in data[:8192]:
        return "binary file (NUL bytes), not text"
    return None


def parse_bytes(data: bytes, origin: str, default_id: str) -> Iterator[Item]:
    """Detect the format of one file's bytes and parse it."""
    why = _not_text(data)
    if why:
        yield Problem(origin, why)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Problem(origin, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8")
        return
    stripped = text.strip()
    if not stripped:
        yield Problem(origin, "empty file")
        return
    if stripped.startswith("<DOC"):
        yield from parse_trec(text, origin)
    else:
        yield from parse_plain(text, origin, default_id)


def parse_plain(text: str, origin: str, doc_id: str) -> Iterator[Item]:
    """One article per file; the first line is its headline (see split_headline).  The id is the
    file's name, its bytes that are not UTF-8 and its control characters escaped (a warning says so)."""
    if shown(doc_id) != doc_id:
        yield warning(origin, f"file name not UTF-8 or with control characters: the article's id is «{shown(doc_id)}»")
        doc_id = shown(doc_id)
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    headline, section, body_lines = split_headline(lines)
    body = "\n".join(body_lines)
    title = headline or derive_title(body)
    yield Document(id=doc_id, title=title, body=body, origin=origin,
                   source=source_from_text(body), category=section)


def parse_trec(text: str, origin: str) -> Iterator[Item]:
    """One or several ``<DOC>`` records."""
    docs = _DOC_RE.findall(text)
    if text.count("<DOC>") != len(docs):
        yield Problem(origin, f"broken XML: {text.count('<DOC>')} <DOC> but {len(docs)} complete")
    for i, rec in enumerate(docs):
        where = origin if len(docs) == 1 else f"{origin}#{i + 1}"
        fields = {}
        for tag, rx in _TAG_RE.items():
            m = rx.search(rec)
            fields[tag] = html.unescape(m.group(1)).strip() if m else None
        if not fields["DOCNO"]:
            yield Problem(where, "broken XML: <DOC> without <DOCNO>")
            continue
        body = fields["TEXT"] or fields["ABSTRACT"]
        if not body:
            yield Problem(where, f"no <TEXT> in document {fields['DOCNO']!r}")
            continue
        title = fields["TITLE"] or derive_title(body)
        dated = read_date(fields["TIME"])
        if dated.problem:
            yield _undated(where, dated.problem)
        yield Document(id=fields["DOCNO"], title=title, body=body, origin=where,
                       source=display_source(fields["SRC"]) or source_from_text(body), date=dated.date,
                       date_precision=dated.precision, url=fields["URL"], category=fields["CAT"])


def _undated(where: str, why: str) -> Problem:
    return warning(where, f"{why}; the article is indexed without a date")


def _read_jsonl_lines(fh: BinaryIO, origin: str) -> Iterator[Item]:
    """A JSON Lines file read a line at a time: memory holds one line (at most ``MAX_READ_BYTES``:
    a longer one is reported and passed over unread), whatever the file's size, and a line that
    is not UTF-8 is reported alone."""
    why = _not_text(fh.read(8192))
    if why:
        yield Problem(origin, why)
        return
    fh.seek(0)
    found, lineno = False, 0
    while raw := fh.readline(MAX_READ_BYTES + 1):
        lineno += 1
        where = f"{origin}:{lineno}"
        found = found or bool(raw.strip())
        if len(raw) > MAX_READ_BYTES:
            while raw and not raw.endswith(b"\n"):  # the rest of the line, a MB at a time
                raw = fh.readline(2**20)
            yield Problem(where, f"line too long: over {MAX_READ_BYTES // 2**20} MB, not read "
                                 f"(an article is at most {MAX_ARTICLE_CHARS:,} characters)")
            continue
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(where, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8")
            continue
        yield from _jsonl_record(line, where)
    if not found:
        yield Problem(origin, "empty file")


#: The fields of a JSON line other than its id.
_JSON_FIELDS = ("title", "text", "source", "date", "url", "category")


def _jsonl_record(line: str, where: str) -> Iterator[Item]:
    """One line of a JSON Lines collection: a document and the warnings of its values, or a problem
    (nothing for a blank line).  A lone surrogate in a field other than the id (JSON's «\\ud800»,
    no character) is replaced by U+FFFD with a warning; a date that cannot be one is dropped with a
    warning (:func:`index.metadata.read_date`)."""
    if not line.strip():
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Problem(where, f"broken JSON: {exc.msg}")
        return
    if not isinstance(obj, dict):
        yield Problem(where, "a JSON line must be an object")
        return
    warnings: list[Problem] = []
    doc_id = obj.get("id")
    v = {k: valid_text(obj[k], k, where, warnings) if isinstance(obj.get(k), str) else obj.get(k) for k in _JSON_FIELDS}
    body = v["text"]
    if doc_id is None or str(doc_id).strip() == "" or not isinstance(body, str) or not body.strip():
        yield Problem(where, "missing 'id' or 'text'")
        return
    title = v["title"].strip() if isinstance(v["title"], str) and v["title"].strip() else derive_title(body)
    dated = read_date(_opt_str(v["date"]))
    if dated.problem:
        warnings.append(_undated(where, dated.problem))
    yield from warnings
    yield Document(id=str(doc_id).strip(), title=title, body=body.strip(), origin=where,
                   source=display_source(_opt_str(v["source"])) or source_from_text(body),
                   date=dated.date, date_precision=dated.precision,
                   url=_opt_str(v["url"]), category=_opt_str(v["category"]))


def _opt_str(value) -> str | None:
    return str(value).strip() or None if value is not None else None
