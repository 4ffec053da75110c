"""The numpy BM25F ranking gives Whoosh's own scores, in Whoosh's order.

The reference is Whoosh's search with ``limit=None`` (every match scored), sorted
by score then by the order the articles were read in (their stored ``seq``: on an index
written by several workers the document numbers are not that order).  Whoosh's top-N search (``limit=20``) is not the
reference: on ANT it misses the best-scored article of «ترامب كوريا الشمالية»
(score 109.36, which its own limit=None search gives it), the defect the numpy
ranking also removes.
"""
from __future__ import annotations

import pytest
from whoosh import query as Q
from whoosh import sorting

from search.engines.whoosh.docsets import generation_key, matching_docs
from search.engines.whoosh.queries import to_whoosh
from search.engines.whoosh.ranking import top
from search.query import cap_words, parse_query

SAMPLE_QUERIES = ["حفتر", "حفتر طرابلس", '"الوفد المصري"', "حفتر OR الدبيبة", "طرابلس -تركيا", "person:حفتر",
                  "place:بنغازي حفتر", "مصر ليبيا التعاون الأمني", "من هو رئيس المخابرات المصرية الذي زار بنغازي؟",
                  '"وزير الخارجية" ليبيا', "وزير الدفاع التركي خلوصي أكار يزور طرابلس ويحذر قوات حفتر"]
ANT_QUERIES = ["ترامب كوريا الشمالية", "أسعار النفط -إيران", '"وزير الخارجية" السعودي', "person:ترامب قمة",
               "من هو رئيس المخابرات المصرية الذي زار بنغازي؟", "محمد صلاح ليفربول", "الانتخابات العراقية",
               "مقتل الصحفي جمال خاشقجي في قنصلية بلاده في إسطنبول", '"رئيس الوزراء" "الأمم المتحدة"',
               '"قال رئيس الوزراء"', "النفط date:2018-03..2018-05", '"الولايات المتحدة" OR "كوريا الشمالية" -ترامب']


def _read_order(searcher, docnum):
    return searcher.stored_fields(docnum).get("seq", docnum)


def _whoosh_reference(searcher, scoring_q, filter_q, docs, by_date=False):
    kwargs = {"filter": set(docs.tolist())} if filter_q is not None else {}
    if by_date:
        newest = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.StoredFieldFacet("seq")])
        return [(h.docnum, None) for h in searcher.search(scoring_q, limit=None, terms=False, sortedby=newest,
                                                         **kwargs)]
    hits = [(h.docnum, h.score) for h in searcher.search(scoring_q, limit=None, terms=False, **kwargs)]
    return sorted(hits, key=lambda h: (-h[1], _read_order(searcher, h[0])))


def _check(engine, text):
    searcher = engine.searcher()
    gen = generation_key(searcher.reader())
    pq = parse_query(text)
    cap_words(pq, engine.analyzer("text_exact"))
    scoring_q, filter_q = to_whoosh(pq, searcher.schema)
    docs = matching_docs(searcher, scoring_q if filter_q is None else Q.And([scoring_q, filter_q]))
    reference = _whoosh_reference(searcher, scoring_q, filter_q, docs)
    assert len(reference) == len(docs) > 0, text
    mine = top(searcher, gen, scoring_q, docs, 0, len(docs))
    whooshs = dict(reference)
    assert sorted(d for d, _ in mine) == sorted(whooshs), text
    assert all(abs(a - whooshs[d]) <= 1e-9 * max(1.0, abs(a)) for d, a in mine), text
    # Best score first, equal scores in reading order.  Equal to Whoosh's order but where two
    # articles' scores differ in the last bit only (summed in another order on several segments).
    assert mine == sorted(mine, key=lambda h: (-h[1], _read_order(searcher, h[0]))), text
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(a)) for (_, a), (_, b) in zip(mine, reference)), text
    assert top(searcher, gen, scoring_q, docs, 3, 2) == mine[3:5]
    by_date = top(searcher, gen, scoring_q, docs, 0, len(docs), by_date=True)
    assert [d for d, _ in by_date] == [d for d, _ in _whoosh_reference(searcher, scoring_q, filter_q, docs, True)]


@pytest.mark.parametrize("text", SAMPLE_QUERIES)
def test_scores_and_order_are_whooshs_on_the_sample(engine, text):
    _check(engine, text)


@pytest.mark.slow
@pytest.mark.parametrize("text", ANT_QUERIES)
def test_scores_and_order_are_whooshs_on_ant(ant_index, text):
    from search.engines import open_engine

    with open_engine(ant_index[0]) as engine:
        _check(engine, text)
