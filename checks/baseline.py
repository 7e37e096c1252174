"""Baselines: adopt seloste on a project with known findings, and fail only on new ones.

A baseline is JSON listing fingerprints (with rule and target, for people reading it). The
fingerprint comes from a finding's rule and target, never its line, so moving code around does
not make an old finding new, while the same rule broken on another target is new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seloste.checks.findings import NOT_CHECKED, Finding, Suppression, suppress, suppression
from seloste.policy.errors import InputError, Problem
from seloste.policy.files import read_bytes

FORMAT = 1


@dataclass(frozen=True)
class Baseline:
    """Known findings, by fingerprint. Targets name files relative to the repository root,
    so a baseline written from one directory still holds when seloste runs from another."""

    path: str
    fingerprints: frozenset[str]

    def knows(self, finding: Finding) -> bool:
        return finding.fingerprint in self.fingerprints

    @classmethod
    def of(cls, path: str, findings: list[Finding]) -> Baseline:
        return cls(path, frozenset(f.fingerprint for f in findings if baselinable(f)))


def _bad(path: str, message: str, line: int = 0, column: int = 0) -> InputError:
    return InputError([Problem(path, line, column, message)])


def load_baseline(path: str | Path) -> Baseline:
    name = str(path)
    try:
        text = read_bytes(path, missing="no such file (write one with --write-baseline)").decode()
    except UnicodeDecodeError as exc:
        raise _bad(name, f"cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(name, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or data.get("seloste_baseline") != FORMAT:
        raise _bad(name, f'not a seloste baseline (expected "seloste_baseline": {FORMAT})')
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise _bad(name, '"findings" must be a list of objects with a "fingerprint"')
    return Baseline(name, frozenset(e["fingerprint"] for e in entries))


def baselinable(finding: Finding) -> bool:
    """Findings a baseline may hold: not waived ones, and never "could not check"."""
    return finding.rule != NOT_CHECKED and suppression(finding) is None


def dump_baseline(findings: list[Finding]) -> str:
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "target": f.target,
        }
        for f in findings
        if baselinable(f)
    }
    ordered = sorted(entries.values(), key=lambda e: (e["rule"], e["target"]))
    data: dict[str, Any] = {"seloste_baseline": FORMAT, "findings": ordered}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def apply(findings: list[Finding], baseline: Baseline) -> list[Finding]:
    """Mark the findings the baseline already knows; the rest are new."""
    known = Suppression("baseline", f"in baseline {baseline.path}", file=baseline.path)
    return [suppress(f, known) if baselinable(f) and baseline.knows(f) else f for f in findings]
