"""## What it does
Checks the register's retention rules against the data at the as-of time (`--as-of`,
default now, taken to the second): a record whose trigger (relationship end, collection,
last activity or a date field) lies strictly before the cut-off, the as-of time minus the
rule's `period` by the calendar, should be gone. Times are compared as instants however the
column stores them (a native date or time type, ISO 8601 text with or without an offset,
or a format the bindings declare; `docs/times.md`); a value that is not a time is not
counted here but reported by SNP010, and an empty relationship end means the relationship
goes on. With
`linked_content: true` the rule also covers the rows linked to such a record through
`subject` links (a customer's contacts, domains, and the domains' mailboxes), joined in the
database. A retention exception keeps the tables it covers (all of whose fields it lists)
until its own period has run out too: invoices seven years from their invoice date.

## Why is this bad?
Keeping personal data longer than the notice says breaks the storage limitation principle
(GDPR Art. 5(1)(e)) and the notice's own promise: "when the service relationship ends, all
contact data and the customer content linked to it is deleted".

## Example
```yaml
retention:
  after-relationship:
    trigger: relationship_end
    period: P3M
    action: delete
    linked_content: true
# customers row 23 has ended_at 2025-03-14; checked --as-of 2026-11-01
```

Use instead: delete (or anonymise, as the rule says) the record and its linked content once
the period has passed, for example from a nightly job:
```sql
DELETE FROM customers WHERE ended_at < :as_of_minus_3_months;
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot.plan import Check, RowCheck
from seloste.policy.model import RetentionException, RetentionRule, TableBinding

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import Scope, SnapshotContext

ID = "SNP004"
NAME = "retention-expired"
SEVERITY: Severity = "error"
SCOPE = "snapshot"

TRIGGER_WORDS = {
    "relationship_end": "the relationship ended",
    "collection": "it was collected",
    "last_activity": "it was last active",
}


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    for rid, register in ctx.policy.registers.items():
        tables = [(t, b) for t, b in ctx.bound_tables() if b.register_id == rid]
        for tid, rule in register.retention.items():
            anchored = [
                t for t, _ in tables if _anchor(ctx.scope(t), rule.trigger, rule.date_field)
            ]
            if tables and not anchored:  # a check that cannot run is an error, never a pass
                ctx.gap(
                    tables[0][0], None, f"retention {tid!r} of {rid!r} has no {rule.trigger} column"
                )
            for table, binding in tables:
                yield from _table(ctx, table, binding, tid, rule)


def _anchor(scope: Scope, trigger: str, date_field: str | None) -> tuple[str, str] | None:
    """The nearest table along the subject links with the trigger's column, and the column."""
    for name, binding in scope.bindings():
        column = binding.time_column(trigger, date_field)
        if column:
            return name, column
    return None


def _when(trigger: str, date_field: str | None, cutoff: datetime) -> str:
    """The boundary the count used, to the second, in UTC."""
    words = TRIGGER_WORDS.get(trigger, f"its {date_field} is")
    return f"{words} before {cutoff.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def _table(
    ctx: SnapshotContext, table: str, binding: TableBinding, tid: str, rule: RetentionRule
) -> Iterator[Check]:
    scope = ctx.scope(table)
    anchor = _anchor(scope, rule.trigger, rule.date_field)
    if anchor is None or (anchor[0] != table and not rule.linked_content):
        return
    cutoff = ctx.cutoff(rule.period)
    condition = scope.before(*anchor, cutoff)
    when = _when(rule.trigger, rule.date_field, cutoff)
    if anchor[0] == table:
        message = f"record past retention {tid!r}: {when} ({rule.period} before the as-of time)"
        column: str | None = anchor[1]
    else:
        message = (
            f"content linked to {anchor[0]} records past retention {tid!r}: {when} "
            f"({rule.period} before the as-of time)"
        )
        column = binding.subject.column if binding.subject else None
    if rule.scope == "fields":
        from seloste.checks.snapshot.context import all_of, any_of

        held = [c for c, f in binding.columns.items() if f in rule.fields]
        if not held:
            return
        condition = all_of([condition, any_of([scope.not_null(table, c) for c in held])])
        message += f"; {rule.action} the fields {', '.join(held)}"
    for eid, exception in rule.exceptions.items():
        if _covers(exception, binding):
            kept = _exception(ctx, scope, table, eid, exception, rule)
            from seloste.checks.snapshot.context import all_of

            condition = all_of([condition, kept[0] if kept else None])
            message += f", and exception {eid!r} no longer keeps it: {kept[1] if kept else ''}"
            break
    if condition is not None:
        yield RowCheck(ID, SEVERITY, table, column, condition, message, detail=tid)


def _covers(exception: RetentionException, binding: TableBinding) -> bool:
    """The exception keeps a table when it lists every field the table holds."""
    fields = set(binding.columns.values())
    return bool(fields) and fields <= set(exception.fields)


def _exception(
    ctx: SnapshotContext,
    scope: Scope,
    table: str,
    eid: str,
    exception: RetentionException,
    rule: RetentionRule,
) -> tuple[Any, str] | None:
    trigger = exception.trigger or rule.trigger
    date_field = exception.date_field if exception.trigger else rule.date_field
    anchor = _anchor(scope, trigger, date_field)
    if anchor is None:
        ctx.gap(table, None, f"retention exception {eid!r} needs a column for {trigger}")
        return None
    cutoff = ctx.cutoff(exception.period)
    return scope.before(
        *anchor, cutoff
    ), f"{_when(trigger, date_field, cutoff)} ({exception.period})"


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
