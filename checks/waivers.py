"""Waivers: findings a named owner accepted, with a justification, until a date.

A waiver file (``kind: waivers``) is read as strictly as a policy. A waiver matches a finding
by rule and by target (whose file part is relative to the repository root) or fingerprint. A
matched finding is still reported, as waived, and does not count for ``--fail-on``. A waiver
past its date waives nothing and is a finding of its own (SEL002), as is a waiver that matches
nothing (SEL003).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field
from seloste.checks.findings import (
    NOT_CHECKED,
    Finding,
    Severity,
    Suppression,
    at,
    repo_path,
    suppress,
)
from seloste.policy.errors import InputError, Problem, printable
from seloste.policy.loader import Loaded, load
from seloste.policy.model import Model

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Waiver(Model):
    """One accepted finding."""

    rule: str = Field(description="rule ID (POL004) or name (transfer-outside-region)")
    target: str = Field(min_length=1, description="the finding's target or fingerprint")
    justification: str = Field(min_length=1, description="why the finding is accepted")
    owner: str = Field(min_length=1, description="who accepted it and answers for it")
    expires: str = Field(description="last day the waiver holds, YYYY-MM-DD")


class WaiverFile(Model):
    """A list of waivers."""

    seloste: Literal[1]
    kind: Literal["waivers"]
    waivers: list[Waiver] = Field(default_factory=list)


@dataclass(frozen=True)
class Waivers:
    """A loaded waiver file: the waivers, their rule IDs and expiry dates, and their places."""

    loaded: Loaded[WaiverFile]
    rules: tuple[str, ...]
    expires: tuple[date, ...]

    @property
    def items(self) -> list[Waiver]:
        return self.loaded.model.waivers


@dataclass(frozen=True)
class Outcome:
    """What the SEL002/SEL003 rules read: which waivers matched, and the day it is."""

    waivers: Waivers
    matched: frozenset[int]
    today: date
    scopes: frozenset[str] | None = None
    inputs: frozenset[str] = frozenset()

    def judged(self, index: int) -> bool:
        """Whether this run could have matched waiver ``index``: it ran the waiver's rule and,
        for a target in a file, read that file. Otherwise the waiver is not stale, only idle
        (``validate`` meets snapshot waivers; a pre-commit hook sees a few flow files)."""
        from seloste.checks.rules import RULES

        rule = RULES.get(self.waivers.rules[index])
        if self.scopes is not None and rule is not None and rule.SCOPE not in self.scopes:
            return False
        path = self.waivers.items[index].target.partition("#")[0]
        if "#" in self.waivers.items[index].target and self.inputs and Path(path).is_file():
            return repo_path(path) in self.inputs
        return True

    def each(self) -> Iterator[tuple[int, Waiver, date]]:
        """Each waiver with its index and expiry date, for the rules that judge waivers."""
        for i, w in enumerate(self.waivers.items):
            yield i, w, self.waivers.expires[i]

    def about(self, index: int, rule: str, severity: Severity, says: str) -> Finding:
        """A finding at waiver ``index`` that names it by rule and target and ``says`` what
        is wrong with it; its target survives reordering the file."""
        w, waived = self.waivers.items[index], self.waivers.rules[index]
        target = f"{self.waivers.loaded.path}#/waivers/[{waived}:{w.target}]"
        message = f"waiver for {waived} {w.target} {says}"
        return at(self.waivers.loaded, ("waivers", index), rule, severity, message, target=target)


def _parse_date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def load_waivers(path: str | Path) -> Waivers:
    """Load and check a waiver file; every bad rule or date is a ``Problem`` with its place."""
    return checked(load(path, WaiverFile))


def waiver_file() -> type[WaiverFile]:
    """The model of a waiver file, for ``load_any`` (``seloste validate``)."""
    return WaiverFile


def checked(loaded: Loaded[WaiverFile]) -> Waivers:
    """A loaded waiver file whose rules exist and may be waived and whose dates are dates;
    otherwise an ``InputError`` with every problem at its place."""
    from seloste.checks.rules import find

    problems: list[Problem] = []
    rules, dates = [], []
    for i, waiver in enumerate(loaded.model.waivers):
        rule = find(waiver.rule)
        if rule is None:
            msg = f"no rule {waiver.rule!r}; `seloste rules` lists them"
            problems.append(loaded.doc.problem(("waivers", i, "rule"), msg))
        elif rule.ID == NOT_CHECKED or rule.SCOPE == "gate":
            # Not being able to check is never an accepted risk, and waivers do not waive waivers.
            msg = f"{rule.ID} ({rule.NAME}) cannot be waived"
            problems.append(loaded.doc.problem(("waivers", i, "rule"), msg))
        rules.append(rule.ID if rule else waiver.rule)
        day = _parse_date(waiver.expires)
        if day is None:
            msg = f"expires: {waiver.expires!r} is not a date (YYYY-MM-DD)"
            problems.append(loaded.doc.problem(("waivers", i, "expires"), msg))
        dates.append(day or date.min)
    if problems:
        raise InputError(problems)
    return Waivers(loaded, tuple(rules), tuple(dates))


def _matches(waivers: Waivers, index: int, finding: Finding) -> bool:
    if waivers.rules[index] != finding.rule:
        return False
    target = waivers.items[index].target
    return target in (finding.target, printable(finding.target), finding.fingerprint)


def apply(
    findings: list[Finding],
    waivers: Waivers,
    today: date,
    *,
    scopes: frozenset[str] | None = None,
    inputs: tuple[str, ...] = (),
) -> list[Finding]:
    """The findings with the waived ones marked, plus a finding for each expired or stale waiver.

    A waiver holds through its ``expires`` day. ``scopes`` are the rule scopes this run checked
    and ``inputs`` the files it read (None and empty: everything).
    """
    from seloste.checks.rules import by_scope

    out: list[Finding] = []
    matched: set[int] = set()
    for f in findings:
        index = next((i for i in range(len(waivers.items)) if _matches(waivers, i, f)), None)
        if index is None:
            out.append(f)
            continue
        matched.add(index)
        w = waivers.items[index]
        if waivers.expires[index] < today:
            out.append(f)
            continue
        line, _ = waivers.loaded.mark("waivers", index)
        why = Suppression("waiver", w.justification, w.owner, w.expires, waivers.loaded.path, line)
        out.append(suppress(f, why))
    read = frozenset(repo_path(path) for path in inputs)
    outcome = Outcome(waivers, frozenset(matched), today, scopes, read)
    for rule in by_scope("gate"):
        out.extend(rule.check(outcome))
    return out
