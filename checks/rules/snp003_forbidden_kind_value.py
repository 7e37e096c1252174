"""## What it does
Looks for values of a forbidden kind (`forbidden_kinds`) in the text columns of every
bound or unbound table: today the Finnish personal identity code (henkilötunnus, hetu),
found anywhere in the text and confirmed by its check character, so that an order number
shaped like one is not reported. Tables of a register that allows the kind in
`allowed_kinds` are skipped.

## Why is this bad?
The policy promises that no register holds the kind at all (Tietosuojalaki 29 § for the
hetu). A hetu typed into a free-text field (billing notes, a support ticket) breaks that
promise as surely as a column named `hetu` would, and is easier to miss.

## Example
```yaml
forbidden_kinds:
  fi_personal_identity_code: {reason: {en: Not needed for business customers}}
# and in the snapshot: customers.billing_address = "Katu 1, 00100 Helsinki (hetu 131052-308T)"
```

Use instead: remove the code from the data (and the form that let it in), or, where a law
requires it, allow the kind for that register:
```yaml
registers:
  payroll:
    allowed_kinds:
      fi_personal_identity_code:
        legal_basis: {basis: legal_obligation, reference: "Tietosuojalaki 29 §"}
        reason: {en: Needed for tax reporting}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checks.findings import Finding
from checks.snapshot import values
from checks.snapshot.plan import Check, ValueCheck

if TYPE_CHECKING:
    from checks.snapshot.context import SnapshotContext

ID = "SNP003"
NAME = "forbidden-kind-value"
SEVERITY = "error"
SCOPE = "snapshot"

HETU = "fi_personal_identity_code"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    from checks.snapshot.context import is_text

    if HETU not in ctx.policy.forbidden_kinds:
        return
    for table, info in ctx.tables.items():
        binding = ctx.bindings.tables.get(table)
        register = ctx.policy.registers.get(binding.register_id) if binding else None
        if register is not None and HETU in register.allowed_kinds:
            continue
        for column, kind in info.columns.items():
            if is_text(kind):
                yield ValueCheck(
                    ID,
                    SEVERITY,
                    table,
                    column,
                    values.contains_hetu,
                    f"{table}.{column} holds personal identity codes (hetu), a forbidden kind",
                )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
