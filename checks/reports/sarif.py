"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Rules carry their documentation (short and full description, help as text and Markdown);
results carry a physical location relative to the root of the repository that holds the file
(``%SRCROOT%``, also when seloste runs from outside it; for a snapshot finding, the line of the
bindings file that binds its table, or the file's ``tables:`` key for a table it does not bind,
plus a logical location naming table and column) and a partial fingerprint made from the
finding's target, so that code scanning keeps tracking an alert when lines move. Input errors
are the invocation's tool execution notifications, and make it unsuccessful.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from seloste.checks import docs_url, tool_version
from seloste.checks.findings import Finding, in_repository, suppression
from seloste.checks.reports import Report
from seloste.checks.reports.anchors import anchor
from seloste.checks.reports.ruledocs import RuleDoc, rule_doc, rule_docs
from seloste.policy.errors import Problem

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "seloste/v1"
# The base of every artifact URI inside the repository, as GitHub code scanning resolves it:
# the checkout's root. Its own URI is left out: it would be an absolute path of this
# machine, and reports are the same wherever they are made.
SRCROOT = "%SRCROOT%"


def _artifact(path: str) -> dict[str, Any]:
    """An artifact location: relative to the repository's root when one holds ``path`` (also
    when seloste runs from outside it), else a ``file`` URI or the path as given."""
    relative = in_repository(path)
    if relative is not None:
        return {"uri": relative, "uriBaseId": SRCROOT}
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": Path(path).as_posix()}


def _rule(doc: RuleDoc) -> dict[str, Any]:
    what, why = doc.section("What it does"), doc.section("Why is this bad?")
    full = " ".join(" ".join(p.split()) for p in (what, why) if p) or doc.summary
    out: dict[str, Any] = {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": full},
        "help": {"text": doc.doc or doc.summary, "markdown": doc.doc or doc.summary},
        "defaultConfiguration": {"level": doc.severity},
        "properties": {"tags": ["gdpr", "privacy", doc.scope]},
    }
    base = docs_url()
    if base:
        out["helpUri"] = f"{base.rstrip('/')}/rules/{doc.id.lower()}"
    return out


def _location(f: Finding, inputs: tuple[str, ...]) -> dict[str, Any]:
    """A physical location always where one can be found: code scanning rejects the whole
    file for one result without it. A snapshot finding also names its table and column."""
    out: dict[str, Any] = {}
    pin = anchor(f, inputs)
    if pin is not None:
        physical: dict[str, Any] = {"artifactLocation": _artifact(pin.file)}
        # Code scanning drops a result without a line: a finding pinned to a whole file
        # (the run's first input) is shown at its first line.
        region = {"startLine": pin.line or 1}
        if pin.line and pin.column:
            region["startColumn"] = pin.column
        physical["region"] = region
        out["physicalLocation"] = physical
    loc = f.location
    if not loc.file:
        name = ".".join(p for p in (loc.table, loc.table_column) if p) or f.target
        kind = "member" if loc.table_column else "type" if loc.table else "module"
        out["logicalLocations"] = [{"name": name, "fullyQualifiedName": f.target, "kind": kind}]
    return out


def _result(f: Finding, index: int, report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": f.severity,
        # A finding on a database is shown at a line of the bindings file: its message
        # names the source, table and column, as the GitHub and GitLab formats do.
        "message": {"text": f.message if f.location.file else f"{f.location}: {f.message}"},
        "locations": [_location(f, report.inputs)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"target": f.target},
    }
    if f.rows is not None:
        out["properties"]["rows"] = f.rows
        out["properties"]["rowKeys"] = list(f.row_keys)
    if f.keys_withheld:
        out["properties"]["rowKeysWithheld"] = True
    if f.sampled is not None:
        out["properties"]["sampled"] = f.sampled
    if f.table_rows is not None:
        out["properties"]["tableRows"] = f.table_rows
    why = suppression(f)
    if why is not None:
        # Code scanning shows suppressed results as closed: a waiver or the baseline
        # accepted them, and the justification says which.
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": why.describe()}
        ]
    if report.baseline:
        out["baselineState"] = "unchanged" if why and why.kind == "baseline" else "new"
    return out


def _notification(p: Problem) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(p.file)}
    if p.line:
        physical["region"] = {"startLine": p.line, "startColumn": p.column}
    return {
        "level": "error",
        "message": {"text": p.message},
        "locations": [{"physicalLocation": physical}],
    }


def render(report: Report) -> str:
    ids = sorted(set(rule_docs()) | {f.rule for f in report.findings})
    index = {rid: i for i, rid in enumerate(ids)}
    version = tool_version()
    run = {
        "tool": {
            "driver": {
                "name": "seloste",
                "version": version,
                "semanticVersion": version,
                "rules": [_rule(rule_doc(rid)) for rid in ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "the root of the repository the files are in"}}
        },
        "results": [_result(f, index[f.rule], report) for f in report.findings],
    }
    if report.errors:
        notifications = [_notification(p) for p in report.errors]
        run["invocations"] = [
            {"executionSuccessful": False, "toolExecutionNotifications": notifications}
        ]
    data = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
