"""House spellings: does a name typed in one outlet's spelling find every outlet's articles?

    akhbar eval-variants --index var/ant
    python scripts/eval_variants.py --index var/ant      (the same)

The groups (tests/data/variant_groups.tsv, judged by reading ANT): the spellings outlets use
for one name, loanword or adjective («ترامب|ترمب»).  An article *holds* a spelling when the
search for that spelling alone, as typed (``variants=off``), finds it; the group's articles
are those holding any of its spellings.  For each group and each spelling typed alone, with
the house spellings (``variants=on``):

- recall: the share of the group's articles the search returns;
- precision: the share of the returned articles that are the group's;

macro-averaged over the (group, spelling) searches, beside the same figures for the search as
typed (what a literal engine returns).  The look-alikes (tests/data/variant_lookalikes.tsv):
pairs of words that look like spellings of each other and are not; each one merged (searched
as a spelling of the other) is a failure, listed.
"""
from __future__ import annotations

import csv
from pathlib import Path

from search.analysis import analyze
from search.searching import each_result

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
GROUPS = DATA / "variant_groups.tsv"
LOOKALIKES = DATA / "variant_lookalikes.tsv"


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def found(engine, text: str, variants: bool) -> set[str]:
    """The ids of every article a query finds (latin off: the words are Arabic)."""
    _total, _warnings, results = each_result(engine, text, latin=False, variants=variants)
    return {r["id"] for r in results}


def query_of(spelling: str) -> str:
    """A spelling as a query: a word alone, or a compound («عبد العزيز») as a phrase."""
    return f'"{spelling}"' if " " in spelling.strip() else spelling.strip()


def evaluate(engine, groups: list[dict]) -> dict:
    rows = []
    for g in groups:
        spellings = [s for s in g["spellings"].split("|") if s.strip()]
        holding = {s: found(engine, query_of(s), variants=False) for s in spellings}
        relevant = set().union(*holding.values())
        if not relevant:
            continue
        for s in spellings:
            got = found(engine, query_of(s), variants=True)
            hit = len(got & relevant)
            rows.append({"group": g["group"], "kind": g["kind"], "spelling": s, "relevant": len(relevant),
                         "recall": hit / len(relevant), "precision": hit / len(got) if got else 1.0,
                         "literal_recall": len(holding[s]) / len(relevant)})
    n = max(len(rows), 1)
    return {"rows": rows, "searches": len(rows),
            "recall": sum(r["recall"] for r in rows) / n, "precision": sum(r["precision"] for r in rows) / n,
            "literal_recall": sum(r["literal_recall"] for r in rows) / n}


def merged_lookalikes(engine, pairs: list[dict]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(the look-alike pairs searched as one word's spellings, those the normalizer makes one word:
    hamza's seat, ة/ه, ى/ي, as Lucene's Arabic normalizer does; no spelling group is involved)."""
    exact, variants = engine.analyzer("text_exact"), engine.variants()
    merged, normalized = [], []
    for p in pairs:
        a, b = analyze(exact, p["word_a"]), analyze(exact, p["word_b"])
        if len(a) != 1 or len(b) != 1:
            continue
        if a == b:
            normalized.append((p["word_a"], p["word_b"]))
        elif b[0] in variants.spellings(a[0]):
            merged.append((p["word_a"], p["word_b"]))
    return merged, normalized


def report(engine, groups_file: Path = GROUPS, lookalikes_file: Path = LOOKALIKES, misses: bool = False) -> list[str]:
    """The figures, a line each (``misses``: every search below 0.97 recall or precision too)."""
    res = evaluate(engine, read_tsv(groups_file))
    merged, normalized = merged_lookalikes(engine, read_tsv(lookalikes_file))
    groups = len(engine.variants())
    pairs = len(read_tsv(lookalikes_file))
    lines = []
    lines.append(f"spelling groups in the index: {groups}")
    lines.append(f"searches: {res['searches']} (each spelling of {len({r['group'] for r in res['rows']})} groups typed alone)")
    lines.append(f"macro recall    {res['recall']:.3f}   (as typed: {res['literal_recall']:.3f})")
    lines.append(f"macro precision {res['precision']:.3f}")
    lines.append(f"look-alike pairs merged: {len(merged)} of {pairs - len(normalized)} "
          f"({len(normalized)} more are one word to the normalizer, as to Lucene's: "
          f"{', '.join('/'.join(p) for p in normalized)})")
    for a, b in merged:
        lines.append(f"  merged: {a} / {b}")
    by_kind: dict[str, list[dict]] = {}
    for r in res["rows"]:
        by_kind.setdefault(r["kind"], []).append(r)
    for kind, rows in sorted(by_kind.items()):
        lines.append(f"  {kind:10s} searches {len(rows):3d}  recall {sum(r['recall'] for r in rows) / len(rows):.3f}  "
              f"precision {sum(r['precision'] for r in rows) / len(rows):.3f}  "
              f"as typed {sum(r['literal_recall'] for r in rows) / len(rows):.3f}")
    if misses:
        for r in res["rows"]:
            if r["recall"] < 0.97 or r["precision"] < 0.97:
                lines.append(f"  {r['group']:20s} {r['spelling']:15s} recall {r['recall']:.3f} precision {r['precision']:.3f} "
                      f"(of {r['relevant']})")
    return lines
