"""Duplicate and same-story figures on labelled article pairs (tests/data/story_pairs.tsv).

A pair's label, judged by reading both articles: same_report (one is a copy or a
light rewording of the other), same_event (the same news event or its immediate
follow-up, written up differently), related (same topic, another event) or
different.  Duplicates are judged against same_report; stories against
same_report or same_event.
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "data" / "story_pairs.tsv"
SAME_STORY = ("same_report", "same_event")


@dataclass
class Scores:
    pairs: int
    dup_precision: float
    dup_recall: float
    story_precision: float
    story_recall: float
    story_f1: float

    def as_dict(self) -> dict:
        """The figures, rounded to three places, under the names ``akhbar eval-stories`` prints."""
        return {"pairs": self.pairs, "duplicate_precision": round(self.dup_precision, 3),
                "duplicate_recall": round(self.dup_recall, 3), "same_story_precision": round(self.story_precision, 3),
                "same_story_recall": round(self.story_recall, 3), "same_story_F1": round(self.story_f1, 3)}


def read_pairs(path: str | Path | None = None) -> list[dict]:
    with open(path or PAIRS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def pair_set(pair_id: str) -> str:
    """The set a labelled pair belongs to: «random» (``p001``: drawn at random by cosine bins) or the
    kind of pair drawn from a build's groups (``q-big-003`` -> «q-big»; ``scripts/sample_story_pairs.py``)."""
    parts = pair_id.split("-")
    return "-".join(parts[:2]) if parts[0] == "q" and len(parts) > 2 else "random"


def _pr(pred: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    return (tp / max(1, sum(pred)), tp / max(1, sum(gold)))


def score(pairs: list[dict], is_copy: Callable[[str, str], bool], story_of: dict[str, str]) -> Scores:
    """Figures for ``pairs`` given whether two articles are copies of one report (pair by pair)
    and each article's story (pairs with an article missing from ``story_of`` are left out)."""
    kept = [p for p in pairs if p["id_a"] in story_of and p["id_b"] in story_of]
    dup_p, dup_r = _pr([is_copy(p["id_a"], p["id_b"]) for p in kept],
                       [p["label"] == "same_report" for p in kept])
    st_p, st_r = _pr([story_of[p["id_a"]] == story_of[p["id_b"]] for p in kept],
                     [p["label"] in SAME_STORY for p in kept])
    f1 = 2 * st_p * st_r / (st_p + st_r) if st_p + st_r else 0.0
    return Scores(len(kept), dup_p, dup_r, st_p, st_r, f1)
