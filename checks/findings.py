"""One finding type for everything seloste reports."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from seloste.policy.errors import printable
from seloste.policy.files import repo_root

if TYPE_CHECKING:
    from seloste.policy.loaded import Loaded
    from seloste.policy.model import Policy

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
RANK = {"error": 3, "warning": 2, "note": 1, "never": 4}
# The rule ID of "could not check X: why": always an error, and it makes the exit code 2.
NOT_CHECKED = "SEL001"


class Location(NamedTuple):
    """Where a finding is: a place in a file, or a table and column in a snapshot, or both.

    Immutable and ordered by its fields; a NamedTuple for the reason ``Problem`` is one
    (policy/errors.py).
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    source: str | None = None
    table: str | None = None
    table_column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.source:
            where = self.source
            if self.table:
                where += f" {self.table}"
                if self.table_column:
                    where += f".{self.table_column}"
            parts.append(where)
        if self.file:
            parts.insert(0, f"{self.file}:{self.line or 0}:{self.column or 0}")
        return " ".join(parts) or "-"


class Anchor(NamedTuple):
    """A place in a file for a finding that has none of its own (a snapshot's table), for
    the formats that must pin every finding to a file: SARIF, GitHub, GitLab."""

    file: str
    line: int | None = None
    column: int | None = None


class CheckedFlow(NamedTuple):
    """One data flow a run checked: the file declaring it, its ID, the register it reads and
    the recipient it goes to (None: the data stays with the controller). The flows engine
    returns them beside its findings, and the HTML report draws its data-flow map from them:
    so it also carries the ``fields`` the flow sends, the ``places`` it goes to (its own
    locations, else its recipient's; its storage; its sub-processors' locations) and the
    register's name in English (``register_name``),
    which the report could not look up itself, reading no files.
    """

    file: str
    flow: str
    register: str
    recipient: str | None
    fields: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    register_name: str = ""


def register_names(policy: Policy) -> dict[str, str]:
    """Each register of ``policy`` by its name in English (else as the policy has it), on one
    line, for the reports that group findings by register. Without policy/wording.py, which
    the pre-commit path does not load."""
    return {
        rid: " ".join((r.name.en or r.name.fi or r.name.sv or rid).split())
        for rid, r in policy.registers.items()
    }


@dataclass(frozen=True)
class Finding:
    """A broken promise: which rule, how bad, where, and (for data) how many rows.

    ``target`` names what is wrong in terms that survive unrelated edits (a YAML path, a
    table and column), so the fingerprint made from it stays put when lines move.
    Row keys identify rows; a finding never carries a value from a snapshot. ``sampled`` is
    the number of rows a sampled check read, out of the table's ``table_rows``;
    ``keys_withheld`` says that some of the first row keys were not shown because they may
    be personal data (checks/snapshot/keys.py).

    What a report shows about a finding's inputs is resolved by the check that read them, so
    that no report reads an input again: ``anchor`` is the place a finding without a file is
    pinned to (a snapshot finding: the line binding its table and column), ``register`` the
    register a snapshot finding's table holds. The JSON report, whose shape is published,
    leaves both out.
    """

    rule: str
    severity: Severity
    message: str
    location: Location
    target: str
    rows: int | None = None
    row_keys: tuple[str, ...] = ()
    sampled: int | None = None
    table_rows: int | None = None
    keys_withheld: bool = False
    extra: tuple[tuple[str, Any], ...] = field(default=())
    anchor: Anchor | None = None
    register: str | None = None

    @property
    def fingerprint(self) -> str:
        # Of the target as reports print it, so a waiver that quotes either matches.
        return hashlib.sha256(f"{self.rule}\0{printable(self.target)}".encode()).hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (
            loc.file or "",
            loc.line or 0,
            loc.column or 0,
            loc.source or "",
            loc.table or "",
            loc.table_column or "",
            self.rule,
            self.target,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        loc = {k: v for k, v in self.location._asdict().items() if v is not None}
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "location": loc,
            "target": self.target,
            "fingerprint": self.fingerprint,
        }
        if self.rows is not None:
            out["rows"] = self.rows
            out["row_keys"] = list(self.row_keys)
        if self.keys_withheld:
            out["row_keys_withheld"] = True
        if self.sampled is not None:
            out["sampled"] = self.sampled
        if self.table_rows is not None:
            out["table_rows"] = self.table_rows
        return out


# The key under which the gate records, in ``Finding.extra``, why a finding does not count.
SUPPRESSED = "suppressed"


class Suppression(NamedTuple):
    """Why a finding is reported but does not fail the gate: a waiver or the baseline.

    The gate (checks/waivers.py, checks/baseline.py) marks findings with it and every report
    shows it. A NamedTuple for the reason ``Problem`` is one (policy/errors.py).
    """

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
        return {k: v for k, v in self._asdict().items() if v is not None}


def suppression(finding: Finding) -> Suppression | None:
    return next((v for k, v in finding.extra if k == SUPPRESSED), None)


def suppress(finding: Finding, why: Suppression) -> Finding:
    return dataclasses.replace(finding, extra=(*finding.extra, (SUPPRESSED, why)))


def repo_path(path: str) -> str:
    """``path`` relative to the repository root, with ``/``, as code-scanning tools want it.

    Paths outside the repository (or with no repository) stay as given. Targets use this
    form, so a finding's fingerprint does not depend on the directory seloste runs from.
    """
    root = repo_root()
    if root is None:
        return Path(path).as_posix()
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def in_repository(path: str) -> str | None:
    """``path`` relative to the root of the repository that holds it, with ``/``; None when
    no repository holds it.

    The root is the file's own, not the working directory's: run from outside the
    repository, a report must still name its files as code scanning finds them in the
    checkout. The path is taken as written (a link is not followed), so a file is named
    where the repository has it.
    """
    absolute = Path(os.path.abspath(path))
    root = repo_root(absolute.parent)
    return None if root is None else absolute.relative_to(root).as_posix()


def at(
    loaded: Loaded[Any],
    path: tuple[str | int, ...],
    rule: str,
    severity: Severity,
    message: str,
    *,
    key: bool = False,
    target: str | None = None,
) -> Finding:
    """A finding at a place in a seloste YAML file."""
    line, column = loaded.doc.mark(path, key=key)
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        location=Location(file=loaded.path, line=line, column=column),
        target=target or f"{repo_path(loaded.path)}#{_stable(loaded.doc.data, path)}",
    )


def _stable(data: Any, path: tuple[str | int, ...]) -> str:
    """A path that names list items by their value where it can, so inserts don't move it."""
    parts = []
    for step in path:
        child = _child(data, step)
        if isinstance(step, int) and isinstance(child, str):
            parts.append(f"[{child}]")
        else:
            parts.append(str(step))
        data = child
    return "/" + "/".join(parts)


def _child(data: Any, step: str | int) -> Any:
    """``data[step]`` where ``data`` holds it, else None."""
    if isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
        return data[step]
    if isinstance(data, dict) and step in data:
        return data[step]
    return None


def failing(findings: list[Finding], fail_on: str) -> bool:
    """Whether any finding is at or above the ``--fail-on`` threshold."""
    return any(RANK[f.severity] >= RANK[fail_on] for f in findings)
