"""Atom feeds of a search: valid per RFC 4287, newest first, ETag/304, and after an update the
feed gains exactly the new matching article."""
import json
import re
import time
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import feedparser

from index.builder import build_index
from web import create_app
from web.feeds import CONTENT_TYPE

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def check_atom(data: bytes, fetched_from: str = "http://127.0.0.1:8000/search.atom") -> ET.Element:
    """RFC 4287's requirements on a feed document (section 4.1): one id, title and updated per
    feed and per entry, absolute IRIs as ids, RFC 3339 dates, an author for every entry, an alternate
    link or content per entry, no two entries with one id and updated; then feedparser reads it
    strictly (as a reader that fetched it from ``fetched_from``) and resolves every link."""
    root = ET.fromstring(data)
    assert root.tag == f"{A}feed"
    for el in [root] + root.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(el.findall(f"{A}{name}")) == 1, (el.tag, name)
        assert re.match(r"^[a-z][a-z0-9+.-]*:", el.find(f"{A}id").text), "id must be an absolute IRI"
        assert RFC3339.match(el.find(f"{A}updated").text)
        for link in el.findall(f"{A}link"):  # absolute (PUBLIC_URL) or a path, resolved against the feed's URL
            assert re.match(r"^(https?://|/(?!/))", link.get("href")) and link.get("rel") in ("self", "alternate")
    feed_has_author = root.find(f"{A}author/{A}name") is not None
    seen = set()
    for entry in root.findall(f"{A}entry"):
        assert feed_has_author or entry.find(f"{A}author/{A}name") is not None
        assert entry.find(f"{A}link[@rel='alternate']") is not None or entry.find(f"{A}content") is not None
        key = (entry.find(f"{A}id").text, entry.find(f"{A}updated").text)
        assert key not in seen
        seen.add(key)
        summary = entry.find(f"{A}summary")
        assert summary is None or summary.get("type") in ("text", "html", "xhtml")
    parsed = feedparser.parse(data, response_headers={"content-location": fetched_from, "content-type": CONTENT_TYPE})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    hrefs = [e.find(f"{A}link[@rel='alternate']").get("href") for e in root.findall(f"{A}entry")]
    assert [e.link for e in parsed.entries] == [urljoin(fetched_from, h) for h in hrefs]
    return root


def _rows():
    return [{"id": "old", "title": "الوفد المصري في طرابلس", "text": "وصل الوفد المصري إلى طرابلس.",
             "date": "2020-12-27", "source": "CNN"},
            {"id": "mid", "title": "حفتر يستقبل الوفد", "text": "استقبل خليفة حفتر الوفد المصري في بنغازي.",
             "date": "2021-01-05T09:30:00+02:00", "source": "الجزيرة"},
            {"id": "no-date <&>", "title": "الوفد المصري بلا تاريخ", "text": "خبر عن الوفد المصري.", "source": "BBC"}]


def _write(folder, rows):
    folder.mkdir(exist_ok=True)
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


def test_feed_is_valid_newest_first_and_revalidates_with_its_etag(tmp_path):
    _write(tmp_path / "c", _rows())
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    r = client.get("/search.atom?q=الوفد المصري")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = check_atom(r.data)
    entries = root.findall(f"{A}entry")
    assert [e.find(f"{A}id").text for e in entries] == [
        "tag:akhbar,2026:article/mid", "tag:akhbar,2026:article/old", "tag:akhbar,2026:article/no-date%20%3C%26%3E"]
    assert entries[0].find(f"{A}updated").text == "2021-01-05T07:30:00Z"  # its time, as the instant in UTC
    assert entries[1].find(f"{A}updated").text == "2020-12-27T00:00:00Z"  # a day only: midnight UTC
    undated = entries[2].find(f"{A}updated").text  # when the index was built
    assert undated > "2026" and entries[2].find(f"{A}published") is None
    assert root.find(f"{A}updated").text == max(e.find(f"{A}updated").text for e in entries) == undated
    assert entries[0].find(f"{A}author/{A}name").text == "الجزيرة"
    assert "<mark" in entries[0].find(f"{A}summary").text  # the highlighted snippet, escaped as XML text
    assert entries[2].find(f"{A}link").get("href").endswith("/article?id=no-date+%3C%26%3E")
    etag = r.headers["ETag"]
    again = client.get("/search.atom?q=الوفد المصري", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert client.get("/search.atom?q=حفتر", headers={"If-None-Match": etag}).status_code == 200


def test_after_an_update_the_feed_gains_exactly_the_new_article(tmp_path):
    _write(tmp_path / "c", _rows())
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    before = client.get("/search.atom?q=الوفد&f=place:طرابلس")
    ids_before = [e.find(f"{A}id").text for e in check_atom(before.data).findall(f"{A}entry")]
    _write(tmp_path / "c", _rows() + [
        {"id": "new", "title": "عودة الوفد المصري من طرابلس", "text": "عاد الوفد المصري من طرابلس أمس.",
         "date": "2021-02-01", "source": "CNN"},
        {"id": "other", "title": "أمطار في تونس", "text": "هطلت أمطار غزيرة على تونس.", "date": "2021-02-02"}])
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False, update=True)
    after = client.get("/search.atom?q=الوفد&f=place:طرابلس", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    ids_after = [e.find(f"{A}id").text for e in check_atom(after.data).findall(f"{A}entry")]
    assert ids_after == ["tag:akhbar,2026:article/new"] + ids_before


def test_an_undated_articles_entry_keeps_its_first_indexed_time_across_updates_and_rebuilds(tmp_path):
    """The undated article's ``updated`` is when it first entered the index (it was the build's time,
    so every rebuild moved it); a changed article keeps its first time, a new one gets the update's."""
    _write(tmp_path / "c", _rows())
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()

    def entries() -> dict[str, str]:
        root = check_atom(client.get("/search.atom?q=الوفد").data)
        return {e.find(f"{A}id").text.rsplit("/", 1)[1]: e.find(f"{A}updated").text for e in root.findall(f"{A}entry")}

    def indexed() -> dict[str, str]:
        return {r["id"]: r["indexed"] for r in client.get("/search?q=الوفد&page_size=50&format=json&group=off").get_json()["results"]}

    first, times = entries(), indexed()
    undated = "no-date%20%3C%26%3E"
    assert first[undated] == times["no-date <&>"] and RFC3339.match(times["old"])
    assert first["old"] == "2020-12-27T00:00:00Z"  # a dated article: its own date
    time.sleep(1.1)  # the next build's time is another second
    rows = _rows()
    rows[0]["text"] += " وقال المتحدث إن المحادثات ستستمر."
    _write(tmp_path / "c", rows + [{"id": "new", "title": "الوفد يعود", "text": "عاد الوفد المصري.", "source": "CNN"}])
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False, update=True)
    after = indexed()
    assert after["old"] == times["old"] and after["no-date <&>"] == times["no-date <&>"]  # changed, unchanged: kept
    assert after["new"] > times["old"]  # new: the update's time
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)  # a full rebuild keeps them all
    assert indexed() == after
    assert entries()[undated] == first[undated]
    assert entries()["new"] == after["new"]


def test_results_page_links_its_feed(client):
    html = client.get("/search?q=حفتر").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'class="feed" href="/search.atom?q=%D8%AD%D9%81%D8%AA%D8%B1&amp;sort=date"' in html


def test_feed_errors_have_the_json_shape(client):
    r = client.get("/search.atom?q=")
    assert r.status_code == 400 and r.is_json
