"""BIO-tagged token files (ANERcorp, CoNLL) and entity-level scoring.

A file holds one ``token TAG`` per line; tags are ``O`` or ``B-``/``I-`` plus a
type.  ``PERS`` and ``PER`` are the same type (``PERS``); types other than
``PERS``, ``LOC`` and ``ORG`` (``MISC``) are read as ``O``.  Scoring is CoNLL's:
an entity counts only when its span and type both match exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("PERS", "LOC", "ORG")
_TYPE_ALIASES = {"PER": "PERS", "PERS": "PERS", "LOC": "LOC", "ORG": "ORG"}
SENTENCE_END = frozenset({".", "!", "?", "؟"})


@dataclass
class BioFile:
    """Tokens and tags of one file, with the lines that could not be read as given."""

    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def normalize_tag(tag: str) -> str | None:
    """``B-PER`` -> ``B-PERS``, ``I-MISC`` -> ``O``; None when ``tag`` is not a BIO tag."""
    if tag == "O":
        return "O"
    prefix, _, kind = tag.partition("-")
    if prefix not in ("B", "I") or not kind:
        return None
    kind = _TYPE_ALIASES.get(kind.upper())
    return f"{prefix}-{kind}" if kind else "O"


def read_bio(path: str | Path) -> BioFile:
    """Read a ``token TAG`` file.

    A line whose last field is not a tag, or that has no token, is reported and
    skipped; a line with several tokens before the tag gives each token the tag
    (continuing the entity with ``I-``).
    """
    out = BioFile()
    with open(path, encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, 1):
            fields = line.split()
            if not fields:
                continue
            tag = normalize_tag(fields[-1])
            words = fields[:-1]
            if tag is None or not words:
                out.problems.append(f"line {number}: {line.strip()!r}: expected 'token TAG'")
                continue
            if len(words) > 1:
                out.problems.append(f"line {number}: {len(words)} tokens before one tag; each gets it")
            for k, word in enumerate(words):
                out.tokens.append(word)
                out.tags.append(tag if k == 0 or tag == "O" else "I-" + tag[2:])
    return out


def split_point(tokens: list[str], fraction: float) -> int:
    """The index of the first token after ``fraction`` of the file, moved to the next sentence start."""
    i = int(len(tokens) * fraction)
    while 0 < i < len(tokens) and tokens[i - 1] not in SENTENCE_END:
        i += 1
    return i


def sentences(tokens: list[str], max_len: int = 120) -> list[tuple[int, int]]:
    """(start, end) token ranges cut after sentence-final punctuation, at most ``max_len`` long."""
    out, start = [], 0
    for i, tok in enumerate(tokens):
        if tok in SENTENCE_END or i + 1 - start >= max_len:
            out.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        out.append((start, len(tokens)))
    return out


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entities of a tag sequence as (start, end, type), CoNLL style (a stray ``I-`` starts one)."""
    out, start, kind = [], None, None
    for i, tag in enumerate(tags):
        if tag == "O":  # most tags: it ends a span, and starts none
            if start is not None:
                out.append((start, i, kind))
                start = kind = None
            continue
        prefix, _, this = tag.partition("-")
        if start is not None and (prefix != "I" or this != kind):
            out.append((start, i, kind))
            start = kind = None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, this
    if start is not None:
        out.append((start, i + 1, kind))
    return out


def score(gold: list[str], predicted: list[str]) -> dict:
    """Entity-level exact-match precision, recall and F1 per type and micro-averaged."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold tags but {len(predicted)} predicted")
    g, p = set(spans(gold)), set(spans(predicted))
    result = {}
    for kind in TYPES + ("micro",):
        gk = {s for s in g if kind in (s[2], "micro")}
        pk = {s for s in p if kind in (s[2], "micro")}
        tp = len(gk & pk)
        precision = tp / len(pk) if pk else 0.0
        recall = tp / len(gk) if gk else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        result[kind] = {"precision": round(precision, 4), "recall": round(recall, 4),
                        "f1": round(f1, 4), "gold": len(gk), "predicted": len(pk)}
    return result


def error_counts(gold: list[str], predicted: list[str]) -> dict:
    """What went wrong, per type: gold entities missed entirely, found with a wrong boundary
    (a predicted span overlaps), found with the right span but another type; and predicted
    entities that overlap no gold one (spurious, counted under the predicted type)."""
    g, p = spans(gold), spans(predicted)
    p_type = {(s, e): k for s, e, k in p}
    g_spans = {(s, e) for s, e, _k in g}
    out = {kind: {"missed": 0, "boundary": 0, "wrong_type": 0, "spurious": 0} for kind in TYPES}
    for s, e, kind in g:
        if p_type.get((s, e)) == kind:
            continue
        if (s, e) in p_type:
            out[kind]["wrong_type"] += 1
        elif any(ps < e and pe > s for ps, pe, _k in p):
            out[kind]["boundary"] += 1
        else:
            out[kind]["missed"] += 1
    for s, e, kind in p:
        if (s, e) not in g_spans and not any(gs < e and ge > s for gs, ge, _k in g):
            out[kind]["spurious"] += 1
    return out
