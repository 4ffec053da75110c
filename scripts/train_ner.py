"""Train the entity recognizer's CRF on the training part of ANERcorp.

    python scripts/train_ner.py --gold ../shared/eval/ner/anercorp/ANERCorp.txt

writes ``index/models/ner.crfsuite`` from the first five sixths of the file (the
test sixth is never read).  ``--dev`` instead trains on the first four sixths and
scores the fifth; ``--cv`` scores each of the first five sixths with a model
trained on the other four (five-fold cross-validation, the figures used to choose
features and settings: one sixth alone is too small to tell changes of 0.01 apart).
Training is deterministic: the same file and settings give the same model.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.bio import read_bio, score, sentences, split_point  # noqa: E402
from index.ner import MODEL, Recognizer, sentence_features  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "index" / "models" / MODEL


def train(tokens, tags, out: Path, c1: float, c2: float, iterations: int) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for start, end in sentences(tokens):
        feats, _gaz = sentence_features(tokens[start:end])
        trainer.append(feats, tags[start:end])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    trainer.train(str(out))


def fold(data, k: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Fold ``k`` (0-4) of the training part: the tokens and tags of the first five sixths
    but sixth ``k``, then those of sixth ``k`` (the test sixth is in neither)."""
    cuts = [split_point(data.tokens, q / 6) if q else 0 for q in range(6)]
    a, b, end = cuts[k], cuts[k + 1], cuts[5]
    return (data.tokens[:a] + data.tokens[b:end], data.tags[:a] + data.tags[b:end],
            data.tokens[a:b], data.tags[a:b])


def _score_fold(gold_path: str, k: int, c1: float, c2: float, iterations: int) -> dict:
    """Train on the first five sixths but sixth ``k`` (0-based) and score sixth ``k``."""
    train_tokens, train_tags, tokens, gold = fold(read_bio(gold_path), k)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / MODEL
        train(train_tokens, train_tags, out, c1, c2, iterations)
        return score(gold, Recognizer(str(out)).tag(tokens))


def cross_validate(gold_path: str, c1: float, c2: float, iterations: int, workers: int = 2) -> dict:
    """F1 per type of each of the five folds, and their mean."""
    with ProcessPoolExecutor(workers) as pool:
        folds = list(pool.map(_score_fold, *zip(*[(gold_path, k, c1, c2, iterations) for k in range(5)])))
    f1 = {kind: [fold[kind]["f1"] for fold in folds] for kind in folds[0]}
    return {"folds": f1, "mean": {kind: round(sum(v) / len(v), 4) for kind, v in f1.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--out", help=f"model file [{OUT}; with --dev a temporary file]")
    ap.add_argument("--dev", action="store_true", help="train on sixths 1-4, score sixth 5")
    ap.add_argument("--cv", action="store_true", help="five-fold cross-validation on sixths 1-5 (about 4 min)")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=200)
    args = ap.parse_args()
    if args.cv:
        print(json.dumps(cross_validate(args.gold, args.c1, args.c2, args.iterations)))
        return
    data = read_bio(args.gold)
    test_start = split_point(data.tokens, 5 / 6)
    train_end = split_point(data.tokens, 4 / 6) if args.dev else test_start
    out = Path(args.out or ("/tmp/akhbar-ner-dev.crfsuite" if args.dev else OUT))
    began = time.perf_counter()
    train(data.tokens[:train_end], data.tags[:train_end], out, args.c1, args.c2, args.iterations)
    print(f"trained on {train_end} tokens in {time.perf_counter() - began:.0f} s -> {out}", file=sys.stderr)
    if args.dev:
        toks, gold = data.tokens[train_end:test_start], data.tags[train_end:test_start]
        print(json.dumps(score(gold, Recognizer(str(out)).tag(toks))))


if __name__ == "__main__":
    main()
