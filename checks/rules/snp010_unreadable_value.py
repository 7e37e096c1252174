"""## What it does
Counts the values a rule must read but cannot: in every column a retention rule counts from
(relationship end, collection, last activity, consent withdrawal, a date field, an
exception's date; not those of a rule marked `verified_outside`), a value
that is not a time; and in every opt-out or restriction flag, a value that is neither set
(true, non-zero, `yes`, `y`, `x`, `on`, a time) nor unset (false, zero, `no`, `n`, `off`,
empty). What a time is, is exact and written down in `docs/times.md`: ISO 8601 text, a
native date or time type, or the format the bindings declare for the column
(`time_formats: {ended_at: "%d.%m.%Y"}`, `epoch_seconds`, `epoch_milliseconds`). An empty
relationship end means the relationship goes on, and an empty consent withdrawal that consent
still holds: neither is counted. Any other empty trigger (a collection time, a birth date) is
counted, since the rule cannot be judged without it.

## Why is this bad?
A rule that cannot read a value cannot say whether the row breaks it. `31.12.2015`, `Dec 31
2015` or `N/A` in a relationship-end column would otherwise pass as "not expired": the
storage limitation of GDPR Art. 5(1)(e) would be checked on some rows and silently not on
others. The finding counts the rows and lists the first keys, never the values.

## Example
```yaml
tables:
  customers:
    relationship_end: ended_at
# customers.ended_at holds 2025-07-31T12:00:00Z (read), 31.12.2015 and N/A (not read)
```

Passes: `2025-07-31`, `2025-07-31 12:00`, `2025-07-31T12:00:00+03:00`, or any value of a
`TIMESTAMP` column.

Use instead: write times as ISO 8601 (and clean up the others), or declare the column's
format when the whole column uses one:
```yaml
    time_formats: {ended_at: "%d.%m.%Y"}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot.plan import Check, RowCheck
from seloste.policy.model import PENDING_TRIGGERS

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext
    from seloste.policy.model import Register, TableBinding

ID = "SNP010"
NAME = "unreadable-value"
SEVERITY: Severity = "error"
SCOPE = "snapshot"

FLAGS = {"marketing_opt_out": "opt-out flag", "restricted": "restriction flag"}


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    from seloste.checks.snapshot.context import any_of

    for table, binding in ctx.bound_tables():
        scope = ctx.scope(table)
        register = ctx.policy.registers.get(binding.register_id)
        for column, (ends, uses) in _time_columns(binding, register).items():
            col = scope.col(table, column)
            if col is None:
                continue  # reported as not checked
            condition = scope.unreadable_time(table, column)
            if not ends:  # an empty collection or date leaves the rule unjudged
                condition = any_of([condition, col.is_(None)])
            if condition is None:
                continue
            what = (
                "no time or one that cannot be read" if not ends else "a value that is not a time"
            )
            yield RowCheck(
                ID,
                SEVERITY,
                table,
                column,
                condition,
                f"{table}.{column} holds {what}, so retention {', '.join(uses)} cannot judge "
                "these rows",
            )
        for attr, what in FLAGS.items():
            column = getattr(binding, attr)
            condition = scope.unreadable_flag(table, column) if column else None
            if condition is not None:
                yield RowCheck(
                    ID,
                    SEVERITY,
                    table,
                    column,
                    condition,
                    f"{table}.{column} ({what}) holds a value that is neither set nor unset",
                )


def _time_columns(
    binding: TableBinding, register: Register | None
) -> dict[str, tuple[bool, list[str]]]:
    """The table's columns that retention rules count from: column -> (only triggers whose
    empty value means "not yet" read it (relationship end, consent withdrawal), the rules and
    exceptions that do)."""
    out: dict[str, tuple[bool, list[str]]] = {}
    if register is None:
        return out
    for tid, rule in register.retention.items():
        if rule.verified_outside is not None:
            continue  # not read in the database: its columns need not hold times
        uses = [(tid, rule.trigger, rule.date_field)]
        for eid, exception in rule.exceptions.items():
            if exception.verified_outside is not None:
                continue
            trigger = exception.trigger or rule.trigger
            date_field = exception.date_field if exception.trigger else rule.date_field
            uses.append((f"{tid}/{eid}", trigger, date_field))
        for name, trigger, date_field in uses:
            column = binding.time_column(trigger, date_field)
            if column:
                ends, names = out.get(column, (True, []))
                out[column] = (ends and trigger in PENDING_TRIGGERS, [*names, repr(name)])
    return out


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
