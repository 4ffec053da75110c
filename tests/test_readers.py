"""Each collection format, and every kind of bad input: reported and skipped."""
import io
import json
import tarfile

from index.documents import Document, Problem
from index.pipeline import iter_items
from index.readers import read_collection
from tests.conftest import SAMPLE

TREC = """<DOC>
<DOCNO>SKY-1</DOCNO>
<URL>http://example.org/a</URL>
<SRC>skynews</SRC>
<CAT>politics</CAT>
<TITLE>حفتر يصل إلى القاهرة</TITLE>
<TIME>Thu, 22 Mar 2018 15:32:55 +0400</TIME>
<TEXT>
وصل المشير خليفة حفتر إلى القاهرة &amp; التقى مسؤولين مصريين.
</TEXT>
</DOC>
<DOC>
<DOCNO>SKY-2</DOCNO>
<TITLE>الدبيبة في طرابلس</TITLE>
<TIME>2021-04-01T10:00:00Z</TIME>
<TEXT>عاد عبد الحميد الدبيبة إلى طرابلس.</TEXT>
</DOC>
"""


def read(path):
    items = list(read_collection(path))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Problem)]


def test_sample_articles_read_with_headlines_sections_and_sources():
    docs, problems = read(SAMPLE)
    assert not problems
    by_id = {d.id: d for d in docs}
    assert len(by_id) == 5
    assert by_id["000_7d249ea639f1103d"].title.startswith("تزامنا مع زيارة وزير دفاع تركيا")
    assert by_id["000_7d249ea639f1103d"].source == "CNN"
    assert by_id["003_1a1189609da923f6"].source == "الجزيرة"
    # 004 opens with the bare section word «مصر»: it is the section, not the headline
    assert by_id["004_ed295794a679e97b"].category == "مصر"
    assert by_id["004_ed295794a679e97b"].title.startswith("مصادر: وفد من حكومة")
    # 001 has no headline: its title comes from its first clause, its body keeps everything
    assert by_id["001_03dfe024d18c3b2a"].title.startswith("أجرى وزير خارجية ليبيا")
    assert by_id["001_03dfe024d18c3b2a"].body.startswith("أجرى وزير خارجية ليبيا")
    # sources are never invented: 001 and 004 only cite other outlets
    assert by_id["001_03dfe024d18c3b2a"].source is None and by_id["004_ed295794a679e97b"].source is None
    # dates come from the sample's metadata.csv, at the precision it states
    assert [(by_id[i].date.date().isoformat(), by_id[i].date_precision) for i in sorted(by_id)] == [
        ("2020-12-27", "day"), ("2020-12-28", "day"), ("2020-12-27", "day"), ("2021-01-01", "year"),
        ("2020-01-01", "year")]


def test_plain_text_states_no_date(tmp_path):
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "c", ignore=shutil.ignore_patterns("metadata.csv"))
    docs, problems = read(tmp_path / "c")
    assert not problems and len(docs) == 5 and all(d.date is None for d in docs)


def test_plain_text_with_bom_and_crlf(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffعنوان الخبر\r\nنص الخبر عن طرابلس.\r\n".encode("utf-8"))
    docs, problems = read(tmp_path)
    assert not problems and docs[0].title == "عنوان الخبر" and docs[0].body == "نص الخبر عن طرابلس."


def test_trec_file_with_several_docs_entities_unescaped_and_dates(tmp_path):
    (tmp_path / "news.xml").write_text(TREC, encoding="utf-8")
    docs, problems = read(tmp_path)
    assert not problems
    assert [d.id for d in docs] == ["SKY-1", "SKY-2"]
    assert "القاهرة & التقى" in docs[0].body
    assert docs[0].source == "سكاي نيوز عربية" and docs[0].category == "politics"
    assert docs[0].date.isoformat() == "2018-03-22T11:32:55" and docs[0].date_precision == "time"  # +0400, in UTC
    assert docs[1].date.isoformat() == "2021-04-01T10:00:00"


def test_jsonl_with_a_broken_line_keeps_the_others(tmp_path):
    lines = [json.dumps({"id": 1, "title": "أ", "text": "نص أول", "source": "الجزيرة", "date": "2020-12-27"},
                        ensure_ascii=False),
             '{"id": 2, "title": "broken',
             json.dumps({"id": 3, "text": "نص ثالث بلا عنوان"}, ensure_ascii=False),
             json.dumps({"title": "no id", "text": "x"})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs, problems = read(tmp_path)
    assert [d.id for d in docs] == ["1", "3"]
    assert docs[0].source == "الجزيرة" and docs[0].date.year == 2020
    assert docs[1].title == "نص ثالث بلا عنوان"
    assert sorted(p.origin.rsplit(":", 1)[1] for p in problems) == ["2", "4"]
    assert any("broken JSON" in p.reason for p in problems)


def test_bad_files_are_reported_with_path_and_reason(tmp_path):
    (tmp_path / "good.txt").write_text("عنوان\nنص سليم", encoding="utf-8")
    (tmp_path / "cp1256.txt").write_bytes("خبر بترميز ويندوز".encode("cp1256"))
    (tmp_path / "utf16.txt").write_bytes("خبر".encode("utf-16"))
    (tmp_path / "empty.txt").write_bytes(b"  \n ")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "cut.xml").write_text("<DOC>\n<DOCNO>X</DOCNO>\n<TEXT>نص مقطوع", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an article", encoding="utf-8")
    docs, problems = read(tmp_path)
    assert [d.id for d in docs] == ["good"]
    reasons = {p.origin.rsplit("/", 1)[1]: p.reason for p in problems}
    assert set(reasons) == {"cp1256.txt", "utf16.txt", "empty.txt", "image.txt", "cut.xml"}
    assert "not UTF-8" in reasons["cp1256.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.txt"] and "UTF-16" in reasons["utf16.txt"]
    assert "broken XML" in reasons["cut.xml"]


def test_tar_gz_archive_members_are_read(tmp_path):
    archive = tmp_path / "ant.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (("src/a.txt", TREC.encode()), ("README.md", b"# doc"), ("src/bad.txt", b"\xff\xfe\x00")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    docs, problems = read(archive)
    assert [d.id for d in docs] == ["SKY-1", "SKY-2"]
    assert len(problems) == 1 and problems[0].origin.endswith("!src/bad.txt")


def test_broken_archive_is_a_problem(tmp_path):
    (tmp_path / "x.tar.gz").write_bytes(b"not a tarball")
    docs, problems = read(tmp_path / "x.tar.gz")
    assert not docs and "broken archive" in problems[0].reason


def test_duplicate_ids_are_reported_and_skipped(tmp_path):
    (tmp_path / "a.xml").write_text(TREC, encoding="utf-8")
    (tmp_path / "b.xml").write_text(TREC.replace("SKY-2", "SKY-3"), encoding="utf-8")
    items = list(iter_items([tmp_path]))
    assert [i.id for i in items if isinstance(i, Document)] == ["SKY-1", "SKY-2", "SKY-3"]
    dups = [i for i in items if isinstance(i, Problem)]
    assert len(dups) == 1 and "duplicate id 'SKY-1'" in dups[0].reason


def test_missing_collection_is_a_problem(tmp_path):
    docs, problems = read(tmp_path / "nowhere")
    assert not docs and problems[0].reason == "no such file or folder"


def test_a_jsonl_file_is_read_line_by_line_and_a_bad_line_is_reported_alone(tmp_path):
    """A JSON Lines file streams (memory holds a line, not the file): a line that is not UTF-8
    is one problem and the lines around it are read; U+2028 inside a JSON string stays in it."""
    good = [{"id": "a", "text": "وصل الوفد إلى طرابلس\u2028اليوم"}, {"id": "c", "text": "خبر ثالث عن بنغازي"}]
    data = (json.dumps(good[0], ensure_ascii=False).encode() + b"\n" + b'{"id": "b", "text": "\xff\xfe"}\n'
            + json.dumps(good[1], ensure_ascii=False).encode() + b"\n")
    (tmp_path / "c.jsonl").write_bytes(b"\xef\xbb\xbf" + data)
    items = list(read_collection(tmp_path))
    docs = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert [d.id for d in docs] == ["a", "c"] and "\u2028" in docs[0].body
    assert len(problems) == 1 and problems[0].origin.endswith("c.jsonl:2") and "not UTF-8" in problems[0].reason
