"""An update's stories against grouping everything again: how far the two differ.

    python scripts/experiments/stories_update.py --index var/ant [--new 100] [--deleted 0] [--pairs]

Takes the articles an index's stories were computed from (``stories/articles.pkl``), groups all
but the ``--new`` latest (and with ``--deleted K``, K random others left out of the update: deleted)
as a full build would, then adds the ``--new`` ones as an update does (``index.stories.incremental``)
and compares with a full grouping of the same articles: the share of articles whose story has the
same members, the pairs of articles grouped by one and not the other, the copy pairs, the time of
each.  ``--pairs``: also the labelled pairs' figures of both (``akhbar eval-stories``).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.stories.evaluate import PAIRS, read_pairs, score  # noqa: E402
from index.stories.grouping import _order_key, group  # noqa: E402
from index.stories.incremental import extend  # noqa: E402
from index.stories.store import read_articles  # noqa: E402
from index.stories.store import write as write_stories  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.stories import DIRNAME  # noqa: E402


def members(story: dict[str, str]) -> dict[str, frozenset]:
    by: dict[str, set] = defaultdict(set)
    for i, s in story.items():
        by[s].add(i)
    return {i: frozenset(by[s]) for i, s in story.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--deleted", type=int, default=0)
    ap.add_argument("--pairs", action="store_true")
    args = ap.parse_args()
    articles = sorted(read_articles(current_dir(args.index)).values(), key=_order_key)
    dated = [a for a in articles if a.date is not None]
    new = dated[-args.new:]
    new_ids = {a.id for a in new}
    rest = [a for a in articles if a.id not in new_ids]
    deleted = set(random.Random(34).sample([a.id for a in rest], args.deleted)) if args.deleted else set()
    after = [a for a in articles if a.id not in deleted]
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp)
        write_stories(gen, rest)  # the generation before the update
        t = time.perf_counter()
        g = extend(gen / DIRNAME, after, new_ids)
        took_update = time.perf_counter() - t
    if g is None:
        print("the update would group everything again (too many changes, or a folder without what it needs)")
        return
    t = time.perf_counter()
    full = group(after)
    took_full = time.perf_counter() - t
    a, b = members(g.story), members(full.story)
    same = sum(1 for i in a if a[i] == b[i])
    pa = {(x, y) for i in a for x in [i] for y in a[i] if x < y}
    pb = {(x, y) for i in b for x in [i] for y in b[i] if x < y}
    ca = {tuple(sorted((g.ids[r], g.ids[o]))) for r, o in g.copy_pairs}
    cb = {tuple(sorted((full.ids[r], full.ids[o]))) for r, o in full.copy_pairs}
    print(f"{len(after):,} articles ({len(new)} new, {len(deleted)} deleted); update {took_update:.1f} s, "
          f"full grouping {took_full:.1f} s")
    print(f"articles whose story has the same members: {same:,} ({same / len(a):.2%}); "
          f"pairs grouped by the update only {len(pa - pb):,}, by the full grouping only {len(pb - pa):,}; "
          f"copy pairs {len(ca):,} / {len(cb):,} ({len(ca ^ cb)} differ)")
    touched = {i for i in a if a[i] != b[i]}
    print(f"of the new articles, same story members: {sum(1 for i in new_ids if i not in touched)} of {len(new_ids)}")
    if args.pairs:
        pairs = read_pairs(PAIRS)
        for name, groups in (("update", g), ("full", full)):
            copies = groups.copies
            print(name, score(pairs, lambda x, y, c=copies: x == y or y in c.get(x, ()), groups.story).as_dict())


if __name__ == "__main__":
    main()
