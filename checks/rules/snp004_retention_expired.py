"""## What it does
Checks the register's retention rules against the data at the as-of time (`--as-of`,
default now, taken to the second): a record whose trigger (relationship end, collection,
last activity, consent withdrawal or a date field) lies strictly before the cut-off, the
as-of time minus the rule's `period` by the calendar, should be gone. Times are compared as
instants however the column stores them (a native date or time type, ISO 8601 text with or
without an offset, or a format the bindings declare; `docs/times.md`); a value that is not a
time is not counted here but reported by SNP010, and an empty relationship end or consent
withdrawal means it has not happened yet.

Which tables a rule applies to (`docs/retention.md`), among the tables of its register:
- a table that has the trigger's column itself (for `trigger: date`, a column mapped to the
  `date_field`): its rows are judged by their own value;
- with `linked_content: true`, also a table whose `subject` links lead, within the
  register, to a table with that column (a customer's contacts, domains, the domains'
  mailboxes), joined in the database; a table binding with `linked_content: false` (a
  consent-based subscription) stays out and follows its own rules;
- no other table: a table with neither is not judged by that rule.

A retention exception keeps a table only when it lists every field the table holds (a table
with one field more still follows the rule), until the exception's own period has run out too:
invoices seven years from their invoice date. A rule or exception marked `verified_outside`
is not checked here; SNP011 names it and who verifies it. A rule whose column the bindings
do not give is BND004's finding, here as at `validate`.

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
from seloste.checks.retention import anchor, covers
from seloste.checks.rules import bnd004_unbound_rule_column as bnd004
from seloste.checks.snapshot.plan import Check, RowCheck
from seloste.policy.model import RetentionException, RetentionRule, TableBinding
from seloste.policy.wording import period_words

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
    "consent_withdrawn": "consent was withdrawn",
}


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    for rid, register in ctx.policy.registers.items():
        tables = [(t, b) for t, b in ctx.bound_tables() if b.register_id == rid]
        for tid, rule in register.retention.items():
            if rule.verified_outside is not None:
                continue  # checked elsewhere: SNP011 says by whom
            # A rule no bound column lets us check is BND004's finding, at validate and here.
            for table, binding in tables:
                yield from _table(ctx, table, binding, tid, rule)


def _anchor(
    scope: Scope, register: str, trigger: str, date_field: str | None
) -> tuple[str, str] | None:
    """The table and column along the scope's subject links the rule counts from
    (checks/retention.py)."""
    return anchor(scope.bindings(), register, trigger, date_field)


def _when(trigger: str, date_field: str | None, cutoff: datetime) -> str:
    """The boundary the count used, to the second, in UTC."""
    words = TRIGGER_WORDS.get(trigger, f"its {date_field} is")
    return f"{words} before {cutoff.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def _kept(period: str, trigger: str, date_field: str | None) -> str:
    """How long a rule keeps data, in words a reader of the notice knows: "3 months after the
    relationship ended", "7 years after its invoice_date"."""
    event = TRIGGER_WORDS.get(trigger, f"its {date_field}")
    length = period_words(period, "en")
    return f"as soon as {event}" if length.startswith("0 ") else f"{length} after {event}"


def _table(
    ctx: SnapshotContext, table: str, binding: TableBinding, tid: str, rule: RetentionRule
) -> Iterator[Check]:
    scope = ctx.scope(table)
    anchor = _anchor(scope, binding.register_id, rule.trigger, rule.date_field)
    linked = rule.linked_content and binding.linked_content
    if anchor is None or (anchor[0] != table and not linked):
        return  # the rule does not reach this table (docs/retention.md)
    cutoff = ctx.cutoff(rule.period)
    condition = scope.before(*anchor, cutoff)
    when = _when(rule.trigger, rule.date_field, cutoff)
    past = f"kept longer than retention {tid!r} allows"
    past += f" ({_kept(rule.period, rule.trigger, rule.date_field)}): {when}"
    if anchor[0] == table:
        message = f"record {past}"
        column: str | None = anchor[1]
    else:
        message = f"content linked to records of {anchor[0]} {past}"
        column = binding.subject.column if binding.subject else None
    if rule.scope == "fields":
        from seloste.checks.snapshot.context import all_of, any_of

        held = [c for c, f in binding.columns.items() if f in rule.fields]
        if not held:
            return
        condition = all_of([condition, any_of([scope.not_null(table, c) for c in held])])
        message += f"; {rule.action} the fields {', '.join(held)}"
    for eid, exception in rule.exceptions.items():
        if covers(exception.fields, binding):
            if exception.verified_outside is not None:
                return  # the exception decides, outside the database: SNP011 says so
            kept = _exception(scope, binding.register_id, exception, rule)
            if kept is None:
                return  # no column to count the exception from: BND004's finding
            from seloste.checks.snapshot.context import all_of

            condition = all_of([condition, kept[0]])
            message += f", and exception {eid!r} {kept[1]}"
            break
    if condition is not None:
        yield RowCheck(ID, SEVERITY, table, column, condition, message, detail=tid)


def _exception(
    scope: Scope, register: str, exception: RetentionException, rule: RetentionRule
) -> tuple[Any, str] | None:
    trigger = exception.trigger or rule.trigger
    date_field = exception.date_field if exception.trigger else rule.date_field
    anchor = _anchor(scope, register, trigger, date_field)
    if anchor is None:
        return None
    cutoff = scope.ctx.cutoff(exception.period)
    keeps = _kept(exception.period, trigger, date_field)
    return scope.before(*anchor, cutoff), (
        f"({keeps}) no longer keeps it: {_when(trigger, date_field, cutoff)}"
    )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    yield from ctx.findings(ID)
    # The rules no bound column lets us count: the bindings' finding, as `validate` made it.
    for gap in bnd004.gaps(ctx.bound):
        if gap.flag is None:
            yield bnd004.finding(ctx.bound, gap)
