"""## What it does
Checks that every column of a bound table is declared in its binding: mapped to a field in
`columns`, listed in `other_columns`, or named as the key, the subject link, or one of the
rule columns (`relationship_end`, `collected_at`, `last_activity`, `consent_withdrawn`,
`marketing_opt_out`, `restricted`). The finding counts the rows that hold a value in the column.

## Why is this bad?
The notice lists what the register holds. A column the binding does not mention holds data
nobody declared (data minimisation, GDPR Art. 5(1)(c)), and no other rule can check it: a
`birth_date` added to `contacts` is personal data the notice never promised to keep.

## Example
```yaml
# the contacts table has columns: id, customer_id, name, email, phone, birth_date
tables:
  contacts:
    key: id
    subject: {table: customers, column: customer_id}
    columns: {name: contact_name, email: email, phone: phone}
```

Use instead: drop the column from the database, or declare it (and its field in the
register, which the notice then has to list):
```yaml
    columns: {name: contact_name, email: email, phone: phone, birth_date: birth_date}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot.plan import Check, RowCheck

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP001"
NAME = "unmapped-column"
SEVERITY: Severity = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    for table, binding in ctx.bound_tables():
        known = binding.declared_columns()
        for column in ctx.tables[table].columns:
            if column in known:
                continue
            yield RowCheck(
                ID,
                SEVERITY,
                table,
                column,
                ctx.scope(table).not_null(table, column),
                f"column {column!r} of {table!r} is not in the binding: the register "
                f"({binding.register_id}) does not declare what it holds",
                report_empty=True,
            )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
