"""House spellings, measured: see :mod:`index.variants.evaluate` (``akhbar eval-variants`` runs the same).

    python scripts/eval_variants.py --index var/ant [--misses]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from web.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["eval-variants", *sys.argv[1:]]))
