"""What a hostile test of the page, the API and the reader got through (issue 14), each closed.

Long queries cost a bounded time (the spelling suggestion has a budget), huge page
numbers are a 400, every article id round-trips through the links the page makes,
every archive member and link that is not read is listed, links out of a collection
are refused by default, long articles are refused with a clear message, and small
collections never start entity workers.  The server's connection limits are in
tests/test_server_limits.py; the worst-case query cost on ANT in docs/reliability.md.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from index.builder import build_index
from index.readers import MAX_ARTICLE_CHARS, MAX_ID_CHARS, read_collection
from search.engines import open_engine
from search.query import MAX_FILTERS, MAX_QUERY_WORDS, cap_words, parse_query
from search.searching import search
from search.spelling import MAX_CORRECTED_WORDS, MAX_WORD_CHARS, suggest, vocabulary
from tests.conftest import HOSTILE_IDS, ROOT, hostile_id_body, sample_texts
from web import create_app

JSON = {"Accept": "application/json"}


# -- 1. a bounded spelling suggestion ---------------------------------------------------------

def _misspelled_sample_words(engine, n: int) -> list[tuple[str, str]]:
    """(misspelled, indexed form) pairs: words of the sample with their fourth letter
    dropped, which the sample does not contain, and whose correction is the word itself."""
    out = []
    for word, _df in sorted(engine.terms("text_exact"), key=lambda t: (-t[1], t[0])):
        if len(word) < 7 or not word.isalpha():
            continue
        typo = word[:3] + word[4:]
        if engine.doc_frequency("text_exact", typo) == 0 and vocabulary(engine).nearest(typo) == word:
            out.append((typo, word))
        if len(out) == n:
            break
    return out


def _shown(engine, form: str) -> str:
    """A word as a suggestion shows it: as the headlines spell it, else its indexed form."""
    return engine.spellings().get(form, form)


def test_suggestion_corrects_a_misspelled_word(engine):
    typo, word = _misspelled_sample_words(engine, 1)[0]
    assert suggest(engine, parse_query(typo)) == _shown(engine, word)


def test_suggestion_corrects_only_the_first_words_of_a_long_query(engine):
    pairs = _misspelled_sample_words(engine, MAX_CORRECTED_WORDS + 3)
    assert len(pairs) == MAX_CORRECTED_WORDS + 3
    suggestion = suggest(engine, parse_query(" ".join(typo for typo, _ in pairs)), budget=float("inf"))
    words = suggestion.split()
    assert words[:MAX_CORRECTED_WORDS] == [_shown(engine, w) for _, w in pairs[:MAX_CORRECTED_WORDS]]
    assert words[MAX_CORRECTED_WORDS:] == [t for t, _ in pairs[MAX_CORRECTED_WORDS:]]  # left as typed


def test_suggestion_skips_words_longer_than_any_real_word(engine):
    typo, word = _misspelled_sample_words(engine, 1)[0]
    long_word = "طرابلسس" * (MAX_WORD_CHARS // 7 + 1)
    assert suggest(engine, parse_query(long_word)) is None
    assert suggest(engine, parse_query("ب" * 500)) is None
    assert suggest(engine, parse_query(f"{long_word} {typo}")) == f"{long_word} {_shown(engine, word)}"


def test_suggestion_stops_at_its_time_budget(engine):
    pairs = _misspelled_sample_words(engine, 3)
    assert suggest(engine, parse_query(" ".join(t for t, _ in pairs)), budget=0.0) is None


def test_a_query_of_82_made_up_words_is_answered_with_a_bounded_suggestion(client):
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    made_up = [f"قز{letters[i % 28]}{letters[i // 28 + 5]}ل" for i in range(82)]
    assert len(" ".join(made_up)) <= 500
    body = client.get("/search", query_string={"q": " ".join(made_up)}, headers=JSON).get_json()
    assert body["total"] == 0
    if body["suggestion"] is not None:
        changed = [a for a, b in zip(body["suggestion"].split(), made_up) if a != b]
        assert len(body["suggestion"].split()) == 82 and 1 <= len(changed) <= MAX_CORRECTED_WORDS


def test_only_the_first_32_words_of_a_query_are_searched(engine):
    words = [w for w in sample_texts()["003_1a1189609da923f6"].split() if w.isalpha() and len(w) > 4]
    words = list(dict.fromkeys(words))[:40]
    pq = parse_query(" ".join(words))
    assert cap_words(pq, engine.analyzer("text_exact")) == len(words) - MAX_QUERY_WORDS
    assert [g[0] for g in pq.words] == words[:MAX_QUERY_WORDS]
    res = search(engine, " ".join(words))
    assert res["results"][0]["id"] == "003_1a1189609da923f6"
    assert any(f"only the first {MAX_QUERY_WORDS} words" in w for w in res["warnings"])
    assert not any("only the first" in w for w in search(engine, " ".join(words[:MAX_QUERY_WORDS]))["warnings"])


def test_a_quotation_past_the_limit_keeps_its_first_words(engine):
    doc_id, quote = next((i, line) for i, text in sample_texts().items() for line in text.split("\n")
                         if len(line.split()) > MAX_QUERY_WORDS + 8 and '"' not in line)
    pq = parse_query(f'"{quote}"')
    assert cap_words(pq, engine.analyzer("text_exact")) > 0
    assert len(pq.phrases) == 1 and quote.startswith(pq.phrases[0]) and len(pq.phrases[0]) > 80
    assert [r["id"] for r in search(engine, f'"{quote}"')["results"]] == [doc_id]


def test_more_than_ten_filters_is_a_400_and_a_warning(client, engine):
    eleven = [f"person:{n}" for n in ("حفتر", "الدبيبة", "السراج", "باشاغا", "صالح", "المشري", "معيتيق", "المنفي",
                                      "كامل", "أكار", "بلينكن")]
    assert len(eleven) == MAX_FILTERS + 1
    r = client.get("/search", query_string={"q": "ليبيا", "f": eleven}, headers=JSON)
    assert r.status_code == 400 and f"at most {MAX_FILTERS}" in r.get_json()["error"]
    assert client.get("/search", query_string={"q": "ليبيا", "f": eleven[:MAX_FILTERS]}, headers=JSON).status_code == 200
    res = search(engine, "ليبيا " + " ".join(eleven))
    assert any("too many filters" in w for w in res["warnings"])


# -- 2. huge page numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("page", ["9" * 4301, "1" * 6, "0" * 5000 + "1", "١" * 5000])
def test_a_page_number_of_thousands_of_digits_is_a_400(client, page):
    r = client.get("/search", query_string={"q": "حفتر", "page": page}, headers=JSON)
    assert r.status_code == 400
    assert r.get_json()["ok"] is False and "page" in r.get_json()["error"]
    html = client.get("/search", query_string={"q": "حفتر", "page": page})
    assert html.status_code == 400 and "Traceback" not in html.get_data(as_text=True)


# -- 3. ids that round-trip through every link --------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and "/article" in href:
            self.hrefs.append(href)


@pytest.mark.parametrize("group", ["off", "on"])
def test_every_result_link_resolves_to_its_own_article(hostile_ids_index, group):
    """Every article linked, as a result row (group=off), or through a story's row: its lead, one
    other article an outlet (these have none: one line) and the link to the whole story, whose
    page links every article (the texts differ only by id: one story)."""
    client = create_app({"TESTING": True, "INDEX_DIR": str(hostile_ids_index)}).test_client()
    html = client.get("/search", query_string={"q": "طرابلس", "group": group}).get_data(as_text=True)
    parser = _Links()
    parser.feed(html)
    if group == "off":
        assert len(parser.hrefs) == len(HOSTILE_IDS)
    else:
        assert html.count('class="hit"') == 1 and len(parser.hrefs) == 3  # the lead, the outlet's line, the story
        story_link = urlsplit(parser.hrefs[-1])
        parser.feed(client.get(story_link.path, query_string=story_link.query).get_data(as_text=True))
    found = set()
    for href in parser.hrefs:
        # resolve the link as a browser does (dot segments removed), then follow it
        url = urlsplit(urljoin("http://akhbar.test/search?q=x", href))
        art = client.get(url.path, query_string=url.query, headers=JSON)
        assert art.status_code == 200, href
        found.add(art.get_json()["id"])
        assert art.get_json()["body"] == hostile_id_body(art.get_json()["id"])
    assert found == set(HOSTILE_IDS)


def test_article_route_needs_an_id(client):
    r = client.get("/article", headers=JSON)
    assert r.status_code == 400 and "id" in r.get_json()["error"]
    assert client.get("/article?id=000_7d249ea639f1103d", headers=JSON).get_json()["source"] == "CNN"
    assert client.get("/article/000_7d249ea639f1103d", headers=JSON).status_code == 200  # the older form


def test_ids_with_control_characters_or_too_long_are_reported(tmp_path):
    bad = {"tab\there": "control characters", "x" * (MAX_ID_CHARS + 1): f"longer than {MAX_ID_CHARS}"}
    lines = [json.dumps({"id": i, "text": hostile_id_body("ok")}, ensure_ascii=False) for i in [*bad, "سليم"]]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = list(read_collection(tmp_path / "c.jsonl"))
    assert [i.id for i in items if hasattr(i, "body")] == ["سليم"]
    reasons = [p.reason for p in items if not hasattr(p, "body")]
    assert len(reasons) == 2 and all(any(w in r for r in reasons) for w in bad.values())


# -- 4. archive members that are not files --------------------------------------------------------

def test_every_archive_member_not_read_is_listed_with_its_reason(tmp_path):
    archive = tmp_path / "c.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in sample_texts().items():
            src = tmp_path / f"{name}.txt"
            src.write_text(text, encoding="utf-8")
            tar.add(src, f"news/{name}.txt")
        for name, kind, target in (("link.txt", tarfile.SYMTYPE, "/etc/passwd"),
                                   ("hard.txt", tarfile.LNKTYPE, "news/000_7d249ea639f1103d.txt"),
                                   ("tty", tarfile.CHRTYPE, ""), ("disk", tarfile.BLKTYPE, ""),
                                   ("pipe", tarfile.FIFOTYPE, "")):
            member = tarfile.TarInfo(f"news/{name}")
            member.type, member.linkname = kind, target
            tar.addfile(member)
    problems = []
    summary = build_index([archive], tmp_path / "ix", progress=False, on_problem=problems.append, workers=1)
    assert summary.added == 5 and summary.skipped == 5
    reasons = {p.origin.rsplit("/", 1)[-1]: p.reason for p in problems}
    assert "symbolic link" in reasons["link.txt"] and "/etc/passwd" in reasons["link.txt"]
    assert "hard link" in reasons["hard.txt"]
    assert "device" in reasons["tty"] and "device" in reasons["disk"] and "FIFO" in reasons["pipe"]


# -- decisions: links in collection folders, article size, entity workers -------------------------

@pytest.fixture()
def linked_folder(tmp_path):
    """A collection with a link inside it, a link out of it to a real article, and a link to /etc/passwd."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "خارج.txt").write_text("خبر من خارج المجموعة\n" + hostile_id_body("خارج"), encoding="utf-8")
    c = tmp_path / "c"
    c.mkdir()
    (c / "داخل.txt").write_text("خبر داخل المجموعة\n" + hostile_id_body("داخل"), encoding="utf-8")
    (c / "نسخة.txt").symlink_to(c / "داخل.txt")
    (c / "رابط.txt").symlink_to(outside / "خارج.txt")
    (c / "passwd").symlink_to("/etc/passwd")
    (c / "مجلد").symlink_to(outside, target_is_directory=True)
    return c


def test_links_out_of_a_collection_are_refused_and_listed_by_default(linked_folder, tmp_path):
    problems = []
    summary = build_index([linked_folder], tmp_path / "ix", progress=False, on_problem=problems.append, workers=1)
    refused = {os.path.basename(p.origin): p.reason for p in problems}
    assert set(refused) == {"رابط.txt", "passwd", "مجلد"}
    assert all("outside the collection" in r and "--follow-links" in r for r in refused.values())
    # the link inside is read: the same file under a second name, one article (index.republished)
    assert [(r.id, r.first) for r in summary.republished] == [("نسخة", "داخل")]
    with open_engine(tmp_path / "ix") as s:
        assert sorted(r["id"] for r in search(s, "الوفد المصري")["results"]) == ["داخل"]
        assert search(s, "root")["total"] == 0


def test_follow_links_reads_links_out_of_the_collection(linked_folder, tmp_path):
    (linked_folder / "passwd").unlink()
    problems = []
    summary = build_index([linked_folder], tmp_path / "ix", progress=False, on_problem=problems.append, workers=1,
                          follow_links=True)
    with open_engine(tmp_path / "ix") as s:
        ids = sorted(r["id"] for r in search(s, "الوفد المصري")["results"])
    # the outside article is read through the file link (its id is the link's name) and the folder link:
    # one article under two names, as the inside one is (index.republished)
    assert len(ids) == 2 and "داخل" in ids and set(ids) - {"داخل"} <= {"خارج", "رابط"}
    assert sorted(r.id for r in summary.republished) == sorted({"خارج", "رابط", "نسخة"} - set(ids))
    assert problems == []


def test_an_article_over_the_limit_is_reported_and_one_at_the_limit_is_indexed(tmp_path):
    words = " ".join(sample_texts().values()).split()
    body = ""
    while len(body) < MAX_ARTICLE_CHARS:
        body += " ".join(words) + "\n"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "at-limit.txt").write_text("عنوان طويل\n" + body[:MAX_ARTICLE_CHARS], encoding="utf-8")
    (tmp_path / "c" / "over.txt").write_text("عنوان أطول\n" + body[:MAX_ARTICLE_CHARS] + "زيادة",
                                              encoding="utf-8")
    problems = []
    summary = build_index([tmp_path / "c"], tmp_path / "ix", progress=False, on_problem=problems.append)
    assert summary.added == 1
    assert [(os.path.basename(p.origin), p.reason.split(" (")[0]) for p in problems] == [("over.txt", "article too long")]
    assert f"the limit is {MAX_ARTICLE_CHARS:,}" in problems[0].reason


_WORKERS_STARTED = """
import json, sys
import multiprocessing.forkserver as fs
if sys.argv[2] == "cluster":  # the cluster's path: documents come back from the workers
    from index.pipeline import iter_items
    documents = len(list(iter_items([sys.argv[1]], workers=2)))
else:  # the embedded index: the workers write segments
    from index.builder import build_index
    documents = build_index([sys.argv[1]], sys.argv[3], progress=False, workers=2).documents
print(json.dumps({"documents": documents, "workers_started": fs._forkserver._forkserver_pid is not None}))
"""


@pytest.mark.parametrize("path", ["cluster", "embedded"])
@pytest.mark.parametrize("articles, started", [(24, False), (80, True)])
def test_entity_workers_start_only_for_collections_past_the_serial_part(tmp_path, articles, started, path):
    texts = list(sample_texts().values())
    lines = [json.dumps({"id": f"a{n}", "text": texts[n % len(texts)] + f"\nالخبر رقم {n}."}, ensure_ascii=False)
             for n in range(articles)]  # each its own article (the same text twice is one: index.republished)
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _WORKERS_STARTED, str(tmp_path / "c.jsonl"), path, str(tmp_path / "ix")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, check=True).stdout
    assert json.loads(out) == {"documents": articles, "workers_started": started}



def test_the_posting_cache_stays_within_its_byte_budget(engine, monkeypatch):
    from search.engines.whoosh import docsets

    docsets.clear()
    monkeypatch.setattr(docsets, "CACHE_BYTES", 4096)
    for text in sample_texts().values():
        search(engine, " ".join(text.split()[:30]))
        assert docsets._cache_bytes <= 4096 or len(docsets._cache) == 1
        assert docsets._cache_bytes == sum(v.nbytes for v in docsets._cache.values())
    docsets.clear()


def test_suggestion_shows_the_headline_spelling_and_reads_a_wrong_keyboard_layout(engine, client):
    """«المصريه» is suggested as the headlines write it («المصرية»); «ptjv», «حفتر» typed with the
    keyboard on Latin, is read back through the Arabic layout."""
    assert suggest(engine, parse_query("ptjv")) == "حفتر"
    assert suggest(engine, parse_query("hgltv")) is None  # not a word of the collection through the layout
    body = client.get("/search?q=ptjv", headers=JSON).get_json()
    assert body["total"] == 0 and body["suggestion"] == "حفتر"


def test_few_results_offer_a_suggestion_when_it_finds_many_more(tmp_path):
    """A typo some article also made: a few results, and «did you mean» the common spelling."""
    import json as _json

    from index.builder import build_index
    from web import create_app

    rows = [{"id": f"a{n}", "title": "اجتماع المجلس الرئاسي في طرابلس", "text": f"عقد المجلس الرئاسي اجتماعه {n} في طرابلس."}
            for n in range(160)]
    rows.append({"id": "typo", "title": "اجتماع", "text": "عقد المجلس الرئسي اجتماعا في طرابلس."})
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.jsonl").write_text("\n".join(_json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    c = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    body = c.get("/search?q=الرئسي", headers=JSON).get_json()
    assert body["total"] == 1 and body["suggestion"] == "الرئاسي"
    assert "نتائج قليلة" in c.get("/search?q=الرئسي").get_data(as_text=True)
    assert c.get("/search?q=الرئاسي", headers=JSON).get_json()["suggestion"] is None
