"""A rebuild while the real server answers queries: no failed request, new index served without restart."""
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from index.builder import build_index
from tests.conftest import serving


def _write(folder, n):
    rows = [{"id": f"d{i}", "title": f"خبر رقم {i} عن طرابلس", "text": "وصل وفد إلى طرابلس وبنغازي. " * 20}
            for i in range(n)]
    folder.mkdir(exist_ok=True)
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


def test_rebuilds_under_load_lose_no_request(tmp_path):
    _write(tmp_path / "c", 30)
    build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
    statuses, stop = [], threading.Event()

    def hammer(base):
        url = base + "/search?" + urllib.parse.urlencode({"q": "طرابلس", "format": "json"})
        while not stop.is_set() and len(statuses) < 5000:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    statuses.append(r.status)
            except urllib.error.HTTPError as e:
                statuses.append(e.code)
            except OSError as e:
                statuses.append(repr(e))

    with serving(tmp_path / "ix", tmp_path) as base:
        workers = [threading.Thread(target=hammer, args=(base,), daemon=True) for _ in range(4)]
        for w in workers:
            w.start()
        for n in (40, 50, 60):  # three rebuilds while the requests keep coming
            _write(tmp_path / "c", n)
            build_index([tmp_path / "c"], tmp_path / "ix", progress=False)
            time.sleep(0.3)
        stop.set()
        for w in workers:
            w.join(timeout=30)
        health = json.load(urllib.request.urlopen(base + "/healthz", timeout=5))
    assert statuses and all(s == 200 for s in statuses), [s for s in statuses if s != 200][:5]
    assert health["documents"] == 60  # the last build is served, no restart
