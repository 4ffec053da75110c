"""Akhbar's own analysis chain and passages, held against Whoosh's components on real Arabic text.

The product no longer runs Whoosh's analyzers or highlighter outside the Whoosh
engine; these tests show that nothing changed for the index or the snippets:
the same tokens and positions as Whoosh's StopFilter numbers them, and the same
passages, marks and order as Whoosh's ContextFragmenter, scorer and formatter.
"""
import pytest
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.analysis import StopFilter as WhooshStopFilter
from whoosh.analysis import Token as WhooshToken
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, HtmlFormatter, WholeFragmenter, top_fragments

from search.analysis import TOKEN_PATTERN, analyze, exact_analyzer, stemmed_analyzer
from search.engines.whoosh.analysis import WhooshAnalyzer
from search.highlight import SNIPPET_CHARS, SNIPPET_FRAGMENTS, _marks, highlight_all, match_terms, snippet_html
from search.normalize import normalize_word
from search.query import parse_query
from search.stopwords import stopwords
from search.variants import NONE
from tests.conftest import sample_texts


class _Normalize(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_word(t.text)
            if t.text:
                yield t


def _whoosh_exact():
    return RegexTokenizer(expression=TOKEN_PATTERN) | _Normalize() | WhooshStopFilter(stoplist=stopwords(), minsize=1)


def test_exact_chain_equals_whooshs_tokens_and_positions():
    whoosh = _whoosh_exact()
    for text in list(sample_texts().values()) + ["في من إلى مُتحدث، في الـ٢٠٢٠ وفي ـ ليبيا"]:
        expected = [(t.text, t.pos, t.startchar, t.endchar)
                    for t in whoosh(text, positions=True, chars=True, mode="index")]
        assert [(t.text, t.pos, t.startchar, t.endchar) for t in exact_analyzer()(text)] == expected
        assert [(t.text, t.pos, t.startchar, t.endchar)
                for t in WhooshAnalyzer("exact")(text, positions=True, chars=True, mode="index")] == expected


def test_stemmed_chain_gives_both_readings_at_one_position():
    tokens = [(t.text, t.pos) for t in stemmed_analyzer()("وصعوبات في المصريين")]
    assert tokens == [("وصعوب", 0), ("صعوب", 0), ("مصر", 1)]  # «في» dropped, leaving no gap
    assert analyze(stemmed_analyzer(), "المصريين") == ["مصر"]


def test_analyzers_compare_by_their_parameters_and_pickle_without_their_memo():
    import pickle

    a = stemmed_analyzer()
    analyze(a, "والمصريين في طرابلس")
    assert a == stemmed_analyzer() and a != stemmed_analyzer("tashaphyne") and a != exact_analyzer()
    assert "طرابلس" in a._memo and "طرابلس".encode() not in pickle.dumps(a)  # the memo is not pickled ...
    b = pickle.loads(pickle.dumps(a))
    # ... and equal chains share one memo in a process (the schema's and the story features')
    assert b == a and b._memo is a._memo is stemmed_analyzer()._memo
    assert exact_analyzer()._memo is not a._memo and stemmed_analyzer("tashaphyne")._memo is not a._memo
    w = pickle.loads(pickle.dumps(WhooshAnalyzer("stemmed", "none")))
    assert w == WhooshAnalyzer("stemmed", "none") and w.chain == stemmed_analyzer("none")
    with pytest.raises(ValueError):
        WhooshAnalyzer("shouty")


class _Engine:
    """The analyzers of an index, for match_terms (no index needed for snippets)."""

    def analyzer(self, field):
        return {"text": stemmed_analyzer(), "text_exact": exact_analyzer()}.get(field)

    def variants(self):
        return NONE


def _whoosh_snippet(text, terms, maxchars=SNIPPET_CHARS):
    tokens = [WhooshToken(positions=True, chars=True, text=norm, pos=k, startchar=start, endchar=end, matched=matched)
              for k, (norm, start, end, _stopped, matched) in enumerate(_marks(text, terms))]
    fragmenter = ContextFragmenter(maxchars=maxchars, surround=maxchars // 4, charlimit=None)
    frags = top_fragments(fragmenter.fragment_tokens(text, tokens), SNIPPET_FRAGMENTS, BasicFragmentScorer(),
                          lambda f: f.startchar, minscore=1)
    return HtmlFormatter(tagname="mark", classname="hl", termclass="t", between=" … ").format(frags), tokens


@pytest.mark.parametrize("q", ["حفتر", "الوفد المصري", '"الوفد المصري"', "طرابلس ليبيا مصر", "المجلس الرئاسي",
                               "ليبيا", "وزير الخارجية", "تركيا قطر الإمارات روسيا فرنسا مصر"])
def test_snippets_equal_whooshs_passages_and_marks(q):
    terms = match_terms(parse_query(q), _Engine())
    compared = 0
    for text in sample_texts().values():
        expected, tokens = _whoosh_snippet(text, terms)
        if expected:
            assert snippet_html(text, terms) == expected
            compared += 1
        whole = list(WholeFragmenter(charlimit=None).fragment_tokens(text, tokens))
        assert highlight_all(text, terms) == HtmlFormatter(tagname="mark", classname="hl", termclass="t",
                                                           between=" … ").format(whole)
    assert compared > 0


def test_snippet_escapes_the_text_around_and_inside_marks():
    text = "<b>حفتر</b> & «حفتر» في بنغازي " + "كلام " * 80 + "حفتر مرة أخرى"
    html = snippet_html(text, match_terms(parse_query("حفتر"), _Engine()))
    assert "<b>" not in html and "</b>" not in html and "&lt;/b&gt;" in html and "&amp;" in html
    assert html.count('<mark class="hl t0">حفتر</mark>') >= 2 and " … " in html
