"""The largest stories of an index, each article's outlet, date and headline, to read them through.

    python scripts/experiments/stories_largest.py --index var/ant [--top 4]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from search.engines import open_engine  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--top", type=int, default=4)
    args = ap.parse_args()
    engine = open_engine(args.index)
    stories = engine.stories()
    if stories is None:
        sys.exit(f"{args.index} has no stories: build it again")
    first = sorted({stories.story_of(i) for i in stories.ids}, key=lambda s: -stories.size(s))
    for s in first[:args.top]:
        print(f"== {stories.size(s)} articles")
        for doc_id in stories.members(s):
            d = engine.document(doc_id) or {}
            print(f"   {d.get('source') or '-'}\t{str(d.get('date') or '-')[:10]}\t{d.get('title', '')[:90]}")


if __name__ == "__main__":
    main()
