"""## What it does
Checks sampled values of every column bound to a field of kind `email` for a valid
address syntax (email-validator, without any DNS or network lookup).

## Why is this bad?
Data must be accurate (GDPR Art. 5(1)(d)). An address that cannot be valid means the
subject cannot be reached, not even to tell them about a breach, and often that a value
was pasted into the wrong field.

## Example
```text
contacts.email = myynti(a)firma.fi
```

Use instead: correct the address with the subject, and validate it where it is entered:
```text
contacts.email = myynti@firma.fi
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

ID = "SNP008"
NAME = "invalid-email"
SEVERITY: Severity = "warning"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    return invalid_values(ctx, ID, SEVERITY, "email", values.is_email, "invalid e-mail addresses")


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
