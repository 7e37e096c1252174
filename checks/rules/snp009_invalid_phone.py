"""## What it does
Checks sampled values of every column bound to a field of kind `phone` with the phonenumbers
library: a number must be valid for its country, read as Finnish when it has no `+` prefix.

## Why is this bad?
Data must be accurate (GDPR Art. 5(1)(d)). A number too short or too long to exist reaches
nobody, and a number that reaches somebody else discloses the subject's affairs to them.

## Example
```text
contacts.phone = 040 123
```

Use instead: correct the number with the subject, preferably in international form:
```text
contacts.phone = +358 40 123 4567
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

ID = "SNP009"
NAME = "invalid-phone"
SEVERITY: Severity = "warning"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    return invalid_values(ctx, ID, SEVERITY, "phone", values.is_phone, "invalid phone numbers")


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
