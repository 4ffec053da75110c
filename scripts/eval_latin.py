"""Latin-script names: how often a Latin spelling is taken for the right Arabic name.

    python scripts/eval_latin.py --index var/ant
    python scripts/eval_latin.py --index var/ant --english tests/data/english_words.txt

The pairs (tests/data/latin_names_eval.tsv): Latin spellings a user might type, none of
them written as such in the lexicon (search/lexicon/latin_names.tsv), each with the
Arabic name it means.  recall@1: the share whose resolution (search.latin.resolve, with
the index's article counts and its words by sound key) searches that name, by two rules:

- the old rule: the Arabic words it searches are all words of the name and include its last
  word (the surname, or the name itself), e.g. «Haftar» -> «حفتر» for «خليفة حفتر»; it also
  counted «IMF» -> «الدولي» (the last word of «صندوق النقد الدولي») right;
- the rule (the figure printed first): the whole name is searched (or another of its spellings
  in the gazetteers, which the entity recognizer tags as the name: «داعش» for «تنظيم الدولة»),
  or, by the old rule, a part of it that is *about the name*: of the articles its search finds, at least half
  (:data:`ABOUT`) are the name's, tagged with it by the entity recognizer (``person:``,
  ``org:``, ``place:``; the recognizer tags a listed person's surname alone as the person) or
  containing the whole name.  A part of a name that fails this is *generic* in the
  collection: «الدولي» is in 11,000 of ANT's articles, a few hundred of them about the IMF.

Printed by group of the pairs' notes, and the misses.

``--acronyms [FILE]``: tests/data/latin_acronyms.tsv: acronyms and organizations' names, judged
by the rule, and common English words, right when searched as typed.

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
from search.latin import contexts, latin_key, lexicon, resolve, same_name  # noqa: E402
from search.normalize import normalize_arabic  # noqa: E402
from search.searching import RELAXED_WARNING, search  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "latin_names_eval.tsv"
ACRONYMS = ROOT / "tests" / "data" / "latin_acronyms.tsv"
#: The pairs' notes, grouped: English spelling variants, other languages' names, other forms.
GROUPS = (("English spelling variants", ("typo", "misspell", "vowel", "diacritic", "prefix", "al-", "variant")),
          ("French, German, Spanish, Turkish, Italian names", ("french", "german", "spanish", "turkish", "italian")),
          ("full names, nicknames, abbreviations, translations", ("full name", "nickname", "abbrev", "acronym",
                                                                  "translation", "english")))


#: The share of the articles a part of a name finds that must be the name's for it to stand for the name.
ABOUT = 0.5
_FILTERS = ("person", "org", "place")


def total(engine, query: str) -> int:
    """How many articles a query finds (0 when it names a phrase no article has)."""
    res = search(engine, query, page_size=1, facets=False, snippets=False, latin=False)
    return 0 if RELAXED_WARNING in res["warnings"] else res["total"]


def quoted(arabic: str) -> str:
    return f'"{arabic}"' if " " in arabic else arabic


def about(engine, searched: list[str], name: str, cache: dict) -> float:
    """The share of the articles the search of ``searched`` (the Arabic of each resolved name, as the
    resolution searches it) finds that are about ``name``: tagged with it, or containing it whole."""
    key = (tuple(searched), name)
    if key not in cache:
        query = " ".join(quoted(a) for a in searched)
        n = total(engine, query)
        theirs = max([total(engine, f'{query} {f}:"{name}"') for f in _FILTERS] + [total(engine, quoted(name))])
        cache[key] = min(1.0, theirs / n) if n else 0.0
    return cache[key]


def judge(engine, latin: str, arabic: str, ctx, cache: dict) -> tuple[bool, bool, str | None]:
    """(right by the old rule, right by the rule, what was searched) for one pair."""
    resolved = resolve(latin, ctx.counts, ctx.translit, ctx.known)
    pieces = [a for _l, a, _how in resolved.names if a]
    got = " ".join(pieces) or None
    want = normalize_arabic(arabic).split()
    searched = normalize_arabic(got).split() if got else []
    old = bool(searched) and set(searched) <= set(want) and want[-1] in searched
    # the name, or another of its spellings in the gazetteers the recognizer tags it by («داعش»)
    whole = len(pieces) == 1 and same_name(pieces[0], arabic)
    part = old and set(searched) != set(want)
    new = whole or (old and (not part or about(engine, pieces, arabic, cache) >= ABOUT))
    return old, new, got


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
    ap.add_argument("--acronyms", nargs="?", const=str(ACRONYMS),
                    help="judge the acronyms and common words of this file (default: %(const)s)")
    args = ap.parse_args()
    if args.english:
        return english(args.index, args.english)
    if args.acronyms:
        return acronyms(args.index, args.acronyms)
    rows = [line.split("\t") for line in Path(args.pairs).read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    exact_keys = lexicon().exact.keys() | lexicon().late.keys()
    leaked = [r[0] for r in rows if latin_key(r[0]) in exact_keys]
    with open_engine(args.index) as engine:
        ctx = contexts.get(engine)
        right, old_right, misses, by_group, unseen, cache = 0, 0, [], {}, [0, 0], {}
        for latin, arabic, *note in rows:
            old, ok, got = judge(engine, latin, arabic, ctx, cache)
            right += ok
            old_right += old
            g = by_group.setdefault(group_of(note[0] if note else ""), [0, 0])
            g[0] += ok
            g[1] += 1
            if latin_key(latin) not in exact_keys:
                unseen[0] += ok
                unseen[1] += 1
            if not ok:
                misses.append((latin, arabic, got, old))
    print(f"{len(rows)} Latin spellings of {len({r[1] for r in rows})} names: recall@1 {right / len(rows):.3f} "
          f"({right} right; by the old rule {old_right / len(rows):.3f}, {old_right}); "
          f"spellings whose key (case, diacritics, dots, hyphens, articles, doubled letters, "
          f"abbreviations ignored) a lexicon spelling has: {len(leaked)}")
    for name, (ok, n) in sorted(by_group.items(), key=lambda g: -g[1][1]):
        print(f"  {name}: {ok}/{n} ({ok / n:.3f})")
    print(f"  spellings whose key no lexicon spelling has: {unseen[0]}/{unseen[1]} ({unseen[0] / unseen[1]:.3f})")
    for latin, arabic, got, old in misses:
        why = " (a generic part of the name)" if old else ""
        print(f"  miss: {latin!r} -> {got or 'nothing'} (meant {arabic}){why}")


def acronyms(index: str, path: str) -> None:
    """Acronyms and names (right by the rule of the pairs) and common English words (right when
    searched as typed, and listed so)."""
    rows = [r.split("\t") for r in Path(path).read_text(encoding="utf-8").splitlines()[1:] if r.strip() and r[0] != "#"]
    with open_engine(index) as engine:
        ctx = contexts.get(engine)
        right, wrong, cache = {"name": 0, "word": 0}, [], {}
        for latin, arabic, *_note in rows:
            if arabic == "-":
                names = resolve(latin, ctx.counts, ctx.translit, ctx.known).names
                ok, got = all(a == "" for _l, a, _h in names), " ".join(a or "(as typed)" for _l, a, _h in names)
            else:
                _old, ok, got = judge(engine, latin, arabic, ctx, cache)
            right["word" if arabic == "-" else "name"] += ok
            if not ok:
                wrong.append(f"  wrong: {latin!r} -> {got or 'nothing'} (meant {arabic})")
    names = sum(r[1] != "-" for r in rows)
    print(f"{names} acronyms and names: {right['name']} right; {len(rows) - names} common English words: "
          f"{right['word']} searched as typed")
    print("\n".join(wrong))


def english(index: str, path: str) -> None:
    """How many common English words are taken for names, typed in lower case and capitalized."""
    words = [w.strip() for w in Path(path).read_text(encoding="utf-8").splitlines() if w.strip() and w[0] != "#"]
    with open_engine(index) as engine:
        ctx = contexts.get(engine)
        for case in (str.lower, str.capitalize):
            hits = []
            for w in words:
                resolved = resolve(case(w), ctx.counts, ctx.translit, ctx.known)
                if any(a for _l, a, _h in resolved.names):  # not searched as typed
                    hits.append(f"{case(w)} -> {' '.join(a for _l, a, _h in resolved.names)}")
            print(f"{case.__name__}: {len(hits)} of {len(words)} common English words taken for names")
            for h in hits:
                print(f"  {h}")


if __name__ == "__main__":
    main()
