"""Train the entity recognizer's CRF on the training part of ANERcorp.

    python scripts/train_ner.py --gold ../shared/eval/ner/anercorp/ANERCorp.txt

writes ``index/models/ner.crfsuite`` from the first five sixths of the file (the
test sixth is never read).  ``--dev`` instead trains on the first four sixths and
scores the fifth: the figures used to choose features and settings.
Training is deterministic: the same file and settings give the same model.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--out", help=f"model file [{OUT}; with --dev a temporary file]")
    ap.add_argument("--dev", action="store_true", help="train on sixths 1-4, score sixth 5")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=200)
    args = ap.parse_args()
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
