"""A long-lived process's memory and glibc's allocator: glibc keeps what a process frees for
its own later use, so a server process that built large temporary tables, or a build worker
that cycles through segments and memos, would hold its high-water mark for good; and it gives
each thread an arena of its own.  Without glibc (musl, macOS) these do nothing."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import lru_cache

#: glibc's malloc arenas a server process may use (its default: 8 a core).  Each thread that
#: allocates gets an arena of its own, and memory freed in one is not reused by another.
#: ``MALLOC_ARENA_MAX`` in the environment wins.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)


@lru_cache(maxsize=1)
def _glibc():
    """The C library if it is glibc (it has ``malloc_trim``), else None."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def limit_malloc_arenas() -> None:
    """At most :data:`MALLOC_ARENAS` malloc arenas in this process (call before its threads start)."""
    libc = _glibc()
    if libc is not None and "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


def give_back_free_memory() -> None:
    """Return the heap's free pages to the system (``malloc_trim``)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
