"""Experiment (not part of the product): a BiLSTM-CRF entity tagger beside the shipped CRF.

    pip install torch gensim        # neither is a dependency of Akhbar
    python scripts/experiments/neural_ner.py --gold ../shared/eval/ner/anercorp/ANERCorp.txt \\
        --collection ../shared/corpus/ant-multisource-v2.1.tar.gz --vectors /tmp/ant-vectors --fold 4

Trains, on the first five sixths of the gold file but sixth ``--fold``, both the
shipped CRF (``scripts/train_ner.py``) and a BiLSTM-CRF, and scores sixth ``--fold``
with each, and with the mean of their tag marginals, all through the recognizer's
own rules after the model (confidence, gazetteer, joins, propagation).  The test
sixth is never read.

The BiLSTM-CRF reads, per token: 100-dimensional skip-gram vectors of the word and
of the word without clitics (trained on the collection with gensim, frozen), a
character CNN, and the sum of embeddings of the CRF's own token features
(:func:`index.ner.word_features`, gazetteer tag); one BiLSTM layer (128 per
direction, dropout 0.5), a CRF layer with BIO constraints, Adam, 24 epochs.
Vector training uses two threads, so runs differ slightly.  Figures: docs/entities.md.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
import pycrfsuite
import torch
import torch.nn as nn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_ner import fold  # noqa: E402
from train_ner import train as train_crf  # noqa: E402

from index import ner  # noqa: E402
from index.bio import read_bio, score, sentences  # noqa: E402
from search.normalize import normalize_word  # noqa: E402

TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
T2I = {t: i for i, t in enumerate(TAGS)}
K = len(TAGS)
ALLOWED = np.array([[not TAGS[b].startswith("I-") or TAGS[a][2:] == TAGS[b][2:] for b in range(K)] for a in range(K)])


def word_vectors(collection: str, out: Path) -> tuple[list[str], np.ndarray]:
    """Skip-gram vectors of normalized words, trained once and cached in ``out``."""
    if not (out / "vec.npy").exists():
        from gensim.models import Word2Vec

        from index.documents import Document
        from index.readers import read_collection
        docs = [[normalize_word(t) for t in ner.tokenize(d.title + "\n" + d.body)]
                for d in read_collection(collection) if isinstance(d, Document)]
        model = Word2Vec(docs, vector_size=100, window=5, sg=1, min_count=3, workers=2, epochs=5,
                         seed=0, negative=10, sample=1e-4)
        out.mkdir(parents=True, exist_ok=True)
        np.save(out / "vec.npy", model.wv.vectors.astype(np.float32))
        (out / "vocab.txt").write_text("\n".join(model.wv.index_to_key), encoding="utf-8")
    return (out / "vocab.txt").read_text(encoding="utf-8").split("\n"), np.load(out / "vec.npy")


class Encoder:
    """Token ids for words, characters and CRF features (features and characters seen twice in training)."""

    def __init__(self, words, vectors, train_sentences):
        self.w2i = {w: i + 2 for i, w in enumerate(words)}  # 0 padding, 1 unknown
        self.emb = np.zeros((len(words) + 2, vectors.shape[1]), np.float32)
        self.emb[2:] = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8)
        chars, feats = {}, {}
        for toks in train_sentences:
            for tok, fs in zip(toks, self.features(toks)):
                for c in normalize_word(tok):
                    chars[c] = chars.get(c, 0) + 1
                for f in fs:
                    feats[f] = feats.get(f, 0) + 1
        self.c2i = {c: i + 2 for i, c in enumerate(sorted(c for c, n in chars.items() if n >= 2))}
        self.f2i = {f: i + 1 for i, f in enumerate(sorted(f for f, n in feats.items() if n >= 2))}

    @staticmethod
    def features(toks):
        _feats, gaz = ner.sentence_features(toks)
        return [[*ner.word_features(t), f"gaz={g}"] for t, g in zip(toks, gaz)]

    def encode(self, toks):
        norms = [normalize_word(t) for t in toks]
        return ([self.w2i.get(n, 1) for n in norms],
                [self.w2i.get(ner._without_clitics(n), 1) for n in norms],
                [[self.c2i.get(c, 1) for c in n[:20]] or [1] for n in norms],
                [[self.f2i[f] for f in fs if f in self.f2i] or [0] for fs in self.features(toks)])


class BiLstmCrf(nn.Module):
    def __init__(self, emb, n_chars, n_feats, hidden=128):
        super().__init__()
        self.word = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True, padding_idx=0)
        self.char = nn.Embedding(n_chars + 2, 25, padding_idx=0)
        self.conv = nn.Conv1d(25, 50, 3, padding=1)
        self.feat = nn.EmbeddingBag(n_feats + 1, 64, mode="sum", padding_idx=0)
        self.drop = nn.Dropout(0.5)
        self.lstm = nn.LSTM(emb.shape[1] * 2 + 50 + 64, hidden, bidirectional=True, batch_first=True)
        self.out = nn.Linear(2 * hidden, K)
        self.trans = nn.Parameter(torch.zeros(K, K))
        self.start = nn.Parameter(torch.zeros(K))
        self.end = nn.Parameter(torch.zeros(K))
        self.register_buffer("tmask", torch.tensor(np.where(ALLOWED, 0.0, -1e4), dtype=torch.float32))
        self.register_buffer("smask", torch.tensor([-1e4 if t.startswith("I-") else 0.0 for t in TAGS]))

    def emissions(self, W, B, C, offsets, fidx, lengths):
        bs, T = W.shape
        chars = torch.relu(self.conv(self.char(C.view(bs * T, -1)).transpose(1, 2))).max(dim=2).values
        x = torch.cat([self.word(W), self.word(B), chars.view(bs, T, -1), self.feat(fidx, offsets).view(bs, T, -1)], 2)
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), lengths, batch_first=True, enforce_sorted=False)
        h, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=T)
        return self.out(self.drop(h))

    def nll(self, em, tags, mask):
        trans, start = self.trans + self.tmask, self.start + self.smask
        gold = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        alpha = start + em[:, 0]
        for t in range(1, em.shape[1]):
            m = mask[:, t]
            gold = gold + m * (trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t:t + 1]).squeeze(1))
            step = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, t]
            alpha = m.unsqueeze(1) * step + (1 - m.unsqueeze(1)) * alpha
        last = tags.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)
        return (torch.logsumexp(alpha + self.end, 1) - gold - self.end[last]).sum()

    @torch.no_grad()
    def marginals(self, em):
        """Tag marginals of one sentence (forward-backward), an array [tokens, tags]."""
        trans, start = self.trans + self.tmask, self.start + self.smask
        alpha = [start + em[0]]
        for t in range(1, len(em)):
            alpha.append(torch.logsumexp(alpha[-1].unsqueeze(1) + trans, 0) + em[t])
        beta = [self.end.clone()]
        for t in range(len(em) - 1, 0, -1):
            beta.append(torch.logsumexp(trans + (em[t] + beta[-1]).unsqueeze(0), 1))
        logz = torch.logsumexp(alpha[-1] + self.end, 0)
        return torch.stack([torch.exp(a + b - logz) for a, b in zip(alpha, reversed(beta))]).numpy()


def batch(items):
    T = max(len(it[0]) for it in items)
    L = max(3, max(len(c) for it in items for c in it[2]))
    W, B, Y = (torch.zeros(len(items), T, dtype=torch.long) for _ in range(3))
    C = torch.zeros(len(items), T, L, dtype=torch.long)
    M = torch.zeros(len(items), T)
    offsets, fidx = [], []
    for i, (w, b, c, f, y) in enumerate(items):
        W[i, :len(w)], B[i, :len(w)], Y[i, :len(w)], M[i, :len(w)] = torch.tensor(w), torch.tensor(b), torch.tensor(y), 1
        for j, cc in enumerate(c):
            C[i, j, :len(cc)] = torch.tensor(cc)
        for j in range(T):
            offsets.append(len(fidx))
            fidx.extend(f[j] if j < len(f) else [0])
    lengths = torch.tensor([len(it[0]) for it in items])
    return (W, B, C, torch.tensor(offsets), torch.tensor(fidx), lengths), Y, M


def valid_bio(tags):
    """ANERcorp has a few ``I-`` tags after ``O`` (38); read them as ``B-``."""
    return [f"B-{t[2:]}" if t.startswith("I-") and (i == 0 or tags[i - 1][2:] != t[2:]) else t
            for i, t in enumerate(tags)]


def train_bilstm(tokens, tags, words, vectors, epochs=24, seed=0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tags = valid_bio(tags)
    sents = [(tokens[a:b], tags[a:b]) for a, b in sentences(tokens)]
    enc = Encoder(words, vectors, [s for s, _ in sents])
    data = [(*enc.encode(s), [T2I[t] for t in y]) for s, y in sents]
    model = BiLstmCrf(enc.emb, len(enc.c2i), len(enc.f2i))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        model.train()
        data.sort(key=lambda d: len(d[0]) + rng.random() * 8)
        batches = [data[i:i + 16] for i in range(0, len(data), 16)]
        rng.shuffle(batches)
        for items in batches:
            inputs, Y, M = batch(items)
            loss = model.nll(model.emissions(*inputs), Y, M) / len(items)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        print(f"epoch {epoch + 1}/{epochs}", file=sys.stderr, flush=True)
    model.eval()
    return model, enc


def decode(table):
    """The likeliest valid BIO sequence under per-token marginals."""
    logp = np.log(table + 1e-9)
    best = logp[0] + np.array([-1e9 if t.startswith("I-") else 0.0 for t in TAGS])
    back = []
    for t in range(1, len(table)):
        step = best[:, None] + np.where(ALLOWED, 0.0, -1e9)
        back.append(step.argmax(0))
        best = step.max(0) + logp[t]
    path = [int(best.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return [TAGS[i] for i in reversed(path)]


class GivenMarginals:
    """A stand-in for the CRFsuite tagger the recognizer reads: each sentence's tags
    and marginals come from ``tables``, in order."""

    def __init__(self, tables):
        self.tables = iter(tables)

    def tag(self, _features):
        self.table = next(self.tables)
        return decode(self.table)

    def marginal(self, tag, k):
        return float(self.table[k, T2I[tag]])


def with_rules(tokens, tables):
    """The recognizer (:meth:`index.ner.Recognizer.tag`, all its rules) on given marginals."""
    recognizer = ner.Recognizer()
    recognizer._local.tagger = GivenMarginals(tables)
    return recognizer.tag(tokens)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--collection", required=True, help="unlabeled articles for the word vectors")
    ap.add_argument("--vectors", required=True, help="folder caching the word vectors")
    ap.add_argument("--fold", type=int, default=4, help="sixth scored, 0-4 [4]")
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    words, vectors = word_vectors(args.collection, Path(args.vectors))
    tr_tokens, tr_tags, tokens, gold = fold(read_bio(args.gold), args.fold)
    model, enc = train_bilstm(tr_tokens, tr_tags, words, vectors, args.epochs)
    crf = pycrfsuite.Tagger()
    with tempfile.TemporaryDirectory() as tmp:
        train_crf(tr_tokens, tr_tags, Path(tmp) / "crf", 0.05, 0.01, 200)
        crf.open(str(Path(tmp) / "crf"))
        neural, linear = [], []
        for s, e in sentences(tokens):
            sent = tokens[s:e]
            inputs, _, _ = batch([(*enc.encode(sent), [0] * len(sent))])
            neural.append(model.marginals(model.emissions(*inputs)[0]))
            crf.set(ner.sentence_features(sent)[0])
            linear.append(np.array([[crf.marginal(t, k) for t in TAGS] for k in range(len(sent))]))
    def f1(tables):
        return {k: round(v["f1"], 3) for k, v in score(gold, with_rules(tokens, tables)).items()}

    print(json.dumps({"fold": args.fold, "crf": f1(linear), "bilstm_crf": f1(neural),
                      "mean_of_both": f1([(x + y) / 2 for x, y in zip(neural, linear)])}))


if __name__ == "__main__":
    main()
