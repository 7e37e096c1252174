"""Check data-flow files against the policy: does a flow send personal data somewhere the
notice does not allow?

This is the pre-commit path: it must stay light, so nothing here (or in the flow rules)
imports a database driver, SQLAlchemy or a template engine.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from seloste.checks.findings import CheckedFlow, Finding
from seloste.checks.flows.context import FlowContext
from seloste.checks.flows.jobs import Outcome, chunks
from seloste.checks.flows.load import by_policy, unique
from seloste.policy.errors import InputError
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.yamlsource import cycles_unchecked


class Checked(NamedTuple):
    """What checking flow files gives: the findings, in report order, and every flow checked
    (for the HTML report's data-flow map)."""

    findings: list[Finding]
    flows: list[CheckedFlow]


def checked(
    paths: list[str],
    *,
    policy: Loaded[Policy] | None = None,
    jobs: int = 0,
    outside_root: bool = False,
    on: date | None = None,
) -> Checked:
    """Every finding of every flow rule in ``paths``, and every flow they declare.

    The policy is ``policy`` when given, else the one each file names under ``policy:``
    (inside the file's root unless ``outside_root``: policy/files.py). ``on`` is the day an
    adequacy decision must be in force (``--as-of``; default today).
    Raises ``InputError`` with every problem of every file (and of the policies they name)
    before any rule runs: a half-read set of flows must not pass as clean.

    Files are independent of each other (every flow rule asks about one flow), so a large
    set is split over ``jobs`` processes; 0 chooses by the machine and the input's size.
    """
    parts = chunks(unique(paths), jobs)
    if len(parts) == 1:
        outcomes = [check_files(parts[0], policy, outside_root, on)]
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        # fork: the workers start with everything imported; chunks() only offers more than
        # one part where fork is safe (Linux, one thread).
        with ProcessPoolExecutor(len(parts), mp_context=get_context("fork")) as pool:
            n = len(parts)
            outcomes = list(
                pool.map(check_files, parts, [policy] * n, [outside_root] * n, [on] * n)
            )
    problems = [p for o in outcomes for p in o.problems]
    if problems:
        raise InputError(problems)
    findings = sorted((f for o in outcomes for f in o.findings), key=Finding.sort_key)
    return Checked(findings, [flow for o in outcomes for flow in o.flows])


def check_flows(
    paths: list[str],
    *,
    policy: Loaded[Policy] | None = None,
    jobs: int = 0,
    outside_root: bool = False,
    on: date | None = None,
) -> list[Finding]:
    """The findings of :func:`checked`, for a caller that draws no map."""
    return checked(paths, policy=policy, jobs=jobs, outside_root=outside_root, on=on).findings


def check_files(
    paths: list[str],
    policy: Loaded[Policy] | None,
    outside_root: bool = False,
    on: date | None = None,
) -> Outcome:
    """One part's findings and flows, or its input problems (an ``InputError`` does not
    survive the trip back from a worker process: it is rebuilt from its message)."""
    try:
        with cycles_unchecked():
            return _check(paths, policy, outside_root, on)
    except InputError as exc:
        return Outcome([], exc.problems)


def _check(
    paths: list[str], policy: Loaded[Policy] | None, outside_root: bool, on: date | None
) -> Outcome:
    # The contexts (every file read) are freed when this returns, while the collector is
    # still paused: freed after it, they cost a quarter of the run.
    found = contexts(paths, policy=policy, outside_root=outside_root, on=on)
    findings = [f for ctx in found for f in run(ctx)]
    return Outcome(findings, [], tuple(flow for ctx in found for flow in ctx.checked()))


def contexts(
    paths: list[str],
    *,
    policy: Loaded[Policy] | None = None,
    outside_root: bool = False,
    on: date | None = None,
) -> list[FlowContext]:
    grouped = by_policy(paths, policy, outside_root=outside_root)
    return [FlowContext.of(p, files, on) for p, files in grouped]


def run(ctx: FlowContext) -> list[Finding]:
    from seloste.checks import rules

    return [f for rule in rules.by_scope("flows") for f in rule.check(ctx)]


__all__ = ["Checked", "FlowContext", "check_flows", "checked", "contexts", "run"]
