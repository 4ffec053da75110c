"""Named-entity recognition: tokens in, BIO tags (PERS, LOC, ORG) out.

A linear-chain CRF (CRFsuite, through ``python-crfsuite``) reads each token's
normalized form, its form without clitics, affixes, its neighbours, and cues
from the shipped name lists: gazetteer matches, given names, titles that
announce a person (الرئيس، الوزير ...) and nouns that end a name.  The model is
trained on the training part of ANERcorp only (the first five sixths) by
``scripts/train_ner.py`` and ships as ``index/models/ner.crfsuite``.

Word classes learned from 31k unlabeled ANT articles (``clusters.tsv``, by
``scripts/build_word_clusters.py``) let it tag names it never saw in training,
and a second pass tags again, nearby, a name it tagged once (:func:`propagate`).
"""
from __future__ import annotations

import hashlib
import re
import sys
import threading
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from importlib import resources

from index import gazetteer
from index.bio import sentences, spans
from search.analysis import TOKEN_PATTERN
from search.lexicon import given_names
from search.normalize import normalize_arabic, normalize_word, strip_tashkeel
from search.stemming import clitic_readings
from search.stopwords import stopwords

MODEL = "ner.crfsuite"
CLUSTERS = "clusters.tsv"

#: Bump when a change to this module's code, or to how :mod:`index.entities` names what it
#: tags, changes the entities found (the model, the word classes and the name lists are
#: hashed by :func:`recognizer_version`).
RECOGNIZER_REVISION = 6  # 6: shortened names merge into the full name they begin (index.entities.merge_short_names)

#: Entities the model gives a lower probability than this are left out: a facet
#: is only worth showing if it is right.
MIN_CONFIDENCE = 0.6

#: How far (in tokens) a name tagged once is looked for again: about one article.
PROPAGATION_WINDOW = 600

#: Words that announce a person's name.
TITLES = frozenset(normalize_arabic(w) for w in (
    "الرئيس الوزير اللواء المشير السفير الجنرال العقيد العميد الفريق الشيخ الأمير الملك السيد "
    "السيدة الدكتور المستشار الزعيم النائب المبعوث الأمين القائد الناطق المتحدث نظيره نظيرته "
    "المستشارة الرئيسة الوزيرة البابا الإمام الحاخام المطرب المطربة الفنان الفنانة اللاعب المدرب"
).split())

#: Occupations and roles that come before a person's name as often as titles do
#: («الحارس هيلتون», «الكاتب المصري سلامة موسى»).
ROLES = frozenset(normalize_arabic(w) for w in (
    "الحارس المهاجم المدافع الكاتب الصحفي الصحافي المذيع المذيعة الكاردينال الأسقف المخرج "
    "الممثل الممثلة المغني المغنية الروائي المواطن المعلق المحلل الباحث الأستاذ النجم "
    "الحكم السائق البطل الملاكم العداء الوسيط الداعية المفكر الناشط الناشطة الناقد"
).split())

#: Adjectives that stand between a title and the name: «الجنرال الفرنسي آلان ...».
_QUALIFIERS = frozenset(normalize_arabic(w) for w in
                        "الشهير الشهيرة السابق السابقة الدولي الشاب الأسبق الجديد المخضرم الراحل الراحلة".split())

#: Nouns and words that end a name («أيمن بديع نائب رئيس ...»): roles, days, verbs of saying.
NAME_BREAKERS = frozenset(normalize_arabic(w) for w in (
    "وزير وزيرة رئيس رئيسة نائب مساعد سفير مدير قائد عضو وكيل مسؤول متحدث زعيم أمين مبعوث "
    "مستشار نظيره نظيرته خلال بعد قبل عند حول منذ اليوم أمس الأحد الاثنين الثلاثاء الأربعاء "
    "الخميس الجمعة السبت إن أن قال وقال أكد وأكد أضاف وأضاف أشار التقى يلتقي بحث وبحث "
    "حكومة مجلس وزارة قوات جهاز الأول الثاني الثالث الرابع الأخير"
).split())

#: Templates of verbal nouns (masdar), on a normalized word without clitics: إفعال
#: (إيجاز، إعلان), افتعال (اجتماع), استفعال (استقبال), انفعال (انسحاب), تفعيل
#: (تعزيز), تفاعل (تعاون), مفاعلة (مباحثة).  Such words are common nouns, not names,
#: whatever their context suggests.
_MASDAR_RE = re.compile(r"^(?:ا..ا.|ا.ت.ا.|است..ا.|ان..ا.|ت..ي.|ت.ا..|م.ا..ه)$")

#: How a word with the article starts (alone or after a clitic).
_ARTICLE = ("ال", "وال", "بال", "لل", "فال", "كال")

#: Tokens as the model saw them in training: words, and each other visible character.
_TOKEN_RE = re.compile(TOKEN_PATTERN + r"|[^\s]")
#: An acronym written with dots: «سي.إن.إن», «إف.بي.آي», «د.ب.أ» (three or more parts of
#: one to three letters).
_DOTTED_ACRONYM_RE = re.compile(r"(?<![^\W_])(?:[^\W\d_]{1,3}\.){2,}[^\W\d_]{1,3}(?![^\W_])")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


@lru_cache(maxsize=None)
def recognizer_version() -> str:
    """The recognizer's revision and a digest of its model, word classes and name lists.

    An index records it: ``--update`` finds the entities of every article again when
    the recognizer that built the index is not this one.
    """
    digest = hashlib.sha256()
    files = [resources.files("index.models") / MODEL, resources.files("index.models") / CLUSTERS]
    files += sorted((f for f in resources.files("search.lexicon").iterdir() if f.name.endswith(".txt")),
                    key=lambda f: f.name)
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return f"{RECOGNIZER_REVISION}-{digest.hexdigest()[:12]}"


def tokenize(text: str) -> list[str]:
    """Words and punctuation marks of ``text``, in order (the model's token unit).

    A dotted acronym is read as its letters written apart, the commoner spelling:
    «بي.بي.سي» -> «بي», «بي», «سي» as in «بي بي سي» (its dots are no sentence ends).
    """
    tokens: list[str] = []
    end = 0
    for acronym in _DOTTED_ACRONYM_RE.finditer(text):
        tokens += _TOKEN_RE.findall(text, end, acronym.start()) + acronym.group().split(".")
        end = acronym.end()
    return tokens + _TOKEN_RE.findall(text, end)


def _without_clitics(norm: str) -> str:
    """The word without a leading conjunction, preposition and article: «والصادرات» -> «صادرات»."""
    w = norm
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    if len(w) > 3 and w[0] in "بلك":
        w = w[1:] if not w.startswith("لل") else w[2:]
    if len(w) > 3 and w.startswith("ال"):
        w = w[2:]
    return w


def _definite(norm: str) -> str:
    """A word with the article in its plain form: «والرئيس», «للحارس» -> «الرئيس», «الحارس»."""
    return "ال" + _without_clitics(norm) if norm.startswith(_ARTICLE) else norm


def _is_qualifier(norm: str) -> bool:
    """An adjective such as «الفرنسي», «والأميركية», «السابق» (a nisba or a listed qualifier)."""
    word = _definite(norm)
    return word in _QUALIFIERS or (word.startswith("ال") and len(word) > 4 and word.endswith(("ي", "يه")))


def _is_title_or_role(norm: str) -> bool:
    return any(w in TITLES or w in ROLES for w in (norm, _definite(norm)))


def _shape(token: str) -> str:
    if token.isdigit():
        return "digit"
    if _ARABIC_LETTER.search(token):
        return "arabic"
    if any(c.isalpha() for c in token):
        return "latin"
    return "punct"


@lru_cache(maxsize=None)
def word_classes() -> dict[str, tuple[str, ...]]:
    """Normalized word -> its classes, coarse to fine (``index/models/clusters.tsv``)."""
    out = {}
    text = (resources.files("index.models") / CLUSTERS).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, *classes = line.split("\t")
            out[word] = tuple(classes)
    return out


def _class_features(prefix: str, word: str) -> list[str]:
    classes = word_classes().get(word)
    if classes is None:
        return [f"{prefix}=unk"]
    return [f"{prefix}{k}={c}" for k, c in enumerate(classes)]


#: Distinct tokens whose features are remembered (a token's own and those it gives its
#: neighbours): news repeats its words, so this catches most look-ups; bounded so that a build
#: worker's memory stays flat however large the collection (scripts/experiments/worker_memory.py).
WORD_CACHE = 100_000

#: Where a token's neighbours are, for the features it takes from them (the model's window).
OFFSETS = (-2, -1, 1, 2)


def word_features(token: str) -> tuple[str, ...]:
    """Features of a token on its own."""
    norm = normalize_word(token)
    bare = _without_clitics(norm)
    feats = [f"w={norm}", f"raw={strip_tashkeel(token)}", f"b={bare}", f"shape={_shape(token)}", f"len={min(len(bare), 8)}"]
    for k in (1, 2, 3):
        if len(norm) > k:
            feats += [f"p{k}={norm[:k]}", f"s{k}={norm[-k:]}"]
    if len(bare) > 2:
        feats.append(f"bs2={bare[-2:]}")
    if norm.startswith(_ARTICLE):
        feats.append("article")
    names = given_names()
    if norm in names or bare in names or norm[1:] in names:
        feats.append("given_name")
    if norm in TITLES or bare in TITLES:
        feats.append("title")
    if norm in NAME_BREAKERS:
        feats.append("breaker")
    if norm in stopwords():
        feats.append("stop")
    if _MASDAR_RE.match(bare):  # the same test as is_verbal_noun, on the form already at hand
        feats.append("masdar")
    feats += _class_features("c", norm)
    if bare != norm:
        feats += _class_features("bc", bare)
    return tuple(feats)


def _gazetteer_tags(norms: list[str], breaks: list[bool]) -> list[str]:
    """BIO tags from the longest gazetteer matches, with the canonical name's type."""
    tags = ["O"] * len(norms)
    i = 0
    while i < len(norms):
        hit = gazetteer.match(norms, i, breaks)
        if hit is None:
            i += 1
            continue
        n, _canonical, kind = hit
        tags[i:i + n] = [f"B-{kind}"] + [f"I-{kind}"] * (n - 1)
        i += n
    return tags


def _breaks(tokens: list[str]) -> list[bool]:
    """True where punctuation comes before token k (names do not span it)."""
    return [i > 0 and _shape(tokens[i - 1]) == "punct" for i in range(len(tokens))]


#: Features of a neighbour that are copied to the token (with the neighbour's offset).
_CONTEXT_FEATURES = ("b=", "title", "given_name", "breaker", "shape=", "article", "c1=", "c2=", "bc1=")


#: The gazetteer's tags (:func:`_gazetteer_tags`).
_GAZETTEER_TAGS = ("O", *(f"{bio}-{kind}" for kind in (gazetteer.PERS, gazetteer.LOC, gazetteer.ORG) for bio in "BI"))


class Features:
    """The CRF features of sentences, each token's remembered (at most ``cache`` tokens).

    With ``known`` (the features a model weighs: :func:`model_features`) only those are given:
    a feature the model has no weight for adds nothing to any score, and costs the tagger a
    look-up, so the model's tags and marginals are the same.  Without it, every feature (training).
    """

    def __init__(self, known: frozenset[str] | None = None, cache: int = WORD_CACHE):
        # the model's own copy of each kept string (one copy in memory, and the unknown ones dropped)
        self._known = None if known is None else {f: f for f in known}
        self.token = lru_cache(maxsize=cache)(self._token)
        # offset (0: the token's own) -> gazetteer tag -> its feature, if kept
        self._gaz = {d: {tag: self._keep((f"{d}:gaz={tag}" if d else f"gaz={tag}",)) for tag in _GAZETTEER_TAGS}
                     for d in (0, *OFFSETS)}
        self._edge = {d: self._keep((f"{d}:edge",)) for d in OFFSETS}
        # the words that may start a kept word-pair feature (every "|" may be the one between them)
        self._lefts = None if known is None else {
            f[5:5 + k] for f in known if f.startswith(("w-1w=", "ww+1=")) for k, c in enumerate(f[5:]) if c == "|"}

    def _keep(self, feats) -> tuple[str, ...]:
        if self._known is None:
            return tuple(map(sys.intern, feats))
        return tuple(k for k in map(self._known.get, feats) if k is not None)

    def _token(self, token: str) -> tuple[tuple[str, ...], ...]:
        """A token's own features, then those it gives the tokens it is at ``OFFSETS`` from."""
        own = word_features(token)
        context = [f for f in own if f.startswith(_CONTEXT_FEATURES)]
        norm = normalize_word(token)
        return (self._keep(("bias", *own)),
                *(self._keep((f"{d}:w={norm}", *(f"{d}:{f}" for f in context))) for d in OFFSETS))

    def _pairs(self, norms: list[str]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """Each token's word-pair features with the word before it and with the word after it."""
        n = len(norms)
        pairs = [(norms[i], norms[i + 1]) for i in range(n - 1)]
        if self._lefts is not None:  # the model weighs few pairs: look up only those it may
            pairs = [(a, b) if a in self._lefts else None for a, b in pairs]
        before, after = [()] * n, [()] * n
        for i, pair in enumerate(pairs):
            if pair is not None:
                before[i + 1] = self._keep((f"w-1w={pair[0]}|{pair[1]}",))
                after[i] = self._keep((f"ww+1={pair[0]}|{pair[1]}",))
        return before, after

    def sentence(self, tokens: list[str]) -> tuple[list[list[str]], list[str]]:
        """CRF features of every token of one sentence, and the sentence's gazetteer tags."""
        norms = [normalize_word(t) for t in tokens]
        gaz = _gazetteer_tags(norms, _breaks(tokens))
        mine = [self.token(t) for t in tokens]
        before, after = self._pairs(norms)
        own, gaz_at, edge = self._gaz[0], [self._gaz[d] for d in OFFSETS], [self._edge[d] for d in OFFSETS]
        out = []
        n = len(tokens)
        for i in range(n):
            feats = [*mine[i][0], *own[gaz[i]]]
            for k, d in enumerate(OFFSETS):
                j = i + d
                if 0 <= j < n:
                    feats += gaz_at[k][gaz[j]]
                    feats += mine[j][k + 1]
                else:
                    feats += edge[k]
            feats += before[i]
            feats += after[i]
            out.append(feats)
        return out, gaz


def model_features(tagger) -> frozenset[str]:
    """The features an opened CRFsuite model weighs (its state features' attributes)."""
    return frozenset(attribute for attribute, _label in tagger.info().state_features)


@lru_cache(maxsize=1)
def _all_features() -> Features:
    return Features()


def sentence_features(tokens: list[str]) -> tuple[list[list[str]], list[str]]:
    """Every CRF feature of every token of one sentence (as the model is trained on), and the
    sentence's gazetteer tags."""
    return _all_features().sentence(tokens)


def is_verbal_noun(token: str) -> bool:
    """Whether a token, without its clitics, has the template of a verbal noun (masdar)."""
    return bool(_MASDAR_RE.match(_without_clitics(normalize_word(token))))


def drop_verbal_nouns(tokens: list[str], tags: list[str]) -> list[str]:
    """Untag a one-word place or organization that is an indefinite verbal noun:
    «وبحسب إيجاز صحفي» (a press briefing) is no place, while the article marks a name
    («الأنبار»).  Listed names of that shape («إيران») come back from the gazetteer,
    which is merged after this."""
    out = list(tags)
    for start, end, kind in spans(tags):
        token = tokens[start]
        if (end - start == 1 and kind in ("LOC", "ORG") and is_verbal_noun(token)
                and not normalize_word(token).startswith(_ARTICLE)):
            out[start] = "O"
    return out


def apply_gazetteer(tags: list[str], gaz: list[str]) -> list[str]:
    """Add the gazetteer's names where the model tagged none of their words.

    The model decides spans: ANERcorp marks «غزة» in «قطاع غزة», «حماس» in «حركة
    حماس» and «مكة» in «مكة المكرمة», and the model learned that; a list that
    replaced its spans with the longer listed names lost more than it gained on
    the development parts.  A listed name the model missed entirely («البيت الأبيض»,
    «محمد الطاهر سيالة») is added.
    """
    out = list(tags)
    for start, end, kind in spans(gaz):
        if any(t != "O" for t in tags[start:end]):
            continue
        out[start:end] = [f"B-{kind}"] + [f"I-{kind}"] * (end - start - 1)
        if end < len(out) and out[end].startswith("I-"):  # a stray I- after the name starts its own
            out[end] = "B-" + out[end][2:]
    return out


def prefer_listed_names(tokens: list[str], tags: list[str], listed: list[str]) -> list[str]:
    """Tags for facets: a listed name of several words wins over the model's spans when they all
    lie inside it («غزة» of «قطاع غزة», «الطاهر سيالة» of «محمد الطاهر سيالة», the place «الشام»
    of «هيئة تحرير الشام»), or when the model ran on past it, same type, into a phrase with
    «ل»/«ب» («اللجنة العسكرية المشتركة لليبيا»).

    The recognizer itself keeps the model's spans (:func:`apply_gazetteer`), which is what
    ANERcorp scores; a facet wants the one listed spelling of a name.  ``listed``: the
    gazetteer's tags for ``tokens`` (:meth:`Recognizer.tag_with_listed` returns them).
    """
    out = list(tags)
    model = spans(tags)  # in order and disjoint, so their ends are sorted too
    ends = [e for _s, e, _k in model]
    for gs, ge, kind in spans(listed):
        over, i = [], bisect_right(ends, gs)  # the first model span ending after gs
        while i < len(model) and model[i][0] < ge:
            over.append(model[i])
            i += 1
        if ge - gs < 2 or not over:
            continue
        if all(gs <= s and e <= ge for s, e, _k in over):
            pass  # inside the listed name, whatever its type: «الشام» of «هيئة تحرير الشام»
        elif len(over) == 1 and over[0][2] == kind and over[0][0] == gs and normalize_word(tokens[ge])[:1] in "لب":
            out[ge:over[0][1]] = ["O"] * (over[0][1] - ge)
        else:
            continue
        out[gs:ge] = [f"B-{kind}"] + [f"I-{kind}"] * (ge - gs - 1)
        if ge < len(out) and out[ge].startswith("I-"):
            out[ge] = "B-" + out[ge][2:]
    return out


#: Words that join the parts of an Arabic name: «حمد بن خليفة آل ثاني», «أبو مازن».
#: (Normalized: «آل» is written «ال» once its madda is gone.)
NAME_LINKS = frozenset(normalize_arabic(w) for w in "بن بنت ابن آل أبو أبي أبا عبد".split())


def _is_word(token: str) -> bool:
    return bool(_ARABIC_LETTER.search(token))


def join_name_links(tokens: list[str], tags: list[str]) -> list[str]:
    """Complete person names across the words that link their parts.

    A person tagged up to a link word («محمد بن راشد آل» then «مكتوم»), or right
    before one («حمد بن خليفة» «آل ثاني»), takes the link and the word after
    it, and runs into a person tagged there.
    """
    norms = [normalize_word(t) for t in tokens]
    out = list(tags)
    n = len(tokens)
    i = 0
    while i < n:
        if out[i] != "B-PERS":
            i += 1
            continue
        end = i + 1
        while end < n and out[end] == "I-PERS":
            end += 1
        while True:
            if norms[end - 1] in NAME_LINKS and end < n and _is_word(tokens[end]) and end - i > 1:
                grow = 1  # «... آل» + «مكتوم»
            elif end + 1 < n and norms[end] in NAME_LINKS and _is_word(tokens[end + 1]) \
                    and out[end] == "O" and out[end + 1] in ("O", "B-PERS"):
                grow = 2  # «حمد بن خليفة» + «آل ثاني»
            else:
                break
            for k in range(end, end + grow):
                out[k] = "I-PERS"
            end += grow
            while end < n and out[end] == "I-PERS":
                end += 1
            if end < n and out[end] == "B-PERS":  # the model's next person is the same name
                out[end] = "I-PERS"
                end += 1
                while end < n and out[end] == "I-PERS":
                    end += 1
        i = end
    return out


#: Nouns that make an organization of the place name after them: «جامعة القاهرة», «بنك مصر».
ORG_HEADS = frozenset(normalize_arabic(w) for w in
                      "اتحاد الاتحاد نادي جامعة بنك مصرف شركة وكالة حزب حركة جبهة منظمة هيئة مؤسسة".split())


def join_org_places(tokens: list[str], tags: list[str]) -> list[str]:
    """A one-word place right after an organization or an organization noun is part of
    its name: «اتحاد طنجة», «أسيك أبيدجان», «مصرف قطر».  Not when the place takes «و»
    or «ب» («قوات الاتحاد الأفريقي بدارفور», «الاتحاد الأوروبي والصين»): that starts
    another phrase."""
    out = list(tags)
    for start, end, kind in spans(tags):
        if kind != "LOC" or end - start != 1 or start == 0 or normalize_word(tokens[start])[:1] in ("و", "ب"):
            continue
        before = out[start - 1]
        if before.endswith("-ORG"):
            out[start] = "I-ORG"
        elif before == "O" and normalize_word(tokens[start - 1]) in ORG_HEADS:
            out[start - 1], out[start] = "B-ORG", "I-ORG"
    return out


def _given_name(token: str, norm: str) -> bool:
    """Whether a word is a given name.  «على» (on) is not, though it normalizes like «علي»:
    the written alef maqsura of a stopword tells them apart."""
    if strip_tashkeel(token).endswith("ى") and (norm in stopwords() or norm[1:] in stopwords()):
        return False
    return norm in given_names()


def split_coordinated_names(tokens: list[str], tags: list[str]) -> list[str]:
    """Start a new person at «و» + a given name inside a tagged span:
    «عادل وياسمين عبد العزيز» is two people, «عادل» and «وياسمين عبد العزيز».
    A given name that itself starts with «و» («وليد», «وائل») is left alone."""
    out = list(tags)
    for k in range(1, len(tokens)):
        if out[k] != "I-PERS":
            continue
        norm = normalize_word(tokens[k])
        if norm.startswith("و") and not _given_name(tokens[k], norm) and _given_name(tokens[k][1:], norm[1:]):
            out[k] = "B-PERS"
    return out


def extend_given_names(tokens: list[str], tags: list[str]) -> list[str]:
    """A given name right before a person, alone or after «و»/«ل», is its first name:
    «علي» + «محمد جيدي», «وناصر» + «مسعود راشد»; not «على ترامب» (on Trump)."""
    out = list(tags)
    for start, _end, kind in spans(tags):
        if kind != "PERS" or start == 0 or out[start - 1] != "O":
            continue
        token = tokens[start - 1]
        word = normalize_word(token)
        if _given_name(token, word) or (word[:1] in "ول" and _given_name(token[1:], word[1:])):
            out[start - 1], out[start] = "B-PERS", "I-PERS"
    return out


def trim_person_leads(tokens: list[str], tags: list[str]) -> list[str]:
    """Take titles, roles and adjectives off the start of a person of several words:
    «[الاذري يعقوب ايابوف]» -> «الاذري [يعقوب ايابوف]», «والعماني عبد الله ...»."""
    out = list(tags)
    for start, end, kind in spans(tags):
        while kind == "PERS" and end - start > 1:
            word = normalize_word(tokens[start])
            if not (_is_title_or_role(word) or _is_qualifier(word)):
                break
            out[start], out[start + 1] = "O", "B-PERS"
            start += 1
    return out


def _likeliest_type(near: list[tuple[int, str]]) -> str:
    """The type most (distance, type) mentions have; on a tie, the nearest one's (then by name,
    so the result never depends on the order of a set)."""
    counts = Counter(kind for _d, kind in near)
    closest = {kind: min(d for d, k in near if k == kind) for kind in counts}
    return max(counts, key=lambda kind: (counts[kind], -closest[kind], kind))


def propagate(tokens: list[str], tags: list[str], window: int = PROPAGATION_WINDOW) -> list[str]:
    """Tag again, within ``window`` tokens, mentions the model tagged elsewhere but not here,
    with the type most of them have (the nearest one's on a tie).

    A news story names a person in full once and by surname after: the last word
    of a multi-word person («شوماخر» of «ميكايل شوماخر») and every tagged
    mention («الأمم المتحدة») are looked for among the untagged tokens nearby.
    A one-word mention is compared without a clitic: «لحفتر» and «حفتر» meet.
    """
    norms = [normalize_word(t) for t in tokens]

    def key(i: int, n: int) -> tuple[str, ...]:
        if n > 1:
            return tuple(norms[i:i + n])
        readings = clitic_readings(norms[i])
        return (readings[1] if len(readings) > 1 else norms[i],)

    out = list(tags)
    found: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for start, end, kind in spans(tags):
        found.setdefault(key(start, end - start), []).append((start, kind))
        if kind == "PERS" and end - start > 1 and len(norms[end - 1]) >= 3:
            found.setdefault((norms[end - 1],), []).append((start, kind))
    firsts = {k[0] for k in found}
    longest = max((len(k) for k in found), default=0)
    i = 0
    while i < len(tokens):
        hit = None
        if out[i] == "O" and (norms[i] in firsts or key(i, 1)[0] in firsts):
            for n in range(min(longest, len(tokens) - i), 0, -1):
                if any(t != "O" for t in out[i:i + n]):
                    continue
                k = key(i, n)
                near = [(abs(at - i), kind) for at, kind in found.get(k, ()) if abs(at - i) <= window]
                if near and (n > 1 or k[0] not in stopwords()):
                    hit = n, _likeliest_type(near)
                    break
        if hit:
            n, kind = hit
            out[i:i + n] = [f"B-{kind}"] + [f"I-{kind}"] * (n - 1)
            i += n
        else:
            i += 1
    return out


def _confident(tagger, tags: list[str], threshold: float | None = None) -> list[str]:
    """The model's tags without the entities it is unsure of (a tag's marginal below ``threshold``)."""
    threshold = MIN_CONFIDENCE if threshold is None else threshold
    out = list(tags)
    for start, end, _kind in spans(tags):
        if min(tagger.marginal(tags[k], k) for k in range(start, end)) < threshold:
            out[start:end] = ["O"] * (end - start)
    return out


class Recognizer:
    """A loaded CRF model (one per process; CRFsuite taggers are not shared across threads)."""

    def __init__(self, model_path: str | None = None):
        self._path = model_path
        self._local = threading.local()
        self._features: Features | None = None  # the model's, made with the first tagger

    def _tagger(self):
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            if self._path is not None:
                tagger.open(self._path)
            else:
                with resources.as_file(resources.files("index.models") / MODEL) as path:
                    tagger.open(str(path))
            self._local.tagger = tagger
            if self._features is None:
                self._features = Features(model_features(tagger))
        return tagger

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PERS``, ``I-LOC``, ``O`` ...) for ``tokens``, sentence by sentence."""
        return self.tag_with_listed(tokens)[0]

    def tag_with_listed(self, tokens: list[str]) -> tuple[list[str], list[str]]:
        """The tags of :meth:`tag`, and the gazetteer's own tags for ``tokens`` (its longest
        listed names), which the model read as features and facets prefer."""
        tagger = self._tagger()
        tags: list[str] = []
        listed: list[str] = []
        for start, end in sentences(tokens):
            sentence = tokens[start:end]
            feats, gaz = self._features.sentence(sentence)
            tags += apply_gazetteer(drop_verbal_nouns(sentence, _confident(tagger, tagger.tag(feats))), gaz)
            listed += gaz
        tags = join_org_places(tokens, split_coordinated_names(tokens, join_name_links(tokens, tags)))
        tags = extend_given_names(tokens, trim_person_leads(tokens, tags))
        return propagate(tokens, tags), listed


_DEFAULT: Recognizer | None = None


def default_recognizer() -> Recognizer:
    """The shipped model, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Recognizer()
    return _DEFAULT


def recognize(tokens: list[str]) -> list[str]:
    """Tag ``tokens`` with the shipped model."""
    return default_recognizer().tag(tokens)


__all__ = ["NAME_BREAKERS", "NAME_LINKS", "ROLES", "Recognizer", "TITLES", "apply_gazetteer",
           "default_recognizer", "extend_given_names", "join_name_links", "join_org_places",
           "prefer_listed_names", "recognize", "recognizer_version", "sentence_features",
           "split_coordinated_names", "tokenize", "trim_person_leads", "word_features"]
