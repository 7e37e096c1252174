"""The data-flow map of the HTML report: registers on the left, recipients on the right, and
between them one labelled line per register and recipient pair.

Each line says in words what is wrong with its flows, if anything (data sent outside the
allowed region, a field the recipient or purpose may not have, a recipient the policy does
not know, another rule broken), in a colour and a dash of its own, so colour is never the only
signal; and it names the fields its flows carry and the places the data goes. A recipient the
policy does not declare (a typo) is not drawn as a recipient: it is marked "unknown
recipient".

Built from the flows the run checked (``Report.flows``) and the findings pointing into them,
as inline SVG, so the picture needs no script and no network. Every text is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup
from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report

INTERNAL = "(the controller itself)"
_ROW, _BOX_H, _LABEL_H = 62, 28, 54
_LINE = 48  # characters of a label line that fit its box
_LEFT_W, _MID_W, _RIGHT_W, _GAP = 210, 330, 320, 56
_TOP = 34


class Status(NamedTuple):
    """What is wrong with a line, as the legend says it."""

    key: str
    words: str
    short: str  # on the line itself
    colour: str
    dash: str
    rank: int


FINE = Status("fine", "within the policy", "within the policy", "#78909c", "", 0)
OTHER = Status(
    "other",
    "breaks another rule (see its findings)",
    "another rule broken",
    "#0b5394",
    "8 3 2 3",
    1,
)
FIELD = Status("field", "a field not allowed", "field not allowed", "#8a4600", "10 5", 2)
TRANSFER = Status(
    "transfer", "transfer outside the allowed region", "outside the region", "#b3261e", "", 3
)
UNKNOWN = Status("unknown", "unknown recipient", "unknown recipient", "#6a1b9a", "3 4", 4)
# The flow rules whose findings name what is wrong with a line; any other is OTHER.
_BY_RULE = {"FLW001": UNKNOWN, "FLW002": FIELD, "FLW004": TRANSFER}
LEGEND = (TRANSFER, FIELD, UNKNOWN, OTHER, FINE)


@dataclass(frozen=True)
class Edge:
    register: str
    recipient: str
    flows: tuple[str, ...]
    offending: tuple[str, ...]
    fields: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    problems: tuple[Status, ...] = ()

    @property
    def status(self) -> Status:
        """The worst of what is wrong with its flows."""
        return max(self.problems, key=lambda s: s.rank, default=FINE)

    @property
    def unknown(self) -> bool:
        return UNKNOWN in self.problems

    def label(self) -> str:
        """What the line carries and where, in words: "3 fields to US, GB"."""
        fields = ", ".join(self.fields) if len(self.fields) <= 2 else f"{len(self.fields)} fields"
        where = f" to {', '.join(self.places)}" if self.places else ""
        return f"{fields or 'no fields'}{where}"


def flow_of(f: Finding) -> tuple[str, str] | None:
    """The flow a finding points into, as its file and ID, if it points into one."""
    _, _, rest = f.target.partition("#/flows/")
    return (f.location.file, rest.split("/", 1)[0]) if rest and f.location.file else None


def edges(report: Report) -> list[Edge]:
    """One edge per register and recipient pair, across every flow the run checked."""
    problems: dict[tuple[str, str], set[Status]] = {}
    for f in report.findings:
        if suppression(f) is None and (where := flow_of(f)):
            problems.setdefault(where, set()).add(_BY_RULE.get(f.rule, OTHER))
    pairs: dict[tuple[str, str], list[list[str]]] = {}
    found: dict[tuple[str, str], set[Status]] = {}
    for flow in report.flows:
        pair = (flow.register, flow.recipient or INTERNAL)
        names, broken, fields, places = pairs.setdefault(pair, [[], [], [], []])
        names.append(flow.flow)
        fields += flow.fields
        places += flow.places
        if (flow.file, flow.flow) in problems:
            broken.append(flow.flow)
            found.setdefault(pair, set()).update(problems[flow.file, flow.flow])
    return [
        Edge(
            reg,
            rec,
            tuple(names),
            tuple(broken),
            tuple(sorted(set(fields))),
            tuple(sorted(set(places))),
            tuple(sorted(found.get((reg, rec), set()), key=lambda s: -s.rank)),
        )
        for (reg, rec), (names, broken, fields, places) in sorted(pairs.items())
    ]


def _lines(words: str) -> tuple[str, str]:
    """``words`` on one line, or broken after a comma onto two when one is too short."""
    if len(words) <= _LINE:
        return words, ""
    cut = words.rfind(", ", 0, _LINE)
    return words[: cut + 1], _cut(words[cut + 2 :], 7 * _LINE)


def _cut(text: str, width: int) -> str:
    """``text`` cut to about ``width`` pixels of 13px text (the full text is in a title)."""
    most = width // 8
    return text if len(text) <= most else text[: most - 1] + "…"


def _box(x: int, y: int, width: int, label: str, *, unknown: bool = False) -> Markup:
    style = (
        'fill="#fff" stroke="#6a1b9a" stroke-dasharray="3 4" stroke-width="2"'
        if unknown
        else 'fill="#eceff1" stroke="#607d8b"'
    )
    shown = f"unknown recipient: {label}" if unknown else label
    return Markup(
        '<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="4" {}/>'
        '<text x="{}" y="{}" font-size="13">{}</text></g>'
    ).format(shown, x, y, width, _BOX_H, Markup(style), x + 8, y + 18, _cut(shown, width - 12))


def render(report: Report) -> Markup:
    """The map as an ``<svg>`` element, or empty markup when the run read no flows."""
    found = edges(report)
    if not found:
        return Markup("")
    registers = sorted({e.register for e in found})
    unknown = {e.recipient for e in found if e.unknown}
    recipients = sorted({e.recipient for e in found}, key=lambda r: (r in unknown, r))
    y_of = {name: _TOP + i * _ROW for i, name in enumerate(registers)}
    z_of = {name: _TOP + i * _ROW for i, name in enumerate(recipients)}
    mid_x, right = _LEFT_W + _GAP, _LEFT_W + 2 * _GAP + _MID_W
    width = right + _RIGHT_W + 2
    height = _TOP + 8 + _ROW * max(len(registers), len(recipients), len(found))
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
            'role="img" aria-labelledby="flowmap-title" font-family="system-ui, sans-serif">'
            '<title id="flowmap-title">Data-flow map: {} register and recipient pairs, {} of '
            "them breaking a rule</title>"
            '<text x="0" y="18" font-weight="bold">Registers</text>'
            '<text x="{}" y="18" font-weight="bold">What goes where</text>'
            '<text x="{}" y="18" font-weight="bold">Recipients</text>'
        ).format(
            width,
            height,
            width,
            height,
            len(found),
            sum(1 for e in found if e.offending),
            mid_x,
            right,
        )
    ]
    for i, e in enumerate(found):
        status = e.status
        mid_y = _TOP + i * _ROW
        y1, y2 = y_of[e.register] + _BOX_H // 2, z_of[e.recipient] + _BOX_H // 2
        ym = mid_y + _LABEL_H // 2
        words = ", ".join(p.short for p in e.problems) if e.offending else FINE.short
        first, second = _lines(words)
        title = f"{e.register} to {e.recipient}: {', '.join(e.flows)}; {e.label()}"
        if e.offending:
            title += f"; {words} ({', '.join(e.offending)})"
        dash = Markup(' stroke-dasharray="{}"').format(status.dash) if status.dash else ""
        stroke = 4 if e.offending else 2
        parts.append(
            Markup(
                '<g class="edge" data-status="{}" data-offending="{}"><title>{}</title>'
                '<path d="M{} {} C{} {} {} {} {} {} M{} {} C{} {} {} {} {} {}" fill="none" '
                'stroke="{}" stroke-width="{}"{}/>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="#fff" stroke="{}"{}/>'
                '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="{}">{}'
                '<tspan x="{}" dy="15">{}</tspan></text>'
                '<text x="{}" y="{}" font-size="12" fill="#1b1b1b">{}</text></g>'
            ).format(
                status.key,
                len(e.offending),
                title,
                _LEFT_W,
                y1,
                mid_x - _GAP // 2,
                y1,
                mid_x - _GAP // 2,
                ym,
                mid_x,
                ym,
                mid_x + _MID_W,
                ym,
                right - _GAP // 2,
                ym,
                right - _GAP // 2,
                y2,
                right,
                y2,
                status.colour,
                stroke,
                dash,
                mid_x,
                mid_y,
                _MID_W,
                _LABEL_H,
                status.colour,
                dash,
                mid_x + 10,
                mid_y + 16,
                "#37474f" if status is FINE else status.colour,
                first,
                mid_x + 10,
                second,
                mid_x + 10,
                mid_y + (46 if second else 32),
                _cut(e.label(), _MID_W - 16),
            )
        )
    parts += [_box(0, y_of[name], _LEFT_W, name) for name in registers]
    parts += [
        _box(right, z_of[name], _RIGHT_W, name, unknown=name in unknown) for name in recipients
    ]
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
