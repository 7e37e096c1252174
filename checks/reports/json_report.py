"""JSON: stable key order and finding order, byte-identical across runs with the same as-of
time and time of the check (checks/reports/__init__.py).

The shape is published as a JSON Schema: ``seloste schema report``.
"""

from __future__ import annotations

import json
from typing import Any

from seloste.checks import tool_version
from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report

SCHEMA_VERSION = 1


def _finding(f: Finding) -> dict[str, Any]:
    out = f.to_dict()
    why = suppression(f)
    if why is not None:
        out["suppressed"] = why.to_dict()
    return out


def _run(report: Report) -> dict[str, Any]:
    """When the run measured, when it ran, and what it read apart."""
    out: dict[str, Any] = {"files": list(report.inputs), "snapshots": list(report.snapshots)}
    if report.as_of is not None:
        out["as_of"] = report.as_of
    if report.checked_at is not None:
        out["checked_at"] = report.checked_at
    return out


def render(report: Report) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "seloste", "version": tool_version()},
        "inputs": sorted({*report.inputs, *report.snapshots}),
        "run": _run(report),
        "summary": {**report.counts(), **report.suppressed()},
        "findings": [_finding(f) for f in report.findings],
        "errors": [p._asdict() for p in report.errors],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
