"""Near-duplicate reports and story groups over a collection's articles.

Duplicates: two articles are the same report when their word-shingle sets
overlap enough (Jaccard >= ``DUP_JACCARD`` or containment >= ``DUP_CONTAINMENT``);
candidates come from MinHash LSH (``index.stories.lsh``), so no pair is compared that
shares no band.  Every pair found is kept (an article's copies), and taken in date
order an article joins the duplicate group of the earlier copy it shares the most
of; a group is named after its first article.  Two dated articles more than ``WINDOW_DAYS``
apart are not copies, and within one outlet the newer's lead must be in the older (``CopyCheck``:
an outlet's earlier report reused as background is not the same report).  The pairs are the relation itself
("the same report" is not transitive: a compilation of two wire reports is a copy of
both, and a partition can put it with only one); the groups collapse rows.

Stories: articles are taken in date order; each joins the story whose members
dated in the ``WINDOW_DAYS`` before it are, on average, most similar to it
(cosine of tf-idf vectors over stemmed terms and entities), if that average
reaches ``STORY_COSINE``, or starts a story of its own (single-pass
group-average clustering, as in topic detection and tracking), within ``STORY_SPAN``
days of the story's first article and not through the article's own outlet's earlier days
(recurring reports); a second pass (``merge_stories``) merges stories of several outlets started
within ``MERGE_DAYS`` whose first days are close.  Copies of a report share its story.  Undated articles are taken last and compared
with every article.  Every build, full or update, groups the whole collection
again (``index.stories.store`` keeps each article's features between builds).
"""
from __future__ import annotations

import gzip
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.stories.features import Features, overlap, shingle_hashes
from index.stories.lsh import candidate_pairs
from search.stemming import clitic_alternative

#: Two articles are the same report when their word 3-shingles overlap this much (Jaccard) ...
DUP_JACCARD = 0.16
#: ... or when this share of the shorter one's shingles is in the other (a cut copy).
DUP_CONTAINMENT = 0.5
#: A shingle in more articles than this (or than there are outlets, if more) is page furniture
#: or a stock phrase, not evidence of a copy.
BOILERPLATE_DF = 5
#: Slices of the hash range that :func:`boilerplate` counts one at a time (its memory: 1/16 of
#: every article's shingles, not a second copy of them: 650 MB at 300k articles).
BOILERPLATE_SLICES = 16
#: The MinHash LSH's threshold: pairs estimated below it are not even compared.  Low, because a
#: short cut copy inside a long report has a low Jaccard (0.07 for a 28-shingle copy of a
#: 256-shingle report) though its containment is high.
LSH_THRESHOLD = 0.03
#: How far back (days) a story's members are compared with a new article; two dated articles further
#: apart are not copies either (a text run again later is background or a re-run: an article of its own).
WINDOW_DAYS = 3.0
#: Within one outlet, a text is a copy of the outlet's earlier one only if at least this share of its
#: lead's (its first body line's) term 3-shingles are in the earlier one: an outlet reuses its own
#: earlier report as the background of a new one (a new lead, then the old text), and that is not
#: the same report; a re-run or an update keeps the lead.
LEAD_FOUND = 0.6
#: A story takes articles for at most this many days after its first (an event and its immediate
#: follow-ups: without a bound, articles chained day to day into stories of weeks).
STORY_SPAN = 4.0
#: Whether an article is compared with its own outlet's articles of an earlier (UTC) day: an outlet's
#: recurring report (daily prices, a bulletin) has the same words every day.
SERIES_ACROSS_DAYS = False
#: The second pass (:func:`merge_stories`): stories of different outlets that started at most this
#: many days apart ...
MERGE_DAYS = 1.0
#: ... are one when their first days' articles are this close (cosine of their summed vectors) ...
MERGE_COSINE = 0.35
#: ... with each entity (a person, place, organization) weighted this much more than a word.
MERGE_ENTITY = 1.0
#: Average cosine to a story's recent members from which an article joins it.
STORY_COSINE = 0.30
#: Document frequencies of a reference collection, added to the collection's own (see
#: scripts/build_reference_df.py): a small collection cannot tell common words from rare ones.
REFERENCE_DF = Path(__file__).with_name("reference_df.tsv.gz")
#: An undated article joins a story only if it is also this close to one member: without
#: the date window, a shared topic alone would gather articles from months apart.
UNDATED_MAX_COSINE = 0.4
#: An article this close to one member of a story joins it even when its average to the story's
#: members is lower (a big story's first report retold by a later wire copy).
LINK_COSINE = 0.6
#: Terms kept per article vector (the highest tf-idf weights): bounds memory.
TOP_TERMS = 96
#: Articles whose term columns are counted together (:func:`vectors`' first pass).
CHUNK_ROWS = 4096
#: Weight of each entity (person, place, organization) beside the terms, before normalization.
ENTITY_WEIGHT = 1.0
#: A body line found in at least this many articles of one outlet is its page furniture (the
#: sidebar's headlines of its other stories, a standing notice): its words are left out of the
#: term vectors (line-level deduplication, as CCNet does over web pages).
FURNITURE_LINES = 3


@dataclass
class Article:
    """What grouping needs of one article."""

    id: str
    date: datetime | None
    shingles: np.ndarray         # uint32, sorted, unique
    terms: str                   # its stemmed terms, one per line (one string: a few bytes a term in memory)
    counts: np.ndarray           # uint16, each term's count (title weighted)
    entities: tuple[str, ...] = ()
    source: str | None = None
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))       # body lines' hashes
    line_ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))   # each line's end in:
    line_terms: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint16))  # its terms (numbers)

    @classmethod
    def of(cls, doc_id: str, date: datetime | None, f: Features, entities: tuple[str, ...] = (),
           source: str | None = None) -> Article:
        """An article from its features (see ``index.stories.features``)."""
        number = {t: n for n, t in enumerate(f.terms)}
        line_terms = [number[t] for _, ts in f.lines for t in ts]
        return cls(doc_id, date, f.shingles, "\n".join(f.terms),
                   np.fromiter((min(c, 65535) for c in f.terms.values()), dtype=np.uint16, count=len(f.terms)),
                   entities, source,
                   np.array([h for h, _ in f.lines], dtype=np.uint32),
                   np.cumsum([len(ts) for _, ts in f.lines], dtype=np.uint32),
                   np.array(line_terms, dtype=np.uint16 if len(number) < 65536 else np.uint32))


@dataclass
class Groups:
    """A collection grouped: its articles in date order (undated last), each one's duplicate
    group and story as the row of their first article, and the rows' tf-idf vectors."""

    articles: Sequence[Article]  # a list, or articles read back one at a time (``InOrder``)
    ids: list[str]  # the articles' ids, in the same order
    dup_rows: list[int]
    story_rows: list[int]
    vectors: object  # scipy CSR matrix, a row per article
    terms: list[str]  # the vectors' columns
    copy_pairs: list[tuple[int, int]] = field(default_factory=list)  # (row, earlier row) of every copy found
    #: What an update's grouping of new articles reads (``index.stories.incremental``): the shingles
    #: left out as boilerplate, how many articles of an outlet have each body line
    #: (:func:`count_lines`: those in FURNITURE_LINES or more are its page furniture).
    boilerplate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    line_counts: Counter = field(default_factory=Counter)
    #: Every term of the articles and in how many of them it is (their own counts).
    vocabulary: list[str] = field(default_factory=list)
    df: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    #: Each row's story before the merge pass (an update places its new articles among these, then merges).
    assigned_rows: list[int] = field(default_factory=list)
    #: Whether only an update's new and changed articles were grouped (``index.stories.incremental``).
    incremental: bool = False

    @property
    def dup(self) -> dict[str, str]:
        """Article id -> the id of its duplicate group's first article."""
        return {i: self.ids[k] for i, k in zip(self.ids, self.dup_rows)}

    @property
    def copies(self) -> dict[str, set[str]]:
        """Article id -> the ids of the articles it is the same report as (pair by pair)."""
        out: dict[str, set[str]] = {}
        for r, o in self.copy_pairs:
            a, b = self.ids[r], self.ids[o]
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
        return out

    @property
    def story(self) -> dict[str, str]:
        """Article id -> the id of its story's first article."""
        return {i: self.ids[k] for i, k in zip(self.ids, self.story_rows)}


def head_of(a: Article) -> tuple:
    """What an update's grouping needs of every article without reading it: its id, its time
    (a POSIX timestamp; None when undated) and its outlet (kept in ``articles.index.json``)."""
    return (a.id, a.date.timestamp() if a.date else None, a.source)


def order_key(head: tuple) -> tuple:
    """An article's place in the grouping's order, from its head: by time, undated last, then id."""
    doc_id, t, _source = head
    return (t is None, t if t is not None else 0.0, doc_id)


def _order_key(a: Article) -> tuple:
    return order_key(head_of(a))


def days_of(keys: list[tuple], order: list[int]) -> np.ndarray:
    """The articles' days since 1970 (``keys``: their :func:`order_key`), in ``order``; undated: inf."""
    return np.array([keys[k][1] / 86400 if not keys[k][0] else np.inf for k in order])


class InOrder(Sequence):
    """``articles`` in the order ``order`` (positions in it), without copying them: over a file of
    articles (``index.stories.store.ArticleFile``) each is read when it is used, so grouping
    holds what it computes from the articles, not the articles themselves."""

    def __init__(self, articles: Sequence[Article], order: list[int]):
        self.base, self.order = articles, order

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, k: int) -> Article:
        return self.base[self.order[k]]

    def __iter__(self) -> Iterator[Article]:
        return (self.base[k] for k in self.order)


def same_report(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two shingle sets are copies of one report (checked exactly)."""
    return _copies(*overlap(a, b))


def _copies(jaccard: float, containment: float) -> bool:
    return jaccard >= DUP_JACCARD or containment >= DUP_CONTAINMENT


def boilerplate(shingles: Sequence[np.ndarray], outlets: int = 0) -> np.ndarray:
    """Shingles that say nothing about whether two texts are one report: those found in more of
    the articles' ``shingles`` than ``BOILERPLATE_DF``, or than ``outlets`` (their number of
    outlets) if greater, since a wire report can be copied once by every outlet: an outlet's page
    furniture (links to its other stories), standing notices and everyone's stock phrases."""
    if not len(shingles):
        return np.zeros(0, dtype=np.uint32)
    limit = max(BOILERPLATE_DF, outlets)
    # a slice of the hash range at a time: each article's shingles are sorted, so its part of a
    # slice is a run of them, and the sort below holds a slice of all shingles, not a copy of all
    edges = np.linspace(0, 2**32, BOILERPLATE_SLICES + 1).astype(np.uint64)
    cuts = np.empty((len(shingles), len(edges)), dtype=np.int64)
    for k, sh in enumerate(shingles):
        cuts[k] = np.searchsorted(sh, edges)
    found = []
    for b in range(BOILERPLATE_SLICES):
        part = np.concatenate([sh[lo:hi] for sh, lo, hi in zip(shingles, cuts[:, b].tolist(), cuts[:, b + 1].tolist())])
        part.sort()
        # sorted: a value is in more than ``limit`` articles when it is still there ``limit``
        # places on (no counts of every distinct shingle: half the memory of np.unique's)
        head = part[:max(0, len(part) - limit)]
        found.append(np.unique(head[head == part[limit:limit + len(head)]]))
    return np.concatenate(found).astype(np.uint32)


def duplicate_leaders(cleaned: Sequence[np.ndarray], allowed=None) -> tuple[list[int], list[tuple[int, int]]]:
    """For each article (taken in the given order), the index of the first article of its
    duplicate group: the group of the earlier article it shares the most of (the highest
    containment; the latest of equals), or its own; and every (article, earlier copy) pair found.
    ``cleaned``: each article's shingles without the boilerplate (:func:`without`; with it, an
    outlet's page furniture chained hundreds of its articles into one "report").  ``allowed(n, o)``:
    whether the shingles' verdict stands for rows n and o (dates and leads: :class:`CopyCheck`)."""
    candidates = candidate_pairs(cleaned, LSH_THRESHOLD)
    by_article = np.searchsorted(candidates[:, 0], np.arange(len(cleaned) + 1))
    leader: list[int] = []
    pairs: list[tuple[int, int]] = []
    for n, sh in enumerate(cleaned):
        earlier = candidates[by_article[n]:by_article[n + 1], 1].tolist()  # in row order
        copied = [(c, o) for o, (j, c) in ((o, overlap(sh, cleaned[o])) for o in earlier)
                  if _copies(j, c) and (allowed is None or allowed(n, o))]
        leader.append(leader[max(copied)[1]] if copied else n)
        pairs.extend((n, o) for _, o in copied)
    return leader, pairs


class CopyCheck:
    """What the shingles cannot tell of two rows whose texts overlap enough (``articles`` in row
    order, ``days`` their dates in days, undated as infinity): two dated articles more than
    ``WINDOW_DAYS`` apart are not copies, and within one outlet the newer's lead must be in the older
    (``LEAD_FOUND``), its first body line that is not the outlet's ``furniture``."""

    def __init__(self, articles: Sequence[Article], days: np.ndarray, sources: list, furniture: set):
        self.articles, self.days, self.sources, self.furniture = articles, days, sources, furniture

    def __call__(self, n: int, o: int) -> bool:
        dn, do = self.days[n], self.days[o]
        if np.isfinite(dn) and np.isfinite(do) and abs(dn - do) > WINDOW_DAYS:
            return False
        if self.sources[n] != self.sources[o] or self.sources[n] is None:
            return True
        new, old = self.articles[n], self.articles[o]
        lead = next((s for h, s in _line_shingles(new) if (new.source, h) not in self.furniture), None)
        if lead is None:  # no line long enough to tell: the shingles decide
            return True
        found = set().union(*(s for _, s in _line_shingles(old)))
        return len(lead & found) >= LEAD_FOUND * len(lead)


def _line_shingles(a: Article) -> Iterator[tuple[int, set[int]]]:
    """Each recorded body line's hash and the hashes of its term 3-shingles (in order)."""
    terms = a.terms.split("\n")
    start = 0
    for h, end in zip(a.lines.tolist(), a.line_ends.tolist()):
        yield h, set(shingle_hashes([terms[k] for k in a.line_terms[start:end].tolist()]).tolist())
        start = end


def without(values: np.ndarray, common: np.ndarray) -> np.ndarray:
    """``values`` (sorted, unique) without those in ``common`` (sorted): a binary search each."""
    if not len(common) or not len(values):
        return values
    at = np.minimum(np.searchsorted(common, values), len(common) - 1)
    return values[common[at] != values]


def vectors(articles: Sequence[Article], lines: set[tuple[str | None, int]] | None = None):
    """L2-normalized tf-idf rows (sublinear tf, entities as terms, document frequencies of the
    articles plus the reference collection's), top ``TOP_TERMS`` per row, and the columns' terms.
    ``lines``: the articles' :func:`furniture`, if known (one pass over the articles less).

    Two passes over the articles: the first numbers the terms and counts their document
    frequencies, the second weighs each row and keeps its top terms, so only the kept weights are
    ever held (a matrix of every article's every term took 837 MB at 300k articles)."""
    X, terms, *_rest = weighted_vectors(articles, lines)
    return X, terms


def weighted_vectors(articles: Sequence[Article], lines: set[tuple[str | None, int]] | None = None):
    """:func:`vectors`, and every term the articles have with the number of articles that have it
    (the collection's own, without the reference collection's)."""
    from scipy.sparse import csr_matrix

    lines = furniture(articles) if lines is None else lines
    vocab: dict[str, int] = {}
    df = np.zeros(0, dtype=np.int64)
    sizes: list[int] = []  # each row's number of kept terms
    chunk: list[np.ndarray] = []
    for a in articles:  # pass 1: the columns, in the order the rows name them, and their frequencies
        words, _counts_kept, _ents = _row(a, lines)
        unseen = [w for w in dict.fromkeys(words) if w not in vocab]  # numbered in the order they come
        vocab.update(zip(unseen, range(len(vocab), len(vocab) + len(unseen))))
        cols = np.unique(np.array(list(map(vocab.__getitem__, words)), dtype=np.int32))
        sizes.append(min(len(cols), TOP_TERMS))
        chunk.append(cols)
        if len(chunk) >= CHUNK_ROWS:
            df = _with_counts(df, chunk, len(vocab))
    n_rows, width = len(sizes), max(1, len(vocab))
    names = list(vocab)
    ref_n, ref = reference_df()
    df = _with_counts(df, chunk, width)
    # one column for a word and its reading without a clitic, and none for junk names (see _columns)
    column = _columns(names, df)
    own_df = df
    df = df + np.array([ref.get(t, 0) for t in names] or [0])
    idf = idf_of(df, n_rows + ref_n)
    bound = np.zeros(n_rows + 1, dtype=np.int64)  # pass 1's sizes: an upper bound of each row's
    np.cumsum(sizes, out=bound[1:])
    data = np.empty(bound[-1], dtype=np.float32)
    indices = np.empty(bound[-1], dtype=np.int32)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    for r, a in enumerate(articles):  # pass 2: each row's weights (an entity named twice counts twice)
        words, counts, ents = _row(a, lines)
        cols = column[np.array(list(map(vocab.__getitem__, words)), dtype=np.int32)]
        weights = np.concatenate([1 + np.log(counts.astype(np.float64)), np.full(ents, ENTITY_WEIGHT)])
        terms_only = np.arange(len(cols)) < len(words) - ents
        seen = np.zeros(len(cols), dtype=bool)  # a word and its clitic-less reading: counted once
        seen[terms_only] = _repeated(cols[terms_only])
        keep = (cols >= 0) & ~seen
        c, at = np.unique(cols[keep], return_inverse=True)
        w = np.bincount(at, weights=weights[keep], minlength=len(c)) * idf[c]
        if len(c) > TOP_TERMS:  # the heaviest TOP_TERMS, L2-normalized
            top = np.argsort(-w, kind="stable")[:TOP_TERMS]
            w, c = w[top], c[top]
        at = indptr[r]  # rows packed as they come (a row never takes more than its bound)
        indptr[r + 1] = at + len(c)
        data[at:at + len(c)] = w / (np.sqrt(np.dot(w, w)) or 1.0)
        indices[at:at + len(c)] = c
    data, indices = data[:indptr[-1]], indices[:indptr[-1]]
    X = csr_matrix((data, indices, indptr), shape=(n_rows, width))
    X.sort_indices()
    used = np.flatnonzero(np.bincount(X.indices, minlength=width))  # only the columns some row kept
    remap = np.full(width, -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    for lo in range(0, len(X.indices), 1 << 20):  # in place, a slice at a time
        X.indices[lo:lo + (1 << 20)] = remap[X.indices[lo:lo + (1 << 20)]]
    X = csr_matrix((X.data, X.indices, X.indptr), shape=(n_rows, max(1, len(used))))
    return X, [names[k] for k in used], names, own_df[:len(names)].astype(np.int32)


def _columns(names: list[str], df: np.ndarray) -> np.ndarray:
    """Each term's column in the vectors (-1: none).  A word the analyzer also read without a
    one-letter clitic («وافلت» and «افلت», «وتوغل» and «توغل»: ``search.stemming.clitic_alternative``)
    takes the column of that reading when the collection has the reading in more articles than the
    word (so «وزراء» stays itself); an entity whose name is not all letters («فرانس24», a mention
    «@...») or that only one article names (a misread name: it can make no two articles close, and
    with the highest idf it dilutes its article's vector) has none."""
    number = {t: k for k, t in enumerate(names)}
    articles = lambda t: int(df[number[t]]) if t in number else 0  # noqa: E731
    column = np.arange(len(names), dtype=np.int32)
    for k, t in enumerate(names):
        target = column_term(t, articles)
        column[k] = -1 if target is None else number[target]
    return column


def column_term(term: str, articles) -> str | None:
    """The term whose column ``term`` takes (itself, or its reading without a clitic), None for none:
    the rule of :func:`_columns`, ``articles(t)`` the number of articles with ``t``."""
    if term.startswith("@"):
        return term if articles(term) >= 2 and all(w.isalpha() for w in term[1:].split()) else None
    alt = clitic_alternative(term)
    return alt if alt is not None and articles(alt) > articles(term) else term


def idf_of(df, documents: int):
    """The idf of ``df`` articles (the reference collection's counted) of ``documents``."""
    return np.log((documents + 1) / (df + 1)) + 1


def _repeated(values: np.ndarray) -> np.ndarray:
    """Whether each value appeared earlier in ``values``."""
    out = np.ones(len(values), dtype=bool)
    out[np.unique(values, return_index=True)[1]] = False
    return out


def _with_counts(df: np.ndarray, chunk: list[np.ndarray], width: int) -> np.ndarray:
    """``df`` (grown to ``width`` columns) plus the rows of ``chunk`` (each row's distinct
    columns), which is emptied."""
    counted = np.bincount(np.concatenate(chunk) if chunk else np.zeros(0, np.int32), minlength=width)
    chunk.clear()
    return np.pad(df, (0, width - len(df))) + counted


def _row(a: Article, lines: set[tuple[str | None, int]]) -> tuple[list[str], np.ndarray, int]:
    """An article's terms (without its outlet's furniture lines) then its entities ("@" + name), the
    terms' counts, and the number of entities."""
    counts = _counts(a, lines) if lines and len(a.lines) > 1 else a.counts
    keep = counts > 0
    terms = [t for t, k in zip(a.terms.split("\n"), keep.tolist()) if k]
    return terms + ["@" + e for e in a.entities], counts[keep], len(a.entities)


@lru_cache(maxsize=1)
def reference_df() -> tuple[int, dict[str, int]]:
    """(articles, term -> document frequency) of the reference collection ((0, {}) if absent)."""
    try:
        with gzip.open(REFERENCE_DF, "rt", encoding="utf-8") as fh:
            n = int(fh.readline().split("\t")[1])
            return n, {t: int(c) for t, c in (line.rstrip("\n").split("\t") for line in fh)}
    except (OSError, ValueError, IndexError):
        return 0, {}


def furniture(articles: Sequence[Article]) -> set[tuple[str | None, int]]:
    """(outlet, line hash) of the body lines found in ``FURNITURE_LINES`` or more of an outlet's articles."""
    seen: Counter = Counter()
    for a in articles:
        count_lines(seen, a)
    return frequent_lines(seen)


def count_lines(seen: Counter, a: Article) -> None:
    """Count each distinct (outlet, line hash) of an article's body in ``seen``."""
    seen.update((a.source, h) for h in set(a.lines.tolist()))


def frequent_lines(seen: Counter) -> set[tuple[str | None, int]]:
    return {k for k, c in seen.items() if c >= FURNITURE_LINES}


def _counts(a: Article, lines: set[tuple[str | None, int]]) -> np.ndarray:
    """The article's term counts without its furniture lines (its first line always stays: an
    article's lead is repeated in the sidebars of the outlet's other pages)."""
    counts = a.counts.astype(np.int32)
    start = int(a.line_ends[0]) if len(a.line_ends) else 0
    for n in range(1, len(a.lines)):
        end = int(a.line_ends[n])
        if (a.source, int(a.lines[n])) in lines:
            np.subtract.at(counts, a.line_terms[start:end], 1)
        start = end
    return counts


def group(articles: Sequence[Article], times: dict[str, float] | None = None) -> Groups:
    """Duplicate groups and stories of a whole collection, reading ``articles`` twice (they may
    be a file of them, read back one at a time: ``index.stories.store.ArticleFile``).
    ``times``: filled with each step's seconds (scripts/experiments/stories_time.py)."""
    lap = _laps(times)
    keys, shingles, sources, lines = [], [], [], Counter()
    for a in articles:  # one pass gathers what the steps need but the terms
        keys.append(_order_key(a))
        shingles.append(a.shingles)
        sources.append(a.source)
        count_lines(lines, a)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    shingles = [shingles[k] for k in order]
    sources = [sources[k] for k in order]
    days = days_of(keys, order)
    line_counts, lines = lines, frequent_lines(lines)
    lap("read")
    common = boilerplate(shingles, len(set(sources)))
    for k, sh in enumerate(shingles):  # in place: one array copied at a time
        shingles[k] = without(sh, common)
    lap("boilerplate")
    articles = InOrder(articles, order)
    leader, pairs = duplicate_leaders(shingles, CopyCheck(articles, days, sources, lines))
    del shingles
    lap("duplicates")
    X, terms, vocabulary, df = weighted_vectors(articles, lines)
    lap("vectors")
    assigned = assign_stories(days, X, leader, sources)
    stories = merge_stories(days, X, assigned, sources, terms)
    lap("stories")
    return Groups(articles, [keys[k][2] for k in order], leader, stories, X, terms, pairs, common, line_counts,
                  vocabulary, df, assigned)


def _laps(times: dict[str, float] | None):
    """A function that records in ``times`` the seconds since its last call (or since this one)."""
    last = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        if times is not None:
            times[step] = now - last[0]
        last[0] = now
    return lap


def assign_stories(days: np.ndarray, X, leader: list[int], sources: list | None = None,
                   placed: np.ndarray | None = None) -> list[int]:
    """Each article's story, as the row of its first article (``days``: each one's date in days
    since 1970, in order, the undated last as infinity; ``leader``: each one's duplicate group,
    as a row; ``sources``: each one's outlet; ``placed``: the stories of rows already grouped, -1
    for those to group: an update's new articles join or start stories, the others stay).

    A story takes no article more than ``STORY_SPAN`` days after its first (an event and its
    immediate follow-ups, not a chain of days), and an article is not compared with its own
    outlet's articles of an earlier day (``SERIES_ACROSS_DAYS``): an outlet's daily report (prices, a
    bulletin, a front) uses the same words every day and would chain the days into one story."""
    n = len(days)
    sources = sources if sources is not None else [None] * n
    outlet = np.unique(np.array([str(x) for x in sources]), return_inverse=True)[1]
    # an article whose outlet is unknown is no outlet's series: each is an outlet of its own
    unknown = np.array([x is None for x in sources], dtype=bool)
    outlet[unknown] = -1 - np.flatnonzero(unknown)
    dated = int(np.count_nonzero(np.isfinite(days)))
    story_of = np.full(n, -1, dtype=np.int64) if placed is None else np.array(placed, dtype=np.int64)
    todo = story_of < 0
    block = 256
    for lo, hi in _blocks(dated, n, block):
        if not todo[lo:hi].any():
            continue
        if lo >= dated:  # undated: compare with everything before
            start = 0
        else:
            start = int(np.searchsorted(days[:dated], days[lo] - WINDOW_DAYS, side="left"))
        sims = (X[lo:hi] @ X[start:hi].T).toarray()
        for r in range(hi - lo):
            i = lo + r
            if not todo[i]:
                continue
            if leader[i] != i and (i >= dated or days[i] - days[story_of[leader[i]]] <= STORY_SPAN):  # a copy: its report's story
                story_of[i] = story_of[leader[i]]
                continue
            if i < dated:
                left = int(np.searchsorted(days[:dated], days[i] - WINDOW_DAYS, side="left"))
            else:
                left = 0
            cols = np.arange(max(left, start), i)
            if i < dated:
                if not SERIES_ACROSS_DAYS:
                    cols = cols[(outlet[cols] != outlet[i]) | (np.floor(days[cols]) == np.floor(days[i]))]
                cols = cols[days[story_of[cols]] >= days[i] - STORY_SPAN]
            cols = cols - start
            if len(cols):
                row = sims[r, cols]
                stories = story_of[cols + start]
                keys, inv = np.unique(stories, return_inverse=True)
                mean = np.bincount(inv, weights=row) / np.bincount(inv)
                top = np.zeros(len(keys))
                np.maximum.at(top, inv, row)
                if i >= dated:
                    mean[top < UNDATED_MAX_COSINE] = 0.0
                best = int(np.argmax(mean))
                if mean[best] >= STORY_COSINE:
                    story_of[i] = keys[best]
                    continue
                closest = int(np.argmax(top))
                if top[closest] >= LINK_COSINE:
                    story_of[i] = keys[closest]
                    continue
            story_of[i] = i
    return story_of.tolist()


def merge_stories(days: np.ndarray, X, story_of: list[int], sources: list, terms: list[str]) -> list[int]:
    """A second pass: stories of several outlets together that started within ``MERGE_DAYS`` of each
    other and whose first day's articles are close (cosine of the sums of their vectors, entities
    weighted ``MERGE_ENTITY`` times, at least ``MERGE_COSINE``) are one: the same event written up
    by different outlets in their own words, which single-pass clustering split when one outlet's
    first report started a story of its own."""
    from scipy.sparse import csr_matrix, diags

    story = np.asarray(story_of, dtype=np.int64)
    dated = np.isfinite(days)
    first_day = dated.copy()  # a story's first day of articles
    first_day[dated] = days[dated] - days[story[dated]] <= 1.0
    heads = np.unique(story[dated])
    if len(heads) < 2:
        return story_of
    col = {s: k for k, s in enumerate(heads.tolist())}
    rows = np.flatnonzero(first_day)
    S = csr_matrix((np.ones(len(rows)), (np.array([col[s] for s in story[rows].tolist()]), rows)),
                   shape=(len(heads), X.shape[0]))
    weight = np.array([MERGE_ENTITY if t.startswith("@") else 1.0 for t in terms])
    C = (S @ X @ diags(weight)).tocsr()
    norms = np.sqrt(np.asarray(C.multiply(C).sum(axis=1)).ravel())
    C = diags(1 / np.maximum(norms, 1e-12)) @ C
    outlets: dict[int, set] = {}
    for r in np.flatnonzero(dated).tolist():
        outlets.setdefault(int(story[r]), set()).add(sources[r] if sources[r] is not None else ("unknown", r))
    start = days[heads]
    root = {int(s): int(s) for s in heads}

    def find(s: int) -> int:
        while root[s] != s:
            root[s] = root[root[s]]
            s = root[s]
        return s

    block = 512
    for lo in range(0, len(heads), block):
        hi = min(lo + block, len(heads))
        left = int(np.searchsorted(start, start[lo] - MERGE_DAYS, side="left"))
        sims = (C[lo:hi] @ C[left:hi].T).toarray()
        for r in range(hi - lo):
            k = lo + r
            near = np.flatnonzero((sims[r, :k - left] >= MERGE_COSINE) & (start[left:k] >= start[k] - MERGE_DAYS))
            for j in near[np.argsort(-sims[r, near], kind="stable")].tolist():
                a, b = find(int(heads[left + j])), find(int(heads[k]))
                if a == b or days[b] - days[a] > MERGE_DAYS or len(outlets[a] | outlets[b]) < 2:
                    continue
                a, b = min(a, b), max(a, b)
                root[b] = a
                outlets[a] |= outlets[b]
    return [find(s) if s in root else s for s in story_of]


def _blocks(dated: int, n: int, size: int):
    """Row ranges of at most ``size``, never mixing dated and undated articles."""
    for a, b in ((0, dated), (dated, n)):
        for lo in range(a, b, size):
            yield lo, min(lo + size, b)
