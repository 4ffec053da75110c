"""Rebuild (or with --update, refresh) the index: the same as ``akhbar index``.

    python scripts/rebuild_index.py --collection data/sample --index var/index [--update]

Run it from cron or after adding articles; the server picks up the new index
without a restart, and a failed rebuild leaves the previous index serving.
"""
import sys

from web.cli import main

if __name__ == "__main__":
    sys.exit(main(["index", *sys.argv[1:]]))
