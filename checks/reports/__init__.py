"""Report formats: each a module with ``render(report) -> str``, in one plain table.

A report holds findings, the input errors of the run and what the run read and when (its
as-of time and the time of the check), and nothing else: no absolute paths the finding did
not carry, no values from a snapshot. Every format is therefore byte-identical across runs
with the same as-of time and time of the check (``SOURCE_DATE_EPOCH``: checks/gate.py).

Every text in it that came from input (names of tables, columns, files; messages that quote
them) is made printable here, once, for every format: a name with a newline would otherwise
start a line of its own in a CI log, which GitHub Actions runs as a workflow command.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import import_module
from typing import NamedTuple

from seloste.checks.findings import (
    SEVERITIES,
    SUPPRESSED,
    CheckedFlow,
    Finding,
    suppression,
)
from seloste.policy.errors import Problem, ordered, printable


def _printable_or_none(text: str | None) -> str | None:
    return None if text is None else printable(text)


def _printable(f: Finding) -> Finding:
    """``f`` with every text made printable (policy/errors.py)."""
    why = suppression(f)
    extra = f.extra
    if why is not None:
        shown = why._replace(
            justification=printable(why.justification),
            owner=_printable_or_none(why.owner),
            expires=_printable_or_none(why.expires),
            file=_printable_or_none(why.file),
        )
        extra = tuple((k, shown if k == SUPPRESSED else v) for k, v in extra)
    loc = f.location
    return dataclasses.replace(
        f,
        message=printable(f.message),
        target=printable(f.target),
        location=loc._replace(
            file=_printable_or_none(loc.file),
            source=_printable_or_none(loc.source),
            table=_printable_or_none(loc.table),
            table_column=_printable_or_none(loc.table_column),
        ),
        anchor=f.anchor and f.anchor._replace(file=printable(f.anchor.file)),
        row_keys=tuple(printable(k) for k in f.row_keys),
        extra=extra,
    )


def _instant(moment: datetime | None) -> str | None:
    """``moment`` as reports print it: ISO 8601 in UTC, to the second."""
    return None if moment is None else f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def _printable_flows(flows: Sequence[CheckedFlow]) -> tuple[CheckedFlow, ...]:
    """``flows`` once each, in order, their files made printable (their IDs are printable by
    the model's ID pattern). Each file's name is made printable once, and a flow is copied
    only when its file's name changes: a run may check 100,000 flows."""
    names = {file: printable(file) for file in {f.file for f in flows}}
    unique = {(names[f.file], f.flow): f for f in flows}
    return tuple(f if f.file == k[0] else f._replace(file=k[0]) for k, f in sorted(unique.items()))


class Report(NamedTuple):
    """What one run found, in a stable order so that every format is deterministic.

    ``baseline`` says whether a baseline was compared against, so that formats that can say
    "new" or "unchanged" (SARIF) only do so when it means something. ``errors`` are the
    input errors of the run: a report that has them did not check everything. ``flows`` are
    the data flows the run checked, for the HTML report's map. ``fail_on`` is the run's
    ``--fail-on`` threshold, for the formats that say pass or fail per finding (JUnit).
    ``inputs`` are the files the run read and ``snapshots`` the snapshot sources it checked,
    as shown (a URL's password as ``***``, a path as given). ``as_of`` is the time retention
    was measured at (``check``; None for a run that measured none) and ``checked_at`` the time
    of the check, both ISO 8601 in UTC to the second. ``registers`` names each register the
    run's policies declare, in English, for the formats that group findings by register;
    ``scopes`` the kinds of rule that ran (policy, bindings, snapshot, flows). A
    NamedTuple for the reason ``Problem`` is one (policy/errors.py).
    """

    findings: tuple[Finding, ...]
    inputs: tuple[str, ...] = ()
    baseline: bool = False
    errors: tuple[Problem, ...] = ()
    flows: tuple[CheckedFlow, ...] = ()
    fail_on: str = "error"
    snapshots: tuple[str, ...] = ()
    as_of: str | None = None
    checked_at: str | None = None
    registers: tuple[tuple[str, str], ...] = ()
    scopes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        findings: list[Finding],
        inputs: list[str] | None = None,
        *,
        baseline: bool = False,
        errors: list[Problem] | tuple[Problem, ...] = (),
        flows: Sequence[CheckedFlow] = (),
        fail_on: str = "error",
        snapshots: Sequence[str] = (),
        as_of: datetime | None = None,
        checked_at: datetime | None = None,
        registers: Sequence[tuple[str, str]] = (),
        scopes: Sequence[str] = (),
    ) -> Report:
        unique = {(f.sort_key(), f.fingerprint): f for f in findings}
        shown = tuple(_printable(unique[k]) for k in sorted(unique))
        problems = tuple(
            p._replace(file=printable(p.file), message=printable(p.message))
            for p in ordered(errors)
        )
        names = tuple(sorted({printable(i) for i in inputs or []}))
        shown_flows = _printable_flows(flows)
        # The registers of the flows' policies, then of the run's own policy, which wins.
        known = {f.register: f.register_name for f in shown_flows if f.register_name}
        known |= dict(registers)
        return cls(
            shown,
            names,
            baseline,
            problems,
            shown_flows,
            fail_on,
            tuple(printable(s) for s in dict.fromkeys(snapshots)),
            _instant(as_of),
            _instant(checked_at),
            tuple((rid, printable(name)) for rid, name in sorted(known.items())),
            tuple(sorted(set(scopes))),
        )

    @property
    def active(self) -> tuple[Finding, ...]:
        """The findings that count: neither waived nor in the baseline."""
        return tuple(f for f in self.findings if suppression(f) is None)

    def counts(self) -> dict[str, int]:
        """Active findings by severity."""
        return {s: sum(1 for f in self.active if f.severity == s) for s in SEVERITIES}

    def suppressed(self) -> dict[str, int]:
        """Findings that do not count, by why: ``waived`` and ``baselined``."""
        kinds = [s.kind for f in self.findings if (s := suppression(f))]
        return {"waived": kinds.count("waiver"), "baselined": kinds.count("baseline")}


FORMATS = {
    "text": "seloste.checks.reports.text",
    "json": "seloste.checks.reports.json_report",
    "sarif": "seloste.checks.reports.sarif",
    "junit": "seloste.checks.reports.junit",
    "github": "seloste.checks.reports.github",
    "gitlab": "seloste.checks.reports.gitlab",
    "markdown": "seloste.checks.reports.markdown",
    "html": "seloste.checks.reports.html",
}


def renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of a format; imported on use so unused formats cost nothing."""
    render: Callable[..., str] = import_module(FORMATS[name]).render
    return render
