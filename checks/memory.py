"""How much memory a ``seloste`` run may take: the ceiling ``--max-memory`` sets, and the words
for running out of it.

The ceiling is the process's address space (``RLIMIT_AS``), set only when seloste runs as the
program: a test or another program that imports seloste keeps its own limits. Past it an
allocation fails (``MemoryError`` in Python, "out of memory" in SQLite and DuckDB) instead of
the machine swapping or the kernel killing the run, and the source being checked is reported
as not checked (SEL001) with :func:`out_of_memory`.

The default leaves room for what normal runs reserve, most of which is never touched: DuckDB
reserves about 0.7 GiB when it starts and more per thread (1.7 GiB measured checking a
million-row CSV directory on two cores, 2.0 GiB with 64 threads), a PostgreSQL run 0.22 GiB
(the sampler's thread gets its own 64 MiB malloc arena), a SQLite file or the K-Systems dump
0.07 GiB (docs/security.md, section 5).
"""

from __future__ import annotations

import re

KiB = 1024
MiB = KiB * 1024
GiB = MiB * 1024
DEFAULT_CEILING = 8 * GiB
_SIZE = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[kmgt]?)(?:i?b)?", re.IGNORECASE)
_UNITS = {"": 1, "k": KiB, "m": MiB, "g": GiB, "t": GiB * 1024}


def parse_size(text: str) -> int | None:
    """``8G``, ``512MiB``, ``1.5g`` or a number of bytes; ``unlimited`` is None (no ceiling).
    Units are binary: ``1G`` is 1024 MiB. Raises ``ValueError`` for anything else."""
    if text.strip().lower() in ("unlimited", "none"):
        return None
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"expected a size such as 8G, 512M or unlimited, got {text!r}")
    size = int(float(found["number"]) * _UNITS[found["unit"].lower()])
    if size < 64 * MiB:  # Python and its libraries alone take more
        raise ValueError(f"{text!r} is too little to run in; give at least 64M")
    return size


def size_text(size: int) -> str:
    """``8 GiB``, ``300 MiB``: whole units where they fit, for messages."""
    for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if size >= unit:
            value = size / unit
            return f"{value:.0f} {name}" if value == int(value) else f"{value:.1f} {name}"
    return f"{size} bytes"


def limit_address_space(size: int | None) -> None:
    """Set this process's ceiling to ``size`` bytes (None: none), never above the hard limit
    an administrator set; children started afterwards (flow workers) inherit it."""
    try:
        import resource
    except ImportError:  # not on Windows; there seloste runs without a ceiling
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = resource.RLIM_INFINITY if size is None else size
    if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
        soft = hard
    if soft != resource.RLIM_INFINITY:
        _few_malloc_arenas()
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _few_malloc_arenas() -> None:
    """glibc reserves 64 MiB of address space for each thread that allocates, up to eight per
    core, most of it never used: DuckDB's threads alone took 1.7 GiB on two cores (0.7 GiB
    with four arenas, and no slower), and on 64 cores would take over 4 GiB. Under a ceiling
    on address space that counts as memory, so threads share four arenas instead. Set while
    this thread is the only one, so it holds for every thread started later."""
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc: no such arenas
        return
    mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


_M_ARENA_MAX = -8  # malloc.h
MALLOC_ARENAS = 4


def ceiling() -> int | None:
    """The ceiling in force, in bytes, or None."""
    try:
        import resource
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def out_of_memory() -> str:
    """Why something was not checked when memory ran out: the ceiling, and how to raise it."""
    limit = ceiling()
    if limit is None:
        return "seloste ran out of memory"
    return (
        f"seloste ran out of memory: it may use {size_text(limit)} (--max-memory); "
        "give it more with --max-memory SIZE"
    )
