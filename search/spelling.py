"""Spelling suggestions from the index's own words (Whoosh's corrector)."""
from __future__ import annotations

from search.analysis import analyze
from search.query import ParsedQuery


def suggest(searcher, pq: ParsedQuery) -> str | None:
    """A corrected query made of words that exist in the collection, or None.

    Each word the collection lacks is replaced by the nearest indexed form
    (edit distance up to 2); the suggestion is in normalized spelling.
    """
    exact = searcher.schema["text_exact"].analyzer
    corrector = searcher.corrector("text_exact")
    reader = searcher.reader()
    out, changed = [], False
    for alternatives in pq.words:
        word = alternatives[0]
        forms = analyze(exact, word)
        if not forms:
            continue
        form = forms[0]
        if reader.doc_frequency("text_exact", form) > 0:
            out.append(word)
            continue
        found = corrector.suggest(form, limit=1, maxdist=2)
        if found:
            out.append(found[0])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None
