"""GitLab Code Quality: a JSON list of issues that merge requests show as a widget.

GitLab requires a file path and a fingerprint unique within the report. Findings without a
file (a snapshot's table) are placed at the line of the bindings file that binds the table.
Waived findings and those in the baseline are left out: GitLab has no way to show them as such.
Input errors are issues too, critical like a source that could not be checked.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from seloste.checks.findings import NOT_CHECKED, Anchor, Finding, suppression
from seloste.checks.reports import Report
from seloste.checks.reports.anchors import anchor, place
from seloste.policy.errors import Problem

SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def _issue(f: Finding, pin: Anchor | None, fingerprint: str) -> dict[str, Any]:
    loc = f.location
    description = f"{f.rule}: {f.message}" if loc.file else f"{f.rule}: {loc}: {f.message}"
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": description,
        "categories": ["Security"],
        # Not being able to check at all is the worst outcome, so it ranks above errors.
        "severity": "critical" if f.rule == NOT_CHECKED else SEVERITY[f.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": place(pin.file) if pin else ".",
            "lines": {"begin": (pin.line if pin else None) or 1},
        },
    }


def _error(p: Problem) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": "input-error",
        "description": f"input error: {p.message}",
        "categories": ["Bug Risk"],
        "severity": "critical",
        "fingerprint": hashlib.sha256(str(p).encode()).hexdigest(),
        "location": {"path": place(p.file), "lines": {"begin": p.line or 1}},
    }


def render(report: Report) -> str:
    issues, seen = [_error(p) for p in report.errors], set()
    for f in report.findings:
        if suppression(f) is not None:
            continue
        fingerprint = f.fingerprint
        # Two findings can share rule and target (two places of one thing); keep them apart.
        while fingerprint in seen:
            fingerprint = hashlib.sha256(f"{fingerprint}\0{f.sort_key()}".encode()).hexdigest()
        seen.add(fingerprint)
        issues.append(_issue(f, anchor(f, report.inputs), fingerprint))
    return json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
