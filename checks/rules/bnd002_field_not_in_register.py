"""## What it does
Checks that each column of a bound table maps to a field its register holds, and that each
purpose the table serves is one its register lists.

## Why is this bad?
The register's field list is the notice's promise of what is stored (data minimisation, GDPR
Art. 5(1)(c)). A binding that maps a column to a field outside it declares, in the
configuration, data that the notice says is not kept.

## Example
```yaml
# policy: customer_register holds [organisation_name, email]
tables:
  customers:
    register: customer_register
    columns:
      birth: birth_date
```

Use instead: drop the column from the database, or add the field to the register (and so to
the notice).
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at

ID = "BND002"
NAME = "field-not-in-register"
SEVERITY: Severity = "error"
SCOPE = "bindings"


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    policy = ctx.policy.model
    for table, binding in ctx.bindings.model.tables.items():
        register = policy.registers.get(binding.register_id)
        if register is None:
            continue
        for column, fid in binding.columns.items():
            if fid in policy.fields and fid not in register.fields:
                yield at(
                    ctx.bindings,
                    ("tables", table, "columns", column),
                    ID,
                    SEVERITY,
                    f"{table}.{column} holds {fid!r}, which register "
                    f"{binding.register_id!r} does not hold",
                )
        for i, pid in enumerate(binding.purposes):
            if pid in policy.purposes and pid not in register.purposes:
                yield at(
                    ctx.bindings,
                    ("tables", table, "purposes", i),
                    ID,
                    SEVERITY,
                    f"table {table!r} serves purpose {pid!r}, which register "
                    f"{binding.register_id!r} does not list",
                )
