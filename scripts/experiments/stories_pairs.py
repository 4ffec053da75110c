"""Score a regrouping of an index's articles (in memory, no rebuild) on labelled pair files.

    python scripts/experiments/stories_pairs.py --index var/ant [--pairs FILE ...] [--errors]

Groups ``stories/articles.pkl`` again with the code in this tree (``index.stories.grouping.group``)
and prints, for each pair file (default tests/data/story_pairs.tsv), the figures ``akhbar
eval-stories`` prints; pairs naming an article the index lacks are left out.  ``--errors``: every
pair it gets wrong.  Also the number of stories, the largest's size and the grouping time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.stories.evaluate import PAIRS, read_pairs, score  # noqa: E402
from index.stories.grouping import group  # noqa: E402
from index.stories.store import read_articles  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.stories import REPUBLISHED  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--pairs", action="append", help="a pair file (repeat for several)")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    gen = current_dir(args.index)
    articles = list(read_articles(gen).values())
    # an id not indexed because it republishes another is scored as that one (as StoryIndex does)
    first = {row[0]: row[1] for row in json.loads((gen / "stories" / REPUBLISHED).read_text(encoding="utf-8"))}
    t = time.perf_counter()
    g = group(articles)
    took = time.perf_counter() - t
    story, copies = g.story, g.copies
    sizes = Counter(story.values())
    story.update({r: story[f] for r, f in first.items() if f in story})

    def is_copy(a: str, b: str) -> bool:  # as StoryIndex.is_copy
        a, b = first.get(a, a), first.get(b, b)
        return a == b or b in copies.get(a, ())
    print(f"{len(articles):,} articles, {len(sizes):,} stories, {sum(1 for v in sizes.values() if v > 1):,} of 2+, "
          f"largest {max(sizes.values())}; {len(g.copy_pairs):,} copy pairs; grouping {took:.1f} s")
    for path in args.pairs or [PAIRS]:
        pairs = read_pairs(path)
        print(f"{path}: " + " ".join(f"{k}={v}" for k, v in score(pairs, is_copy, story).as_dict().items()))
        if not args.errors:
            continue
        for p in pairs:
            if p["id_a"] not in story or p["id_b"] not in story:
                continue
            same_story = story[p["id_a"]] == story[p["id_b"]]
            same_dup = is_copy(p["id_a"], p["id_b"])
            if same_story != (p["label"] in ("same_report", "same_event")) or same_dup != (p["label"] == "same_report"):
                print(f"  {p['pair']}\t{p['label']}\tgrouped={'dup' if same_dup else 'story' if same_story else 'no'}\t"
                      f"{p.get('reason', '')[:120]}")


if __name__ == "__main__":
    main()
