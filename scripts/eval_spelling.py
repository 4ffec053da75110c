""""Did you mean" on misspelled queries built from the collection's own words.

    python scripts/eval_spelling.py --index var/ant --make     # (re)write tests/data/misspellings.tsv from the index
    python scripts/eval_spelling.py --index var/ant            # the figures

The list: words of the index found in at least 30 articles (4 to 10 letters, as the
headlines spell them), drawn with a fixed seed, each misspelled one way, in turn:
two neighbouring letters swapped, a letter dropped, a letter doubled, ة written ه,
ى written ي, a hamza dropped (أ/إ -> ا), and the word typed with the keyboard on the
Latin layout («حفتر» -> «ptjv»).  Spelling variants that Akhbar's normalization
already makes equal (ة/ه, ى/ي, hamza forms) need no suggestion: they are counted as
"found as typed" when the query analyzes to the intended word.

Figures: for the other misspellings, the share whose suggestion is the intended word
(correction accuracy), wrong suggestions, no suggestion; and on the correctly spelled
queries of scripts/bench_queries.txt, how many get a suggestion (should be none).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.analysis import analyze  # noqa: E402
from search.engines import open_engine  # noqa: E402
from search.query import parse_query  # noqa: E402
from search.searching import search  # noqa: E402
from search.spelling import ARABIC_KEYBOARD, did_you_mean, suggest  # noqa: E402

LIST = ROOT / "tests" / "data" / "misspellings.tsv"
QUERIES = ROOT / "scripts" / "bench_queries.txt"
KINDS = ("swap", "drop", "double", "teh-marbuta", "alef-maksura", "hamza", "keyboard")
TO_LATIN = {v: chr(k) for k, v in ARABIC_KEYBOARD.items() if len(v) == 1}


def misspell(word: str, kind: str, rng: random.Random) -> str | None:
    if kind == "swap":
        i = rng.randrange(1, len(word) - 1)
        out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif kind == "drop":
        i = rng.randrange(1, len(word) - 1)
        out = word[:i] + word[i + 1:]
    elif kind == "double":
        i = rng.randrange(1, len(word) - 1)
        out = word[:i] + word[i] + word[i:]
    elif kind == "teh-marbuta":
        out = word[:-1] + "ه" if word.endswith("ة") else None
    elif kind == "alef-maksura":
        out = word[:-1] + "ي" if word.endswith("ى") else None
    elif kind == "hamza":
        out = word.replace("أ", "ا", 1).replace("إ", "ا", 1) if ("أ" in word or "إ" in word) else None
    else:
        out = "".join(TO_LATIN.get(c, "?") for c in word)
        out = None if "?" in out else out
    return out if out and out != word else None


def make(engine, n: int = 140) -> None:
    exact = engine.analyzer("text_exact")
    shown = engine.spellings()
    words = sorted(s for form, s in shown.items() if 4 <= len(s) <= 10 and s.isalpha()
                   and engine.doc_frequency("text_exact", form) >= 30 and analyze(exact, s) == [form])
    rng = random.Random(2026)
    rng.shuffle(words)
    rows, k = [], 0
    for word in words:
        for _ in range(len(KINDS)):  # the next kind that applies to this word
            kind = KINDS[k % len(KINDS)]
            k += 1
            typed = misspell(word, kind, rng)
            if typed:
                rows.append((typed, word, kind))
                break
        if len(rows) >= n:
            break
    LIST.parent.mkdir(parents=True, exist_ok=True)
    LIST.write_text("typed\tintended\tkind\n" + "".join(f"{t}\t{w}\t{k}\n" for t, w, k in rows), encoding="utf-8")
    print(f"wrote {len(rows)} misspellings to {LIST}")


def evaluate(engine) -> None:
    exact = engine.analyzer("text_exact")
    rows = [line.split("\t") for line in LIST.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    as_typed, right, wrong, none, by_kind = 0, 0, 0, 0, {}
    for typed, intended, kind in rows:
        want = analyze(exact, intended)
        stats = by_kind.setdefault(kind, [0, 0])
        stats[1] += 1
        if analyze(exact, typed) == want:
            as_typed += 1
            stats[0] += 1
            continue
        got = suggest(engine, parse_query(typed))
        if got is None:
            none += 1
        elif analyze(exact, got) == want:
            right += 1
            stats[0] += 1
        else:
            wrong += 1
            print(f"  wrong: {typed} -> {got} (meant {intended}, {kind})")
    corrected = len(rows) - as_typed
    print(f"{len(rows)} misspelled queries: {as_typed} found as typed (normalization), {corrected} need a correction:"
          f" right {right} ({right / max(1, corrected):.3f}), wrong {wrong}, none {none}")
    print("  by kind (handled / total): " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in by_kind.items()))
    offered = []
    for q in [q for q in QUERIES.read_text(encoding="utf-8").splitlines() if q.strip() and not q.startswith("#")]:
        total = search(engine, q, page_size=1, facets=False, snippets=False)["total"]
        s = did_you_mean(engine, q, total)
        if s:
            offered.append((q, total, s))
    print(f"correctly spelled bench queries with a suggestion: {len(offered)}")
    for q, total, s in offered:
        print(f"  {q!r} ({total} results) -> {s!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--make", action="store_true", help="write the misspelling list from this index first")
    args = ap.parse_args()
    with open_engine(args.index) as engine:
        if args.make:
            make(engine)
        evaluate(engine)


if __name__ == "__main__":
    main()
