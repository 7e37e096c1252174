"""Lint: the policy's and the bindings' own consistency, before any data is read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from seloste.checks import rules

if TYPE_CHECKING:
    from seloste.checks.context import BoundPolicy
    from seloste.checks.findings import Finding
    from seloste.policy.loader import Loaded
    from seloste.policy.model import Policy


def lint_policy(policy: Loaded[Policy]) -> list[Finding]:
    return [f for rule in rules.by_scope("policy") for f in rule.check(policy)]


def lint_bindings(bound: BoundPolicy) -> list[Finding]:
    return [f for rule in rules.by_scope("bindings") for f in rule.check(bound)]
