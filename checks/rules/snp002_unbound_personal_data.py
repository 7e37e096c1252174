"""## What it does
Checks the tables that the bindings neither bind nor list in `ignore_tables` for personal
data: columns whose name says so (`reporter_email`, `sukunimi`, `phone`), counting every row
that holds a value, and text columns whose values, in a sample spread over the table, are
e-mail addresses, phone numbers or hold a personal identity code (SNP003 searches every row
for the latter). Columns whose names say they hold special categories of data
(`terveydentila`) are SNP012's.

## Why is this bad?
A table outside the bindings is outside every promise the notice makes: no retention, no
opt-out, no restriction is checked on it. A helpdesk's `support_tickets` table that copies
reporters' names and e-mail addresses is a register the notice does not describe.

## Example
```yaml
# the database also has support_tickets(id, reporter_name, reporter_email, body)
tables:
  customers: {register: customer_register, key: id}
ignore_tables: [schema_migrations]
```

Use instead: bind the table to the register it belongs to (so that its data is checked), or
remove the personal data from it; list it in `ignore_tables` only when it holds none:
```yaml
tables:
  support_tickets:
    register: customer_register
    key: id
    subject: {table: customers, column: customer_id}
    columns: {reporter_name: contact_name, reporter_email: email}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check, RowCheck, ValueCheck

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP002"
NAME = "unbound-personal-data"
SEVERITY: Severity = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    from seloste.checks.snapshot.context import is_text

    for table in ctx.unbound_tables():
        for column, kind in ctx.tables[table].columns.items():
            message = f"table {table!r} is not bound, but column {column!r} holds personal data"
            if values.personal_name(column):
                where = ctx.scope(table).not_null(table, column)
                yield RowCheck(ID, SEVERITY, table, column, where, f"{message} by its name")
            elif is_text(kind):
                yield ValueCheck(
                    ID,
                    SEVERITY,
                    table,
                    column,
                    values.looks_personal,
                    f"{message} by its values (e-mail, phone or hetu)",
                )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
