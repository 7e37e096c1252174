"""The data-flow map of the HTML report: registers on the left, recipients on the right, one
line per register and recipient pair, red where a flow between them broke a rule.

Built from the flows the run checked (``Report.flows``) and the findings pointing into them,
as inline SVG, so the picture needs no script and no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report
from seloste.policy.errors import printable

INTERNAL = "(the controller itself)"
_ROW, _BOX_W, _BOX_H, _GAP = 34, 210, 24, 260
_RED, _GREY = "#c62828", "#90a4ae"


@dataclass(frozen=True)
class Edge:
    register: str
    recipient: str
    flows: tuple[str, ...]
    offending: tuple[str, ...]


def flow_of(f: Finding) -> tuple[str, str] | None:
    """The flow a finding points into, as its file and ID, if it points into one."""
    _, _, rest = f.target.partition("#/flows/")
    return (f.location.file, rest.split("/", 1)[0]) if rest and f.location.file else None


def edges(report: Report) -> list[Edge]:
    """One edge per register and recipient pair, across every flow the run checked."""
    bad = {where for f in report.findings if suppression(f) is None and (where := flow_of(f))}
    pairs: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for flow in report.flows:
        names, broken = pairs.setdefault((flow.register, flow.recipient or INTERNAL), ([], []))
        names.append(flow.flow)
        if (flow.file, flow.flow) in bad:
            broken.append(flow.flow)
    return [
        Edge(reg, rec, tuple(names), tuple(broken))
        for (reg, rec), (names, broken) in sorted(pairs.items())
    ]


def _box(x: int, y: int, label: str) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="4" fill="#eceff1" '
        f'stroke="#607d8b"/><text x="{x + 8}" y="{y + 16}" font-size="13">'
        f"{escape(printable(label)[:28])}</text>"
    )


def render(report: Report) -> str:
    """The map as an ``<svg>`` element, or an empty string when the run read no flows."""
    found = edges(report)
    if not found:
        return ""
    registers = sorted({e.register for e in found})
    recipients = sorted({e.recipient for e in found})
    y_of = {name: 30 + i * _ROW for i, name in enumerate(registers)}
    z_of = {name: 30 + i * _ROW for i, name in enumerate(recipients)}
    width, height = 2 * _BOX_W + _GAP + 20, 40 + _ROW * max(len(registers), len(recipients))
    right = _BOX_W + _GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="Data-flow map" class="flowmap">',
        '<text x="0" y="16" font-weight="bold">Registers</text>',
        f'<text x="{right}" y="16" font-weight="bold">Recipients</text>',
    ]
    for e in found:
        y1, y2 = y_of[e.register] + _BOX_H // 2, z_of[e.recipient] + _BOX_H // 2
        colour = _RED if e.offending else _GREY
        title = ", ".join(e.flows)
        if e.offending:
            title += f" (breaking a rule: {', '.join(e.offending)})"
        parts.append(
            f'<line x1="{_BOX_W}" y1="{y1}" x2="{right}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{2 + min(len(e.flows), 6)}" data-offending="{len(e.offending)}">'
            f"<title>{escape(printable(title))}</title></line>"
        )
    parts += [_box(0, y_of[name], name) for name in registers]
    parts += [_box(right, z_of[name], name) for name in recipients]
    parts.append("</svg>")
    return "".join(parts)
