"""File places for findings, for the formats that must pin every finding to a file (SARIF,
GitHub annotations, GitLab Code Quality, HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seloste.checks.findings import Finding


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
            from seloste.policy import yamlsource
            from seloste.policy.errors import InputError

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
