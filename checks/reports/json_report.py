"""JSON: stable key order and finding order, no timestamps, byte-identical across runs."""

from __future__ import annotations

import json
from importlib.metadata import version

from checks.reports import Report

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "seloste", "version": version("seloste")},
        "inputs": list(report.inputs),
        "summary": report.counts(),
        "findings": [f.to_dict() for f in report.findings],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
