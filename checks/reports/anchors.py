"""File places for findings, for the formats that must pin every finding to a file (SARIF,
GitHub annotations, GitLab Code Quality)."""

from __future__ import annotations

from seloste.checks.findings import Anchor, Finding


def anchor(finding: Finding, inputs: tuple[str, ...]) -> Anchor | None:
    """Where to pin ``finding``: its own place in a file, else the place its check pinned it
    to (a snapshot finding: the line binding its table), else the run's first input."""
    loc = finding.location
    if loc.file:
        return Anchor(loc.file, loc.line, loc.column)
    if finding.anchor is not None:
        return finding.anchor
    return Anchor(inputs[0]) if inputs else None
