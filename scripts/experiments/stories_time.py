"""How long grouping an index's articles takes, step by step (one core, the build's last stage).

    python scripts/experiments/stories_time.py --index var/ant [--runs 3] [--protocol 5 | --file] [--memory]
    python scripts/experiments/stories_time.py --features ../shared/corpus/ant-multisource-v2.1.tar.gz

Reads the articles the index's stories were computed from (``stories/articles.pkl``) and times
each step of ``index.stories.grouping.group`` on them (``group(times=...)``); prints the median of ``--runs`` runs, the
process's resident memory with the articles loaded and its peak.  ``--protocol N``: first pickle
the articles one by one with protocol N and read them back (all held in memory).  ``--file``:
group them as the build does, from a file of them read one at a time (``ArticleFile``).
``--memory``: also the peak private memory (RssAnon) of each step, sampled every 50 ms.
``--features COLLECTION``: instead, the CPU time of ``features()`` (what the build's workers
compute per article) over the first ``--articles`` of a collection, the analyzers' word memos
warmed by a first pass.
"""
from __future__ import annotations

import argparse
import pickle
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.stories import grouping  # noqa: E402
from index.stories.store import ArticleFile, ArticleWriter, read_articles  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.memory import give_back_free_memory  # noqa: E402


def timed(articles, peaks: dict[int, int] | None = None) -> dict[str, float]:
    """Each step's seconds; ``peaks``: filled with each step's (by number) peak private MB."""
    out: dict[str, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            step = len(out)
            peaks[step] = max(peaks.get(step, 0), rss_mb("RssAnon"))

    sampler = threading.Thread(target=sample) if peaks is not None else None
    if sampler:
        sampler.start()
    grouping.group(articles, times=out)
    done.set()
    if sampler:
        sampler.join()
    out["total"] = sum(out.values())
    return out


def rss_mb(kind: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) // 1024
    return 0


def through_pickle(articles: list, protocol: int) -> list:
    """The articles written one by one with ``protocol`` and read back (the originals dropped)."""
    n = len(articles)
    with tempfile.TemporaryFile() as fh:
        while articles:
            pickle.dump(articles.pop(), fh, protocol=protocol)
        fh.seek(0)
        return [pickle.load(fh) for _ in range(n)]


def feature_ms(collection: str, articles: int, runs: int) -> None:
    from itertools import islice

    from index.documents import Document
    from index.readers import read_collection
    from index.stories.features import features

    docs = [d for d in islice(read_collection(collection), articles) if isinstance(d, Document)]
    times = []
    for _ in range(runs + 1):
        t = time.process_time()
        for d in docs:
            features(d.title, d.body)
        times.append((time.process_time() - t) / len(docs) * 1000)
    print(f"features(): {statistics.median(times[1:]):.2f} ms of CPU an article ({len(docs):,} articles, "
          f"median of {runs} runs after a first, {times[0]:.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--features", metavar="COLLECTION")
    ap.add_argument("--protocol", type=int, help="pickle the articles with this protocol and read them back first")
    ap.add_argument("--file", action="store_true", help="group from a file of the articles, as the build does")
    ap.add_argument("--memory", action="store_true", help="each step's peak private memory (first run)")
    ap.add_argument("--articles", type=int, default=6000)
    args = ap.parse_args()
    if args.features:
        return feature_ms(args.features, args.articles, args.runs)
    articles = list(read_articles(current_dir(args.index)).values())
    if not articles:
        sys.exit(f"no stories in {args.index} (build it with this version of Akhbar)")
    if args.protocol is not None:
        articles = through_pickle(articles, args.protocol)
    if args.file:
        spill = ArticleWriter(Path(tempfile.mkdtemp()) / "articles.pkl")
        while articles:
            spill.add(articles.pop())
        spill.close()
        articles = ArticleFile(spill.path, spill.offsets)
        give_back_free_memory()  # the articles held before the spill: not what grouping holds
    grouping.reference_df()
    loaded = rss_mb()
    peaks: dict[int, int] | None = {} if args.memory else None
    runs = [timed(articles, peaks if k == 0 else None) for k in range(args.runs)]
    print(f"{len(articles):,} articles, median of {args.runs} runs (s):")
    for step in runs[0]:
        print(f"  {step:<12} {statistics.median(r[step] for r in runs):6.2f}")
    print(f"resident memory with the articles loaded: {loaded} MB; peak: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    if peaks is not None:
        print("peak private memory (RssAnon) during each step, first run:")
        for k, step in enumerate(runs[0]):
            if step != "total":
                print(f"  {step:<12} {peaks.get(k, 0):6d} MB")


if __name__ == "__main__":
    main()
