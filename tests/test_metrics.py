"""Exact metric values on a tiny hand-made run, and the eval command end to end."""
import json
import math

import pytest

from search.metrics import evaluate_run, ndcg, recall, reciprocal_rank
from tests.conftest import SAMPLE
from web.cli import main


def test_metrics_exact_values():
    run = {"q1": ["a", "b", "c"], "q2": ["x", "y", "z", "w"], "q3": []}
    qrels = {"q1": {"a"}, "q2": {"z", "w"}, "q3": {"m"}}
    assert reciprocal_rank(run["q1"], qrels["q1"]) == 1.0
    assert reciprocal_rank(run["q2"], qrels["q2"]) == pytest.approx(1 / 3)
    ideal = 1 + 1 / math.log2(3)
    assert ndcg(run["q2"], qrels["q2"]) == pytest.approx((1 / math.log2(4) + 1 / math.log2(5)) / ideal)
    assert recall(run["q2"], qrels["q2"], 3) == 0.5 and recall(run["q2"], qrels["q2"], 10) == 1.0
    scores = evaluate_run(run, qrels)
    assert scores["queries"] == 3
    assert scores["MRR@10"] == round((1 + 1 / 3 + 0) / 3, 4)
    assert scores["nDCG@10"] == round((1 + (1 / 2 + 1 / math.log2(5)) / ideal + 0) / 3, 4)
    assert scores["R@10"] == round((1 + 1 + 0) / 3, 4)


def test_eval_command_on_the_sample(tmp_path, capsys):
    queries = [{"id": "q1", "text": "من هو رئيس المخابرات المصرية الذي التقى حفتر في بنغازي؟"},
               {"id": "q2", "text": "تغريدة باشاغا عن العلاقات مع القاهرة"}]
    (tmp_path / "q.jsonl").write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in queries), "utf-8")
    (tmp_path / "qrels.tsv").write_text("q1\t0\t003_1a1189609da923f6\t1\nq2\t0\t002_ec7758134357b2f5\t1\n")
    assert main(["eval", "--corpus", str(SAMPLE), "--queries", str(tmp_path / "q.jsonl"),
                 "--qrels", str(tmp_path / "qrels.tsv"), "--run", str(tmp_path / "run.trec"), "--quiet"]) == 0
    scores = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert scores == {"queries": 2, "MRR@10": 1.0, "nDCG@10": 1.0, "R@10": 1.0, "R@100": 1.0}
    first = (tmp_path / "run.trec").read_text().splitlines()[0].split()
    assert first[:4] == ["q1", "Q0", "003_1a1189609da923f6", "1"]
