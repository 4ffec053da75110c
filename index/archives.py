"""Archives read as collections: ``.tar.gz``/``.tgz``/``.tar``, ``.zip``, and a single compressed
file (``.gz``, e.g. ``feed.jsonl.gz``).

Nothing is extracted to disk: each member comes out as a stream (:class:`Member`) that the reader
reads as far as its limits allow (``index.readers.read_stream``), so a member that expands to
gigabytes costs what the limit costs, not its size.  A member that is not read is a :class:`Problem`
with the reason: a hidden file or folder (a folder's members reported once, as the folder), a name
that names no file (``..``, ``./.``), an archive inside the archive, a link, device or FIFO.
"""
from __future__ import annotations

import gzip
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.documents import Problem

#: Names read as archives of articles; ``.gz`` alone is one compressed file.
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz")
#: Between an archive's path and a member's name in an origin: «archive.tar.gz!dir/a.txt».
MEMBER_SEP = "!"
#: What reading a member or a compressed file can raise when its data are broken.
READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile)


def member_origin(archive, name: str) -> str:
    """Where a member was read from: the archive's path, :data:`MEMBER_SEP`, its name."""
    return f"{archive}{MEMBER_SEP}{name}"


def archive_of(origin: str) -> str | None:
    """The archive an origin names a member of (None: a file of its own)."""
    return origin.split(MEMBER_SEP, 1)[0] if MEMBER_SEP in origin else None


def member_of(origin: str) -> str | None:
    """The member part of an origin (None: a file of its own)."""
    return origin.split(MEMBER_SEP, 1)[1] if MEMBER_SEP in origin else None


@dataclass
class Member:
    """One file of an archive, to be read as a stream before the next member is asked for."""

    origin: str  # "archive.tar.gz!dir/a.txt"; a single compressed file: its path
    name: str  # its name in the archive ("dir/a.txt"; for «feed.jsonl.gz», «feed.jsonl»)
    stream: BinaryIO


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def read_archive(path: Path) -> Iterator[Member | Problem]:
    """Every member of the archive at ``path`` (a single ``.gz``: the file it compresses), or the
    problem that keeps one out; a broken archive is a problem after the members read before it."""
    lower = path.name.lower()
    try:
        if lower.endswith(".zip"):
            yield from _zip_members(path)
        elif lower.endswith(".gz") and not lower.endswith(".tar.gz"):
            with gzip.open(path, "rb") as stream:
                yield Member(str(path), path.name[:-3], stream)
        else:
            yield from _tar_members(path)
    except (*READ_ERRORS, zipfile.LargeZipFile) as exc:
        yield Problem(str(path), f"broken archive: {exc}")


def _tar_members(path: Path) -> Iterator[Member | Problem]:
    with tarfile.open(path, "r:*") as tar:
        hidden: set[str] = set()
        for member in tar:
            if member.isdir():
                continue
            origin = member_origin(path, member.name)
            skip = _not_read(path, member.name, hidden)
            if skip is not None:
                if skip:
                    yield skip
                continue
            if not member.isfile():
                yield Problem(origin, _member_kind(member) + ", not read")
                continue
            stream = tar.extractfile(member)
            if stream is None:
                yield Problem(origin, "unreadable archive member")
                continue
            yield Member(origin, member.name, stream)


def _zip_members(path: Path) -> Iterator[Member | Problem]:
    with zipfile.ZipFile(path) as archive:
        hidden: set[str] = set()
        for info in archive.infolist():
            if info.is_dir():
                continue
            origin = member_origin(path, info.filename)
            skip = _not_read(path, info.filename, hidden)
            if skip is not None:
                if skip:
                    yield skip
                continue
            try:
                stream = archive.open(info)
            except (RuntimeError, NotImplementedError, *READ_ERRORS) as exc:  # encrypted, an unknown compression
                yield Problem(origin, f"unreadable archive member: {exc}")
                continue
            with stream:
                yield Member(origin, info.filename, stream)


def _not_read(archive: Path, name: str, hidden: set[str]) -> Problem | bool | None:
    """Why the member ``name`` is not read (a Problem; False: inside a hidden folder already
    reported), or None: it is read.  ``hidden``: the hidden folders reported so far."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or parts[-1] == "..":
        return Problem(member_origin(archive, name), "archive member whose name is not a file name, not read")
    for depth, part in enumerate(parts[:-1], 1):
        if part.startswith(".") and part != "..":
            folder = "/".join(parts[:depth])
            if folder in hidden:
                return False
            hidden.add(folder)
            return Problem(member_origin(archive, f"{folder}/"), "hidden folder in the archive, not read")
    if parts[-1].startswith("."):
        return Problem(member_origin(archive, name), "hidden file in the archive, not read")
    if is_archive(parts[-1]):
        return Problem(member_origin(archive, name), "archive inside an archive, not read (unpack it into the collection)")
    return None


def _member_kind(member: tarfile.TarInfo) -> str:
    """What an archive member that is not a plain file is."""
    if member.issym():
        return f"symbolic link (to {member.linkname!r}) in the archive"
    if member.islnk():
        return f"hard link (to {member.linkname!r}, the same file again) in the archive"
    if member.ischr() or member.isblk():
        return "device node in the archive"
    if member.isfifo():
        return "FIFO in the archive"
    return f"archive member of type {member.type!r}"
