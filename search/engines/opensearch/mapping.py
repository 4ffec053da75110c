"""The OpenSearch index of an Akhbar collection: settings, mapping, and the scoring script.

Akhbar's own Python analysis (:mod:`search.analysis`) produces every token, at
index and at query time, so both engines match the same words: the scored text
fields hold the analyzed tokens joined by spaces, split again by a whitespace
tokenizer with no other filter (``pretokenized``); ``text_exact`` and the entity
filter fields keep positions for phrases.  Facet fields are keywords, with a
``*_key`` twin holding the normalized spelling that facets group by.

Ranking is Whoosh's BM25F, term for term, as a scripted similarity:
``idf = ln(N / (df + 1)) + 1`` and ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``
with the average length from the field's own statistics; what still differs
(Lucene encodes lengths in one byte differently from Whoosh) is measured in
docs/scale-out.md.
"""
from __future__ import annotations

from search.fields import BM25_B, BM25_K1, FACET_FIELDS, FILTER_FIELDS, SCORED_TEXT_FIELDS

#: Scored fields that keep positions (phrases); the other scored fields keep frequencies only.
POSITIONAL = ("text_exact",)
SIMILARITY = "akhbar_bm25f"
SCRIPT = (
    "double tf = doc.freq; double n = field.docCount; double avgdl = field.sumTotalTermFreq / n;"
    " double idf = Math.log(n / (term.docFreq + 1.0)) + 1.0;"
    f" return query.boost * idf * (tf * ({BM25_K1} + 1)) / (tf + {BM25_K1} * ((1 - {BM25_B}) + {BM25_B} * doc.length / avgdl));"
)
#: The mapping's version: an index of another version is rebuilt, not read.
MAPPING_VERSION = 4  # 4: story; 3: indexed; 2: date_precision


def settings(shards: int, replicas: int) -> dict:
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "refresh_interval": "-1",  # set to 1s when the build is done
        "max_result_window": 100_000,
        "similarity": {SIMILARITY: {"type": "scripted", "script": {"source": SCRIPT}}},
        "analysis": {"tokenizer": {"spaces": {"type": "whitespace", "max_token_length": 4096}},
                     "analyzer": {"pretokenized": {"type": "custom", "tokenizer": "spaces"}}},
    }


def mappings(meta: dict) -> dict:
    text = {"type": "text", "analyzer": "pretokenized", "similarity": SIMILARITY, "norms": True}
    props: dict = {
        "id": {"type": "keyword"},
        "seq": {"type": "long"},  # the order articles were read in: the tie-break, as Whoosh's document numbers
        "title": {"type": "text", "index": False},
        "body": {"type": "text", "index": False},
        "date": {"type": "date"},
        "date_precision": {"type": "keyword"},  # "time" (a time of day known), "month" or "year" (only that known)
        "url": {"type": "keyword", "index": False},
        "category": {"type": "keyword"},
        "digest": {"type": "keyword"},
        "indexed": {"type": "date", "index": False},  # when the article first entered the index (index.first_indexed)
        "story": {"type": "keyword"},  # the id of its story's first article (itself when alone): searches collapse on it
    }
    for field in SCORED_TEXT_FIELDS:
        props[field] = dict(text, index_options="positions" if field in POSITIONAL else "freqs")
    for field in FACET_FIELDS:
        props[field] = {"type": "keyword"}
        props[f"{field}_key"] = {"type": "keyword"}
        props[FILTER_FIELDS[FACET_FIELDS[field]]] = dict(text, index_options="positions")
    return {
        "dynamic": "strict",
        "_meta": dict(meta, mapping_version=MAPPING_VERSION),
        "_source": {"excludes": list(SCORED_TEXT_FIELDS) + list(FILTER_FIELDS.values())},
        "properties": props,
    }
