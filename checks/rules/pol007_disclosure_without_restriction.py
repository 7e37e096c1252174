"""## What it does
Checks that every purpose that discloses data to a recipient honours restriction of
processing.

## Why is this bad?
While a data subject disputes their data, its processing is restricted until the dispute is
resolved (GDPR Art. 18): the controller may keep it, but not pass it on. A purpose that sends
data out without leaving restricted subjects out breaks that right.

## Example
```yaml
purposes:
  hosting:
    recipients: [hosting_partners]
    honours: []
```

Use instead:
```yaml
purposes:
  hosting:
    recipients: [hosting_partners]
    honours: [restriction]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL007"
NAME = "disclosure-without-restriction"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    for pid, purpose in policy.model.purposes.items():
        if purpose.recipients and "restriction" not in purpose.honours:
            yield at(
                policy,
                ("purposes", pid, "recipients"),
                ID,
                SEVERITY,
                f"purpose {pid!r} discloses data to recipients but does not honour "
                "restriction of processing",
            )
