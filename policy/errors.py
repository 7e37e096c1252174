"""Errors in user input, always with the place they were found, and text made safe to print."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

# What a terminal or a CI log would act on rather than show: C0 controls (a newline starts a
# line that GitHub Actions reads as a workflow command, ESC starts a terminal sequence), DEL,
# C1 controls, the line and paragraph separators (str.splitlines() breaks lines there), and
# the bidirectional overrides and isolates that make text read differently from its bytes.
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNPRINTABLE = [
    *range(0x00, 0x20),
    *range(0x7F, 0xA0),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_ESCAPES = {
    code: _NAMED.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _UNPRINTABLE
}


# GitHub Actions also runs a line as a workflow command when it starts with "::" (after
# blanks) or holds "##[" anywhere (actions/runner, ActionCommand.TryParseV2 and TryParse).
_COMMAND_START = re.compile(r"^(\s*):(?=:)")
_OLD_COMMAND = "##["


def printable(text: str) -> str:
    """``text`` with control characters and bidirectional overrides as visible escapes
    (``\\n``, ``\\x1b``, ``\\u202e``), and with a character escaped where it would start a
    workflow command (``\\x3a:error::``, ``#\\x23[error]``); ordinary text, Finnish letters
    included, as it is."""
    text = text.translate(_ESCAPES)
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, "#\\x23[")
    return _COMMAND_START.sub(r"\1\\x3a", text, count=1)


def quoted(text: str, limit: int = 32) -> str:
    """``text`` quoted and escaped as ``repr`` does, at most ``limit`` characters of it: a
    message names what it did not expect without copying it whole (a line of a file that
    was never meant to be read as YAML, say)."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class Problem(NamedTuple):
    """One thing wrong with an input file, printed as ``file:line:column: message``.

    Immutable and ordered by its fields. A NamedTuple rather than a frozen, ordered dataclass,
    which would cost about 1 ms to define on every run's import path.
    """

    file: str
    line: int
    column: int
    message: str

    @property
    def place(self) -> str:
        """``file:line:column``, or the file alone for a problem with the whole file."""
        if self.line:
            return f"{printable(self.file)}:{self.line}:{self.column}"
        return printable(self.file)

    def __str__(self) -> str:
        return f"{self.place}: {printable(self.message)}"


# Source lines are shown from the files people write for seloste, never from a snapshot (a
# dump or a CSV file holds personal data) or anything else a problem may name.
_SOURCES = (".yaml", ".yml")
# YAML's line breaks (the positions libyaml reports count lines by them).
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Of a long line, this many characters either side of the column are shown.
_WINDOW = 60


def _lines(file: str) -> tuple[str, ...]:
    """The lines of ``file`` as YAML counts them; none if it cannot be read."""
    try:
        stat = os.stat(file)
    except OSError:
        return ()
    return _read_lines(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read_lines(file: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Cached by the file's time and size, so that a file with a hundred problems is read once
    more, not a hundred times, and a file written again (in a process that stays) is read
    again."""
    try:
        with open(file, "rb") as source:
            text = source.read().decode("utf-8", errors="replace")
    except OSError:
        return ()
    return tuple(_BREAKS.split(text.removeprefix("\ufeff")))


def source_line(problem: Problem) -> list[str]:
    """The source line ``problem`` points at and a caret under its column, as ruff and rustc
    show them; nothing for a problem with no line, a file that is not YAML, a line that is
    gone or blank, or a line with ``${`` (environment text may stand there for a secret)."""
    if not problem.line or not problem.file.endswith(_SOURCES):
        return []
    lines = _lines(problem.file)
    if problem.line > len(lines) or "${" in lines[problem.line - 1]:
        return []
    if not lines[problem.line - 1].strip():  # an empty file, say: nothing to point at
        return []
    text, column = lines[problem.line - 1], max(problem.column - 1, 0)
    before, after = text[:column], text[column:]
    cut = len(before) > _WINDOW
    before = "…" + before[-_WINDOW:] if cut else before
    after = after[:_WINDOW] + "…" if len(after) > _WINDOW else after
    # Escaped first, so the caret counts the characters the terminal shows.
    shown = printable(before)
    number = str(problem.line)
    gutter = " " * len(number)
    return [f" {number} | {shown}{printable(after)}".rstrip(), f" {gutter} | {' ' * len(shown)}^"]


def with_source(problem: Problem) -> str:
    """``problem`` as one line, then its source line and caret where there is one."""
    return "\n".join([str(problem), *source_line(problem)])


# Problems listed per file; the rest are counted in one line, as compilers do: a file that is
# not YAML meant for seloste (a large data file, a binary) can have a problem per value.
SHOWN = 100


class Omitted(Problem):
    """The line that stands for a file's problems beyond the first ``SHOWN``; it is listed
    after them."""

    __slots__ = ()

    @classmethod
    def of(cls, file: str, count: int) -> Omitted:
        return cls(file, 0, 0, f"... and {count} more problem{'s' * (count != 1)} in this file")


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Problems once each, by file and place, each file's ``Omitted`` line after the rest."""
    return sorted(set(problems), key=lambda p: (p.file, isinstance(p, Omitted), p))


def first(file: str, problems: list[Problem], more: int = 0) -> list[Problem]:
    """The first ``SHOWN`` of one file's problems and, for the rest and ``more`` not made,
    an ``Omitted`` line."""
    chosen = ordered(problems)
    rest = max(len(chosen) - SHOWN, 0) + more
    if rest <= 0:
        return chosen
    return [*chosen[:SHOWN], Omitted.of(file, rest)]


class InputError(Exception):
    """Input that cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = ordered(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
