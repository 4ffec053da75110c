"""Copy an embedded index and merge its segments into one, to measure searches on one segment
against the several a parallel build leaves (docs/performance.md).

    python scripts/experiments/merge_segments.py --index /tmp/ix-ant --out /tmp/ix-ant-merged
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from whoosh import index as windex  # noqa: E402

from search.engines.whoosh import arrays  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.fields import FILTER_FIELDS, SCORED_TEXT_FIELDS  # noqa: E402
from search.stories import StoryIndex  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    src, out = current_dir(args.index).resolve(), Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    gen = out / src.name
    shutil.copytree(src, gen, ignore=shutil.ignore_patterns(arrays.DIRNAME))
    (out / "current").symlink_to(src.name)
    started = time.perf_counter()
    ix = windex.open_dir(str(gen))
    before = len(ix._segments())
    w = ix.writer(limitmb=256, compound=False)
    w.commit(optimize=True)
    merged = time.perf_counter() - started
    stories = StoryIndex(gen / "stories")
    story_of = {i: stories.story_of(i) for i in stories.ids}
    arrays.write(gen, SCORED_TEXT_FIELDS + tuple(FILTER_FIELDS.values()), story_of=story_of)
    print(f"{before} segments -> {len(windex.open_dir(str(gen))._segments())} in {merged:.1f} s "
          f"(arrays written again: {time.perf_counter() - started - merged:.1f} s)")


if __name__ == "__main__":
    main()
