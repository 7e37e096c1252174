"""A self-contained HTML report for the compliance officer: when and what was checked, a
summary, the findings grouped by register with what each means, the data-flow map, and the
rules' explanations.

One file, no external assets (one stylesheet and the flow map's SVG inline), so it can be
mailed or archived as it is; it reads without scripts (a small inline one only filters the
findings). The view is built here and laid out by a Jinja2 template
(``checks/reports/templates/report.html.j2``) with autoescape on: every value is escaped.
Jinja2 is imported on use: only this format needs it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from seloste.checks import tool_version
from seloste.checks.findings import SEVERITIES, Finding, suppression
from seloste.checks.reports import Report, flowmap
from seloste.checks.reports.flowmap import flow_of
from seloste.checks.reports.ruledocs import RuleDoc, rule_doc, rule_docs
from seloste.policy.flows import SYSTEM
from seloste.policy.wording import day_words

# The group of findings that concern no one register: the policy as a whole, a snapshot as a
# whole, the run itself.
NO_REGISTER = ""
_SCOPES = {
    "policy": "the policy",
    "bindings": "the bindings",
    "snapshot": "the snapshots",
    "flows": "the data flows",
}


def register_of(f: Finding, flows: dict[tuple[str, str], str]) -> str:
    """The register a finding concerns, where the policy path, its flow (``flows``: each
    flow's register, by file and ID) or its table's binding says; ``NO_REGISTER`` else."""
    _, found, rest = f.target.partition("#/registers/")
    if found:
        return rest.split("/", 1)[0]
    flow = flow_of(f)
    if flow is not None and flow in flows:
        return flows[flow]
    return f.register or NO_REGISTER


def moment_words(iso: str | None) -> str:
    """An instant as a reader says it: "1 November 2026, 00:00:00 UTC" (English whatever the
    machine's locale)."""
    if iso is None:
        return ""
    at = datetime.fromisoformat(iso)
    return f"{day_words(f'{at:%Y-%m-%d}', 'en')}, {at:%H:%M:%S} UTC"


@dataclass(frozen=True)
class Row:
    """One finding as the page shows it."""

    severity: str
    rule: RuleDoc
    where: str
    message: str
    register: str
    status: str | None  # why it does not count (waived, in the baseline), or None


@dataclass(frozen=True)
class Group:
    """The findings of one register, what the register is (``name``, ``about``)."""

    register: str
    name: str
    about: str
    rows: tuple[Row, ...]

    @property
    def anchor(self) -> str:
        return f"register-{self.register or 'none'}"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, where it links to, its count and length."""

    key: str
    label: str
    href: str
    count: int
    percent: int


def _rows_text(f: Finding) -> str:
    if f.rows is None:
        return ""
    n = f"{f.rows} row{'s' * (f.rows != 1)}"
    if f.sampled is not None and f.table_rows is not None:
        n += f" of a sample of {f.sampled} from {f.table_rows}"
    keys = f"; first keys {', '.join(f.row_keys)}" if f.row_keys else ""
    withheld = "; keys that may be personal data left out" if f.keys_withheld else ""
    return f" ({n}{keys}{withheld})"


def _row(f: Finding, register: str) -> Row:
    why = suppression(f)
    return Row(
        f.severity,
        rule_doc(f.rule),
        str(f.location),
        f.message + _rows_text(f),
        register,
        why.describe() if why else None,
    )


def _groups(rows: list[Row], names: dict[str, str]) -> list[Group]:
    """``rows`` by register: the policy's registers in name order, then those it does not
    declare, then the findings of none."""
    by: dict[str, list[Row]] = {}
    for row in rows:
        by.setdefault(row.register, []).append(row)

    def order(r: str) -> tuple[int, str, str]:
        kind = 2 if r == NO_REGISTER else 0 if r in names else 1
        return kind, names.get(r, r).casefold(), r

    return [Group(r, *_register_words(r, names), tuple(by[r])) for r in sorted(by, key=order)]


def _register_words(register: str, names: dict[str, str]) -> tuple[str, str]:
    """A register's name and what it is, in words."""
    if register == NO_REGISTER:
        return (
            "Not about one register",
            "Findings about the policy as written, a snapshot as a whole, or the run itself.",
        )
    if register == SYSTEM:
        return (
            "Every register",
            "Flows that read the whole system (register: system) rather than one register.",
        )
    if register in names:
        return (
            names[register],
            f"What the notice promises about the {names[register]} ({register}) is broken "
            "here: in its data or in the flows that read it.",
        )
    return (
        "A register the policy does not declare",
        f"The policy declares no register {register}, yet a flow or the bindings name it "
        "(often a typo): nothing the notice promises can be checked for it.",
    )


def _gate(fail_on: str) -> str:
    if fail_on == "never":
        return "the gate is off (--fail-on never)"
    above = "" if fail_on == "error" else " and above"
    return f"the gate fails on {fail_on}s{above} (--fail-on {fail_on})"


def _bars(counts: Counter[str], href: dict[str, str], labels: dict[str, str]) -> list[Bar]:
    top = max(counts.values(), default=0)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        Bar(k, labels.get(k, k), href.get(k, ""), n, max(1, round(100 * n / top)))
        for k, n in ordered
    ]


def _rules_shown(report: Report, scopes: list[str]) -> list[RuleDoc]:
    """The rules the page explains: those with findings, and on a clean run those that ran."""
    found = {f.rule for f in report.findings}
    ran = {r.id for r in rule_docs().values() if r.scope in scopes} if not found else set()
    return [rule_doc(rid) for rid in sorted(found | ran)]


def view(report: Report) -> dict[str, Any]:
    """Everything the template shows, computed once."""
    flows = {(flow.file, flow.flow): flow.register for flow in report.flows}
    names = dict(report.registers)
    rows = [_row(f, register_of(f, flows)) for f in report.findings]
    open_rows = [r for r in rows if r.status is None]
    groups = _groups(open_rows, names)
    counts, quiet = report.counts(), report.suppressed()
    by_rule = Counter(r.rule.id for r in open_rows)
    by_register = Counter(r.register for r in open_rows)
    rule_labels = {r.rule.id: f"{r.rule.id} {r.rule.name}" for r in open_rows}
    scopes = list(report.scopes)
    files = [f for f in report.inputs if f not in {flow.file for flow in report.flows}]
    return {
        "version": tool_version(),
        "as_of": report.as_of,
        "as_of_words": moment_words(report.as_of),
        "checked_at": report.checked_at,
        "checked_at_words": moment_words(report.checked_at),
        "files": files,
        "flow_files": sorted({flow.file for flow in report.flows}),
        "flow_count": len(report.flows),
        "snapshots": report.snapshots,
        "cards": [(s, counts[s]) for s in SEVERITIES]
        + [("waived", quiet["waived"]), ("in baseline", quiet["baselined"])],
        "errors": report.errors,
        "open_count": len(open_rows),
        "by_rule": _bars(by_rule, {k: f"#rule-{k}" for k in by_rule}, rule_labels),
        "by_register": _bars(
            by_register,
            {g.register: f"#{g.anchor}" for g in groups},
            {g.register: g.name if not g.register else f"{g.name} ({g.register})" for g in groups},
        ),
        "groups": groups,
        "accepted": [r for r in rows if r.status is not None],
        "rules": _rules_shown(report, scopes),
        "scopes": [_SCOPES.get(s, s) for s in scopes],
        "severities": SEVERITIES,
        "flowmap": flowmap.render(report),
        "legend": flowmap.LEGEND,
        "gate": _gate(report.fail_on),
    }


def render(report: Report) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("seloste.checks.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template("report.html.j2").render(**view(report))
    return page.rstrip("\n") + "\n"
