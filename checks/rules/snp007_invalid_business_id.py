"""## What it does
Checks sampled values of every column bound to a field of kind `fi_business_id` with the
Y-tunnus rules: seven digits, a hyphen and a check digit that matches (python-stdnum).

## Why is this bad?
Data must be accurate and kept up to date (GDPR Art. 5(1)(d)), and the notice promises that
erroneous data is corrected. A business ID with a wrong check digit was mistyped; a foreign
registration number in a Y-tunnus column is a different kind of value than the policy says.

## Example
```text
customers.business_id = 1234567-8     # the check digit of 1234567 is 1
```

Use instead: correct the value from the Business Information System (YTJ), or bind foreign
registration numbers to a field of kind `registration_number`:
```text
customers.business_id = 1234567-1
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

ID = "SNP007"
NAME = "invalid-business-id"
SEVERITY: Severity = "warning"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    return invalid_values(
        ctx, ID, SEVERITY, "fi_business_id", values.is_business_id, "invalid business IDs"
    )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
