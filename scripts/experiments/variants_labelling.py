"""Label Arabic house spellings in the ANT corpus and check the labelled sets.

The sets it checks: tests/data/variant_groups.tsv (groups of spellings of one name or word, with the
outlets that use each) and tests/data/variant_lookalikes.tsv (pairs that look like spellings of each
other but are different words). Reads the extracted ANT files directly (read-only); caches a token
index in /tmp so repeated runs are quick.

    python scripts/experiments/variants_labelling.py check            # verify both files, print counts
    python scripts/experiments/variants_labelling.py count ترمب ترامب  # articles per outlet per spelling
    python scripts/experiments/variants_labelling.py docs ترمب 5       # some article ids containing it
    python scripts/experiments/variants_labelling.py house Alarabia    # words frequent in one outlet, rare elsewhere
    python scripts/experiments/variants_labelling.py near ترامب        # corpus words one correspondence away

A spelling counts in an article when it occurs as a whole word, also with attached clitics
(و ف ب ل ك, and «ال» except for person names; only و ف for words of two letters); a spelling with a space
must occur as that word sequence. Words are compared after removing diacritics and tatweel only: hamza
forms, ى/ي and ة/ه stay as written, since they are among the differences labelled here.
"""

from __future__ import annotations

import argparse
import collections
import os
import pickle
import re
import sys
from pathlib import Path

CORPUS = Path(os.environ.get("ANT_DIR", "/tmp/ant/extracted"))
CACHE = Path(os.environ.get("ANT_CACHE", "/tmp/ant/variants_index.pkl"))
DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
GROUPS = DATA / "variant_groups.tsv"
LOOKALIKES = DATA / "variant_lookalikes.tsv"
OUTLETS = ("Alarabia", "BBC", "CNN", "France24", "SkyNews")
KINDS = ("person", "place", "org", "loanword", "adjective", "compound")
MIN_ARTICLES = 3

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")
_URL = re.compile(r"<URL>.*?</URL>", re.S)
_TAG = re.compile(r"<[^>]+>")
_DOCNO = re.compile(r"<DOCNO>\s*(.*?)\s*</DOCNO>")
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")


def tokens(text: str) -> list[str]:
    return _WORD.findall(_MARKS.sub("", text))


def load_index() -> dict:
    """{'docs': [(docno, outlet)], 'toks': [token list per doc], 'inv': {token: set(doc numbers)}}."""
    if CACHE.exists():
        with CACHE.open("rb") as f:
            return pickle.load(f)
    if not CORPUS.is_dir():
        sys.exit(f"ANT corpus not found at {CORPUS}: extract /work/shared/corpus/ant-multisource-v2.1.tar.gz there")
    docs, toks, inv = [], [], collections.defaultdict(set)
    for outlet in OUTLETS:
        for path in sorted((CORPUS / outlet).glob("*/*.txt")):
            raw = path.read_text(encoding="utf-8", errors="replace")
            m = _DOCNO.search(raw)
            docno = m.group(1) if m else path.stem
            words = tokens(_TAG.sub(" ", _URL.sub(" ", raw)))
            n = len(docs)
            docs.append((docno, outlet))
            toks.append(words)
            for w in set(words):
                inv[w].add(n)
    index = {"docs": docs, "toks": toks, "inv": dict(inv)}
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with CACHE.open("wb") as f:
        pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
    return index


def forms(word: str, article: bool) -> set[str]:
    """The word with the attached clitics an article may write it with. A word of one or two letters takes
    only و and ف (with ب ل ك its forms would mostly be other words: «لكن» is not «ل» + «كن»)."""
    out = set()
    for c in _CONJ:
        for p in (_PREP if len(word) > 2 else ("",)):
            out.add(c + p + word)
            if article and not word.startswith("ال"):
                out.add(c + ("لل" if p == "ل" else p + "ال") + word)
    return out


def articles(index: dict, spelling: str, article: bool = True) -> set[int]:
    """Numbers of the articles that contain the spelling (a word, or words separated by a space)."""
    parts = spelling.split()
    inv = index["inv"]
    first = set().union(*(inv.get(f, set()) for f in forms(parts[0], article)))
    if len(parts) == 1:
        return first
    firsts = forms(parts[0], article)
    rest = parts[1:]
    candidates = first.intersection(*(inv.get(p, set()) for p in rest))
    found = set()
    for n in candidates:
        words = index["toks"][n]
        for i, w in enumerate(words):
            if w in firsts and words[i + 1:i + len(parts)] == rest:
                found.add(n)
                break
    return found


def by_outlet(index: dict, nums: set[int]) -> dict[str, int]:
    counts = collections.Counter(index["docs"][n][1] for n in nums)
    return {o: counts.get(o, 0) for o in OUTLETS}


def fmt(counts: dict[str, int]) -> str:
    return " ".join(f"{o[:3]} {c}" for o, c in counts.items())


def read_tsv(path: Path, header: list[str]) -> tuple[list[list[str]], list[str]]:
    problems = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != header:
        problems.append(f"{path.name}: header must be {header!r}")
    rows = []
    for i, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header) or not all(f.strip() for f in fields):
            problems.append(f"{path.name}:{i}: expected {len(header)} non-empty fields, got {len(fields)}")
            continue
        rows.append(fields)
    return rows, problems


def check() -> int:
    index = load_index()
    groups, problems = read_tsv(GROUPS, ["group", "kind", "spellings", "evidence"])
    pairs, more = read_tsv(LOOKALIKES, ["word_a", "word_b", "why"])
    problems += more
    kinds = collections.Counter()
    seen_ids, spelling_group = set(), {}
    print("== groups")
    for gid, kind, spellings, _ in groups:
        if kind not in KINDS:
            problems.append(f"group {gid}: unknown kind {kind!r}")
        if not re.fullmatch(r"[a-z0-9_]+", gid) or gid in seen_ids:
            problems.append(f"group {gid}: id must be a unique lower-case ascii id")
        seen_ids.add(gid)
        kinds[kind] += 1
        names = spellings.split("|")
        if len(names) < 2 or len(set(names)) != len(names):
            problems.append(f"group {gid}: needs two or more distinct spellings")
        for s in names:
            if s in spelling_group:
                problems.append(f"spelling {s} is in groups {spelling_group[s]} and {gid}")
            spelling_group[s] = gid
            nums = articles(index, s, article=kind != "person")
            print(f"{gid:22} {s:18} {len(nums):5}  {fmt(by_outlet(index, nums))}")
            if len(nums) < MIN_ARTICLES:
                problems.append(f"group {gid}: {s} is in {len(nums)} articles (< {MIN_ARTICLES})")
    print("== look-alikes")
    seen_pairs = set()
    for a, b, _ in pairs:
        key = frozenset((a, b))
        if a == b or key in seen_pairs:
            problems.append(f"look-alike {a}/{b}: repeated or identical")
        seen_pairs.add(key)
        if a in spelling_group and spelling_group.get(b) == spelling_group[a]:
            problems.append(f"look-alike {a}/{b}: both are spellings of group {spelling_group[a]}")
        na, nb = len(articles(index, a)), len(articles(index, b))
        print(f"{a:16} {na:5}   {b:16} {nb:5}")
        for w, n in ((a, na), (b, nb)):
            if n < MIN_ARTICLES:
                problems.append(f"look-alike {a}/{b}: {w} is in {n} articles (< {MIN_ARTICLES})")
    print("== summary")
    print(f"groups {len(groups)}: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    print(f"look-alike pairs {len(pairs)}")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


def count(words: list[str]) -> None:
    index = load_index()
    for w in words:
        nums = articles(index, w)
        print(f"{w:18} {len(nums):5}  {fmt(by_outlet(index, nums))}")


def docs(word: str, limit: int) -> None:
    index = load_index()
    for n in sorted(articles(index, word))[:limit]:
        docno, outlet = index["docs"][n]
        words = index["toks"][n]
        hits = [i for i, w in enumerate(words) if word.split()[0] in w][:1]
        ctx = " ".join(words[max(0, hits[0] - 6):hits[0] + 7]) if hits else ""
        print(f"{docno:32} {ctx}")


def house(outlet: str, top: int) -> None:
    """Words in many articles of one outlet and few (relative to size) of the others."""
    index = load_index()
    size = collections.Counter(o for _, o in index["docs"])
    scored = []
    for w, nums in index["inv"].items():
        if len(nums) < 15 or len(w) < 3:
            continue
        c = collections.Counter(index["docs"][n][1] for n in nums)
        here = c[outlet] / size[outlet]
        rest = (sum(c.values()) - c[outlet]) / (sum(size.values()) - size[outlet])
        if c[outlet] >= 10 and here > 8 * rest:
            scored.append((c[outlet], w, c))
    for _, w, c in sorted(scored, reverse=True)[:top]:
        print(f"{w:18} " + " ".join(f"{o[:3]} {c[o]}" for o in OUTLETS))


_SWAPS = [("غ", "ج"), ("غ", "ك"), ("ج", "ق"), ("ك", "ق"), ("غ", "ق"), ("ف", "ڤ"), ("ة", "ه"), ("ى", "ي"), ("ى", "ا"),
          ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ؤ", "و"), ("ئ", "ي"), ("ت", "ط"), ("س", "ص"), ("د", "ض"), ("ز", "ذ")]


def neighbours(word: str) -> set[str]:
    out = set()
    for i in range(len(word) + 1):
        for v in "اوي":
            out.add(word[:i] + v + word[i:])
    for i, ch in enumerate(word):
        out.add(word[:i] + word[i + 1:])
        out.add(word[:i + 1] + ch + word[i + 1:])
        for a, b in _SWAPS:
            if ch == a:
                out.add(word[:i] + b + word[i + 1:])
            if ch == b:
                out.add(word[:i] + a + word[i + 1:])
    out.discard(word)
    return out


def near(words: list[str]) -> None:
    index = load_index()
    for w in words:
        for v in [w, *sorted(neighbours(w))]:
            nums = index["inv"].get(v)
            if nums and len(nums) >= MIN_ARTICLES:
                print(f"{w:14} {v:18} {len(nums):5}  {fmt(by_outlet(index, nums))}")


def pairs(min_docs: int) -> None:
    """Every pair of corpus words one correspondence apart, both in min_docs articles or more."""
    index = load_index()
    inv = index["inv"]
    common = {w for w, nums in inv.items() if len(nums) >= min_docs and len(w) >= 3}
    for w in sorted(common):
        for v in neighbours(w):
            if v in common and w < v:
                a, b = by_outlet(index, inv[w]), by_outlet(index, inv[v])
                print(f"{w}\t{v}\t{len(inv[w])}\t{len(inv[v])}\t{fmt(a)}\t{fmt(b)}")


def kwic(index: dict, n: int, spelling: str, width: int = 8) -> str:
    """The words around the first occurrence of the spelling in article n."""
    parts = spelling.split()
    firsts = forms(parts[0], True)
    words = index["toks"][n]
    for i, w in enumerate(words):
        if w in firsts and words[i + 1:i + len(parts)] == parts[1:]:
            return " ".join(words[max(0, i - width):i + len(parts) + width])
    return ""


def evidence(draft: Path) -> None:
    """For a draft of groups (group, kind, spellings): print the groups' lines with their evidence (counts per
    outlet, an article of the outlet that uses the spelling most) to stdout, and the words around the spelling
    in that article to stderr, to read before the line is kept."""
    index = load_index()
    for line in draft.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("group\t"):
            continue
        gid, kind, spellings = line.split("\t")[:3]
        notes = []
        for s in spellings.split("|"):
            nums = articles(index, s, article=kind != "person")
            counts = by_outlet(index, nums)
            top = max(counts, key=counts.get)
            mine = sorted(n for n in nums if index["docs"][n][1] == top)
            pick = mine[len(mine) // 2] if mine else None
            docno = index["docs"][pick][0] if pick is not None else "-"
            notes.append(f"{s}: " + ", ".join(f"{o[:3]} {c}" for o, c in counts.items()) + f" (read {docno})")
            print(f"{gid:18} {s:16} {docno:30} {kwic(index, pick, s) if pick is not None else ''}", file=sys.stderr)
        print("\t".join([gid, kind, spellings, "; ".join(notes)]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check")
    p = sub.add_parser("count")
    p.add_argument("words", nargs="+")
    p = sub.add_parser("docs")
    p.add_argument("word")
    p.add_argument("limit", type=int, nargs="?", default=5)
    p = sub.add_parser("house")
    p.add_argument("outlet", choices=OUTLETS)
    p.add_argument("top", type=int, nargs="?", default=200)
    p = sub.add_parser("pairs")
    p.add_argument("min_docs", type=int, nargs="?", default=5)
    p = sub.add_parser("evidence")
    p.add_argument("draft", type=Path)
    p = sub.add_parser("near")
    p.add_argument("words", nargs="+")
    args = ap.parse_args()
    if args.cmd == "check":
        return check()
    if args.cmd == "count":
        count(args.words)
    elif args.cmd == "docs":
        docs(args.word, args.limit)
    elif args.cmd == "house":
        house(args.outlet, args.top)
    elif args.cmd == "evidence":
        evidence(args.draft)
    elif args.cmd == "pairs":
        pairs(args.min_docs)
    else:
        near(args.words)
    return 0


if __name__ == "__main__":
    sys.exit(main())
