"""File places for findings, for the formats that must pin every finding to a file (SARIF,
GitHub annotations, GitLab Code Quality)."""

from __future__ import annotations

from pathlib import Path

from seloste.checks.findings import Anchor, Finding, in_repository


def anchor(finding: Finding, inputs: tuple[str, ...]) -> Anchor | None:
    """Where to pin ``finding``: its own place in a file, else the place its check pinned it
    to (a snapshot finding: the line binding its table, or the bindings file's ``tables:``
    key for a table it does not bind), else the run's first input."""
    loc = finding.location
    if loc.file:
        return Anchor(loc.file, loc.line, loc.column)
    if finding.anchor is not None:
        return finding.anchor
    return Anchor(inputs[0]) if inputs else None


def place(path: str) -> str:
    """``path`` as a report names a file: relative to its repository's root, else as given."""
    return in_repository(path) or Path(path).as_posix()
