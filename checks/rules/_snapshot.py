"""What the accuracy rules share: sample every bound column of one kind, flag invalid values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from checks.findings import Severity
from checks.snapshot.plan import Check, RowCheck, ValueCheck

if TYPE_CHECKING:
    from checks.snapshot.context import SnapshotContext
    from policy.model import Purpose, TableBinding


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


def flagged_subjects(
    ctx: SnapshotContext,
    rule: str,
    severity: Severity,
    flag: str,
    serves: Callable[[Purpose], bool],
    describe: Callable[[str, list[str]], str],
) -> Iterator[Check]:
    """A row check on each table serving a purpose that ``serves`` picks: rows whose subject
    carries ``flag`` (the binding attribute naming the column, on the table or along its
    subject links). The opt-out and restriction rules differ only in these arguments."""
    from checks.snapshot.context import any_of

    purposes = ctx.policy.purposes
    for table, binding in ctx.bound_tables():
        picked = [p for p in binding.purposes if p in purposes and serves(purposes[p])]
        if not picked:
            continue
        scope = ctx.scope(table)
        flags = [(name, getattr(b, flag)) for name, b in scope.bindings() if getattr(b, flag)]
        if not flags:  # a check that cannot run is an error, never a pass
            ctx.gap(table, None, f"no {flag} column on it or along its subject links")
            continue
        condition = any_of([scope.truthy(name, column) for name, column in flags])
        if condition is None:
            continue  # its columns are missing, and reported as not checked
        yield RowCheck(
            rule, severity, table, _flag_column(binding, flag), condition, describe(table, picked)
        )


def _flag_column(binding: TableBinding, flag: str) -> str | None:
    """Where to point: the flag column itself, or the link that leads to it."""
    own: str | None = getattr(binding, flag)
    return own or (binding.subject.column if binding.subject else None)
