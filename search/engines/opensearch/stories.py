"""A cluster index's stories folder, stored in the cluster beside its vocabulary.

The build groups stories with the embedded engine's code (``index.stories``) and writes the
same folder (``search.stories``); the folder's files are then stored in the build's vocabulary
index, :data:`CHUNK` bytes a document (``part``: ``stories-N``), with a manifest
(:data:`MANIFEST`: each file's chunks and the folder's stamp).  Each article's story is also a
keyword field of its document (``story``), which searches collapse on.

A server fetches the files a reader needs (:data:`READ_FILES`) once per stamp into a local
cache (:func:`cache_dir`), and opens them as the embedded engine does
(:class:`search.stories.StoryIndex`): both engines answer the same stories, copies and
related articles.  An update fetches the whole folder (its articles' features) when the
build machine's own copy is not the stamp served.
"""
from __future__ import annotations

import base64
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from search.stories import DIRNAME

#: The ``part`` (and id) of a chunk document begins so (``stories-SHA1``); the manifest's id.
PART = "stories-"
MANIFEST = "stories"
#: Bytes of a file a chunk document holds (base64 in its ``_source``).
CHUNK = 4 * 2**20
#: The files of a stories folder a reader opens (``search.stories.StoryIndex``); an update reads all.
READ_FILES = ("ids.npy", "ids.sorted.npy", "ids.sorted.rows.npy", "story.npy", "dup.npy", "copies.indptr.npy",
              "copies.indices.npy", "vec.indptr.npy", "vec.indices.npy", "vec.data.npy", "inv.indptr.npy",
              "inv.indices.npy", "inv.data.npy", "meta.json", "republished.json")
#: Where servers and builds keep the folders they fetched (``AKHBAR_CACHE`` or the user's cache).
CACHE_VARIABLE = "AKHBAR_CACHE"


def chunks(path: Path) -> Iterator[tuple[str, bytes]]:
    """A file's chunks of :data:`CHUNK` bytes (an empty file has one, empty), each with its key: the
    SHA-1 of its bytes, so that a chunk stored before is not stored again."""
    with open(path, "rb") as fh:
        n = 0
        while True:
            data = fh.read(CHUNK)
            if data or not n:
                yield f"{PART}{hashlib.sha1(data).hexdigest()}", data
            n += 1
            if len(data) < CHUNK:
                return


def save(es, vocabulary_index: str, folder: Path, stamp: str) -> int:
    """Store the stories folder ``folder`` in ``vocabulary_index``: the chunks it does not hold yet,
    then the manifest (each file's chunks in order, and ``stamp``), then remove the chunks no
    longer listed.  An update changes the end of the articles' file and the arrays: the
    chunks of the rest are kept.  Returns the bytes sent."""
    from opensearchpy import exceptions as E

    try:
        before = es.get(index=vocabulary_index, id=MANIFEST)["_source"]["files"]
    except E.NotFoundError:
        before = {}
    held = {key for keys in before.values() for key in keys}
    files: dict[str, list[str]] = {}
    sent = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        files[path.name] = []
        for key, data in chunks(path):
            files[path.name].append(key)
            if key not in held:  # (one request a chunk: a bulk request of a few MB documents took 0.4 s, these 0.1 s)
                es.index(index=vocabulary_index, id=key, body={"part": key, "data": base64.b64encode(data).decode("ascii")})
                held.add(key)
                sent += len(data)
    es.index(index=vocabulary_index, id=MANIFEST, body={"part": MANIFEST, "files": files, "stamp": stamp}, refresh=True)
    listed = sorted({key for keys in files.values() for key in keys})
    es.delete_by_query(index=vocabulary_index, refresh=True,
                       body={"query": {"bool": {"filter": [{"prefix": {"part": PART}}],
                                                "must_not": [{"ids": {"values": listed}}]}}})
    return sent


def fetch(es, vocabulary_index: str, dest: Path, names: tuple[str, ...] | None = None) -> dict | None:
    """Write the stored folder's files (``names``: those alone) into ``dest``; the manifest, None
    when the index stores no stories (a build loaded in parts, or one of another version)."""
    from opensearchpy import exceptions as E

    try:
        manifest = es.get(index=vocabulary_index, id=MANIFEST)["_source"]
    except E.NotFoundError:
        return None
    dest.mkdir(parents=True, exist_ok=True)
    for name, keys in manifest["files"].items():
        if names is not None and name not in names:
            continue
        with open(dest / name, "wb") as fh:
            for start in range(0, len(keys), 2):  # (two chunks a request: 10 MB of base64)
                found = es.mget(index=vocabulary_index, body={"ids": keys[start:start + 2]})["docs"]
                for doc in found:
                    if not doc.get("found"):
                        raise OSError(f"the cluster's stories file {name} is incomplete")
                    fh.write(base64.b64decode(doc["_source"]["data"]))
    return manifest


def cache_dir() -> Path:
    """The folder fetched stories are kept in."""
    base = os.environ.get(CACHE_VARIABLE) or os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                          os.path.expanduser("~/.cache"), "akhbar")
    return Path(base) / "cluster-stories"


def cached(es, index: str, vocabulary_index: str, stamp: str, names: tuple[str, ...] | None = READ_FILES) -> Path | None:
    """The generation-like folder (holding ``stories/``) of ``index``'s stories at ``stamp``, fetched
    once into the cache; None when the index stores none.  Folders of other stamps of the index
    are removed, but the last one before (a reader may still hold it)."""
    root = cache_dir() / index
    done = root / stamp
    if (done / DIRNAME / "meta.json").exists() and (names is not None or (done / "complete").exists()):
        return done
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".fetch-", dir=root))
    try:
        if fetch(es, vocabulary_index, tmp / DIRNAME, names) is None:
            return None
        if names is None:
            (tmp / "complete").touch()
        shutil.rmtree(done, ignore_errors=True)
        try:
            os.replace(tmp, done)
        except OSError:  # another process put it there first
            if not (done / DIRNAME / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(root, done)
    return done


def _prune(root: Path, done: Path) -> None:
    """Remove the stamps of ``root`` older than ``done`` but the one before it."""
    older = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name < done.name)
    for old in older[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def forget(prefix: str, keep: set[str]) -> None:
    """Remove the cached stories of the indexes named ``prefix*`` but those in ``keep`` (builds removed)."""
    root = cache_dir()
    if root.is_dir():
        for folder in root.glob(prefix + "*"):
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)


def keep(folder: Path, index: str, stamp: str) -> Path:
    """Move a build's own stories folder (the parent of ``stories/``) into the cache as ``index``'s at
    ``stamp``, whole: the next update on this machine reads it without fetching it."""
    root = cache_dir() / index
    root.mkdir(parents=True, exist_ok=True)
    done = root / stamp
    shutil.rmtree(done, ignore_errors=True)
    shutil.move(str(folder), done)
    (done / "complete").touch()
    _prune(root, done)
    return done
