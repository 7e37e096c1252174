"""## What it does
Checks sampled values of every column bound to a field of kind `iban` with the IBAN rules
(python-stdnum): a country code, check digits that match the whole number (ISO 7064 mod
97-10), and the length and format of that country's account numbers. Spaces between the
groups are allowed.

## Why is this bad?
Data must be accurate and kept up to date (GDPR Art. 5(1)(d)). A refund or a salary paid to
a mistyped account number reaches nobody, or somebody else; an account number that fails its
check digits was typed wrong or pasted into the wrong field.

## Example
```text
members.iban = FI21 1234 5600 0007 86     # one digit mistyped: the check digits fail
```

Use instead: correct the number with the subject, and check it where it is entered:
```text
members.iban = FI21 1234 5600 0007 85
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.rules._snapshot import invalid_values
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP013"
NAME = "invalid-iban"
SEVERITY: Severity = "warning"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    return invalid_values(ctx, ID, SEVERITY, "iban", values.is_iban, "invalid IBANs")


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
