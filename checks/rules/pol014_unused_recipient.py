"""## What it does
Checks that every declared recipient is used: a purpose discloses to it (a processor is used
through the purposes it serves), or a register is processed on its behalf.

## Why is this bad?
The notice lists recipients so data subjects know who gets their data (GDPR Art. 13(1)(e)).
A recipient no purpose discloses to is either stale, which makes the notice claim disclosures
that do not happen, or the purpose that really discloses to it forgot to say so.

## Example
```yaml
recipients:
  old_mailer: {...}
purposes: {}
```

Use instead: remove the recipient, or add it to the purpose that sends it data.
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.checks.rules._refs import references
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL014"
NAME = "unused-recipient"
SEVERITY: Severity = "warning"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    used = {ref for kind, _, ref in references(policy.model) if kind == "recipient"}
    for cid in policy.model.recipients:
        if cid not in used:
            yield at(
                policy,
                ("recipients", cid),
                ID,
                SEVERITY,
                f"recipient {cid!r} is declared but nothing discloses to it",
                key=True,
            )
