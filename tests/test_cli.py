"""The akhbar command and the rebuild script."""
import json
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE
from web.cli import main


def test_index_then_search_json(tmp_path, capsys):
    assert main(["index", "--collection", str(SAMPLE), "--index", str(tmp_path / "ix"), "--no-progress"]) == 0
    assert "indexed 5 documents" in capsys.readouterr().out
    assert main(["search", "حفتر", "--index", str(tmp_path / "ix"), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert set(body) >= {"query", "total", "results", "facets"}
    assert set(body["results"][0]) == {"id", "title", "source", "date", "time", "score", "snippet_html", "persons", "places",
                                       "organizations"}


def test_search_text_output_and_pages(sample_index, capsys):
    assert main(["search", "طرابلس", "--index", str(sample_index), "--page-size", "2", "--page", "2"]) == 0
    out = capsys.readouterr().out
    assert "5 results" in out and "\n3. " in out and "[طرابلس]" in out


def test_missing_index_is_a_clear_error(tmp_path, capsys):
    assert main(["search", "حفتر", "--index", str(tmp_path / "none")]) == 1
    assert "akhbar index" in capsys.readouterr().err


def test_skipped_files_are_listed(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "good.txt").write_text("عنوان\nنص", encoding="utf-8")
    (tmp_path / "c" / "bad.txt").write_bytes("نص".encode("cp1256"))
    assert main(["index", "--collection", str(tmp_path / "c"), "--index", str(tmp_path / "ix"), "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "bad.txt: not UTF-8" in captured.err and "skipped 1" in captured.out


def test_rebuild_script_does_what_akhbar_index_does(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "rebuild_index.py"), "--collection", str(SAMPLE),
                          "--index", str(tmp_path / "ix"), "--no-progress"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "indexed 5 documents" in out


def test_serve_with_several_processes_answers_and_stops_cleanly(sample_index, tmp_path):
    """``akhbar serve --processes 2``: both workers answer on one port; SIGTERM stops them all."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--index", str(sample_index), "--port",
                             str(port), "--processes", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/search?format=json&q=%D8%AD%D9%81%D8%AA%D8%B1"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(40):
            with urllib.request.urlopen(url, timeout=10) as r:
                assert json.loads(r.read())["total"] == 4
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) == 2
        # an embedded index: two threads a process (more only contend for Python's lock)
        assert proc.stdout.readline().rstrip().endswith("(2 process(es) x 2 threads)")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        proc.stdout.close()
    time.sleep(0.5)
    assert not subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.strip()
