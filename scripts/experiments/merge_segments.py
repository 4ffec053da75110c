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

from search.engines.whoosh import arrays  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.engines.whoosh.writer import merge_segments  # noqa: E402
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
    stories = StoryIndex(gen / "stories")
    started = time.perf_counter()
    before, after = merge_segments(gen, {i: stories.story_of(i) for i in stories.ids})
    print(f"{before} segments -> {after} in {time.perf_counter() - started:.1f} s (arrays written again included)")


if __name__ == "__main__":
    main()
