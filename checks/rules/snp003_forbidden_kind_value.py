"""## What it does
Looks for values of a forbidden kind (`forbidden_kinds`) in every row of the text columns of
every bound or unbound table (on SQLite, where a column of any declared type may hold text,
in every column): today the Finnish personal identity code (henkilötunnus, hetu), found
anywhere in the text and confirmed by its check character, so that an order number shaped
like one is not reported. The database searches every row for candidates with a pattern
(`GLOB` on SQLite, `~` on PostgreSQL, `REGEXP` on MariaDB); only the candidates come back,
and python-stdnum confirms each. Tables of a register that allows the kind in
`allowed_kinds` are skipped (`special_category` there allows every Art. 9 kind). A forbidden
kind that has no value test (special categories, criminal offences) is named in an SNP011
note; SNP012 looks for the special categories in the names of undeclared columns.

## Why is this bad?
The policy promises that no register holds the kind at all (Tietosuojalaki 29 § for the
hetu). A hetu typed into a free-text field (billing notes, a support ticket) breaks that
promise as surely as a column named `hetu` would, and is easier to miss.

## Example
```yaml
forbidden_kinds:
  fi_personal_identity_code: {reason: {en: Not needed for business customers}}
# and in the snapshot: customers.billing_address = "Esimerkkitie 1 (hetu 131052-308T)"
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

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check, ScanCheck
from seloste.policy.kinds import covering

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP003"
NAME = "forbidden-kind-value"
SEVERITY: Severity = "error"
SCOPE = "snapshot"

WHAT = {"fi_personal_identity_code": "personal identity codes (hetu)"}


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    from seloste.checks.snapshot.context import is_text

    searched = [k for k in ctx.policy.forbidden_kinds if k in values.CANDIDATES]
    for table, info in ctx.tables.items():
        binding = ctx.bindings.tables.get(table)
        register = ctx.policy.registers.get(binding.register_id) if binding else None
        allowed = register.allowed_kinds if register is not None else {}
        for kind in (k for k in searched if covering(k, allowed) is None):
            for column, type_ in info.columns.items():
                if is_text(type_) or ctx.dialect == "sqlite":
                    yield ScanCheck(
                        ID,
                        SEVERITY,
                        table,
                        column,
                        kind,
                        values.CANDIDATES[kind].confirm,
                        f"{table}.{column} holds {WHAT.get(kind, kind)}, a forbidden kind",
                    )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
