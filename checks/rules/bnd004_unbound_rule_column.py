"""## What it does
Checks that the bindings give every register the columns its rules need: the column for each
retention trigger (relationship end, collection, last activity, consent withdrawal, the date
field) on a bound table of the register, the column each retention exception counts from on
every table the exception covers (the table or a table of the register its `subject` links
lead to), and the marketing opt-out and restriction flags when the register grants those
rights (on a table of the register or one its tables link to). A retention rule or exception marked
`verified_outside` needs no column: it is not checked in the database (SNP011 says so).

`seloste validate` reports these gaps, and `seloste check` reports the same findings again
(the rules whose column is missing are not counted), so one gap has one rule ID. Like any
finding, it can be waived.

## Why is this bad?
A rule whose column is not bound cannot be checked against the data. seloste treats a check
that could not run as a finding, never as a pass, so the gap is reported here, before any
database is opened. A rule that this database cannot show at all ("kept while the agreement
is valid", and no column holds the agreement's end) is declared honestly with
`verified_outside` instead: who verifies it, and how.

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

or, when no column of this database holds the trigger, say who verifies the rule:
```yaml
retention:
  while-agreement-valid:
    trigger: relationship_end
    period: P6M
    action: delete
    verified_outside:
      by: {fi: Talousosasto, en: the finance team}
      how: {fi: Neljännesvuosittainen arkistokatselmus, en: the quarterly archive review}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at
from seloste.checks.retention import covers
from seloste.policy.tables import TRIGGER_COLUMNS, subject_chain, time_column

if TYPE_CHECKING:
    from seloste.policy.model import TableBinding

ID = "BND004"
NAME = "unbound-rule-column"
SEVERITY: Severity = "error"
SCOPE = "bindings"

RIGHT_COLUMNS = {"marketing_opt_out": "marketing_opt_out", "restriction": "restricted"}


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    return (finding(ctx, gap) for gap in gaps(ctx))


def finding(ctx: BoundPolicy, gap: Gap) -> Finding:
    """The finding for one gap, at the table binding it concerns; the snapshot rules report
    it too, for the rules they could not count (one gap, one rule ID)."""
    return at(ctx.bindings, ("tables", gap.table), ID, SEVERITY, gap.message, key=True)


class Gap:
    """A rule of a register that no bound column lets seloste check."""

    def __init__(self, register: str, table: str, message: str, flag: str | None = None) -> None:
        self.register = register
        self.table = table  # where the finding points: the register's first bound table
        self.message = message
        self.flag = flag  # for a missing right's flag: the binding key (marketing_opt_out, ...)


def gaps(ctx: BoundPolicy) -> Iterator[Gap]:
    """Every rule column the bindings leave out, for ``check`` here and for the snapshot
    rules, which report these findings again rather than call the rules they could not
    count not checked (SEL001)."""
    policy = ctx.policy.model
    tables = ctx.bindings.model.tables
    by_register: dict[str, list[str]] = {}
    for table, binding in tables.items():
        by_register.setdefault(binding.register_id, []).append(table)
    for rid, names in by_register.items():
        register = policy.registers.get(rid)
        if register is None:
            continue
        first = names[0]
        bound = [tables[n] for n in names]
        for tid, rule in register.retention.items():
            if rule.verified_outside is not None:
                continue
            unbound = not any(time_column(b, rule.trigger, rule.date_field) for b in bound)
            if unbound:
                need = needed(rule.trigger, rule.date_field)
                yield Gap(
                    rid,
                    first,
                    f"retention {tid!r} of register {rid!r} needs {need}; no bound table has "
                    "one (bind it, or say who checks the rule with verified_outside)",
                )
            for eid, exception in rule.exceptions.items():
                if exception.verified_outside is not None or (unbound and not exception.trigger):
                    continue  # not checked in the database, or its rule's gap says it
                trigger = exception.trigger or rule.trigger
                date_field = exception.date_field if exception.trigger else rule.date_field
                for name in names:
                    if not covers(exception.fields, tables[name]):
                        continue
                    chain = _register_chain(tables, name)
                    if not any(time_column(b, trigger, date_field) for b in chain):
                        need = needed(trigger, date_field)
                        yield Gap(
                            rid,
                            name,
                            f"retention exception {eid!r} of {tid!r} ({rid!r}) keeps {name!r} "
                            f"but needs {need} on it or on a table of the register its subject "
                            "links lead to (bind it, or say who checks the exception with "
                            "verified_outside)",
                        )
        for right, attr in RIGHT_COLUMNS.items():
            if right not in register.rights:
                continue
            reach = {t for n in names for t in subject_chain(tables, n)}
            if not any(getattr(tables[t], attr) for t in reach):
                yield Gap(
                    rid,
                    first,
                    f"register {rid!r} grants {right} but no bound table has a {attr} column",
                    flag=attr,
                )


def _register_chain(tables: dict[str, TableBinding], table: str) -> list[TableBinding]:
    """The table and the tables its subject links lead to, up to the first of another
    register: where retention counts from (SNP004 reads the same)."""
    register = tables[table].register_id
    chain = []
    for name in subject_chain(tables, table):
        if tables[name].register_id != register:
            break
        chain.append(tables[name])
    return chain


def needed(trigger: str, date_field: str | None) -> str:
    """The column a trigger needs, in the bindings' words."""
    if trigger == "date":
        return f"a column mapped to {date_field!r}"
    return f"a {TRIGGER_COLUMNS[trigger]} column"
