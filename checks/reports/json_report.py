"""JSON: stable key order and finding order, no timestamps, byte-identical across runs.

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


def render(report: Report) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "seloste", "version": tool_version()},
        "inputs": list(report.inputs),
        "summary": {**report.counts(), **report.suppressed()},
        "findings": [_finding(f) for f in report.findings],
        "errors": [p._asdict() for p in report.errors],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
