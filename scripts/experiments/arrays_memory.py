"""The memory and CPU time of writing a generation's numpy arrays (the build's step after grouping).

    python scripts/experiments/arrays_memory.py --index var/ant --copy /tmp/arrays-gen

Copies the index's current generation to ``--copy`` without its arrays, writes them again with
``search.engines.whoosh.arrays_writer.write`` in this process, and prints the process's peak resident
memory (``ru_maxrss``) and the CPU time.  Compare two checkouts by running it in each.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from search.engines.whoosh import arrays, arrays_writer  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.fields import FILTER_FIELDS, SCORED_TEXT_FIELDS  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--copy", required=True, help="a folder to copy the generation into (replaced)")
    args = ap.parse_args()
    copy = Path(args.copy)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(current_dir(args.index), copy, ignore=shutil.ignore_patterns(arrays.DIRNAME))
    started = time.process_time()
    written = arrays_writer.write(copy, SCORED_TEXT_FIELDS + tuple(FILTER_FIELDS.values()))
    print(f"{written['terms']:,} terms, {written['postings']:,} postings: peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB, "
          f"{time.process_time() - started:.1f} s of CPU")


if __name__ == "__main__":
    main()
