"""Check data-flow files against the policy: does a flow send personal data somewhere the
notice does not allow?

This is the pre-commit path: it must stay light, so nothing here (or in the flow rules)
imports a database driver, SQLAlchemy or a template engine, and nothing imports pydantic
until a file is validated with it (the hook's path from a cached view does not:
checks/flows/hook.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from seloste.checks.findings import CheckedFlow, Finding
from seloste.checks.flows.context import FlowContext, PolicyIndex
from seloste.policy.errors import InputError, Problem
from seloste.policy.yamlsource import cycles_unchecked

if TYPE_CHECKING:
    from seloste.checks.flows.jobs import Outcome
    from seloste.policy.loaded import Loaded
    from seloste.policy.model import Policy


class Checked(NamedTuple):
    """What checking flow files gives: the findings, in report order, and the flows checked
    (for the HTML report's data-flow map; empty unless asked for)."""

    findings: list[Finding]
    flows: list[CheckedFlow]


def checked(
    paths: list[str],
    *,
    policy: Loaded[Policy] | None = None,
    jobs: int = 0,
    outside_root: bool = False,
    on: date | None = None,
    flows: bool = False,
    cache: bool = False,
) -> Checked:
    """Every finding of every flow rule in ``paths``, and with ``flows`` every flow they
    declare.

    The policy is ``policy`` when given, else the one each file names under ``policy:``
    (inside the file's root unless ``outside_root``: policy/files.py). ``on`` is the day an
    adequacy decision must be in force (``--as-of``; default today). With ``cache``, a named
    policy that did not change is taken from the user's policy cache (policy/cache.py).
    Raises ``InputError`` with every problem of every file (and of the policies they name),
    and no finding: a half-read set of flows must not pass as clean.

    Each file is checked as it is read and only its findings are kept (and with ``flows`` a
    small record per flow), so memory does not grow with the number of files. Files are
    independent of each other (every flow rule asks about one flow), so a large set is split
    over ``jobs`` processes; 0 chooses by the machine and the input's size.
    """
    from seloste.checks.flows.jobs import chunks  # threading: not on the hook's path
    from seloste.checks.flows.load import unique

    parts = chunks(unique(paths), jobs)
    if len(parts) == 1:
        outcomes = [check_files(parts[0], policy, outside_root, on, flows, cache)]
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        # fork: the workers start with everything imported; chunks() only offers more than
        # one part where fork is safe (Linux, one thread).
        with ProcessPoolExecutor(len(parts), mp_context=get_context("fork")) as pool:
            n = len(parts)
            each = ([policy] * n, [outside_root] * n, [on] * n, [flows] * n, [cache] * n)
            outcomes = list(pool.map(check_files, parts, *each))
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
    flows: bool = False,
    cache: bool = False,
) -> Outcome:
    """One part's findings (and with ``flows`` its flows), or its input problems (an
    ``InputError`` does not survive the trip back from a worker process: it is rebuilt from
    its message)."""
    with cycles_unchecked():
        return _check(paths, policy, outside_root, on, flows, cache)


def _check(
    paths: list[str],
    policy: Loaded[Policy] | None,
    outside_root: bool,
    on: date | None,
    keep_flows: bool,
    cache: bool,
) -> Outcome:
    from seloste.checks.flows.jobs import Outcome
    from seloste.checks.flows.load import group
    from seloste.policy.flows import Flows
    from seloste.policy.loader import load as load_file

    findings: list[Finding] = []
    problems: list[Problem] = []
    flows: list[CheckedFlow] = []
    policies: dict[Path, Loaded[Policy] | InputError] = {}
    # By the policy's identity: each is held by ``policies`` (or is ``policy``) until the end.
    indexes: dict[int, PolicyIndex] = {}
    for path in paths:
        # One file at a time, freed before the next is read (while the collector is paused:
        # freed after it, they cost a quarter of the run).
        try:
            file = load_file(path, Flows)
            [(named, files)] = group(
                [file], policy, policies=policies, outside_root=outside_root, cache=cache
            )
        except InputError as exc:
            problems += exc.problems
            continue
        if problems:
            continue  # no finding counts now; every file is still read for its problems
        index = indexes.get(id(named))
        if index is None:
            index = indexes[id(named)] = PolicyIndex.of(named.model, on)
        ctx = FlowContext(named, tuple(files), index)
        findings += run(ctx)
        if keep_flows:
            flows += ctx.checked()
    if problems:
        return Outcome([], problems)
    return Outcome(findings, [], tuple(flows))


def run(ctx: FlowContext) -> list[Finding]:
    from seloste.checks import rules

    return [f for rule in rules.by_scope("flows") for f in rule.check(ctx)]


__all__ = ["Checked", "FlowContext", "check_flows", "checked", "run"]
