"""Where indexes live on disk, and opening the current one.

An index location ``ROOT`` holds generations ``ROOT/gen-*`` and a symlink
``ROOT/current`` to the one being served.  A rebuild writes a new generation
beside it and swaps the link atomically (see ``index.builder``), so readers
always see a complete index.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.structfile import StructFile

from search.errors import IndexMissingError
from search.variants import NONE, Variants

CURRENT = "current"
META = "meta.json"
#: The headline spellings of the generation's words (search.vocabulary), written by the build.
SPELLINGS = "spellings.json"
#: The generation's house-spelling groups (search.variants), written by the build.
VARIANTS = "variants.json"
#: How an unreadable index is mended (the message a web client sees: no location in it).
REBUILD = "rebuild it with: akhbar index"


def close_left_open(exc: BaseException) -> None:
    """Close the files Whoosh opened on its way to ``exc`` (a reader it failed to open: it leaves
    them open until the garbage collector finds them)."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, StructFile) and not value.is_closed:
                value.close()
        tb = tb.tb_next


def unreadable(root: str | Path, exc: BaseException, what: str = "") -> IndexMissingError:
    """The error of an index whose files cannot be read: named by the kind of error only (an
    exception's text may hold a file's path)."""
    return IndexMissingError(root, f"unreadable index ({exc.__class__.__name__}{' in ' + what if what else ''})", REBUILD)


def current_dir(root: str | Path) -> Path:
    """The generation folder served from ``root``."""
    return Path(root) / CURRENT


def open_index(root: str | Path):
    """Open the current generation under ``root`` (IndexMissingError if none)."""
    from search.analysis import ANALYZER_VERSION
    from search.fields import SCHEMA_VERSION

    path = current_dir(root)
    if not path.is_dir():
        raise IndexMissingError(root)
    meta = read_meta(root)
    for key, expected in (("schema_version", SCHEMA_VERSION), ("analyzer_version", ANALYZER_VERSION)):
        built_with = meta.get(key, 1)
        if built_with != expected:
            what = key.split("_")[0]
            raise IndexMissingError(root, f"index built by another Akhbar version ({what} {built_with}, "
                                          f"this one reads {expected}): rebuild it")
    try:
        # the generation itself, not the link: a swap after this point cannot mix two generations
        return windex.open_dir(str(path.resolve()))
    except Exception as exc:  # noqa: BLE001 - a damaged table of contents fails in any way (pickle, struct, ...)
        close_left_open(exc)
        raise unreadable(root, exc) from exc


def read_meta(root: str | Path) -> dict:
    """The build description stored beside the current generation ({} if none)."""
    try:
        return json.loads((current_dir(root) / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_spellings(root: str | Path) -> list:
    """The current generation's stored spelling rows (none for an index built before they were kept)."""
    path = current_dir(root) / SPELLINGS
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:  # ValueError: damaged JSON or UTF-8
        raise unreadable(root, exc, SPELLINGS) from exc


def write_variants(gen_dir: str | Path, variants: Variants) -> None:
    (Path(gen_dir) / VARIANTS).write_text(variants.to_json(), encoding="utf-8")


def read_variants(gen_dir: str | os.PathLike) -> Variants:
    """A generation folder's spelling groups (none for a generation built before them); OSError
    or ValueError if the file is damaged."""
    try:
        text = (Path(gen_dir) / VARIANTS).read_text(encoding="utf-8")
    except FileNotFoundError:
        return NONE
    return Variants.from_json(text)
