"""Errors in user input, always with the place they were found, and text made safe to print."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


# Problems listed per file; the rest are counted in one line, as compilers do: a file that is
# not YAML meant for seloste (a large data file, a binary) can have a problem per value.
SHOWN = 100


class Omitted(Problem):
    """The line that stands for a file's problems beyond the first ``SHOWN``; it is listed
    after them."""

    __slots__ = ()

    @classmethod
    def of(cls, file: str, count: int) -> Omitted:
        return cls(file, 0, 0, f"... and {count} more problems in this file")


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
