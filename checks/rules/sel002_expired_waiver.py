"""## What it does
Reports a waiver whose `expires` date has passed. The finding it waived is no longer waived:
it is reported and counts for `--fail-on` again.

## Why is this bad?
A waiver is a promise to fix something or to look at it again by a date. Once that date has
passed, the accepted risk has no owner any more, and the gate must say so instead of staying
green forever.

## Example
```yaml
waivers:
  - rule: POL004
    target: "policy.yaml#/recipients/mailer/locations/[US]"
    justification: SCCs signed, moving to an EU provider
    owner: dpo@example.fi
    expires: "2025-06-30"
```

Use instead: fix the finding and delete the waiver, or renew it with a new date and a
justification that still holds:
```yaml
    expires: "2026-06-30"
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity

if TYPE_CHECKING:
    from seloste.checks.waivers import Outcome

ID = "SEL002"
NAME = "expired-waiver"
SEVERITY: Severity = "warning"
SCOPE = "gate"


def check(outcome: Outcome) -> Iterator[Finding]:
    for i, w, expires in outcome.each():
        if expires < outcome.today:
            what = "it no longer waives" if i in outcome.matched else "it matched nothing either"
            yield outcome.about(i, ID, SEVERITY, f"expired on {w.expires}; {what}")
