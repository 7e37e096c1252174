"""## What it does
Checks that every register has at least one retention rule.

## Why is this bad?
Personal data may be kept no longer than needed (storage limitation, GDPR Art. 5(1)(e)), and
the notice must say how long (Art. 13(2)(a)). A register without a rule has no limit that can
be checked, so old data stays forever.

## Example
```yaml
registers:
  customers:
    retention: {}
```

Use instead:
```yaml
registers:
  customers:
    retention:
      after-relationship:
        trigger: relationship_end
        period: P3M
        action: delete
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL005"
NAME = "register-without-retention"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    for rid, register in policy.model.registers.items():
        if not register.retention:
            yield at(
                policy,
                ("registers", rid),
                ID,
                SEVERITY,
                f"register {rid!r} has no retention rule",
                key=True,
            )
