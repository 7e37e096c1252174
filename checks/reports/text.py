"""Text for a terminal or a CI log: one line a finding, ``place: RULE message``, then a summary.

Input errors come first, one line each as on stderr (on stdout the gate leaves them out: they
are on stderr already). Waived findings are listed with their justification, so a waiver is
never invisible; findings in the baseline are only counted, since a baseline may hold hundreds.
"""

from __future__ import annotations

import os
from typing import Protocol

from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report
from seloste.policy.errors import with_source

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _line(f: Finding, colour: bool) -> str:
    rule = f"{_BOLD}{f.rule}{_RESET}" if colour else f.rule
    sev = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if colour else f.severity
    # One line a finding, whatever the message holds: tools downstream split on lines.
    message = " ".join(f.message.splitlines())
    line = f"{f.location}: {rule} [{sev}] {message}"
    if f.rows is not None:
        line += f" ({counted(f)}"
        if f.row_keys:
            line += f"; keys {', '.join(f.row_keys)}"
        if f.keys_withheld:
            line += "; keys withheld: they may be personal data"
        line += ")"
    why = suppression(f)
    if why is not None:
        line += f" ({why.describe()})"
        if colour:
            line = f"{_DIM}{line}{_RESET}"
    return line


def counted(f: Finding) -> str:
    """How many rows, and of what: "3 rows", "1 of 300 rows", "3 of a sample of 457 from
    10000 rows" (a sample is never presented as the whole table)."""
    rows = plural(f.rows or 0, "row")
    if f.sampled is not None and f.table_rows is not None and f.sampled < f.table_rows:
        return f"{f.rows} of a sample of {f.sampled} from {plural(f.table_rows, 'row')}"
    if f.table_rows is not None:
        return f"{f.rows} of {plural(f.table_rows, 'row')}"
    if f.sampled is not None:
        return f"{rows} in a sample of {f.sampled}"
    return rows


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is one: "1 row", "0 rows", "2 rows"."""
    return f"{n} {word}{'s' if n != 1 else ''}"


class _Stream(Protocol):
    def isatty(self) -> bool: ...


def coloured(stream: _Stream) -> bool:
    """Whether text written to ``stream`` gets colour: on a terminal, or wherever with
    ``FORCE_COLOR`` (force-color.org: CI logs that render colour but are not terminals); never
    with ``NO_COLOR`` (no-color.org). Each counts only when set and not empty, as both say.
    ``NO_COLOR`` wins when both are set: it is a reader's own choice, often because colour
    cannot be read (a screen reader, colour blindness), while ``FORCE_COLOR`` is usually set
    for every job of a CI system by whoever configured it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def summary(report: Report) -> str:
    counts = report.counts()
    total = sum(counts.values())
    if total:
        detail = ", ".join(plural(n, s) for s, n in counts.items() if n)
        text = f"Found {plural(total, 'finding')} ({detail})"
    else:
        text = "No findings"
    quiet = report.suppressed()
    extra = []
    if quiet["waived"]:
        extra.append(f"{quiet['waived']} waived")
    if quiet["baselined"]:
        extra.append(f"{quiet['baselined']} in the baseline")
    if report.errors:
        extra.append(plural(len(report.errors), "input error"))
    return text + (f"; {', '.join(extra)}" if extra else "") + "."


def render(report: Report, *, colour: bool = False) -> str:
    shown = [f for f in report.findings if (s := suppression(f)) is None or s.kind == "waiver"]
    lines = [with_source(p) for p in report.errors]
    lines += [_line(f, colour) for f in shown]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
