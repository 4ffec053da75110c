"""Latin-script names: how often a Latin spelling is taken for the right Arabic name.

    python scripts/eval_latin.py --index var/ant
    python scripts/eval_latin.py --index var/ant --english tests/data/english_words.txt

The pairs (tests/data/latin_names_eval.tsv): Latin spellings a user might type, none of
them written as such in the lexicon (search/lexicon/latin_names.tsv), each with the
Arabic name it means.  recall@1: the share whose resolution (search.latin.resolve, with
the index's article counts and its words by sound key) searches that name: the Arabic
words it searches are all words of the name and include its last word (the surname, or
the name itself), e.g. «Haftar» -> «حفتر» for «خليفة حفتر».  Printed by how it was
found (lexicon by key, lexicon by sound, the collection's words) and the misses.

``--english FILE``: common English words, one a line, each resolved alone, in lower case and
capitalized; prints those taken for a name (false hits).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.engines import open_engine  # noqa: E402
from search.latin import contexts, latin_key, lexicon, resolve  # noqa: E402
from search.normalize import normalize_arabic  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "latin_names_eval.tsv"
#: The pairs' notes, grouped: English spelling variants, other languages' names, other forms.
GROUPS = (("English spelling variants", ("typo", "misspell", "vowel", "diacritic", "prefix", "al-", "variant")),
          ("French, German, Spanish, Turkish, Italian names", ("french", "german", "spanish", "turkish", "italian")),
          ("full names, nicknames, abbreviations, translations", ("full name", "nickname", "abbrev", "acronym",
                                                                  "translation", "english")))


def group_of(note: str) -> str:
    low = note.lower()
    for name, words in GROUPS:
        if any(w in low for w in words):
            return name
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--pairs", default=str(PAIRS), help="the Latin/Arabic pairs (default: %(default)s)")
    ap.add_argument("--english", help="count the common English words of this file taken for names")
    args = ap.parse_args()
    if args.english:
        return english(args.index, args.english)
    rows = [line.split("\t") for line in Path(args.pairs).read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    exact_keys = lexicon().exact.keys() | lexicon().late.keys()
    leaked = [r[0] for r in rows if latin_key(r[0]) in exact_keys]
    with open_engine(args.index) as engine:
        ctx = contexts.get(engine)
        right, misses, by_group, unseen = 0, [], {}, [0, 0]
        for latin, arabic, *note in rows:
            resolved = resolve(latin, ctx.counts, ctx.translit, ctx.known)
            got = " ".join(a for _l, a, _how in resolved.names) or None
            want = normalize_arabic(arabic).split()
            searched = normalize_arabic(got).split() if got else []
            ok = bool(searched) and set(searched) <= set(want) and want[-1] in searched
            right += ok
            g = by_group.setdefault(group_of(note[0] if note else ""), [0, 0])
            g[0] += ok
            g[1] += 1
            if latin_key(latin) not in exact_keys:
                unseen[0] += ok
                unseen[1] += 1
            if not ok:
                misses.append((latin, arabic, got))
    print(f"{len(rows)} Latin spellings of {len({r[1] for r in rows})} names: recall@1 {right / len(rows):.3f} "
          f"({right} right); spellings whose key (case, diacritics, dots, hyphens, articles, doubled letters, "
          f"abbreviations ignored) a lexicon spelling has: {len(leaked)}")
    for name, (ok, n) in sorted(by_group.items(), key=lambda g: -g[1][1]):
        print(f"  {name}: {ok}/{n} ({ok / n:.3f})")
    print(f"  spellings whose key no lexicon spelling has: {unseen[0]}/{unseen[1]} ({unseen[0] / unseen[1]:.3f})")
    for latin, arabic, got in misses:
        print(f"  miss: {latin!r} -> {got or 'nothing'} (meant {arabic})")


def english(index: str, path: str) -> None:
    """How many common English words are taken for names, typed in lower case and capitalized."""
    words = [w.strip() for w in Path(path).read_text(encoding="utf-8").splitlines() if w.strip() and w[0] != "#"]
    with open_engine(index) as engine:
        ctx = contexts.get(engine)
        for case in (str.lower, str.capitalize):
            hits = []
            for w in words:
                resolved = resolve(case(w), ctx.counts, ctx.translit, ctx.known)
                if resolved.names:
                    hits.append(f"{case(w)} -> {' '.join(a for _l, a, _h in resolved.names)}")
            print(f"{case.__name__}: {len(hits)} of {len(words)} common English words taken for names")
            for h in hits:
                print(f"  {h}")


if __name__ == "__main__":
    main()
