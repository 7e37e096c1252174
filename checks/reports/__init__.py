"""Report formats: each a module with ``render(report) -> str``, in one plain table.

A report holds findings and nothing else: no timestamps, no absolute paths the finding did not
carry, no values from a snapshot. Every format is therefore byte-identical across runs.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.resources import files
from typing import Any, Literal

from checks.findings import SEVERITIES, Finding

# The key under which the gate records, in ``Finding.extra``, why a finding does not count.
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Suppression:
    """Why a finding is reported but does not fail the gate: a waiver or the baseline."""

    kind: Literal["waiver", "baseline"]
    justification: str
    owner: str | None = None
    expires: str | None = None
    file: str | None = None
    line: int | None = None

    def describe(self) -> str:
        if self.kind == "baseline":
            return "in baseline"
        parts = [self.justification]
        if self.owner:
            parts.append(f"owner {self.owner}")
        if self.expires:
            parts.append(f"until {self.expires}")
        return "waived: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


def suppression(finding: Finding) -> Suppression | None:
    return next((v for k, v in finding.extra if k == SUPPRESSED), None)


def suppress(finding: Finding, why: Suppression) -> Finding:
    return dataclasses.replace(finding, extra=(*finding.extra, (SUPPRESSED, why)))


@dataclass(frozen=True)
class Report:
    """What one run found, in a stable order so that every format is deterministic.

    ``baseline`` says whether a baseline was compared against, so that formats that can say
    "new" or "unchanged" (SARIF) only do so when it means something.
    """

    findings: tuple[Finding, ...]
    inputs: tuple[str, ...] = field(default=())
    baseline: bool = False

    @classmethod
    def of(
        cls, findings: list[Finding], inputs: list[str] | None = None, *, baseline: bool = False
    ) -> Report:
        unique = {(f.sort_key(), f.fingerprint): f for f in findings}
        ordered = tuple(unique[k] for k in sorted(unique))
        return cls(ordered, tuple(sorted(set(inputs or []))), baseline)

    @property
    def active(self) -> tuple[Finding, ...]:
        """The findings that count: neither waived nor in the baseline."""
        return tuple(f for f in self.findings if suppression(f) is None)

    def counts(self) -> dict[str, int]:
        """Active findings by severity."""
        return {s: sum(1 for f in self.active if f.severity == s) for s in SEVERITIES}

    def suppressed(self) -> dict[str, int]:
        """Findings that do not count, by why: ``waived`` and ``baselined``."""
        kinds = [s.kind for f in self.findings if (s := suppression(f))]
        return {"waived": kinds.count("waiver"), "baselined": kinds.count("baseline")}


FORMATS = {
    "text": "checks.reports.text",
    "json": "checks.reports.json_report",
    "sarif": "checks.reports.sarif",
    "junit": "checks.reports.junit",
    "github": "checks.reports.github",
    "gitlab": "checks.reports.gitlab",
    "markdown": "checks.reports.markdown",
    "html": "checks.reports.html",
}


def renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of a format; imported on use so unused formats cost nothing."""
    return import_module(FORMATS[name]).render  # type: ignore[no-any-return]


def report_schema() -> dict[str, Any]:
    """The published JSON Schema of the ``json`` format."""
    text = files("checks.reports").joinpath("report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation, as the formats that describe rules (SARIF) need it."""

    id: str
    name: str
    severity: str
    scope: str
    doc: str

    @property
    def summary(self) -> str:
        """The first paragraph of "What it does", on one line."""
        return " ".join(self.section("What it does").split("\n\n")[0].split()) or self.name

    def section(self, title: str) -> str:
        head = f"## {title}"
        if head not in self.doc:
            return ""
        return self.doc.split(head, 1)[1].split("\n## ", 1)[0].strip()


@cache
def rule_docs() -> dict[str, RuleDoc]:
    """Every registered rule's documentation, by ID."""
    from checks.rules import RULES

    return {
        rid: RuleDoc(rid, m.NAME, m.SEVERITY, m.SCOPE, (m.__doc__ or "").strip())
        for rid, m in sorted(RULES.items())
    }


def rule_doc(rule_id: str) -> RuleDoc:
    """A rule's documentation; a rule outside the registry still gets a minimal entry."""
    return rule_docs().get(rule_id) or RuleDoc(rule_id, rule_id.lower(), "error", "-", "")


@cache
def docs_url() -> str | None:
    """The project's documentation URL from its package metadata, if it declares one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("seloste").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    pairs = dict(u.split(",", 1) for u in urls if "," in u)
    found = {k.strip().lower(): v.strip() for k, v in pairs.items()}
    return found.get("documentation") or found.get("homepage") or found.get("repository")


@dataclass(frozen=True)
class Anchor:
    """A file place for a finding, for formats that need one (code scanning, Code Quality)."""

    file: str
    line: int | None = None
    column: int | None = None


class Anchors:
    """Where to pin findings that have no file of their own: a snapshot's table and column.

    They are pinned to the line that binds that table (and column) in the run's bindings file,
    else to the first input without a line. The bindings files are read once per report.
    """

    _VALUE_KEYS = (
        "key",
        "relationship_end",
        "collected_at",
        "last_activity",
        "marketing_opt_out",
        "restricted",
    )

    def __init__(self, inputs: tuple[str, ...]) -> None:
        self.inputs = inputs
        self._docs: dict[str, Any] = {}

    def bindings(self, path: str) -> Any:
        """The parsed bindings file at ``path``, or None if it is not one."""
        if path not in self._docs:
            from policy import yamlsource
            from policy.errors import InputError

            try:
                doc = yamlsource.read(path)
            except InputError:
                doc = None
            is_bindings = doc is not None and doc.data.get("kind") == "bindings"
            self._docs[path] = doc if is_bindings else None
        return self._docs[path]

    def _in_bindings(self, path: str, table: str, column: str | None) -> Anchor | None:
        doc = self.bindings(path)
        tables = doc.data.get("tables") if doc else None
        if not isinstance(tables, dict) or not isinstance(tables.get(table), dict):
            return None
        binding = tables[table]
        where: tuple[str | int, ...] = ("tables", table)
        columns = binding.get("columns")
        if column and isinstance(columns, dict) and column in columns:
            where = ("tables", table, "columns", column)
        elif column:
            key = next((k for k in self._VALUE_KEYS if binding.get(k) == column), None)
            where = ("tables", table, key) if key else where
        line, col = doc.mark(where, key=True)
        return Anchor(path, line, col)

    def __call__(self, finding: Finding) -> Anchor | None:
        loc = finding.location
        if loc.file:
            return Anchor(loc.file, loc.line, loc.column)
        if loc.table:
            for path in self.inputs:
                found = self._in_bindings(path, loc.table, loc.table_column)
                if found:
                    return found
        return Anchor(self.inputs[0]) if self.inputs else None
