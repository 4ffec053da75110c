"""Ranking quality on the question -> passage sets: `akhbar eval` end to end (needs ../shared).

The Lucene figures are the reference run quoted in docs/quality.md (Lucene 4.10
ArabicAnalyzer + BM25).  The pools without ANT take seconds; the settings with
ANT as distractors take minutes each and are run by scripts/quality.sh.
"""
import json

import pytest

from tests.conftest import shared_path
from web.cli import main

#: setting -> (Lucene's nDCG@10, Akhbar's margin over it that docs/quality.md reports, rounded down)
LUCENE_NDCG = {"arcd": (0.823, 0.02), "xquad_ar": (0.938, 0.005)}


@pytest.mark.parametrize("setting", sorted(LUCENE_NDCG))
def test_beats_lucene_on_the_passage_pool(setting, capsys):
    folder = shared_path("eval", "retrieval", setting)
    argv = ["eval", "--quiet", "--corpus", str(folder / "corpus.jsonl"),
            "--queries", str(folder / "queries.jsonl"), "--qrels", str(folder / "qrels.tsv")]
    assert main(argv) == 0
    scores = json.loads(capsys.readouterr().out)
    lucene, margin = LUCENE_NDCG[setting]
    assert scores["queries"] > 1000
    assert scores["nDCG@10"] >= lucene + margin, scores
