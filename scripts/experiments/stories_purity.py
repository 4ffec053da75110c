"""Draw stories of a regrouping (in memory, no rebuild) to be read for purity (issue #33).

    python scripts/experiments/stories_purity.py --index /work/var/ant --texts /tmp/ant/extracted --out DIR

Groups ``stories/articles.pkl`` again with the code in this tree (``index.stories.grouping.group``),
draws (fixed seed) ``--random`` stories of 3+ articles from 2+ outlets and the ``--largest`` largest
stories (a largest one drawn at random is replaced by another draw), and writes one reading file per
story into ``--out``: each member's outlet, time, title and the start of its text, in date order, plus
``index.tsv`` (file, story first id, size, outlets, kind).  The texts are read from the ANT corpus as
extracted (``<Outlet>/<category>/<id>.txt``, TREC-like XML).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.stories.grouping import group  # noqa: E402
from index.stories.store import read_articles  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402

OUTLETS = {"AL": "Alarabia", "BB": "BBC", "CN": "CNN", "FR": "France24", "SK": "SkyNews"}


def field(xml: str, tag: str) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", xml, re.S)
    return m.group(1).strip() if m else ""


def reading(doc_id: str, texts: Path, chars: int) -> str:
    prefix, cat = doc_id.split("-")[:2]
    path = texts / OUTLETS.get(prefix, prefix) / cat / f"{doc_id}.txt"
    try:
        xml = path.read_text(encoding="utf-8")
    except OSError as e:
        return f"== {doc_id} (unreadable: {e})\n"
    body = re.sub(r"\s+", " ", field(xml, "TEXT"))
    return f"== {doc_id}  {OUTLETS.get(prefix, prefix)}  {field(xml, 'TIME')}\n## {field(xml, 'TITLE')}\n{body[:chars]}\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--texts", default="/tmp/ant/extracted")
    ap.add_argument("--out", required=True)
    ap.add_argument("--random", type=int, default=50)
    ap.add_argument("--largest", type=int, default=20)
    ap.add_argument("--seed", type=int, default=33)
    ap.add_argument("--chars", type=int, default=600)
    args = ap.parse_args()
    t = time.perf_counter()
    g = group(list(read_articles(current_dir(args.index)).values()))
    print(f"grouped {len(g.ids):,} articles in {time.perf_counter() - t:.1f} s")
    members = defaultdict(list)  # story row -> member rows (in date order, as g.ids is)
    for row, s in enumerate(g.story_rows):
        members[s].append(row)
    multi = [s for s, rows in members.items() if len(rows) > 1]
    print(f"{len(members):,} stories, {len(multi):,} of 2+, largest {max(len(members[s]) for s in multi)}")
    largest = sorted(multi, key=lambda s: (-len(members[s]), s))[:args.largest]
    pool = sorted(s for s, rows in members.items()
                  if len(rows) >= 3 and len({g.ids[r][:2] for r in rows}) >= 2 and s not in largest)
    print(f"{len(pool):,} stories of 3+ articles from 2+ outlets (besides the {len(largest)} largest)")
    # drawing from the pool without the largest = drawing from all and redrawing a largest one
    drawn = random.Random(args.seed).sample(pool, args.random)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    index = ["file\tstory\tsize\toutlets\tkind"]
    for kind, stories in (("random", drawn), ("largest", largest)):
        for n, s in enumerate(stories, 1):
            rows = members[s]
            outlets = ",".join(sorted({OUTLETS.get(g.ids[r][:2], g.ids[r][:2]) for r in rows}))
            name = f"{kind}-{n:02d}.txt"
            head = f"# {kind} {n}: story {g.ids[s]}, {len(rows)} articles, {outlets}\n\n"
            (out / name).write_text(head + "\n".join(reading(g.ids[r], Path(args.texts), args.chars) for r in rows),
                                    encoding="utf-8")
            index.append(f"{name}\t{g.ids[s]}\t{len(rows)}\t{outlets}\t{kind}")
    (out / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"wrote {len(drawn) + len(largest)} reading files and index.tsv to {out}")


if __name__ == "__main__":
    main()
