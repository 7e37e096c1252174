"""Load a ``sqlite3 .dump`` into an in-memory SQLite database, bounded in time and memory.

The dump is read as a stream, some statements at a time, so Python holds about a megabyte of
it (and the longest statement) whatever its size. SQLite's heap, where the database lives, is
held under :data:`DUMP_MEMORY` by ``sqlite3_hard_heap_limit64`` until the source is closed. The
whole load must end within the statement timeout, as one statement would: a dump is one input
that seloste itself turns into a database, and a per-statement deadline would let a dump of
many slow statements run for hours.

Loading runs in one transaction of seloste's own: the dump's ``BEGIN`` and ``COMMIT`` (and the
``COMMIT`` Python's ``executescript`` sends before each piece) are ignored, and a ``ROLLBACK``
is refused, as a dump that undoes itself does not describe a database.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from seloste.checks.memory import GiB, MiB, out_of_memory, size_text
from seloste.checks.snapshot.sources import NEVER_FUNCTIONS, PROGRESS_STEPS, Unavailable, reason

# SQLite's heap while a dump is loaded and checked; a larger dump is checked as a file.
DUMP_MEMORY = 1 * GiB
# Characters of the dump executed at once; enough that the per-call cost does not count.
PIECE = 1 * MiB
# Action names for messages (result codes share the numbers, so they are listed by name).
_ACTIONS = ("ATTACH", "DETACH", "PRAGMA", "FUNCTION", "CREATE_VTABLE", "DROP_VTABLE")
_CODES = {getattr(sqlite3, f"SQLITE_{name}"): name for name in _ACTIONS}
_SQLITE_STATUS_MALLOC_SIZE = 5  # sqlite3.h: the largest allocation asked for


class _TooLong(Exception):
    """A statement longer than the heap may hold."""


class _Refused(Exception):
    """A statement the loading authorizer refused; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load(path: Path, timeout: float) -> tuple[sqlite3.Connection, Callable[[], None]]:
    """The dump in memory, and what puts SQLite's heap limit back once it is closed; raises
    :class:`Unavailable` saying why the dump cannot be checked."""
    limit = DUMP_MEMORY
    raw = sqlite3.connect(":memory:", check_same_thread=False)
    release = _heap_limit(raw, limit)  # before the authorizer, which refuses pragmas
    try:
        _fill(raw, path, time.monotonic() + timeout if timeout else float("inf"), limit)
    except _Refused as exc:
        why = exc.reason
    except sqlite3.Error as exc:
        stopped = str(exc) == "interrupted"  # by the deadline, in SQLite's words
        why = _too_slow(timeout) if stopped else f"the dump does not load: {reason(exc)}"
    except (OSError, UnicodeDecodeError) as exc:
        why = f"the dump cannot be read: {reason(exc)}"
    except _TooLong:
        why = _needs_more(limit)
    except MemoryError:
        why = _needs_more(limit) if _heap_was_full(limit) else out_of_memory()
    else:
        return raw, release
    raw.close()
    release()
    raise Unavailable(why)


def _fill(raw: sqlite3.Connection, path: Path, deadline: float, limit: int) -> None:
    refused: list[str] = []
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    raw.execute("BEGIN")
    raw.set_authorizer(_loading(refused))
    try:
        with path.open(encoding="utf-8") as dump:
            for piece in _pieces(dump, limit):
                if time.monotonic() > deadline:  # short statements never reach the handler
                    raise sqlite3.OperationalError("interrupted")
                raw.executescript(piece)
    except sqlite3.Error:
        if refused:
            raise _Refused(f"the dump was refused: it uses {refused[0]}") from None
        raise
    raw.set_authorizer(None)
    raw.commit()
    raw.set_progress_handler(None, 0)


def _pieces(dump: TextIO, limit: int) -> Iterator[str]:
    """The dump in pieces of whole statements, about :data:`PIECE` characters each.

    ``sqlite3.complete_statement`` reads a piece from its start, so it is asked only at a
    line that ends in ``;`` once the piece has doubled since it last said no: a statement of
    any length costs linear time.
    """
    parts: list[str] = []
    size, ask_at = 0, PIECE
    while part := dump.readline(PIECE):
        parts.append(part)
        size += len(part)
        if size > limit:
            raise _TooLong
        if size >= ask_at and part.rstrip().endswith(";"):
            text = "".join(parts)
            if sqlite3.complete_statement(text):
                yield text
                parts, size, ask_at = [], 0, PIECE
            else:
                parts, ask_at = [text], 2 * size
    if parts:
        yield "".join(parts)


def _loading(refused: list[str]) -> Callable[..., int]:
    """The authorizer for loading a dump: tables and rows yes; other databases never."""
    never = {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}
    never |= {sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE}

    def authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_TRANSACTION:
            if arg1 == "ROLLBACK":
                refused.append("ROLLBACK")
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_IGNORE  # the load is one transaction of seloste's own
        bad = action in never
        bad |= action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() != "foreign_keys"
        bad |= action == sqlite3.SQLITE_FUNCTION and arg2 in NEVER_FUNCTIONS
        if bad:
            what = _CODES.get(action, str(action))
            refused.append(f"{what} {arg1}" if action == sqlite3.SQLITE_PRAGMA else what)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def _too_slow(timeout: float) -> str:
    return (
        f"the dump did not load within the timeout ({timeout:g} s); give more with "
        "--statement-timeout, or load it into a SQLite file and check the file"
    )


def _needs_more(limit: int) -> str:
    return (
        f"the dump needs more than {size_text(limit)} of memory; load it into a SQLite file "
        "and check the file"
    )


# --- SQLite's heap limit --------------------------------------------------------------------


@cache
def _sqlite_library() -> Any:
    """The SQLite library Python's ``sqlite3`` uses, for the calls it does not expose; None
    where it cannot be reached (a build that hides its symbols)."""
    try:
        import _sqlite3
        import ctypes

        lib = ctypes.CDLL(_sqlite3.__file__)  # its own SQLite, linked in or loaded with it
        lib.sqlite3_hard_heap_limit64.argtypes = [ctypes.c_int64]
        lib.sqlite3_hard_heap_limit64.restype = ctypes.c_int64
        lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        pointer = ctypes.POINTER(ctypes.c_int64)
        lib.sqlite3_status64.argtypes = [ctypes.c_int, pointer, pointer, ctypes.c_int]
        lib.sqlite3_status64.restype = ctypes.c_int
    except (ImportError, OSError, AttributeError):
        return None
    return lib


def _heap_limit(raw: sqlite3.Connection, limit: int) -> Callable[[], None]:
    """Hold SQLite's heap (process-wide) under ``limit``; returns what puts the old limit back."""
    lib = _sqlite_library()
    if lib is None:
        # The pragma only ever lowers the limit, for the rest of the process: still a bound.
        raw.execute(f"PRAGMA hard_heap_limit = {int(limit)}")
        return lambda: None
    before = lib.sqlite3_hard_heap_limit64(-1)
    lib.sqlite3_hard_heap_limit64(limit if before <= 0 else min(before, limit))
    lib.sqlite3_memory_highwater(1)
    _largest_allocation(lib, reset=True)
    return lambda: lib.sqlite3_hard_heap_limit64(before)


def _heap_was_full(limit: int) -> bool:
    """Whether SQLite's heap limit, not the process's ceiling, refused the last allocation:
    the most SQLite held plus the largest allocation it asked for reach the limit."""
    lib = _sqlite_library()
    if lib is None:
        return True
    held: int = lib.sqlite3_memory_highwater(0) + _largest_allocation(lib)
    return held >= limit - 64 * 1024


def _largest_allocation(lib: Any, *, reset: bool = False) -> int:
    import ctypes

    current, highest = ctypes.c_int64(), ctypes.c_int64()
    lib.sqlite3_status64(
        _SQLITE_STATUS_MALLOC_SIZE, ctypes.byref(current), ctypes.byref(highest), int(reset)
    )
    return highest.value
