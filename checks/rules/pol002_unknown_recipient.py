"""## What it does
Checks that every recipient named by a purpose or by a processor register's `on_behalf_of`
is declared under `recipients`.

A register's processors are not listed apart: they are the recipients of type `processor`
that its purposes name.

## Why is this bad?
The notice promises that data is not disclosed beyond the controller and the partners it
names. A purpose that discloses to an undeclared recipient breaks that promise on paper
already, and no field or transfer rule can be checked for it.

## Example
```yaml
purposes:
  service_maintenance:
    recipients: [trafficom]     # typo
```

Use instead:
```yaml
recipients:
  traficom: {...}
purposes:
  service_maintenance:
    recipients: [traficom]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.checks.rules._refs import references
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.names import did_you_mean

ID = "POL002"
NAME = "unknown-recipient"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    declared = policy.model.recipients
    for kind, path, ref in references(policy.model):
        if kind == "recipient" and ref not in declared:
            hint = did_you_mean(ref, declared)
            yield at(policy, path, ID, SEVERITY, f"recipient {ref!r} is not declared{hint}")
