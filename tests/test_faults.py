"""A rebuild killed with SIGKILL, at named points and at random moments.

After each kill the previous index must still answer with its own results, no
process of the killed build may linger, and the next rebuild must succeed
without any manual clean-up (the lock is the kernel's, leftovers are removed).
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build_steps import KILL_AT
from index.builder import build_index
from search.engines import open_engine
from search.searching import search
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

OLD, NEW = 30, 240  # NEW > 100: the "write" point is reached; > 64: entity workers start


def _collection(folder: Path, n: int, word: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"{word}-{i}", "title": f"خبر {word} رقم {i} من طرابلس",
             "text": f"وصل وفد {word} إلى طرابلس للقاء خليفة حفتر في بنغازي. " * 15} for i in range(n)]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    return folder


def _served_ids(ix: Path) -> set[str]:
    """Ids of every article the served index finds for «طرابلس» (all of them)."""
    ids: set[str] = set()
    with open_engine(ix) as s:
        page = 1
        while True:
            res = search(s, "طرابلس", page=page, page_size=100, facets=False, snippets=False)
            ids |= {r["id"] for r in res["results"]}
            if not res["results"]:
                return ids
            page += 1


def _session_processes(sid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # field 6 of stat: the session id
            out.append(int(stat.parent.name))
    return out


def _assert_no_process_left(sid: int) -> None:
    deadline = time.time() + 15
    while _session_processes(sid) and time.time() < deadline:
        time.sleep(0.2)
    assert not _session_processes(sid), "processes of the killed build are still running"


def _start_build(collection: Path, ix: Path, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "web.cli", "index", "--collection", str(collection),
                             "--index", str(ix), "--no-progress"], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _assert_clean_rebuild(ix: Path, new: Path) -> None:
    summary = build_index([new], ix, progress=False)
    assert summary.added == NEW
    assert _served_ids(ix) == {f"جديد-{i}" for i in range(NEW)}
    assert not list(ix.glob("tmp-*"))
    assert len(list(ix.glob("gen-*"))) <= 2


@pytest.fixture
def old_and_new(tmp_path):
    old = _collection(tmp_path / "old", OLD, "قديم")
    new = _collection(tmp_path / "new", NEW, "جديد")
    ix = tmp_path / "ix"
    build_index([old], ix, progress=False)
    before = _served_ids(ix)
    assert before == {f"قديم-{i}" for i in range(OLD)}
    return ix, new, before


@pytest.mark.parametrize("point", ["read", "write", "commit", "arrays", "rename", "swap"])
def test_build_killed_at_each_stage(old_and_new, point):
    ix, new, before = old_and_new
    proc = _start_build(new, ix, {KILL_AT: point})
    proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL, f"the build was not killed at {point!r}"
    assert _served_ids(ix) == before  # the previous index answers, with its own results
    _assert_no_process_left(proc.pid)
    _assert_clean_rebuild(ix, new)


def test_build_killed_at_random_moments(old_and_new):
    ix, new, before = old_and_new
    after = {f"جديد-{i}" for i in range(NEW)}
    began = time.perf_counter()
    proc = _start_build(new, ix)
    proc.communicate(timeout=300)
    full = time.perf_counter() - began
    build_index([ix.parent / "old"], ix, progress=False)  # back to the old collection
    rng = random.Random(20261123)
    outcomes = []
    for fraction in sorted(rng.uniform(0.05, 1.0) for _ in range(6)):
        proc = _start_build(new, ix)
        time.sleep(fraction * full)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        served = _served_ids(ix)
        assert served in (before, after)  # one whole generation or the other, never a mix
        outcomes.append(served == after)
        _assert_no_process_left(proc.pid)
        if served == after:
            build_index([ix.parent / "old"], ix, progress=False)
    _assert_clean_rebuild(ix, new)
