"""Progress of a snapshot check on stderr, for a person waiting at a terminal.

A large database takes minutes to check, and a silent terminal reads as a hang. When stderr
is a terminal, a one-line bar shows the tables done, the table being checked, the rows
counted so far, the time taken and an estimate of the time left (tqdm). When stderr is not a
terminal (a CI log, a pipe, a file) nothing is written and tqdm is not even imported: a log
would fill with redrawn lines, and tools read stderr for the input errors.

tqdm rather than rich or a bar of our own: it is one pure-Python package with no dependencies
of its own, long maintained, knows the terminal's width, and estimates the time left; rich
would bring a whole rendering library for one line. It is imported only here, and this module
only by a snapshot check, so ``validate`` and ``check --flows`` (the pre-commit path) never
load it.
"""

from __future__ import annotations

import shutil
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

from seloste.policy.errors import printable

if TYPE_CHECKING:
    from tqdm import tqdm

# How often the bar is redrawn while one table's statement runs, so that the elapsed time keeps
# moving on a table of millions of rows.
TICK = 1.0


class Progress:
    """The tables of one snapshot as they are checked. Used as a context manager; does
    nothing unless stderr is a terminal."""

    def __init__(self, tables: int) -> None:
        self._bar: tqdm[NoReturn] | None = None
        self._rows = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if not sys.stderr.isatty() or tables == 0:
            return
        from tqdm import tqdm

        size = shutil.get_terminal_size()
        self._bar = tqdm(
            total=tables,
            desc="seloste: snapshot",
            unit=" tables",
            file=sys.stderr,
            leave=False,  # the report follows; the bar has done its job
            # A terminal that reports no size (a fresh pseudo-terminal, some CI runners' ttys)
            # gets nothing from tqdm (it reads -1 rows); the standard library falls back to
            # $COLUMNS and $LINES, or 80 by 24.
            ncols=size.columns,
            nrows=size.lines,
            # The time left is estimated from the tables done: rows are known only once counted.
            bar_format="{desc}: {n}/{total}{unit} [{elapsed}<{remaining}]{postfix}",
        )
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            if self._bar is not None:
                self._bar.refresh()

    def start(self, table: str) -> None:
        """``table`` is being checked now."""
        self._show(table)

    def done(self, rows: int | None) -> None:
        """The table being checked is done; it has ``rows`` rows, where they were counted."""
        if self._bar is None:
            return
        self._rows += rows or 0
        self._bar.update(1)

    def _show(self, table: str) -> None:
        if self._bar is not None:
            # Table names come from the database: escaped, as everything seloste prints.
            rows = f"{self._rows:,} row{'s' * (self._rows != 1)} counted"
            self._bar.set_postfix_str(f"{rows}; now {printable(table)}", refresh=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._bar is not None:
            self._bar.close()
