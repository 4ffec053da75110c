"""The labelled pairs an index's stories get wrong, and the sizes of its stories.

    python scripts/experiments/stories_errors.py --index var/ant [--undated]

``--undated``: group the index's articles again with every date removed (articles without
dates group by text alone, with the stricter rule for them) and score that instead.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.stories.evaluate import read_pairs, score  # noqa: E402
from index.stories.grouping import group  # noqa: E402
from index.stories.store import read_articles  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--undated", action="store_true")
    args = ap.parse_args()
    articles = list(read_articles(current_dir(args.index)).values())
    if args.undated:
        for a in articles:
            a.date = None
    g = group(articles)
    pairs = read_pairs()
    dup, story, copies = g.dup, g.story, g.copies
    is_copy = lambda a, b: b in copies.get(a, ())  # noqa: E731
    print(" ".join(f"{k}={v}" for k, v in score(pairs, is_copy, story).as_dict().items()))
    print("as groups: duplicate precision/recall", " / ".join(
        f"{v:.3f}" for v in list(score(pairs, lambda a, b: dup[a] == dup[b], story).as_dict().values())[1:3]))
    sizes = Counter(Counter(story.values()).values())
    print("story sizes (size: stories):", ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items())))
    for p in pairs:
        same_story = story[p["id_a"]] == story[p["id_b"]]
        same_dup = is_copy(p["id_a"], p["id_b"])
        gold_story = p["label"] in ("same_report", "same_event")
        if same_story != gold_story or same_dup != (p["label"] == "same_report"):
            print(f"{p['pair']}\t{p['label']}\tgrouped={'dup' if same_dup else 'story' if same_story else 'no'}\t"
                  f"cos={p['cosine']} jac={p['jaccard']} cont={p['containment']}\t{p['reason']}")


if __name__ == "__main__":
    main()
