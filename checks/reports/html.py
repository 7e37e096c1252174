"""A self-contained HTML report for the compliance officer: a summary, charts, every finding.

One file, no scripts, no external assets (styles and SVG charts inline), so it can be mailed or
archived as it is. Every text is escaped with ``html.escape``.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from seloste.checks import tool_version
from seloste.checks.findings import SEVERITIES, Finding, suppression
from seloste.checks.reports import Report, flowmap
from seloste.checks.reports.flowmap import flow_of
from seloste.checks.reports.ruledocs import rule_doc

_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0", "bar": "#455a64"}
_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#212121}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #ddd;vertical-align:top}th{background:#f5f5f5}
.error{color:#c62828}.warning{color:#ef6c00}.note{color:#1565c0}.quiet{color:#757575}
.cards{display:flex;gap:1rem}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem}
.card b{display:block;font-size:1.6rem}.charts{display:flex;flex-wrap:wrap;gap:2rem}
code{font-size:.9em}
"""
_REGISTER = re.compile(r"/registers/([^/]+)")


def register_of(f: Finding, flows: dict[tuple[str, str], str]) -> str:
    """The register a finding concerns, where the policy path, its flow (``flows``: each
    flow's register, by file and ID) or its table's binding says."""
    found = _REGISTER.search(f.target)
    if found:
        return found.group(1)
    flow = flow_of(f)
    if flow is not None and flow in flows:
        return flows[flow]
    return f.register or "(none)"


def bar_chart(title: str, counts: list[tuple[str, int]], colours: dict[str, str]) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return ""
    top, row, label_width, bar_width = max(n for _, n in counts), 22, 220, 260
    height = row * len(counts) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 50}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, n) in enumerate(counts):
        y = 28 + i * row
        width = max(1, round(bar_width * n / top)) if top else 1
        colour = colours.get(label, _COLOURS["bar"])
        parts += [
            f'<text x="0" y="{y + 14}" font-size="13">{escape(label[:32])}</text>',
            f'<rect x="{label_width}" y="{y + 2}" width="{width}" height="{row - 6}" '
            f'fill="{colour}"/>',
            f'<text x="{label_width + width + 6}" y="{y + 14}" font-size="13">{n}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _sorted(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _charts(report: Report) -> str:
    active = report.active
    by_severity = [(s, n) for s, n in report.counts().items() if n]
    by_rule = Counter(f"{f.rule} {rule_doc(f.rule).name}" for f in active)
    flows = {(flow.file, flow.flow): flow.register for flow in report.flows}
    by_register = Counter(register_of(f, flows) for f in active)
    charts = [
        bar_chart("By severity", by_severity, _COLOURS),
        bar_chart("By rule", _sorted(by_rule), {}),
        bar_chart("By register", _sorted(by_register), {}),
    ]
    return '<div class="charts">' + "".join(charts) + "</div>"


def _map(report: Report) -> str:
    svg = flowmap.render(report)
    if not svg:
        return ""
    legend = "<p>Grey: flows within the policy. Red: a flow between these breaks a rule.</p>"
    return f"<section><h2>Data flows</h2>{legend}{svg}</section>"


def _row(f: Finding) -> str:
    why = suppression(f)
    status = escape(why.describe()) if why else "open"
    rows = f" ({f.rows} rows)" if f.rows is not None else ""
    cells = [
        f'<td class="{f.severity}">{escape(f.severity)}</td>',
        f"<td><code>{escape(f.rule)}</code> {escape(rule_doc(f.rule).name)}</td>",
        f"<td><code>{escape(str(f.location))}</code></td>",
        f"<td>{escape(f.message + rows)}</td>",
        f'<td class="{"quiet" if why else ""}">{status}</td>',
    ]
    return ('<tr class="quiet">' if why else "<tr>") + "".join(cells) + "</tr>"


def _errors(report: Report) -> str:
    """The input errors: the run they come from did not check everything."""
    if not report.errors:
        return ""
    items = "".join(
        f"<li><code>{escape(p.place)}</code> {escape(p.message)}</li>" for p in report.errors
    )
    return (
        f'<section><h2 class="error">Input errors</h2><p>{len(report.errors)} input error(s): '
        f"not everything was checked.</p><ul>{items}</ul></section>"
    )


def render(report: Report) -> str:
    counts, quiet = report.counts(), report.suppressed()
    cards = [(s, counts[s]) for s in SEVERITIES] + [
        ("waived", quiet["waived"]),
        ("in baseline", quiet["baselined"]),
    ]
    card_html = "".join(
        f'<div class="card {escape(k)}"><b>{n}</b>{escape(k)}</div>' for k, n in cards
    )
    inputs = "".join(f"<li><code>{escape(i)}</code></li>" for i in report.inputs)
    rows = "".join(_row(f) for f in report.findings)
    table = (
        "<table><thead><tr><th>severity</th><th>rule</th><th>where</th><th>finding</th>"
        f"<th>status</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No findings.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>seloste report</title><style>{_STYLE}</style></head><body>"
        f"<h1>seloste report</h1><p>seloste {escape(tool_version())}</p>"
        f'<section><h2>Summary</h2><div class="cards">{card_html}</div>'
        f"<h3>Inputs</h3><ul>{inputs}</ul></section>"
        f"{_errors(report)}"
        f"<section><h2>Open findings</h2>{_charts(report)}</section>"
        f"{_map(report)}"
        f"<section><h2>All findings</h2>{table}</section>"
        "</body></html>\n"
    )
