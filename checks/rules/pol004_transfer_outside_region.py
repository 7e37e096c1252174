"""## What it does
Checks that every place a recipient processes or stores data lies inside the policy's allowed
transfer region (`transfers.allowed`) and in none of its explicit bans.

## Why is this bad?
Transfers outside the EU/EEA need an adequacy decision or other safeguards (GDPR Chapter V),
and a notice that promises no such transfers makes any of them a broken promise. A recipient
declared in a third country is such a transfer before a single row has moved.

## Example
```yaml
transfers:
  allowed: [EEA]
recipients:
  mailer:
    locations: [US]
```

Use instead:
```yaml
recipients:
  mailer:
    locations: [IE]       # or a provider that processes inside the EEA
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.transfers import why_not

ID = "POL004"
NAME = "transfer-outside-region"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    for cid, recipient in model.recipients.items():
        for i, place in enumerate(recipient.locations):
            path = ("recipients", cid, "locations", i)
            reason = why_not(place, model)
            if reason:
                yield at(policy, path, ID, SEVERITY, f"recipient {cid!r}: {reason}")
