"""Text for a terminal or a CI log: one line a finding, ``place: RULE message``, then a summary."""

from __future__ import annotations

from checks.reports import Report

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(report: Report, *, colour: bool = False) -> str:
    lines = []
    for f in report.findings:
        rule = f"{_BOLD}{f.rule}{_RESET}" if colour else f.rule
        sev = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if colour else f.severity
        line = f"{f.location}: {rule} [{sev}] {f.message}"
        if f.rows is not None:
            line += f" ({f.rows} row{'s' if f.rows != 1 else ''}"
            if f.row_keys:
                line += f"; keys {', '.join(f.row_keys)}"
            line += ")"
        lines.append(line)
    counts = report.counts()
    total = sum(counts.values())
    if total:
        detail = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        lines.append(f"Found {total} finding{'s' if total != 1 else ''} ({detail}).")
    else:
        lines.append("No findings.")
    return "\n".join(lines) + "\n"
