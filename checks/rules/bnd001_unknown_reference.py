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

from collections.abc import Collection, Iterator
from typing import NamedTuple

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at
from seloste.policy.names import did_you_mean
from seloste.policy.tables import declared_columns

ID = "BND001"
NAME = "unknown-reference"
SEVERITY: Severity = "error"
SCOPE = "bindings"


class Reference(NamedTuple):
    """A name a binding uses, the names it must be one of, and what to say if it is not."""

    path: tuple[str | int, ...]
    name: str
    known: Collection[str]
    message: str
    key: bool = False  # point at the key that names it, not at its value


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    for ref in references(ctx):
        if ref.name not in ref.known:
            message = ref.message + did_you_mean(ref.name, ref.known)
            yield at(ctx.bindings, ref.path, ID, SEVERITY, message, key=ref.key)


def references(ctx: BoundPolicy) -> Iterator[Reference]:
    """Every name each binding uses, in the order a table's keys are usually written."""
    policy = ctx.policy.model
    for table, binding in ctx.bindings.model.tables.items():
        base = ("tables", table)
        rid, undeclared = binding.register_id, "is not declared in the policy"
        message = f"register {rid!r} {undeclared}"
        yield Reference((*base, "register"), rid, policy.registers, message)
        for column, fid in binding.columns.items():
            message = f"column {column!r} maps to undeclared field {fid!r}"
            yield Reference((*base, "columns", column), fid, policy.fields, message)
        for i, pid in enumerate(binding.purposes):
            message = f"purpose {pid!r} {undeclared}"
            yield Reference((*base, "purposes", i), pid, policy.purposes, message)
        for i, cid in enumerate(binding.outbound_to):
            message = f"recipient {cid!r} {undeclared}"
            yield Reference((*base, "outbound_to", i), cid, policy.recipients, message)
        declared = declared_columns(binding)
        for column in binding.time_formats:
            message = f"time_formats names column {column!r}, which the binding does not declare"
            yield Reference((*base, "time_formats", column), column, declared, message, key=True)
