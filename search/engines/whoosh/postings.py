"""Reading one term's posting list out of a Whoosh index as numpy arrays.

Whoosh's matchers hand out a posting at a time; its W3 codec stores them in
blocks (document-number deltas, weights, and for positional fields one pickled
position-delta list a posting).  Here a whole block is taken at once from the
leaf matcher's block arrays; positions are decoded a posting at a time (the one
per-posting step left, which is why :mod:`arrays` keeps the frequent terms'
positions decoded on disk).
"""
from __future__ import annotations

import pickle
from itertools import chain

import numpy as np

_NO_IDS = np.zeros(0, dtype=np.int64)


class TermPostings:
    """A term's postings over every segment, deleted documents left out.

    ``ids`` (sorted document numbers) and ``tf`` (Whoosh's weights: term frequencies)
    always; with positions, ``starts`` (``len(ids) + 1`` offsets) and ``positions`` (each
    posting's positions ascending, ``positions[starts[i]:starts[i + 1]]``)."""

    __slots__ = ("ids", "tf", "starts", "positions")

    def __init__(self, ids, tf, starts=None, positions=None):
        self.ids, self.tf, self.starts, self.positions = ids, tf, starts, positions


def read_term(reader, field: str, text, positions: bool = False, start: int = 0) -> TermPostings:
    """The postings of ``text`` in ``field`` of a Whoosh reader (every leaf, with its offset; or
    the leaves from document ``start`` on)."""
    ids, tfs, counts, flats = [], [], [], []
    for leaf, offset in reader.leaf_readers():
        if offset < start or (field, text) not in leaf:
            continue
        m = leaf.postings(field, text)
        while not hasattr(m, "_read_ids") and hasattr(m, "child"):  # deletions wrap the leaf matcher
            m = m.child
        if hasattr(m, "_read_ids"):
            block_ids, block_tf, values = _read_blocks(m, positions)
        else:  # another codec: posting by posting
            items = list(m.items_as("weight"))
            block_ids = np.fromiter((d for d, _w in items), dtype=np.int64, count=len(items))
            block_tf = np.fromiter((w for _d, w in items), dtype=np.float64, count=len(items))
            values = [_to_deltas(p) for _d, p in leaf.postings(field, text).items_as("positions")] if positions else []
        keep = None
        if leaf.has_deletions():
            keep = np.fromiter((not leaf.is_deleted(int(d)) for d in block_ids), dtype=bool, count=len(block_ids))
            block_ids, block_tf = block_ids[keep], block_tf[keep]
        ids.append(block_ids + offset)
        tfs.append(block_tf)
        if positions:
            if keep is not None:
                values = [v for v, k in zip(values, keep) if k]
            counts.append(np.fromiter(map(len, values), dtype=np.int64, count=len(values)))
            flats.append(np.fromiter(chain.from_iterable(values), dtype=np.int64))  # position deltas
    out = TermPostings(np.concatenate(ids) if ids else _NO_IDS,
                       np.concatenate(tfs) if tfs else np.zeros(0, dtype=np.float64))
    if positions:
        c = np.concatenate(counts) if counts else _NO_IDS
        out.starts = np.zeros(len(c) + 1, dtype=np.int64)
        np.cumsum(c, out=out.starts[1:])
        deltas = np.concatenate(flats) if flats else _NO_IDS
        # each posting's deltas start from 0: a running sum, less the sum before the posting
        running = np.cumsum(deltas)
        before = np.concatenate(([0], running))[out.starts[:-1]]
        out.positions = running - np.repeat(before, c)
    return out


def _read_blocks(m, positions: bool) -> tuple[np.ndarray, np.ndarray, list]:
    """Every (id, weight[, positions]: none unless asked) of a Whoosh W3 leaf matcher, block by block."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    values: list = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        ids.append(np.asarray(m._ids, dtype=np.int64))
        weights.append(np.asarray(m._weights, dtype=np.float64))
        if positions:
            if m._values is None:
                m._read_values()
            values.extend(_deltas(v) for v in m._values)
        if m._lastblock:
            break
        m._next_block()
    if not ids:
        return _NO_IDS, np.zeros(0, dtype=np.float64), values
    return np.concatenate(ids), np.concatenate(weights), values


def _deltas(value: bytes) -> list[int]:
    """One posting's position deltas in Whoosh's ``Positions`` encoding: a 4-byte count, then the
    pickled list without its final STOP opcode (see ``whoosh.formats.Positions.decode_positions``)."""
    return pickle.loads(value[4:] if value.endswith(b".") else value[4:] + b".")


def _to_deltas(positions: list[int]) -> list[int]:
    return [p - q for p, q in zip(positions, [0] + positions[:-1])]
