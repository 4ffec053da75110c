"""Shared fixtures: the bundled sample collection, indexes built in tmp folders,
the Flask ``app``/``client`` on a temporary instance folder."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.builder import build_index
from search.engines import open_engine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SHARED = Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared"))


def sample_texts() -> dict[str, str]:
    """id -> raw text of each sample article."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))}


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample-index")
    build_index([SAMPLE], root, progress=False)
    return root


@pytest.fixture()
def engine(sample_index):
    with open_engine(sample_index) as e:
        yield e


@pytest.fixture()
def app(sample_index):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})


@pytest.fixture()
def client(app):
    return app.test_client()


def shared_path(*parts: str) -> Path:
    """A file of ../shared, or skip (with the reason) when this clone has none."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data: {p} is missing")
        pytest.skip(f"needs the shared data ({p} not present in this clone)")
    return p


#: Article ids a JSON Lines collection may hold that a URL path segment cannot carry.
HOSTILE_IDS = ["../../etc/passwd", ".", "..", "a/../b", "%2e%2e", "خبر/١?x=1#y", "a b"]


def hostile_id_body(doc_id: str) -> str:
    return f"وصل الوفد المصري إلى طرابلس لبحث التعاون الأمني، في الخبر رقم {doc_id}."


@pytest.fixture(scope="session")
def hostile_ids_index(tmp_path_factory) -> Path:
    """An index of articles whose ids are HOSTILE_IDS, each titled «خبر عن طرابلس N»."""
    import json

    tmp = tmp_path_factory.mktemp("ids")
    lines = [json.dumps({"id": i, "title": f"خبر عن طرابلس {n}", "text": hostile_id_body(i)}, ensure_ascii=False)
             for n, i in enumerate(HOSTILE_IDS)]
    (tmp / "ids.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_index([tmp / "ids.jsonl"], tmp / "ix", progress=False, workers=1)
    return tmp / "ix"


@pytest.fixture(scope="session")
def ant_index(tmp_path_factory):
    """The whole ANT corpus indexed once per test session: (index folder, build summary)."""
    archive = shared_path("corpus", "ant-multisource-v2.1.tar.gz")
    root = tmp_path_factory.mktemp("ant")
    summary = build_index([archive], root, progress=False)
    print(summary.line())
    return root, summary


#: Ports of the test cluster (the development cluster of scripts/opensearch-cluster.sh uses 9200/9300).
TEST_CLUSTER_HTTP, TEST_CLUSTER_TRANSPORT = 9270, 9370


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory):
    """A real OpenSearch 2.19 cluster of 3 nodes, one JVM each, started for the session and stopped after
    (scripts/opensearch-cluster.sh; Maven and a JDK are installed by scripts/test.sh).  Yields
    ``(url, home)``: the nodes' comma-separated URLs and the folder holding their pid files."""
    home = tmp_path_factory.mktemp("opensearch")
    env = dict(os.environ, AKHBAR_OS_HOME=str(home), AKHBAR_OS_HTTP_PORT=str(TEST_CLUSTER_HTTP),
               AKHBAR_OS_TRANSPORT_PORT=str(TEST_CLUSTER_TRANSPORT))
    script = [os.environ.get("BASH", "bash"), str(ROOT / "scripts" / "opensearch-cluster.sh")]
    started = subprocess.run(script + ["start", "3"], env=env, capture_output=True, text=True, timeout=900)
    if started.returncode != 0:
        pytest.fail(f"the test cluster did not start:\n{started.stdout}\n{started.stderr}")
    url = ",".join(f"http://127.0.0.1:{TEST_CLUSTER_HTTP + i}" for i in range(3))
    cache = os.environ.get("AKHBAR_CACHE")
    os.environ["AKHBAR_CACHE"] = str(home / "cache")  # the stories the builds keep and the engines fetch
    try:
        yield url, home
    finally:
        subprocess.run(script + ["stop"], env=env, capture_output=True, timeout=300)
        if cache is None:
            os.environ.pop("AKHBAR_CACHE", None)
        else:
            os.environ["AKHBAR_CACHE"] = cache


@contextmanager
def serving(index_dir, log_dir, processes: int = 1):
    """Run ``akhbar serve`` (waitress) on a free loopback port; yield its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = Path(log_dir) / f"server-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--index", str(index_dir),
                                 "--host", "127.0.0.1", "--port", str(port), "--processes", str(processes)],
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).close()
                    break
                except urllib.error.HTTPError:  # it answers (503: no usable index)
                    break
                except OSError:  # not listening yet (a serving process builds its tables first)
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("server did not start: " + log_path.read_text(errors="replace")) from None
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)
