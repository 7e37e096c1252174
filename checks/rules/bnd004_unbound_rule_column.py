"""## What it does
Checks that the bindings give every register the columns its rules need: the column for each
retention trigger (relationship end, collection, last activity, the date field), and the
marketing opt-out and restriction flags when the register grants those rights.

## Why is this bad?
A rule whose column is not bound cannot be checked against the data. seloste treats a check
that could not run as an error, never as a pass, so the gap is reported here, before any
database is opened.

## Example
```yaml
# policy: customer_register has a relationship_end retention rule and grants restriction
tables:
  customers:
    register: customer_register
    key: id
```

Use instead:
```yaml
tables:
  customers:
    register: customer_register
    key: id
    relationship_end: ended_at
    restricted: processing_restricted
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at
from seloste.policy.model import TRIGGER_COLUMNS

ID = "BND004"
NAME = "unbound-rule-column"
SEVERITY: Severity = "error"
SCOPE = "bindings"

RIGHT_COLUMNS = {"marketing_opt_out": "marketing_opt_out", "restriction": "restricted"}


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    policy = ctx.policy.model
    by_register: dict[str, list[str]] = {}
    for table, binding in ctx.bindings.model.tables.items():
        by_register.setdefault(binding.register_id, []).append(table)
    tables = ctx.bindings.model.tables
    for rid, names in by_register.items():
        register = policy.registers.get(rid)
        if register is None:
            continue
        first = ("tables", names[0])
        bound = [tables[n] for n in names]
        for tid, rule in register.retention.items():
            ok = any(b.time_column(rule.trigger, rule.date_field) for b in bound)
            if rule.trigger == "date":
                need = f"a column mapped to {rule.date_field!r}"
            else:
                need = f"a {TRIGGER_COLUMNS[rule.trigger]} column"
            if not ok:
                yield at(
                    ctx.bindings,
                    first,
                    ID,
                    SEVERITY,
                    f"retention {tid!r} of register {rid!r} needs {need}; no bound table has one",
                    key=True,
                )
        for right, attr in RIGHT_COLUMNS.items():
            if right in register.rights and not any(getattr(b, attr) for b in bound):
                yield at(
                    ctx.bindings,
                    first,
                    ID,
                    SEVERITY,
                    f"register {rid!r} grants {right} but no bound table has a {attr} column",
                    key=True,
                )
