"""What the accuracy rules share: sample every bound column of one kind, flag invalid values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot.plan import Check, RowCheck, ValueCheck

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext
    from seloste.policy.model import TableBinding


def invalid_values(
    ctx: SnapshotContext,
    rule: str,
    severity: Severity,
    kind: str,
    valid: Callable[[Any], bool],
    what: str,
) -> Iterator[Check]:
    """A value check on each bound column mapped to a field of ``kind``."""
    for table, binding in ctx.bound_tables():
        for column, field_id in binding.columns.items():
            field = ctx.policy.fields.get(field_id)
            if field is None or field.kind != kind:
                continue
            if ctx.scope(table).col(table, column) is None:
                continue  # reported as not checked
            yield ValueCheck(
                rule,
                severity,
                table,
                column,
                lambda value: not valid(value),
                f"{table}.{column} ({field_id}) holds {what}",
            )


def marketing_purposes(ctx: SnapshotContext, binding: TableBinding) -> list[str]:
    """The marketing purposes (``marketing: true``) among the table's ``purposes``."""
    purposes = ctx.policy.purposes
    return [p for p in binding.purposes if p in purposes and purposes[p].marketing]


def flagged_subjects(
    ctx: SnapshotContext,
    rule: str,
    severity: Severity,
    flag: str,
    applies: Callable[[TableBinding], bool],
    describe: Callable[[str, TableBinding], str],
) -> Iterator[Check]:
    """A row check on each table ``applies`` picks: rows whose subject carries ``flag`` (the
    binding attribute naming the column, on the table or along its subject links, which may
    lead into another register that shares its data subjects: BND003). The opt-out and
    restriction rules differ only in these arguments. A table that ``applies`` does not pick
    (no marketing purpose, not outbound) is not checked for the flag: storing is allowed."""
    from seloste.checks.rules.bnd004_unbound_rule_column import gaps
    from seloste.checks.snapshot.context import any_of

    # Registers that bind no such column at all: BND004's finding, at validate and at check.
    unbound = {g.register for g in gaps(ctx.bound) if g.flag == flag}
    for table, binding in ctx.bound_tables():
        if not applies(binding):
            continue
        scope = ctx.scope(table)
        flags = [(name, getattr(b, flag)) for name, b in scope.bindings() if getattr(b, flag)]
        if not flags:  # a check that cannot run is an error, never a pass
            if binding.register_id not in unbound:
                ctx.gap(table, None, f"no {flag} column on it or along its subject links")
            continue
        condition = any_of([scope.truthy(name, column) for name, column in flags])
        if condition is None:
            continue  # its columns are missing, and reported as not checked
        yield RowCheck(
            rule, severity, table, _flag_column(binding, flag), condition, describe(table, binding)
        )


def unbound_flag(ctx: SnapshotContext, flag: str) -> Iterator[Finding]:
    """The registers that grant a right but bind no ``flag`` column anywhere they reach: the
    bindings' finding (BND004), reported by the rule that could not count them."""
    from seloste.checks.rules import bnd004_unbound_rule_column as bnd004

    for gap in bnd004.gaps(ctx.bound):
        if gap.flag == flag:
            yield bnd004.finding(ctx.bound, gap)


def _flag_column(binding: TableBinding, flag: str) -> str | None:
    """Where to point: the flag column itself, or the link that leads to it."""
    own: str | None = getattr(binding, flag)
    return own or (binding.subject.column if binding.subject else None)
