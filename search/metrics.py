"""Ranking metrics with binary relevance, as trec_eval computes them."""
from __future__ import annotations

import math


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """1/rank of the first relevant document within the top k, else 0."""
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            return 1.0 / i
    return 0.0


def ndcg(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """Normalized discounted cumulative gain at k (gain 1 per relevant document)."""
    dcg = sum(1.0 / math.log2(i + 1) for i, doc in enumerate(ranked[:k], 1) if doc in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: set[str], k: int) -> float:
    """Share of the relevant documents found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def evaluate_run(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    """Mean MRR@10, nDCG@10, R@10, R@100 over the judged queries (a query with no result scores 0)."""
    judged = [q for q in qrels if qrels[q]]
    n = len(judged)
    if not n:
        return {"queries": 0, "MRR@10": 0.0, "nDCG@10": 0.0, "R@10": 0.0, "R@100": 0.0}
    sums = {"MRR@10": 0.0, "nDCG@10": 0.0, "R@10": 0.0, "R@100": 0.0}
    for q in judged:
        ranked, rel = run.get(q, []), qrels[q]
        sums["MRR@10"] += reciprocal_rank(ranked, rel, 10)
        sums["nDCG@10"] += ndcg(ranked, rel, 10)
        sums["R@10"] += recall(ranked, rel, 10)
        sums["R@100"] += recall(ranked, rel, 100)
    return {"queries": n, **{k: round(v / n, 4) for k, v in sums.items()}}


def read_qrels(path) -> dict[str, set[str]]:
    """TREC qrels (``qid 0 docid rel``): the relevant documents of each query."""
    qrels: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 4 and int(parts[3]) > 0:
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


def write_run(path, run: dict[str, list[tuple[str, float]]], tag: str = "akhbar") -> None:
    """A TREC run file: ``qid Q0 docid rank score tag``."""
    with open(path, "w", encoding="utf-8") as fh:
        for qid, hits in run.items():
            for rank, (doc, score) in enumerate(hits, 1):
                fh.write(f"{qid} Q0 {doc} {rank} {score:.4f} {tag}\n")
