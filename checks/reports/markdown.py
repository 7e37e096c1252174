"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: a summary table, then findings.

Every cell is escaped: ``|`` would split a cell and HTML in a message would be rendered, so
both are neutralised, and line breaks become spaces.
"""

from __future__ import annotations

from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report
from seloste.checks.reports.text import plural

_ICONS = {"error": "🔴", "warning": "🟠", "note": "🔵"}
# GitHub cuts comments at 65536 characters and step summaries at 1 MiB: list this many rows.
MAX_ROWS = 200


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(text.split())


def _row(f: Finding) -> str:
    why = suppression(f)
    status = why.describe() if why else "open"
    where = f"{f.location}"
    message = f.message + (f" ({plural(f.rows, 'row')})" if f.rows is not None else "")
    cells = [f"{_ICONS[f.severity]} {f.severity}", f.rule, where, message, status]
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _errors(report: Report) -> list[str]:
    """The input errors as a table; the run they come from did not check everything."""
    if not report.errors:
        return []
    rows = [f"| {cell(p.place)} | {cell(p.message)} |" for p in report.errors[:MAX_ROWS]]
    more = len(report.errors) - MAX_ROWS
    rest = f"… and {plural(more, 'more input error')}; see the full report."
    tail = ["", rest] if more > 0 else []
    return ["", "### Input errors", "", "| where | error |", "|---|---|", *rows, *tail]


def render(report: Report) -> str:
    counts, quiet = report.counts(), report.suppressed()
    total = sum(counts.values())
    verdict = "✅ No findings." if not total else f"❌ {plural(total, 'finding')}."
    if report.errors:
        errors = plural(len(report.errors), "input error")
        verdict += f" ❌ {errors}: not everything was checked."
    lines = [
        "## seloste",
        "",
        verdict,
        "",
        "| errors | warnings | notes | waived | in baseline |",
        "|---:|---:|---:|---:|---:|",
        f"| {counts['error']} | {counts['warning']} | {counts['note']} "
        f"| {quiet['waived']} | {quiet['baselined']} |",
    ]
    lines += _errors(report)
    shown = [f for f in report.findings if (s := suppression(f)) is None or s.kind == "waiver"]
    if shown:
        lines += [
            "",
            "| severity | rule | where | finding | status |",
            "|---|---|---|---|---|",
            *(_row(f) for f in shown[:MAX_ROWS]),
        ]
    if len(shown) > MAX_ROWS:
        lines += ["", f"… and {len(shown) - MAX_ROWS} more; see the full report."]
    return "\n".join(lines) + "\n"
