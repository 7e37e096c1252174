"""Check data-flow files against the policy: does a flow send personal data somewhere the
notice does not allow?

This is the pre-commit path: it must stay light, so nothing here (or in the flow rules)
imports a database driver, SQLAlchemy or a template engine.
"""

from __future__ import annotations

from checks.findings import Finding
from checks.flows.context import FlowContext
from checks.flows.load import by_policy
from policy.loader import Loaded
from policy.model import Policy


def check_flows(paths: list[str], *, policy: Loaded[Policy] | None = None) -> list[Finding]:
    """Every finding of every flow rule in ``paths``.

    The policy is ``policy`` when given, else the one each file names under ``policy:``.
    Raises ``InputError`` with every problem of every file (and of the policies they name)
    before any rule runs: a half-read set of flows must not pass as clean.
    """
    return [f for ctx in contexts(paths, policy=policy) for f in run(ctx)]


def contexts(paths: list[str], *, policy: Loaded[Policy] | None = None) -> list[FlowContext]:
    return [FlowContext.of(p, files) for p, files in by_policy(paths, policy)]


def run(ctx: FlowContext) -> list[Finding]:
    from checks import rules

    return [f for rule in rules.by_scope("flows") for f in rule.check(ctx)]


__all__ = ["FlowContext", "check_flows", "contexts", "run"]
