"""## What it does
Checks that every purpose a register lists is declared under `purposes`.

## Why is this bad?
Data may be processed only for purposes agreed in advance (GDPR Art. 5(1)(b)). A register
listing an undeclared purpose has no legal basis, fields or recipients for it.

## Example
```yaml
registers:
  customers:
    purposes: [marketting]
```

Use instead:
```yaml
purposes:
  marketing: {...}
registers:
  customers:
    purposes: [marketing]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.checks.rules._refs import references
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.names import did_you_mean

ID = "POL003"
NAME = "unknown-purpose"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    declared = policy.model.purposes
    for kind, path, ref in references(policy.model):
        if kind == "purpose" and ref not in declared:
            hint = did_you_mean(ref, declared)
            yield at(policy, path, ID, SEVERITY, f"purpose {ref!r} is not declared{hint}")
