"""## What it does
Checks that every register, field, purpose and recipient (`outbound_to`) a bindings file names
is declared in its policy, and that every column `time_formats` names is one the binding
declares.

## Why is this bad?
Bindings tell seloste where a register's data lives. A table bound to an unknown register, or a
column mapped to an unknown field, is data that no rule of the policy covers: the snapshot
checks would skip it, and a check that silently skips is worse than none.

## Example
```yaml
tables:
  customers:
    register: customer_register
    key: id
    columns:
      mail: e_mail            # the policy calls it email
```

Use instead:
```yaml
    columns:
      mail: email
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, at
from seloste.policy.names import did_you_mean

ID = "BND001"
NAME = "unknown-reference"
SEVERITY = "error"
SCOPE = "bindings"


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    policy = ctx.policy.model
    for table, binding in ctx.bindings.model.tables.items():
        base = ("tables", table)
        if binding.register_id not in policy.registers:
            hint = did_you_mean(binding.register_id, policy.registers)
            yield at(
                ctx.bindings,
                (*base, "register"),
                ID,
                SEVERITY,
                f"register {binding.register_id!r} is not declared in the policy{hint}",
            )
        for column, fid in binding.columns.items():
            if fid not in policy.fields:
                hint = did_you_mean(fid, policy.fields)
                yield at(
                    ctx.bindings,
                    (*base, "columns", column),
                    ID,
                    SEVERITY,
                    f"column {column!r} maps to undeclared field {fid!r}{hint}",
                )
        for i, pid in enumerate(binding.purposes):
            if pid not in policy.purposes:
                hint = did_you_mean(pid, policy.purposes)
                yield at(
                    ctx.bindings,
                    (*base, "purposes", i),
                    ID,
                    SEVERITY,
                    f"purpose {pid!r} is not declared in the policy{hint}",
                )
        for i, rid in enumerate(binding.outbound_to):
            if rid not in policy.recipients:
                hint = did_you_mean(rid, policy.recipients)
                yield at(
                    ctx.bindings,
                    (*base, "outbound_to", i),
                    ID,
                    SEVERITY,
                    f"recipient {rid!r} is not declared in the policy{hint}",
                )
        declared = binding.declared_columns()
        for column in binding.time_formats:
            if column not in declared:
                hint = did_you_mean(column, declared)
                yield at(
                    ctx.bindings,
                    (*base, "time_formats", column),
                    ID,
                    SEVERITY,
                    f"time_formats names column {column!r}, which the binding does not "
                    f"declare{hint}",
                    key=True,
                )
