"""## What it does
Checks that each retention rule can be applied as written: a `date` trigger (on a rule or an
exception) names a `date_field` the register holds, of kind `date`, `birth_date` or
`timestamp` ("ten years from birth", "five years from the agreement's end date"); a
`date_field` goes only with trigger `date`; a `fields` scope lists fields the register holds;
and each exception keeps fields the register holds, for longer than the rule when both count
from the same moment.

## Why is this bad?
A retention rule that cannot be evaluated is one no check can enforce, and an exception shorter
than its rule, or for fields the register does not hold, is not an exception to anything.

## Example
```yaml
retention:
  invoices:
    trigger: date
    period: P6Y
    action: delete
```

Use instead:
```yaml
retention:
  invoices:
    trigger: date
    date_field: invoice_date
    period: P6Y
    action: delete
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy import periods
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy, Register, RetentionRule

ID = "POL013"
NAME = "incomplete-retention"
SEVERITY: Severity = "error"
SCOPE = "policy"

# The kinds of field a date-triggered rule may count from.
DATE_KINDS = ("date", "birth_date", "timestamp")


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    for rid, register in policy.model.registers.items():
        for tid, rule in register.retention.items():
            base = ("registers", rid, "retention", tid)
            for path, message in _problems(policy.model, register, rule):
                yield at(policy, (*base, *path), ID, SEVERITY, f"retention {tid!r}: {message}")


def _problems(
    model: Policy, register: Register, rule: RetentionRule
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if rule.trigger == "date" and rule.date_field is None:
        yield ("trigger",), "trigger date needs a date_field"
    yield from _date_field(model, register, rule.trigger, rule.date_field, ())
    if rule.scope == "fields" and not rule.fields:
        yield ("scope",), "scope fields needs a list of fields"
    if rule.scope == "record" and rule.fields:
        yield ("fields",), "fields are only used with scope fields"
    for i, fid in enumerate(rule.fields):
        if fid in model.fields and fid not in register.fields:
            yield ("fields", i), f"the register does not hold {fid!r}"
    for eid, exception in rule.exceptions.items():
        trigger = exception.trigger or rule.trigger
        if trigger == "date" and (exception.date_field or rule.date_field) is None:
            yield ("exceptions", eid), f"exception {eid!r} has trigger date but no date_field"
        if exception.trigger is not None:
            where = ("exceptions", eid)
            yield from _date_field(model, register, trigger, exception.date_field, where)
        elif exception.date_field is not None:
            yield (
                ("exceptions", eid, "date_field"),
                f"exception {eid!r} counts from its rule's trigger; give it trigger: date "
                "to count from its date_field",
            )
        same_start = exception.trigger is None or (
            exception.trigger == rule.trigger and exception.date_field == rule.date_field
        )
        if same_start and periods.compare(exception.period, rule.period) <= 0:
            # Imported here: the pre-commit path loads no wording for a policy without this.
            from seloste.policy.wording import period_words

            mine, its = (period_words(p, "en") for p in (exception.period, rule.period))
            yield (
                ("exceptions", eid, "period"),
                f"exception {eid!r} keeps data for {mine} ({exception.period}), "
                f"not longer than the rule's {its} ({rule.period})",
            )
        for i, fid in enumerate(exception.fields):
            if fid in model.fields and fid not in register.fields:
                yield ("exceptions", eid, "fields", i), f"the register does not hold {fid!r}"


def _date_field(
    model: Policy,
    register: Register,
    trigger: str,
    date_field: str | None,
    where: tuple[str | int, ...],
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """A ``date_field`` names a field of the register that holds a date (any date field:
    an invoice date, a birth date, an agreement's end), and only with trigger date."""
    if date_field is None:
        return
    path = (*where, "date_field")
    if trigger != "date":
        yield path, f"date_field is only used with trigger date, not {trigger}"
        return
    field = model.fields.get(date_field)
    if field is None:
        return  # POL001 reports an unknown field
    if field.kind not in DATE_KINDS:
        yield path, f"{date_field!r} is of kind {field.kind}, not {' or '.join(DATE_KINDS)}"
    elif date_field not in register.fields:
        yield path, f"the register does not hold {date_field!r}"
