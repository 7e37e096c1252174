"""What the accuracy rules share: sample every bound column of one kind, flag invalid values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from checks.findings import Severity
from checks.snapshot.plan import Check, ValueCheck

if TYPE_CHECKING:
    from checks.snapshot.context import SnapshotContext


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
