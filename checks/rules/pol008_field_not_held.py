"""## What it does
Checks that each field a purpose uses is held by a register that serves the purpose, and that
each field a recipient may receive is held by some register.

## Why is this bad?
A purpose or recipient allowed a field that no register holds is a permission that matches no
data: usually a field that was renamed or dropped from the register, which leaves the notice
promising something the systems cannot do, or the register missing a field it really holds.

## Example
```yaml
registers:
  customers:
    fields: [email]
    purposes: [billing]
purposes:
  billing:
    fields: [email, iban]      # no register holds iban
```

Use instead:
```yaml
registers:
  customers:
    fields: [email, iban]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL008"
NAME = "field-not-held"
SEVERITY: Severity = "warning"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    held_any = {f for r in model.registers.values() for f in r.fields}
    for pid, purpose in model.purposes.items():
        serving = [r for r in model.registers.values() if pid in r.purposes]
        held = {f for r in serving for f in r.fields}
        for i, fid in enumerate(purpose.fields):
            if fid in model.fields and fid not in held:
                yield at(
                    policy,
                    ("purposes", pid, "fields", i),
                    ID,
                    SEVERITY,
                    f"purpose {pid!r} uses field {fid!r}, which no register serving it holds",
                )
    for cid, recipient in model.recipients.items():
        for i, fid in enumerate(recipient.fields):
            if fid in model.fields and fid not in held_any:
                yield at(
                    policy,
                    ("recipients", cid, "fields", i),
                    ID,
                    SEVERITY,
                    f"recipient {cid!r} may receive field {fid!r}, which no register holds",
                )
