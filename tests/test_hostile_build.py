"""Hostile input, round two (issue #35, points 1, 8 and 9): one bad value, name or member never fails
the build, and every file or member not read is reported on one line with its reason.

Two collection folders are written and built together: lone surrogates (JSON «\\ud800») in each field
of a JSON line and in a metadata.jsonl title, file names that are not UTF-8 or hold a new line, dates
in year 1 and 9999 (JSON Lines and metadata.csv), a .tar.gz whose member expands to 1 GiB, hidden files
and folders, archives inside archives, members named «..» and «./.», a .zip and single .gz files.
The valid articles beside them are all indexed and found.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from index.builder import build_index
from index.documents import Document, Problem, has_surrogates
from index.readers import MAX_READ_BYTES
from search.engines import open_engine
from search.searching import get_article, search
from tests.conftest import ROOT, SAMPLE

ARTICLE = "وصل وفد ليبي إلى {} لبحث التعاون الأمني مع المسؤولين المحليين."
#: Each field of a JSON line with a lone surrogate, and the town its article is about.
FIELD_TOWNS = {"id": "غدامس", "title": "سبها", "text": "درنة", "source": "مصراتة", "date": "زوارة",
               "url": "الكفرة", "category": "البيضاء"}
BOMB_BYTES = 2**30


def _jsonl(path: Path, rows: list[dict]) -> None:
    """JSON with ASCII escapes: a lone surrogate is written as JSON writes it, «\\ud800»."""
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="ascii")


def _tar(path: Path, members: dict[str, bytes | None]) -> None:
    """A .tar.gz of plain-file members (None: a BOMB_BYTES member of one Arabic letter repeated)."""
    with tarfile.open(path, "w:gz", compresslevel=9) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.size = BOMB_BYTES
                tar.addfile(info, _Repeat(("ا" * 4096).encode(), BOMB_BYTES))
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


class _Repeat(io.RawIOBase):
    """``size`` bytes of ``unit`` repeated, made as they are read."""

    def __init__(self, unit: bytes, size: int):
        self.block, self.left = unit * (2**20 // len(unit)), size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), len(self.block), self.left)
        buffer[:n] = self.block[:n]
        self.left -= n
        return n


def _text(town: str, title: str | None = None) -> bytes:
    return f"{title or 'خبر من ' + town}\n{ARTICLE.format(town)}".encode()


def make_collections(tmp: Path) -> tuple[Path, Path]:
    """Folder ``c`` (JSON Lines, names, archives; a metadata.jsonl) and ``d`` (a metadata.csv)."""
    c = tmp / "c"
    shutil.copytree(SAMPLE, c)
    (c / "metadata.csv").unlink()
    # a lone surrogate in each field of a JSON line; a date in year 1 and in 9999
    rows = []
    for field, town in FIELD_TOWNS.items():
        row = {"id": f"s-{field}", "title": f"خبر من {town}", "text": ARTICLE.format(town), "source": "CNN",
               "date": "2021-03-04", "url": f"https://example.org/{field}", "category": "ليبيا"}
        row[field] = row[field][:4] + "\ud800" + row[field][4:]
        rows.append(row)
    rows += [{"id": "year-1", "text": ARTICLE.format("جالو"), "date": "0001-01-01"},
             {"id": "year-9999", "text": ARTICLE.format("غريان"), "date": "9999-12-31T00:00:00Z"}]
    _jsonl(c / "surrogates.jsonl", rows)
    # metadata.jsonl: a title with a lone surrogate
    _jsonl(c / "metadata.jsonl", [{"id": "000_7d249ea639f1103d", "title": "عنوان \udc80 من الجدول"}])
    # a file name that is not UTF-8 (cp1256 «ليبيا»), a name with a new line, a cp1256 file so named
    (c / "names").mkdir()
    with open(os.fsencode(c / "names") + b"/\xe1\xed\xc8\xed\xc7.txt", "wb") as fh:
        fh.write(_text("يفرن"))
    (c / "names" / "سطر\nثان.txt").write_bytes(_text("نالوت"))
    (c / "names" / "سيئ\nالترميز.txt").write_bytes("خبر بترميز ويندوز".encode("cp1256"))
    # hidden files and folders
    (c / ".hidden.txt").write_bytes(_text("الجفرة"))
    (c / ".git").mkdir()
    (c / ".git" / "HEAD.txt").write_bytes(_text("الجفرة"))
    # a .tar.gz whose member expands to 1 GiB, beside two articles
    _tar(c / "bomb.tar.gz", {"a.txt": _text("شحات"), "big.txt": None, "b.txt": _text("أوجلة")})
    # hidden members, archives inside, members named «..» and «./.»
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("x.txt", _text("الخمس"))
    _tar(c / "members.tar.gz", {"news/ok.txt": _text("زليتن"), "news/.hidden.txt": _text("الخمس"),
                                ".cache/x.txt": _text("الخمس"), ".cache/y.txt": _text("الخمس"),
                                "news/inner.zip": inner.getvalue(), "news/inner.txt.gz": gzip.compress(_text("الخمس")),
                                "..": _text("الخمس"), "./.": _text("الخمس")})
    # a .zip and single .gz files
    with zipfile.ZipFile(c / "articles.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("z/أجدابيا.txt", _text("أجدابيا"))
        z.writestr("z/feed.jsonl", json.dumps({"id": "zip-jsonl", "text": ARTICLE.format("صبراتة")}) + "\n")
        z.writestr("__MACOSX/z/._أجدابيا.txt", b"\x00\x05\x16\x07")
        z.writestr("z/nested.tar", b"")
    (c / "feed.jsonl.gz").write_bytes(gzip.compress((json.dumps({"id": "gz-jsonl", "text": ARTICLE.format("القطرون")})
                                                     + "\n").encode()))
    (c / "note.txt.gz").write_bytes(gzip.compress(_text("تازربو")))
    (c / "broken.txt.gz").write_bytes(b"not gzip data")
    # folder d: metadata.csv with dates in year 1 and 9999
    d = tmp / "d"
    d.mkdir()
    for name, town in (("csv-1", "أوباري"), ("csv-9999", "مرزق"), ("csv-ok", "الزاوية")):
        (d / f"{name}.txt").write_bytes(_text(town))
    (d / "metadata.csv").write_text("file,date\ncsv-1.txt,0001-01-01\ncsv-9999.txt,9999-12-31\ncsv-ok.txt,2021-05-05\n",
                                    encoding="utf-8")
    return c, d


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile2")
    c, d = make_collections(tmp)
    problems: list[Problem] = []
    summary = build_index([c, d], tmp / "ix", progress=False, on_problem=problems.append, workers=1)
    with open_engine(tmp / "ix") as engine:
        yield c, summary, problems, engine


def _about(problems: list[Problem], fragment: str) -> list[Problem]:
    return [p for p in problems if fragment in p.origin]


def _found(engine, word: str) -> list[str]:
    return [r["id"] for r in search(engine, word, facets=False, snippets=False)["results"]]


def test_a_lone_surrogate_in_each_field_of_a_json_line(built):
    """In the id the article is refused (an id is never changed into another); in any other field
    the surrogate becomes U+FFFD, a warning says so, and the article is indexed."""
    _c, _summary, problems, engine = built
    for line, (field, town) in enumerate(FIELD_TOWNS.items(), 1):
        mine = _about(problems, f"surrogates.jsonl:{line}")
        assert len(mine) == (2 if field == "date" else 1), (field, [str(p) for p in mine])
        if field == "id":
            assert mine[0].skipped and "not Unicode text" in mine[0].reason
            assert _found(engine, town) == []
            continue
        assert not mine[0].skipped and f"'{field}'" in mine[0].reason and "U+FFFD" in mine[0].reason
        assert _found(engine, town) == [f"s-{field}"], field
        article = get_article(engine, f"s-{field}")
        if field == "date":  # and then the date, «2021\ufffd-03-04», is no date
            assert article["date"] is None and "is not YYYY" in mine[1].reason
        else:
            shown = article["body"] if field == "text" else article[field]
            assert "\ufffd" in shown and "\ud800" not in shown, field


def test_a_lone_surrogate_in_a_metadata_jsonl_title(built):
    c, _summary, problems, engine = built
    mine = _about(problems, "metadata.jsonl:1")
    assert len(mine) == 1 and "'title'" in mine[0].reason and not mine[0].skipped
    assert get_article(engine, "000_7d249ea639f1103d")["title"] == "عنوان \ufffd من الجدول"


def test_year_1_and_9999_dates_are_dropped_with_a_warning(built):
    """From JSON Lines and from metadata.csv: the article is indexed, undated; a valid date stays."""
    _c, _summary, problems, engine = built
    for origin, doc_id, town in (("surrogates.jsonl:8", "year-1", "جالو"), ("surrogates.jsonl:9", "year-9999", "غريان"),
                                 ("metadata.csv:2", "csv-1", "أوباري"), ("metadata.csv:3", "csv-9999", "مرزق")):
        mine = _about(problems, origin)
        assert len(mine) == 1 and not mine[0].skipped and "not a publication date" in mine[0].reason, origin
        assert _found(engine, town) == [doc_id] and get_article(engine, doc_id)["date"] is None
    assert get_article(engine, "csv-ok")["date"] == "2021-05-05"
    assert get_article(engine, "s-title")["date"] == "2021-03-04"


def test_file_names_not_utf8_or_with_a_new_line(built):
    """Read, the id the name with its bad bytes and control characters escaped (a warning says so);
    a file so named that cannot be read is reported like any other."""
    _c, _summary, problems, engine = built
    assert _found(engine, "يفرن") == ["\\xe1\\xed\\xc8\\xed\\xc7"]
    assert _found(engine, "نالوت") == ["سطر\\nثان"]
    names = [str(p) for p in _about(problems, "/names/")]
    assert len(names) == 3 and not any("\n" in n or has_surrogates(n) for n in names)
    assert any("\\xe1\\xed\\xc8\\xed\\xc7.txt: file name not UTF-8" in n for n in names)
    assert any("سيئ\\nالترميز.txt: not UTF-8 text" in n for n in names)


def test_the_member_that_expands_to_a_gigabyte_is_reported_unread(built):
    _c, _summary, problems, engine = built
    mine = _about(problems, "bomb.tar.gz")
    assert len(mine) == 1 and mine[0].origin.endswith("!big.txt") and "too long" in mine[0].reason
    assert _found(engine, "شحات") == ["a"] and _found(engine, "أوجلة") == ["b"]


def test_reading_the_bomb_holds_at_most_the_read_limit(built, tmp_path):
    """Peak memory (VmHWM: ru_maxrss would count this process's, from before the exec) of a process
    that reads the archive: before, the whole GiB was read (2.2 GB peak); now at most a limit's worth."""
    c = built[0]
    code = ("import re, sys; from index.readers import read_collection;"
            "items = [str(i) for i in read_collection(sys.argv[1])];"
            "status = open('/proc/self/status').read();"
            "print(int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1)) // 1024, len(items))")
    out = subprocess.run([sys.executable, "-c", code, str(c / "bomb.tar.gz")], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
    peak_mb, items = int(out[0]), int(out[1])
    assert items == 3 and peak_mb < 4 * MAX_READ_BYTES // 2**20 + 100, peak_mb


def test_hidden_files_and_folders_are_reported(built):
    _c, _summary, problems, engine = built
    hidden = {Path(p.origin).name: p.reason for p in problems if "!" not in p.origin and Path(p.origin).name.startswith(".")}
    assert hidden == {".hidden.txt": "hidden file, not read", ".git": "hidden folder, not read"}
    assert _found(engine, "الجفرة") == []


def test_archive_members_not_read_are_each_reported(built):
    """Hidden members (a hidden folder once), archives inside, names that name no file."""
    _c, _summary, problems, engine = built
    got = {p.origin.split("!", 1)[1]: p.reason for p in _about(problems, "members.tar.gz")}
    assert got == {"news/.hidden.txt": "hidden file in the archive, not read",
                   ".cache/": "hidden folder in the archive, not read",
                   "news/inner.zip": "archive inside an archive, not read (unpack it into the collection)",
                   "news/inner.txt.gz": "archive inside an archive, not read (unpack it into the collection)",
                   "..": "archive member whose name is not a file name, not read",
                   "./.": "archive member whose name is not a file name, not read"}
    assert _found(engine, "زليتن") == ["ok"] and _found(engine, "الخمس") == []


def test_a_zip_and_single_gz_files_are_read(built):
    _c, _summary, problems, engine = built
    assert _found(engine, "أجدابيا") == ["أجدابيا"] and _found(engine, "صبراتة") == ["zip-jsonl"]
    assert _found(engine, "القطرون") == ["gz-jsonl"] and _found(engine, "تازربو") == ["note"]
    zipped = {p.origin.split("!", 1)[1]: p.reason for p in _about(problems, "articles.zip")}
    assert zipped == {"__MACOSX/z/._أجدابيا.txt": "hidden file in the archive, not read",
                      "z/nested.tar": "archive inside an archive, not read (unpack it into the collection)"}
    broken = _about(problems, "broken.txt.gz")
    assert len(broken) == 1 and broken[0].reason.startswith("cannot read") and "gzip" in broken[0].reason


def test_the_rest_is_indexed_and_every_problem_counted(built):
    _c, summary, problems, engine = built
    assert search(engine, "حفتر")["total"] == 4  # the sample's articles
    reported = {str(p) for p in problems}
    assert len(reported) == len(problems) == summary.skipped + summary.warnings
    expected = (5 + len(FIELD_TOWNS) - 1 + 2 + 2 + 3  # sample, surrogates but the id, year 1/9999, names, csv
                + 2 + 1 + 2 + 2)  # bomb.tar.gz, members.tar.gz, articles.zip, the .gz files
    assert summary.documents == expected


def test_the_skip_report_is_one_line_a_file(tmp_path):
    """The CLI's report of a folder whose names hold new lines: one line for each, nothing split."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "خبر\nمقسوم.txt").write_bytes(_text("سوكنة"))
    (c / "ثنائي\n\x1b[31m.txt").write_bytes(b"\x00\x01binary")
    (c / "سليم.txt").write_bytes(_text("ودان"))
    run = subprocess.run([sys.executable, "-m", "web.cli", "index", "--collection", str(c), "--index", str(tmp_path / "ix"),
                          "--no-progress", "--workers", "1"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().split("\n")
    assert len(lines) == 2 and "\x1b" not in run.stderr, lines
    assert any(ln.startswith("warning ") and "خبر\\nمقسوم.txt: file name" in ln for ln in lines)
    assert any(ln.startswith("skipped ") and "ثنائي\\n\\x1b[31m.txt: binary file" in ln for ln in lines)
    assert "indexed 2 documents" in run.stdout and "skipped 1" in run.stdout


def test_documents_keep_their_values_where_nothing_is_wrong(tmp_path):
    """A control: the same JSON line without a surrogate gives no problem (the checks above are not
    met by every line)."""
    from index.readers import read_collection

    _jsonl(tmp_path / "a.jsonl", [{"id": "ok", "title": "خبر", "text": ARTICLE.format("سبها"), "date": "2021-03-04"}])
    items = list(read_collection(tmp_path / "a.jsonl"))
    assert len(items) == 1 and isinstance(items[0], Document) and items[0].date.year == 2021


def test_a_collection_folder_whose_name_is_not_utf8(tmp_path):
    """The folder given is read and recorded (escaped) in the index's metadata."""
    c = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xe1\xed\xc8\xed\xc7"))
    shutil.copytree(SAMPLE, c)
    summary = build_index([c], tmp_path / "ix", progress=False, workers=1)
    assert summary.documents == 5 and summary.problems == []
    with open_engine(tmp_path / "ix") as engine:
        assert search(engine, "حفتر")["total"] == 4
    meta = json.loads(next((tmp_path / "ix").glob("*/meta.json")).read_text(encoding="utf-8"))
    assert meta["collections"] == [str(tmp_path) + "/\\xe1\\xed\\xc8\\xed\\xc7"]
