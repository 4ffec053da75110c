"""Atomic rebuilds, --update, and the leftovers of killed builds."""
import json
import os
import shutil
from pathlib import Path

import pytest

import index.build_steps as build_steps
import index.builder as builder
from index.builder import build_index, build_lock
from search.engines import open_engine
from search.engines.whoosh.store import current_dir, read_meta
from search.errors import BuildError, IndexMissingError
from search.searching import search
from tests.conftest import SAMPLE


def write_jsonl(folder, rows):
    folder.mkdir(exist_ok=True)
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


ROWS = [
    {"id": "a", "title": "حفتر في بنغازي", "text": "التقى المشير خليفة حفتر وفدا في بنغازي.", "date": "2021-01-02"},
    {"id": "b", "title": "الدبيبة في طرابلس", "text": "عاد عبد الحميد الدبيبة إلى طرابلس.", "date": "2021-02-03"},
    {"id": "c", "title": "باشاغا والقاهرة", "text": "قال فتحي باشاغا إن العلاقات مع القاهرة مهمة.", "date": "2020-12-27"},
]


def all_results(root, queries=("حفتر", "طرابلس", "القاهرة", "ليبيا", "الدبيبة", "بنغازي", "سرت")):
    with open_engine(root) as s:
        return {q: [(r["id"], r["title"], r["snippet_html"]) for r in search(s, q, page_size=50)["results"]]
                for q in queries}


def test_build_writes_a_generation_and_meta(tmp_path):
    write_jsonl(tmp_path / "c", ROWS)
    summary = build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    assert (summary.documents, summary.added, summary.skipped) == (3, 3, 0)
    assert current_dir(tmp_path / "ix").is_symlink()
    meta = read_meta(tmp_path / "ix")
    assert meta["documents"] == 3 and meta["analyzer_version"] >= 1
    assert "indexed 3 documents" in summary.line() and "documents/s" in summary.line()


def test_update_matches_a_full_rebuild(tmp_path):
    write_jsonl(tmp_path / "c", ROWS)
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    edited = [dict(ROWS[0], text="التقى خليفة حفتر وفدا في سرت."),  # changed
              ROWS[1],                                                # unchanged
              {"id": "d", "title": "ليبيا", "text": "خبر جديد عن ليبيا وطرابلس."}]  # added; "c" deleted
    write_jsonl(tmp_path / "c", edited)
    summary = build_index([tmp_path / "c"], tmp_path / "ix", update=True, progress=False)
    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (1, 1, 1, 1)
    assert summary.documents == 3
    build_index([tmp_path / "c"], tmp_path / "full", progress=False)
    assert all_results(tmp_path / "ix") == all_results(tmp_path / "full")


def test_update_finds_entities_again_when_the_recognizer_changed(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "c", ROWS)
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    assert read_meta(tmp_path / "ix")["recognizer_version"] == build_steps.recognizer_version()
    summary = build_index([tmp_path / "c"], tmp_path / "ix", update=True, progress=False)
    assert (summary.updated, summary.unchanged) == (0, 3)
    # a new model or name list: the same articles are read again, none is lost
    monkeypatch.setattr(build_steps, "recognizer_version", lambda: "99-newer")
    summary = build_index([tmp_path / "c"], tmp_path / "ix", update=True, progress=False)
    assert (summary.added, summary.updated, summary.deleted, summary.unchanged) == (0, 3, 0, 0)
    assert read_meta(tmp_path / "ix")["recognizer_version"] == "99-newer"
    assert all_results(tmp_path / "ix")["حفتر"][0][0] == "a"


def test_failed_build_leaves_the_previous_index_serving(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "c", ROWS)
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    before = all_results(tmp_path / "ix")
    live = os.path.realpath(current_dir(tmp_path / "ix"))

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builder, "_swap", broken)
    write_jsonl(tmp_path / "c", ROWS[:1])
    with pytest.raises(BuildError, match="previous index is still served"):
        build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    assert os.path.realpath(current_dir(tmp_path / "ix")) == live
    assert all_results(tmp_path / "ix") == before
    assert not list((tmp_path / "ix").glob("tmp-*"))


def test_leftovers_of_a_killed_build_are_removed(tmp_path):
    write_jsonl(tmp_path / "c", ROWS)
    root = tmp_path / "ix"
    root.mkdir()
    (root / "tmp-20200101T000000000000").mkdir()
    (root / "tmp-20200101T000000000000" / "MAIN_x.toc").write_text("half")
    build_index([tmp_path / "c"], root, progress=False)
    assert not list(root.glob("tmp-*"))
    assert open_engine(root).stats()["documents"] == 3


def test_only_the_live_and_previous_generations_are_kept(tmp_path):
    write_jsonl(tmp_path / "c", ROWS)
    for _ in range(4):
        build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    assert len(list((tmp_path / "ix").glob("gen-*"))) == 2


def test_a_second_build_at_the_same_time_is_refused(tmp_path):
    write_jsonl(tmp_path / "c", ROWS)
    with build_lock(tmp_path / "ix"):
        with pytest.raises(BuildError, match="another build"):
            build_index([tmp_path / "c"], tmp_path / "ix", progress=False)


def test_unwritable_index_folder_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        # root ignores permissions: make the location a file instead
        (tmp_path / "ix").write_text("not a folder")
    else:
        (tmp_path / "ix").mkdir(mode=0o500)
    write_jsonl(tmp_path / "c", ROWS)
    with pytest.raises(BuildError, match="cannot write the index"):
        build_index([tmp_path / "c"], tmp_path / "ix", progress=False)


def test_missing_index_is_a_typed_error(tmp_path):
    with pytest.raises(IndexMissingError, match="akhbar index"):
        open_engine(tmp_path / "none")


@pytest.mark.parametrize("key", ["schema_version", "analyzer_version"])
def test_index_of_another_schema_or_analyzer_version_is_refused(tmp_path, key):
    write_jsonl(tmp_path / "c", ROWS)
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    meta_path = current_dir(tmp_path / "ix") / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta[key] = 1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexMissingError, match="rebuild"):
        open_engine(tmp_path / "ix")


def test_copies_of_a_text_are_recognized_once_and_get_its_entities(tmp_path, monkeypatch):
    """The same report under several ids (a wire copy) is recognized once per build; every copy
    gets its entities, also a copy that arrives by --update beside an unchanged original."""
    from index import pipeline
    from index.pipeline import iter_items

    calls = []
    real = pipeline.extract_entities
    monkeypatch.setattr(pipeline, "extract_entities", lambda t, b: calls.append(t) or real(t, b))
    text = next(SAMPLE.glob("000_*.txt")).read_text(encoding="utf-8")
    rows = [{"id": f"copy{n}", "title": "", "text": text, "source": s} for n, s in enumerate(["CNN", "BBC", "CNN"])]
    rows.append({"id": "other", "title": "", "text": next(SAMPLE.glob("003_*.txt")).read_text(encoding="utf-8")})
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    docs = [d for d in iter_items([tmp_path / "c"], workers=1) if hasattr(d, "body")]
    assert len(calls) == 2
    assert docs[0].persons and all((d.persons, d.places, d.organizations) ==
                                   (docs[0].persons, docs[0].places, docs[0].organizations) for d in docs[:3])
    assert docs[0].persons == real("", text)["persons"] and docs[3].persons != docs[0].persons
    calls.clear()
    unchanged = {d.id: d.digest for d in docs}
    (tmp_path / "c" / "b.jsonl").write_text(json.dumps({"id": "late-copy", "title": "", "text": text},
                                                       ensure_ascii=False), "utf-8")
    late = [d for d in iter_items([tmp_path / "c"], workers=1, unchanged=unchanged) if hasattr(d, "body")]
    assert late[-1].id == "late-copy" and late[-1].persons == docs[0].persons and len(calls) == 1


def test_an_update_reads_again_only_the_files_whose_size_or_time_changed(tmp_path):
    """#34: every build keeps its plain files' size and time (``files.json``); an update takes an
    unchanged file's articles as they were read and reads the others.  Shown by an edit that keeps
    a file's size and time: not seen until the time changes.  A file with a problem is read (and
    reported) every time."""
    import json
    import os

    from tests.test_variants import write_house_collection

    c = tmp_path / "c"
    c.mkdir()
    write_house_collection(c / "house.jsonl")  # 24 articles in one file
    for n, word in enumerate(("القاهرة", "طرابلس", "بنغازي")):
        (c / f"a{n}.txt").write_text(f"خبر عن {word}\nوصل الوفد إلى {word} صباح اليوم في زيارة رسمية.", encoding="utf-8")
    (c / "bad.txt").write_bytes("نص".encode("cp1256"))
    first = build_index([c], tmp_path / "ix", progress=False, workers=1)
    assert first.added == 27 and first.skipped == 1
    table = json.loads(((tmp_path / "ix" / "current").resolve() / "files.json").read_text(encoding="utf-8"))
    assert sorted(os.path.basename(p) for p in table) == ["a0.txt", "a1.txt", "a2.txt", "house.jsonl"]
    # the same size and time: the file is taken as it was read
    a1 = c / "a1.txt"
    stat = a1.stat()
    a1.write_text(a1.read_text(encoding="utf-8").replace("طرابلس", "سرت!!!!!!"), encoding="utf-8")
    assert a1.stat().st_size == stat.st_size
    os.utime(a1, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    same = build_index([c], tmp_path / "ix", update=True, progress=False, workers=1)
    assert (same.added, same.updated, same.unchanged, same.skipped) == (0, 0, 27, 1)
    assert same.files_kept == 4 and "4 files unchanged since the last build not read again" in same.line()
    with open_engine(tmp_path / "ix") as e:
        assert search(e, "سرت")["total"] == 0 and search(e, "طرابلس")["total"] == 1
    # a new time: read again, the change seen; a new file read, the others not
    os.utime(a1, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    (c / "a3.txt").write_text("خبر عن مصراتة\nوصل الوفد إلى مصراتة.", encoding="utf-8")
    import tarfile

    member = tmp_path / "a9.txt"
    member.write_text("خبر عن زوارة\nوصل الوفد إلى زوارة مساء أمس.", encoding="utf-8")
    with tarfile.open(tmp_path / "more.tar.gz", "w:gz") as tar:  # an archive: read again on every update, and said so
        tar.add(member, arcname="more/a9.txt")
    changed = build_index([c, tmp_path / "more.tar.gz"], tmp_path / "ix", update=True, progress=False, workers=1)
    assert (changed.added, changed.updated, changed.unchanged, changed.skipped) == (2, 1, 26, 1)
    assert changed.files_kept == 3 and "(1 archive(s) read again" in changed.line()
    (tmp_path / "more.tar.gz").unlink()
    changed = build_index([c], tmp_path / "ix", update=True, progress=False, workers=1)
    assert (changed.deleted, changed.files_kept) == (1, 5)
    with open_engine(tmp_path / "ix") as e:
        assert search(e, "سرت")["total"] == 1 and search(e, "مصراتة")["total"] == 1
    # the articles it serves are those a full build of the same files serves (the order of equal
    # scores may differ: an update's replaced copy still counts in the field statistics until merged)
    build_index([c], tmp_path / "full", progress=False, workers=1)
    with open_engine(tmp_path / "ix") as a, open_engine(tmp_path / "full") as b:
        for q in ("الوفد", "ترمب", "كتب", "سرت"):
            assert {r["id"] for r in search(a, q, page_size=50)["results"]} == \
                   {r["id"] for r in search(b, q, page_size=50)["results"]}
        assert a.stats()["documents"] == b.stats()["documents"] == 28


def test_an_update_links_the_segments_it_keeps_and_copies_the_rest(tmp_path):
    """The new generation shares the kept Whoosh segment files with the one served (hard links: a
    segment is never written once made); every other file is its own, so writing it leaves the
    served generation as it was."""
    c = tmp_path / "c"
    shutil.copytree(SAMPLE, c)
    root = tmp_path / "ix"
    build_index([c], root, progress=False)
    before = (root / "current").resolve()
    (c / "new.txt").write_text("خبر جديد\nوصل الوفد إلى سرت صباح اليوم.", encoding="utf-8")
    build_index([c], root, update=True, progress=False)
    after = (root / "current").resolve()
    assert after != before
    shared = [f.name for f in after.iterdir() if f.is_file() and (before / f.name).exists()
              and f.stat().st_ino == (before / f.name).stat().st_ino]
    assert shared and all(name.startswith("MAIN_") and not name.endswith("WRITELOCK") for name in shared)
    assert (after / "files.json").stat().st_ino != (before / "files.json").stat().st_ino


def write_republished(c: Path) -> None:
    """Three files: an article, the same article its outlet filed under another section (a
    republished copy, not indexed), and another article."""
    import json

    c.mkdir()
    row = {"source": "فرانس 24", "url": "https://www.france24.com/ar/libya-1", "title": "وفد مصري في طرابلس",
           "text": "وصل وفد مصري إلى طرابلس صباح اليوم في أول زيارة منذ ست سنوات، والتقى مسؤولين في حكومة الوفاق."}
    (c / "a.jsonl").write_text(json.dumps(dict(row, id="f1", category="ليبيا"), ensure_ascii=False), "utf-8")
    (c / "b.jsonl").write_text(json.dumps(dict(row, id="f2", category="العالم العربي"), ensure_ascii=False), "utf-8")
    (c / "c.jsonl").write_text(json.dumps({"id": "s1", "source": "سكاي نيوز عربية", "title": "حفتر في بنغازي",
                                           "text": "عاد خليفة حفتر إلى بنغازي بعد رحلة علاج في باريس."},
                                          ensure_ascii=False), "utf-8")


def test_an_update_takes_the_file_of_a_republished_copy_as_read(tmp_path):
    """A republished copy is not indexed, yet its file is taken as read by an update while the
    article it repeats is (its file read before cost every ANT update 1,448 files, recognized in
    the worker processes); when that article is gone the copy is the article, and the update reads
    every file again to index it."""
    c, root = tmp_path / "c", tmp_path / "ix"
    write_republished(c)
    first = build_index([c], root, progress=False)
    assert first.added == 2 and [r.row()[:2] for r in first.republished] == [["f2", "f1"]]
    same = build_index([c], root, update=True, progress=False)
    assert same.files_kept == 3 and same.kept_generation and len(same.republished) == 1
    (c / "a.jsonl").unlink()
    gone = build_index([c], root, update=True, progress=False)
    assert (gone.added, gone.deleted, gone.files_kept, gone.republished) == (1, 1, 0, [])
    with open_engine(root) as e:
        assert e.document("f2")["category"] == "العالم العربي" and e.document("f1") is None
        assert search(e, "طرابلس")["total"] == 1


def test_an_update_that_changes_nothing_keeps_the_generation_served(tmp_path):
    """Nothing added, changed or deleted, the same files: no new generation is written (the same
    folder stays served) and the summary says so; a file touched (a new time, the same text) makes
    one, so that the next update's table is right."""
    import os

    c = tmp_path / "c"
    c.mkdir()
    for n, word in enumerate(("القاهرة", "طرابلس", "بنغازي", "سرت", "درنة")):
        (c / f"a{n}.txt").write_text(f"خبر عن {word}\nوصل خليفة حفتر إلى {word} صباح اليوم.", encoding="utf-8")
    root = tmp_path / "ix"
    build_index([c], root, progress=False)
    served = (root / "current").resolve()
    same = build_index([c], root, update=True, progress=False)
    assert same.kept_generation and (root / "current").resolve() == served and same.files_kept == 5
    assert "nothing changed: the index served is kept as it is" in same.line() and same.documents == 5
    touched = next(c.glob("*.txt"))
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    again = build_index([c], root, update=True, progress=False)
    assert not again.kept_generation and (root / "current").resolve() != served and again.unchanged == 5
    with open_engine(root) as e:
        assert search(e, "حفتر")["total"] == 5
